"""Run a Jupyter-family server as a supervised child: quiet log file, Vietnamese messages, clean Ctrl-C.

The child runs in its own process group so that Ctrl-C reaches only us; we then stop it with SIGTERM (its
clean shutdown, which also stops its kernels) and kill the whole group if it does not go in time.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

READY_TIMEOUT = 180.0
STOP_TIMEOUT = 30.0


@dataclass(frozen=True)
class Messages:
    starting: str  # "Đang khởi động máy chủ …" (dots follow)
    failed: str  # why it did not come up, what to try
    stopping: str
    stopped: str


def spawn(cmd: list[str], env: dict[str, str], cwd: Path, log: Path) -> subprocess.Popen[bytes]:
    # Servers' own logs are long and English; keep them in a file and show people only our messages.
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        if os.name == "nt":
            flags = subprocess.CREATE_NEW_PROCESS_GROUP  # type: ignore[attr-defined]
            return subprocess.Popen(cmd, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, creationflags=flags)
        return subprocess.Popen(cmd, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.CTRL_BREAK_EVENT if os.name == "nt" else signal.SIGTERM)  # type: ignore[attr-defined]
    try:
        proc.wait(STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        if os.name == "nt":
            proc.kill()
        else:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def wait_until_ready(
    url: str, proc: subprocess.Popen[bytes], timeout: float = READY_TIMEOUT, tick: Callable[[], None] | None = None
) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        if tick:
            tick()
        time.sleep(0.5)
    return False


def tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def supervise(
    cmd: list[str],
    env: dict[str, str],
    cwd: Path,
    log: Path,
    ready_url: str,
    messages: Messages,
    on_ready: Callable[[], None],
) -> int:
    """Start the server, print ``on_ready``'s addresses once it answers, and stop it on Ctrl-C or SIGTERM."""
    proc = spawn(cmd, env, cwd, log)
    stopping = False

    def _on_signal(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True
        raise KeyboardInterrupt

    old = {s: signal.signal(s, _on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        print(messages.starting, end="", flush=True)
        ready = wait_until_ready(ready_url, proc, tick=lambda: print(".", end="", flush=True))
        print()
        if not ready:
            print(messages.failed, file=sys.stderr)
            print(f"Nhật ký máy chủ ({log}):\n{tail(log)}", file=sys.stderr)
            return 1
        on_ready()
        print(f"Nhật ký máy chủ: {log}")
        print("Nhấn Ctrl-C để dừng máy chủ.", flush=True)
        proc.wait()
        return 0 if stopping else (proc.returncode or 0)
    except KeyboardInterrupt:
        print("\n" + messages.stopping, flush=True)
        return 0
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)
        stop(proc)
        if stopping:
            print(messages.stopped, flush=True)
