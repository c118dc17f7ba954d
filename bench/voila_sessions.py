"""Voilà sessions: time from request to an interactive app, and memory per session kernel.

Compares, side by side in one run:
  * ours, preheated — the exact Voilà command `kynangso sims serve` runs (compressed, cached responses:
    kynangso.webcache), on the dvc-khai-sinh app;
  * ours, no preheat — the same app and command with the kernel pool off;
  * plain Voilà — stock `voila` on a minimal ipywidgets notebook (one button), no preheating, uncompressed.

`--wifi` makes every page load go through an emulated workshop Wi-Fi (Chromium's network throttling: see WIFI)
instead of loopback, which is where sending fewer bytes shows.

Then the workshop case (`--learners 30`, 0 to skip): that many fresh phones open the app within one minute
(`--minute`), each at its own moment, against one `sims serve` (pool `--workshop-pool`); every one must become
interactive; p50/p95/max time to interactive and the memory of the server and all its kernels are printed.

"Interactive" = a fresh Chromium context (nothing cached, like a new learner's phone) has loaded the page, the
kernel websocket is connected and the widgets are drawn (widgets only appear after the widget state arrives
from the kernel over that websocket). Memory = RSS and USS (memory the kernel alone holds) of every kernel
process of the server, with the sessions still open. Targets: interactive within 1.0 s with preheating;
at most 80 MB per session kernel.

Run: .venv/bin/python bench/voila_sessions.py [--sessions 5] [--wifi] [--learners 30]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import random
import re
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


def tree_memory(pid: int) -> tuple[float, float, int]:
    """RSS of the server, RSS of all its kernels (MB), number of kernels."""
    server_rss = psutil.Process(pid).memory_info().rss / 2**20
    ks = kernels(pid)
    total = 0.0
    for k in ks:
        with contextlib.suppress(psutil.Error):
            total += k.memory_info().rss / 2**20
    return server_rss, total, len(ks)


APP_PATH = "/voila/render/dvc-khai-sinh.ipynb"


async def record_requests(browser: object, base: str) -> list[str]:
    """The files a fresh phone's browser asks for when it opens the app (page, kernel API and websocket aside)."""
    context = await browser.new_context(viewport=PHONE)  # type: ignore[attr-defined]
    page = await context.new_page()
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url))
    await page.goto(base + APP_PATH, timeout=120_000)
    await page.wait_for_selector(".kns-sim .widget-button", state="visible", timeout=120_000)
    await context.close()
    skip = (APP_PATH, "/api/")
    return sorted({u for u in seen if u.startswith(base) and not any(x in u for x in skip)})


def kernel_message(
    session: str, msg_type: str, content: dict[str, object], metadata: dict[str, str] | None = None
) -> str:
    header = {"msg_id": os.urandom(8).hex(), "username": "bench", "session": session, "msg_type": msg_type}
    return json.dumps(
        {"header": {**header, "version": "5.3"}, "parent_header": {}, "metadata": metadata or {}, "content": content,
         "channel": "shell", "buffers": []}
    )  # fmt: skip


async def protocol_learner(base: str, files: list[str]) -> float:
    """What a phone asks of the server, without a browser's own parsing and drawing (which a phone does on its
    own CPU, not the trainer's): the page, every file a browser fetched for it, then the kernel websocket, where
    the widget manager asks for the widgets' state; interactive = that state has arrived."""
    from tornado.httpclient import AsyncHTTPClient
    from tornado.websocket import websocket_connect

    client = AsyncHTTPClient(force_instance=True, max_clients=6)  # a phone: its own connections, 6 per host
    gzip_ok = {"Accept-Encoding": "gzip"}
    t0 = time.perf_counter()
    page = await client.fetch(base + APP_PATH, headers=gzip_ok, request_timeout=120)
    match = re.search(r'"kernelId": "([0-9a-f-]+)"', page.body.decode())
    if not match:
        raise RuntimeError("no kernel id in the page")
    await asyncio.gather(*(client.fetch(u, headers=gzip_ok, request_timeout=120) for u in files))
    session = os.urandom(8).hex()
    ws_url = base.replace("http", "ws") + f"/api/kernels/{match.group(1)}/channels?session_id={session}"
    ws = await websocket_connect(ws_url, connect_timeout=60)
    comm = os.urandom(8).hex()
    await ws.write_message(
        kernel_message(
            session,
            "comm_open",
            {"comm_id": comm, "target_name": "jupyter.widget.control", "data": {}},
            {"version": "1.0.0"},  # the widget control protocol ipywidgets 8 speaks
        )
    )
    await ws.write_message(kernel_message(session, "comm_msg", {"comm_id": comm, "data": {"method": "request_states"}}))
    while True:
        raw = await asyncio.wait_for(ws.read_message(), timeout=120)
        if raw is None:
            raise RuntimeError("the kernel websocket closed")
        msg = json.loads(raw)
        content = msg.get("content", {})
        if content.get("comm_id") == comm and content.get("data", {}).get("method") == "update_states":
            took = time.perf_counter() - t0
            LEARNER_SOCKETS.append(ws)  # the learner stays on the page: the kernel stays connected
            client.close()
            return took


LEARNER_SOCKETS: list[object] = []


