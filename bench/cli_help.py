"""How fast `kynangso --help` answers, beside a bare interpreter and the stock tools' own help (target: 0.5 s).

The tests prove the cause (no heavy package is imported for help or parsing, `tests/test_cli.py`); this script
prints the figure, which depends on the machine and its load.

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
TARGET = 0.5


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
        ("python -c pass", [sys.executable, "-c", "pass"]),
        ("kynangso grade --help", [str(BIN / "kynangso"), "grade", "--help"]),
        ("jupyter --help", [str(BIN / "jupyter"), "--help"]),
        ("nbgrader --help", [str(BIN / "nbgrader"), "--help"]),
        ("jupyter lab --help", [str(BIN / "jupyter-lab"), "--help"]),
        ("voila --help", [str(BIN / "voila"), "--help"]),
    ):
        other = timed(cmd, runs)
        print(f"{name:<28}{other:>12.3f}{other / ours:>16.1f}")
    print(f"target: kynangso --help under {TARGET} s — {'met' if ours < TARGET else 'NOT met'} on this machine now")


if __name__ == "__main__":
    main()
