"""Voilà sessions: time from request to an interactive app, and memory per session kernel.

Compares, side by side in one run:
  * ours, preheated — the exact Voilà command `kynangso sims serve` runs (compressed, cached responses:
    kynangso.webcache), on the dvc-khai-sinh app;
  * ours, no preheat — the same app and command with the kernel pool off;
  * plain Voilà — stock `voila` on a minimal ipywidgets notebook (one button), no preheating, uncompressed.

`--wifi` makes every page load go through an emulated workshop Wi-Fi (Chromium's network throttling: see WIFI)
instead of loopback, which is where sending fewer bytes shows.

The workshop case (30 learners within a minute) is bench/workshop.py.

"Interactive" = a fresh Chromium context (nothing cached, like a new learner's phone) has loaded the page, the
kernel websocket is connected and the widgets are drawn (widgets only appear after the widget state arrives
from the kernel over that websocket). Memory = RSS and USS (memory the kernel alone holds) of every kernel
process of the server, with the sessions still open. Targets: interactive within 1.0 s with preheating;
at most 80 MB per session kernel.

Run: .venv/bin/python bench/voila_sessions.py [--sessions 5] [--wifi]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO))

from tests.support import CHROMIUM, CHROMIUM_ARGS, PHONE, free_port  # noqa: E402

from kynangso.sims.serve import voila_command  # noqa: E402
from kynangso.supervise import stop  # noqa: E402

MINIMAL = {
    "cells": [
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "minimal",
            "metadata": {},
            "outputs": [],
            "source": ["import ipywidgets as w\n", "\n", 'w.Button(description="OK")'],
        }
    ],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}},
    "nbformat": 4,
    "nbformat_minor": 5,
}


# A commune hall's Wi-Fi shared by a class: 20 Mbit/s down, 5 up, 30 ms round trip (Chromium's units: bytes/s, ms).
WIFI = {"offline": False, "latency": 30, "downloadThroughput": 20e6 / 8, "uploadThroughput": 5e6 / 8}


@dataclass
class Setup:
    name: str
    notebook: str
    selector: str
    pool: int
    cmd: list[str]
    times: list[float] = field(default_factory=list)
    warm: list[float] = field(default_factory=list)
    rss: list[float] = field(default_factory=list)
    uss: list[float] = field(default_factory=list)
    sent: list[float] = field(default_factory=list)  # bytes on the wire for one fresh page load, MB


def kernels(pid: int) -> list[psutil.Process]:
    try:
        kids = psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    out = []
    for p in kids:
        with contextlib.suppress(psutil.Error):
            if "ipykernel_launcher" in " ".join(p.cmdline()):
                out.append(p)
    return out


def wait_settled(pid: int, count: int, timeout: float = 120.0) -> None:
    """Until the server has `count` kernels and none of them is busy (a preheated kernel runs its notebook)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ks = kernels(pid)
        if len(ks) >= count:
            busy = 0.0
            for k in ks:
                with contextlib.suppress(psutil.Error):
                    busy += k.cpu_percent(interval=0.2)
            if busy < 5.0:
                return
        else:
            time.sleep(0.2)
    raise TimeoutError(f"server {pid} did not settle with {count} kernels in {timeout}s")


def wait_http(url: str, proc: subprocess.Popen[bytes], timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=5) as resp:
            if resp.status == 200:
                return
        time.sleep(0.2)
    raise TimeoutError(url)


