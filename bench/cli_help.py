"""How fast `kynangso --help` answers, beside the stock tools' own help (target: under 0.5 s).

Run: .venv/bin/python bench/cli_help.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def timed(cmd: list[str], runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True, timeout=120)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    ours = timed([str(BIN / "kynangso"), "--help"], runs)
    print(f"{'command':<28}{'median (s)':>12}{'ratio to ours':>16}")
    print(f"{'kynangso --help':<28}{ours:>12.3f}{1.0:>16.1f}")
    for name, cmd in (
        ("nbgrader --help", [str(BIN / "nbgrader"), "--help"]),
        ("jupyter lab --help", [str(BIN / "jupyter-lab"), "--help"]),
        ("voila --help", [str(BIN / "voila"), "--help"]),
    ):
        stock = timed(cmd, runs)
        print(f"{name:<28}{stock:>12.3f}{stock / ours:>16.1f}")
    print(f"target: kynangso --help under 0.5 s — {'met' if ours < 0.5 else 'NOT met'}")


if __name__ == "__main__":
    main()
