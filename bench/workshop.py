"""The workshop case: 30 learners open a simulation within the same minute, on one 2-core machine.

One `kynangso sims serve` with `--pool-for dvc-khai-sinh=N` (N kernels ready for the app the class opens); each
learner arrives at its own random moment (seeded) within `--minute` seconds. A few learners are real Chromium pages
at phone size; the others are protocol-level phones (see protocol_learner): a browser's parsing and drawing runs
on the phone's own CPU in a real workshop, so thirty headless Chromiums on the trainer's 2 cores would measure the
browsers, not the server. Every learner must become interactive (no error); printed: p50/p95/max time to
interactive (target p95 ≤ 3 s), and the memory of the server and all its kernels.

Run: .venv/bin/python bench/workshop.py [--learners 30] [--in-browser 3] [--minute 60] [--pool 30] [--wifi]
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
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

from voila_sessions import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PHONE,
    REPO,
    WIFI,
    free_port,
    kernels,
    server,
    voila_command,
    wait_http,
    wait_settled,
)


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
        "protocol": sorted(times["protocol"]),
        "protocol_p95": p95(times["protocol"]),
        "server_mb": end[0],
        "kernels_mb": end[1],
        "kernels": end[2],
        "peak_mb": peak[0] + peak[1],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--learners", type=int, default=30)
    parser.add_argument("--in-browser", type=int, default=3, help="how many of them are real Chromium pages")
    parser.add_argument("--minute", type=float, default=60.0, help="they all arrive within this many seconds")
    parser.add_argument("--pool", type=int, default=30, help="kernels kept ready for the app (--pool-for)")
    parser.add_argument("--wifi", action="store_true", help="emulated workshop Wi-Fi for the Chromium learners")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="kns-workshop-"))
    try:
        shutil.copy(REPO / "voila_apps" / "dvc-khai-sinh.ipynb", folder)
        print(f"… {args.learners} learners within {args.minute:.0f} s, {args.pool} kernels ready", flush=True)
        crowd = asyncio.run(workshop(args.learners, args.in_browser, args.minute, args.pool, folder, args.wifi))
    finally:
        keep = REPO / "bench" / "output" / "workshop-voila.log"  # Voilà's own log of the run, for a look afterwards
        keep.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            shutil.copy(folder / "workshop.log", keep)
        shutil.rmtree(folder, ignore_errors=True)
    print()
    print(
        f"Workshop: {crowd['learners']} learners within {args.minute:.0f} s on one `sims serve`, "
        f"--pool-for dvc-khai-sinh={args.pool}: {crowd['ok']} interactive, {len(crowd['errors'])} errors"  # type: ignore[arg-type]
    )
    print(
        f"  ({crowd['in_browser']} in Chromium {PHONE['width']}×{PHONE['height']}, the others protocol-level phones "
        f"fetching the same {crowd['files']} files and asking for the widget state over the kernel websocket)"
    )
    for err in crowd["errors"]:  # type: ignore[attr-defined]
        print(f"  error: {err}")
    print(
        f"  time to interactive: p50 {crowd['p50']:.2f} s, p95 {crowd['p95']:.2f} s, max {crowd['max']:.2f} s"
        " (target p95 ≤ 3 s)"
    )
    shown = ", ".join(f"{t:.2f}" for t in crowd["browser"])  # type: ignore[attr-defined]
    print(f"  of which in Chromium: {shown} s; protocol-level phones alone: p95 {crowd['protocol_p95']:.2f} s")
    total = float(crowd["server_mb"]) + float(crowd["kernels_mb"])  # type: ignore[arg-type]
    print(
        f"  memory at the end: server {crowd['server_mb']:.0f} MB + {crowd['kernels']} kernels "
        f"{crowd['kernels_mb']:.0f} MB = {total:.0f} MB RSS; peak {crowd['peak_mb']:.0f} MB"
    )
    if args.json:
        args.json.write_text(json.dumps(crowd, indent=1), encoding="utf-8")
    return 0 if not crowd["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