@contextlib.contextmanager
def server(cmd: list[str], cwd: Path, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    env = {**os.environ, "KYNANGSO_HOME": str(cwd / ".home")}
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield proc
    finally:
        stop(proc)


def wire_bytes(page: object) -> float:
    """Bytes the page received over the network (compressed sizes), headers included, in MB."""
    total = page.evaluate(  # type: ignore[attr-defined]
        "performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))"
        ".reduce((n, e) => n + (e.transferSize || 0), 0)"
    )
    return float(total) / 2**20


def measure(setup: Setup, browser: object, sessions: int, port: int, cwd: Path, wifi: bool) -> None:
    base = f"http://127.0.0.1:{port}"
    with server(setup.cmd, cwd, cwd / f"{setup.name.replace(' ', '-')}.log") as proc:
        wait_http(f"{base}/", proc)
        wait_settled(proc.pid, setup.pool)
        contexts = []
        try:
            for i in range(2 * sessions):
                # First `sessions` fresh contexts (a new phone: nothing cached), then new tabs in the first
                # context (assets cached, as for a learner who came from the gallery page).
                cold = i < sessions
                if cold:
                    contexts.append(browser.new_context(viewport=PHONE))  # type: ignore[attr-defined]
                page = (contexts[-1] if cold else contexts[0]).new_page()
                if wifi:
                    cdp = page.context.new_cdp_session(page)
                    cdp.send("Network.enable")
                    cdp.send("Network.emulateNetworkConditions", WIFI)
                t0 = time.perf_counter()
                page.goto(f"{base}/voila/render/{setup.notebook}", timeout=120_000)
                page.wait_for_selector(setup.selector, state="visible", timeout=120_000)
                (setup.times if cold else setup.warm).append(time.perf_counter() - t0)
                if cold:
                    setup.sent.append(wire_bytes(page))
                # A workshop's learners arrive a few seconds apart: let the pool refill before the next one.
                wait_settled(proc.pid, i + 1 + setup.pool)
            for k in kernels(proc.pid):
                with contextlib.suppress(psutil.Error):
                    info = k.memory_full_info()
                    setup.rss.append(info.rss / 2**20)
                    setup.uss.append(info.uss / 2**20)
        finally:
            for ctx in contexts:
                ctx.close()


def row(label: str, values: list[float], fmt: str = "{:.2f}") -> str:
    cells = [fmt.format(v) for v in values]
    ratios = [f"{values[0] / v:.2f}" if v else "–" for v in values[1:]]
    return f"{label:<34}" + "".join(f"{c:>18}" for c in cells) + "".join(f"{r:>14}" for r in ratios)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=5)
    parser.add_argument("--wifi", action="store_true", help="emulate a workshop Wi-Fi instead of loopback")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="kns-bench-"))
    try:
        ours = work / "ours"
        ours.mkdir()
        shutil.copy(REPO / "voila_apps" / "dvc-khai-sinh.ipynb", ours)
        plain = work / "plain"
        plain.mkdir()
        (plain / "minimal.ipynb").write_text(json.dumps(MINIMAL), encoding="utf-8")
        ports = [free_port() for _ in range(3)]
        setups = [
            Setup(
                "ours, preheated",
                "dvc-khai-sinh.ipynb",
                ".kns-sim .widget-button",
                1,
                voila_command(ours, ports[0], "127.0.0.1", pool_size=1, cull_seconds=900),
            ),
            Setup(
                "ours, no preheat",
                "dvc-khai-sinh.ipynb",
                ".kns-sim .widget-button",
                0,
                voila_command(ours, ports[1], "127.0.0.1", pool_size=0, cull_seconds=900),
            ),
            Setup(
                "plain Voilà",
                "minimal.ipynb",
                ".widget-button",
                0,
                [sys.executable, "-m", "voila", str(plain), "--no-browser", f"--port={ports[2]}"],
            ),
        ]
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            try:
                for setup, port in zip(setups, ports, strict=True):
                    cwd = ours if setup.notebook != "minimal.ipynb" else plain
                    print(f"… {setup.name}: {args.sessions} sessions", flush=True)
                    measure(setup, browser, args.sessions, port, cwd, args.wifi)
            finally:
                browser.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)

    names = [s.name for s in setups]
    ratios = ["÷ no preheat", "÷ plain"]
    head = f"{'':<34}" + "".join(f"{n:>18}" for n in names) + "".join(f"{r:>14}" for r in ratios)
    print()
    net = "emulated Wi-Fi 20/5 Mbit/s, 30 ms" if args.wifi else "loopback"
    print(
        f"Voilà sessions ({args.sessions} per setup, fresh Chromium context each, {PHONE['width']}×{PHONE['height']}, "
        f"{net})"
    )
    print(head)
    print(row("interactive, median (s)", [statistics.median(s.times) for s in setups]))
    print(row("interactive, max (s)", [max(s.times) for s in setups]))
    print(row("interactive, cached, median (s)", [statistics.median(s.warm) for s in setups]))
    print(row("sent to a fresh phone (MB)", [statistics.median(s.sent) for s in setups]))
    print(row("kernel RSS, median (MB)", [statistics.median(s.rss) for s in setups], "{:.1f}"))
    print(row("kernel USS, median (MB)", [statistics.median(s.uss) for s in setups], "{:.1f}"))
    print()
    pre = setups[0]
    print(
        f"target: interactive ≤ 1.0 s with preheating → {statistics.median(pre.times):.2f} s new phone, "
        f"{statistics.median(pre.warm):.2f} s with cached assets (median)"
    )
    print(f"target: ≤ 80 MB per session kernel → {statistics.median(pre.rss):.1f} MB RSS (median)")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    **{
                        s.name: {"cold": s.times, "warm": s.warm, "rss": s.rss, "uss": s.uss, "sent": s.sent}
                        for s in setups
                    },
                },
                indent=1,
            ),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
