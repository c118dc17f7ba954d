"""Helpers shared by the tests: free ports, real servers started and stopped cleanly, real Chromium."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import psutil

from kynangso.supervise import stop

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
# Without these, Chromium reaches for Google's services at start, which this closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, timeout: float = 120.0, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, OSError) as exc:
            last = exc
        time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {timeout}s: {last}")


def http_get(url: str, timeout: float = 60.0) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status, resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


def descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def assert_all_gone(procs: Sequence[psutil.Process], timeout: float = 20.0) -> None:
    _, alive = psutil.wait_procs(list(procs), timeout=timeout)
    assert not alive, f"processes left running: {[(p.pid, p.name()) for p in alive]}"


@contextlib.contextmanager
def running(
    cmd: Sequence[str],
    ready_url: str,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    log: Path | None = None,
    timeout: float = 120.0,
) -> Iterator[subprocess.Popen]:
    """Start a real server in its own process group; stop it and everything it started on exit."""
    out = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115
    proc = subprocess.Popen(
        list(cmd),
        env={**os.environ, **(env or {})},
        cwd=cwd or REPO,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_http(ready_url, timeout=timeout, proc=proc)
        yield proc
    finally:
        kids = descendants(proc.pid)
        stop(proc)
        for p in kids:
            with contextlib.suppress(psutil.NoSuchProcess):
                p.kill()
        if log:
            out.close()


def python() -> str:
    return sys.executable


def voila_text(body: str) -> str:
    """What a Voilà page shows, readable: Voilà 0.5 embeds outputs and widget state as escaped JSON scripts."""
    import html
    import json
    import re

    parts = [html.unescape(body)]
    for blob in re.findall(r'<script type="application/vnd\.[^"]+\+json">(.*?)</script>', body, re.S):
        try:
            parts.append(json.dumps(json.loads(blob), ensure_ascii=False))
        except ValueError:
            continue
    return "\n".join(parts)


def kynangso_start(workspace: Path, home: Path) -> subprocess.Popen[str]:
    """``kynangso start`` on a free port, in its own session, its output readable with :func:`read_until`."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kynangso",
            "start",
            "--no-browser",
            f"--port={free_port()}",
            f"--workspace={workspace}",
        ],
        cwd=REPO,
        env={**os.environ, "KYNANGSO_HOME": str(home), "PYTHONIOENCODING": "utf-8"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def read_until(proc: subprocess.Popen[str], marker: str, timeout: float = 180) -> list[str]:
    """Lines a command prints until one contains ``marker`` (a server's "ready" line), or fail with what it said."""
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            if proc.poll() is not None:
                break
            continue
        lines.append(line.rstrip("\n"))
        if marker in line:
            return lines
    raise AssertionError(f"no line with {marker!r}:\n" + "\n".join(lines))


def in_own_loop(coro: Any) -> Any:
    """Run a coroutine to its end on a fresh event loop in its own thread: a test process may already have a loop
    running in its main thread (the session's Playwright browser), where ``asyncio.run`` refuses to start."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()