async def workshop(
    learners: int, in_browser: int, minute: float, pool: int, folder: Path, wifi: bool
) -> dict[str, object]:
    """`learners` fresh phones open the app within `minute` seconds, each at a random moment (seeded); of them,
    `in_browser` are real Chromium pages, the others protocol-level phones (see protocol_learner)."""
    from playwright.async_api import async_playwright

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # The app the class opens keeps `pool` kernels ready (`sims serve --pool-for dvc-khai-sinh=N`).
    cmd = voila_command(folder, port, "127.0.0.1", pool_size=1, cull_seconds=900, pools={"dvc-khai-sinh": pool})
    rng = random.Random(30)
    arrivals = sorted(rng.uniform(0, minute) for _ in range(learners))
    browsers = set(rng.sample(range(learners), min(in_browser, learners)))
    times: dict[str, list[float]] = {"browser": [], "protocol": []}
    errors: list[str] = []
    peak = (0.0, 0.0, 0)
    with server(cmd, folder, folder / "workshop.log") as proc:
        wait_http(f"{base}/", proc)
        wait_settled(proc.pid, pool, timeout=600)
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            files = await record_requests(browser, base)
            await asyncio.to_thread(wait_settled, proc.pid, pool + 1, 600)
            start = time.perf_counter()

            async def in_chromium() -> float:
                context = await browser.new_context(viewport=PHONE)
                page = await context.new_page()
                if wifi:
                    cdp = await context.new_cdp_session(page)
                    await cdp.send("Network.enable")
                    await cdp.send("Network.emulateNetworkConditions", WIFI)
                t0 = time.perf_counter()
                await page.goto(base + APP_PATH, timeout=180_000)
                await page.wait_for_selector(".kns-sim .widget-button", state="visible", timeout=180_000)
                return time.perf_counter() - t0

            async def learner(i: int, at: float) -> None:
                await asyncio.sleep(max(0.0, start + at - time.perf_counter()))
                kind = "browser" if i in browsers else "protocol"
                try:
                    took = await (in_chromium() if kind == "browser" else protocol_learner(base, files))
                    times[kind].append(took)
                except Exception as exc:  # every failure is counted and shown, none stops the others
                    errors.append(f"{kind}: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")

            async def sample() -> None:
                nonlocal peak
                while True:
                    with contextlib.suppress(psutil.Error):
                        now = tree_memory(proc.pid)
                        if now[0] + now[1] > peak[0] + peak[1]:
                            peak = now
                    await asyncio.sleep(0.5)

            sampler = asyncio.create_task(sample())
            await asyncio.gather(*(learner(i, at) for i, at in enumerate(arrivals)))
            sampler.cancel()
            end = tree_memory(proc.pid)
            for ws in LEARNER_SOCKETS:
                ws.close()  # type: ignore[attr-defined]
            await browser.close()
    every = sorted(times["browser"] + times["protocol"])

    def p95(values: list[float]) -> float:
        return sorted(values)[math.ceil(0.95 * len(values)) - 1] if values else float("nan")  # nearest rank

    return {
        "learners": learners,
        "in_browser": len(browsers),
        "files": len(files),
        "ok": len(every),
        "errors": errors,
        "p50": statistics.median(every) if every else float("nan"),
        "p95": p95(every),
        "max": max(every) if every else float("nan"),
        "browser": times["browser"],
        "server_mb": end[0],
        "kernels_mb": end[1],
        "kernels": end[2],
        "peak_mb": peak[0] + peak[1],
    }


def row(label: str, values: list[float], fmt: str = "{:.2f}") -> str:
    cells = [fmt.format(v) for v in values]
    ratios = [f"{values[0] / v:.2f}" if v else "–" for v in values[1:]]
    return f"{label:<34}" + "".join(f"{c:>18}" for c in cells) + "".join(f"{r:>14}" for r in ratios)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=5)
    parser.add_argument("--wifi", action="store_true", help="emulate a workshop Wi-Fi instead of loopback")
    parser.add_argument("--learners", type=int, default=30, help="workshop case: learners (0: skip)")
    parser.add_argument("--in-browser", type=int, default=3, help="workshop case: how many are real Chromium pages")
    parser.add_argument("--minute", type=float, default=60.0, help="workshop case: they all arrive within this")
    parser.add_argument(
        "--workshop-pool", type=int, default=30, help="workshop case: kernels kept ready for the app (--pool-for)"
    )
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
        crowd: dict[str, object] | None = None
        if args.learners > 0:
            print(f"… workshop: {args.learners} learners within {args.minute:.0f} s", flush=True)
            crowd = asyncio.run(
                workshop(args.learners, args.in_browser, args.minute, args.workshop_pool, ours, args.wifi)
            )
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
    if crowd is not None:
        print()
        print(
            f"Workshop: {crowd['learners']} learners within {args.minute:.0f} s, pool {args.workshop_pool}, {net}: "
            f"{crowd['ok']} interactive, {len(crowd['errors'])} errors"  # type: ignore[arg-type]
        )
        print(
            f"  ({crowd['in_browser']} in Chromium, the others protocol-level phones fetching the same "
            f"{crowd['files']} files and asking for the widget state over the kernel websocket)"
        )
        for err in crowd["errors"]:  # type: ignore[attr-defined]
            print(f"  error: {err}")
        print(
            f"  time to interactive: p50 {crowd['p50']:.2f} s, p95 {crowd['p95']:.2f} s, max {crowd['max']:.2f} s"
            " (target p95 ≤ 3 s)"
        )
        shown = ", ".join(f"{t:.2f}" for t in crowd["browser"])  # type: ignore[attr-defined]
        print(f"  in Chromium: {shown} s")
        print(
            f"  memory at the end: server {crowd['server_mb']:.0f} MB + {crowd['kernels']} kernels "
            f"{crowd['kernels_mb']:.0f} MB = {float(crowd['server_mb']) + float(crowd['kernels_mb']):.0f} MB RSS; "  # type: ignore[arg-type]
            f"peak {crowd['peak_mb']:.0f} MB"
        )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    **{
                        s.name: {"cold": s.times, "warm": s.warm, "rss": s.rss, "uss": s.uss, "sent": s.sent}
                        for s in setups
                    },
                    "workshop": crowd,
                },
                indent=1,
            ),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
