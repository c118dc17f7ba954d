"""Lesson reader: time for a phone to get each lesson as a working page, bytes sent, kernel memory.

Starts the real `kynangso start` on a fresh workspace and, in a fresh Chromium context per page (nothing cached,
like a learner's new phone) at 390×844, opens every lesson two ways in the same run:
  * the reader — /kynangso/bai-hoc/<lesson-id> (kynangso.reader);
  * Voilà's own page of the same notebook — /voila/render/curriculum/<path>, what a phone had before.

"Ready" = the page's last cell is there and every self-check and simulation widget of the lesson is drawn (they
are drawn only after the kernel has run the cells and the widget state has arrived over the websocket). Bytes =
what crossed the wire (compressed) for the page and all it loaded. Memory = USS of the lesson's kernel while the
page is open; "left running" = kernels still up after every page was closed.

Run: .venv/bin/python bench/reader_pages.py [--lessons N]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO))

from tests.support import CHROMIUM, CHROMIUM_ARGS, PHONE, descendants, kynangso_start, read_until  # noqa: E402

from kynangso.lessons.catalogue import LessonInfo, lessons  # noqa: E402
from kynangso.lessons.notebook import cell_source  # noqa: E402
from kynangso.lessons.selfcheck import check_cells  # noqa: E402

TIMEOUT_MS = 120_000


def widgets_of(info: LessonInfo) -> tuple[int, int]:
    nb = json.loads((REPO / "curriculum" / info.path).read_text(encoding="utf-8"))
    checks = sum(1 for c in check_cells(nb["cells"]) if isinstance(c.data, dict))
    sims = sum(1 for c in nb["cells"] if c["cell_type"] == "code" and ".simulation(" in cell_source(c))
    return checks, sims


def kernels(base: str, token: str) -> list[dict[str, Any]]:
    with urllib.request.urlopen(f"{base}/api/kernels?token={token}", timeout=30) as resp:
        found: list[dict[str, Any]] = json.loads(resp.read())
        return found


def kernel_uss(server_pid: int) -> list[float]:
    out = []
    for p in descendants(server_pid):
        with contextlib.suppress(psutil.Error):
            if "ipykernel" in " ".join(p.cmdline()):
                out.append(p.memory_full_info().uss / 2**20)
    return out


def open_once(browser: Any, url: str, info: LessonInfo, last_cell: str) -> tuple[float, int]:
    checks, sims = widgets_of(info)
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    sent = [0]
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.on("Network.loadingFinished", lambda e: sent.__setitem__(0, sent[0] + int(e.get("encodedDataLength", 0))))
    try:
        start = time.perf_counter()
        page.goto(url, timeout=TIMEOUT_MS)
        page.locator(last_cell).last.wait_for(timeout=TIMEOUT_MS)
        if checks:
            page.locator(".kns-check").nth(checks - 1).wait_for(timeout=TIMEOUT_MS)
        if sims:
            page.locator(".kns-sim").nth(sims - 1).wait_for(timeout=TIMEOUT_MS)
        elapsed = time.perf_counter() - start
        page.goto("about:blank")  # the learner moves on: the page's unload handlers run (closing a context skips them)
        return elapsed, sent[0]
    finally:
        context.close()


def describe(name: str, times: list[float], sizes: list[int]) -> str:
    ordered = sorted(times)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return (
        f"{name:<22} median {statistics.median(times):5.2f} s · p95 {p95:5.2f} s · max {max(times):5.2f} s · "
        f"median {statistics.median(sizes) / 1024:7.0f} KiB sent"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lessons", type=int, default=0, help="only the first N lessons (default: all)")
    args = parser.parse_args()
    items = lessons(REPO / "curriculum")
    items = items[: args.lessons] if args.lessons else items

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="kns-reader-bench-") as tmp:
        started = time.perf_counter()
        proc = kynangso_start(Path(tmp), Path(tmp) / "home")
        try:
            lines = read_until(proc, "Ctrl-C")
            match = next(m for ln in lines if (m := re.search(r"(http://[\d.:]+)/kynangso/bai-hoc/\?token=(\w+)", ln)))
            base, token = match.group(1), match.group(2)
            print(f"kynangso start ready in {time.perf_counter() - started:.1f} s (fresh workspace, 9 exams built)")
            reader_t: list[float] = []
            reader_b: list[int] = []
            voila_t: list[float] = []
            voila_b: list[int] = []
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
                try:
                    # Memory of one lesson's kernel, its page open, nothing else running.
                    context = browser.new_context(viewport=PHONE)
                    page = context.new_page()
                    page.goto(f"{base}/kynangso/bai-hoc/{items[0].id}?token={token}", timeout=TIMEOUT_MS)
                    page.locator(".kns-nav").wait_for(timeout=TIMEOUT_MS)
                    uss = kernel_uss(proc.pid)
                    page.goto("about:blank")
                    context.close()
                    for info in items:
                        t, b = open_once(browser, f"{base}/kynangso/bai-hoc/{info.id}?token={token}", info, ".kns-nav")
                        reader_t.append(t)
                        reader_b.append(b)
                        print(f"  {info.id:<40} reader {t:5.2f} s {b / 1024:6.0f} KiB", flush=True)
                    time.sleep(2)  # the last page's shutdown beacon
                    left = kernels(base, token)
                    for info in items:
                        url = f"{base}/voila/render/curriculum/{info.path.as_posix()}?token={token}"
                        t, b = open_once(browser, url, info, ".jp-Cell")
                        voila_t.append(t)
                        voila_b.append(b)
                        print(f"  {info.id:<40} Voilà page {t:5.2f} s {b / 1024:6.0f} KiB", flush=True)
                    time.sleep(2)
                    left_voila = kernels(base, token)
                finally:
                    browser.close()
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.communicate(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)

    print(f"\n{len(items)} lessons, each in a fresh phone-sized Chromium context (390×844), one after another:")
    print(describe("reader", reader_t, reader_b))
    print(describe("Voilà page (before)", voila_t, voila_b))
    print(f"ratio reader/Voilà: median time {statistics.median(reader_t) / statistics.median(voila_t):.2f}")
    if uss:
        print(f"kernels running with one reader page open: {len(uss)}, USS {', '.join(f'{u:.0f}' for u in uss)} MB")
    print(f"kernels left running after every reader page was left: {len(left)}")
    print(f"... and after every Voilà page was left as well: {len(left_voila)} (Voilà's own pages keep theirs)")


if __name__ == "__main__":
    main()
