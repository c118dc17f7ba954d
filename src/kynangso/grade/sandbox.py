"""A sandbox for running submitted code: bubblewrap, an unprivileged user, limits, and a warm forked interpreter.

Each sandbox is one bubblewrap container (``bwrap``) with every namespace unshared: no network, its own process
tree, a read-only view of only the system and the Python installation, an empty ``/tmp``. Inside runs the
zygote (:mod:`kynangso.grade.zygote`) as an unprivileged user: IPython is started once, and each submission runs
in a fresh fork of it, with limits on CPU time, memory, processes, file size and output, and a time limit per
cell kept here. Nothing of the course — gradebook, keys, sources, other learners — nor the trainer's home or the
issuer's keys is visible inside: each job carries only the files of its own submission.

When bubblewrap cannot run (Windows, a machine without user namespaces) :func:`available` says why, and grading
submitted code is refused unless the trainer accepts the risk (``unsafe=True``), which runs the same zygote
without the container.
"""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import socket
import struct
import subprocess
import sys
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from kynangso.grade.limits import TRUNCATED

ZYGOTE = Path(__file__).with_name("zygote.py")
# Imported once in the zygote, so that each child has them ready (what notebooks of code answers often use).
WARM = ("numpy", "pandas", "matplotlib")
TIMEOUT_ERROR = {
    "output_type": "error",
    "ename": "CellTimeoutError",
    "evalue": "",
    "traceback": ["CellTimeoutError: No reply from kernel before timeout"],
}
# An unprivileged user per grading worker when the grader runs as root (in the sandbox only; no account needed).
BASE_UID = 61000


class SandboxUnavailable(RuntimeError):
    """Submitted code cannot be run safely on this machine (Vietnamese message saying why and what to do)."""


@dataclass(frozen=True)
class Limits:
    cell_seconds: float = 30.0
    submission_seconds: float = 120.0
    memory_bytes: int = 1024 * 1024 * 1024
    processes: int = 64
    file_bytes: int = 64 * 1024 * 1024
    output_chars: int = 200_000

    def for_child(self, cells: int) -> dict[str, int | str]:
        return {
            "cpu_seconds": int(max(self.cell_seconds, min(self.submission_seconds, self.cell_seconds * max(cells, 1)))),
            "memory_bytes": self.memory_bytes,
            "processes": self.processes,
            "file_bytes": self.file_bytes,
            "output_chars": self.output_chars,
            "truncated": TRUNCATED,
        }


@dataclass
class Run:
    """What a submission's cells did: outputs by cell index, and how the run ended."""

    outputs: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    counts: dict[int, int] = field(default_factory=dict)
    ended: str = "ok"  # ok | timeout | died | garbled | lost
    cell: int | None = None  # the cell that was running when the run did not end ok


def _root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _bind_dirs() -> list[str]:
    """The folders Python needs, read-only: the system, and the interpreter with its packages."""
    paths = {"/usr", "/lib", "/lib64", "/bin", "/sbin", "/etc/alternatives", "/etc/ld.so.cache", "/etc/localtime"}
    for p in (sys.prefix, sys.base_prefix, sys.exec_prefix, os.path.dirname(os.path.realpath(sys.executable))):
        paths.add(os.path.realpath(p))
    for p in sys.path:
        if p and os.path.isdir(p) and "site-packages" in p:
            paths.add(os.path.realpath(p))
    # Binding a folder and one inside it is wasteful; keep the outermost.
    kept: list[str] = []
    for p in sorted(paths):
        if not any(p.startswith(k.rstrip("/") + "/") for k in kept):
            kept.append(p)
    return kept


def command(uid: int, control_fd: int, isolate: bool = True) -> list[str]:
    python = sys.executable
    code = ZYGOTE.read_text(encoding="utf-8")
    inner = [python, "-I", "-c", code, *WARM]
    if not isolate:
        return inner
    cmd = ["bwrap", "--die-with-parent", "--new-session", "--clearenv"]
    if _root():
        # As root, a user namespace would map the sandbox to root outside; unshare the rest and drop to an
        # unprivileged user inside instead.
        cmd += ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try"]
    else:
        cmd += ["--unshare-all"]
    # The empty /tmp first: a Python installed under /tmp (a checkout there) is bound on top of it, not hidden.
    cmd += ["--perms", "1777", "--tmpfs", "/tmp"]
    binds = _bind_dirs()
    # bubblewrap makes the folders leading to a bind private to root; the unprivileged user must pass through.
    parents = sorted(
        {str(a) for p in binds for a in Path(p).parents if str(a) not in ("/", "/tmp")}, key=lambda a: a.count("/")
    )
    for a in parents:
        cmd += ["--perms", "0755", "--dir", a]
    for p in binds:
        cmd += ["--ro-bind-try", p, p]
    cmd += ["--proc", "/proc", "--dev", "/dev", "--chdir", "/tmp"]
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}
    env["KNS_CONTROL_FD"] = str(control_fd)
    env["KNS_ISOLATED"] = "1"  # the zygote may clear its whole process namespace
    for key, value in env.items():
        cmd += ["--setenv", key, value]
    cmd += ["--"]
    if _root():
        setpriv = shutil.which("setpriv") or "/usr/bin/setpriv"
        cmd += [
            setpriv,
            f"--reuid={uid}",
            f"--regid={uid}",
            "--clear-groups",
            "--inh-caps=-all",
            "--bounding-set=-all",
            "--no-new-privs",
        ]
    return cmd + inner


@cache
def available() -> str | None:
    """None when a sandbox can be started here; otherwise why not (Vietnamese)."""
    if os.name != "posix" or not hasattr(socket, "send_fds") or not hasattr(os, "fork"):
        return "hệ điều hành này không có hộp cát cho mã của bài nộp (chỉ có trên Linux)"
    if shutil.which("bwrap") is None:
        return "máy chưa cài bubblewrap (trên Debian/Ubuntu: sudo apt install bubblewrap)"
    if _root() and shutil.which("setpriv") is None:
        return "máy thiếu lệnh setpriv (gói util-linux) để hạ quyền trong hộp cát"
    probe = ["bwrap", "--unshare-all" if not _root() else "--unshare-pid", "--ro-bind", "/", "/", "true"]
    try:
        done = subprocess.run(probe, capture_output=True, timeout=20, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"không chạy được bubblewrap ({exc})"
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["không rõ"]
        return f"bubblewrap không tạo được hộp cát trên máy này ({detail[0]}); thường do máy tắt user namespaces"
    return None


def refusal(why: str) -> str:
    return (
        f"Không chạy mã của bài nộp: {why}. Mã trong bài của học viên có thể đọc, sửa hoặc xóa mọi thứ mà tài khoản "
        "của anh/chị truy cập được (sổ điểm, đáp án, khóa ký chứng nhận), nên Kỹ Năng Số chỉ chạy nó trong hộp cát. "
        "Nếu chấp nhận rủi ro đó, chạy lại với --chay-khong-hop-cat."
    )


def _frame(obj: Any) -> bytes:
    data = json.dumps(obj).encode("utf-8")
    return struct.pack(">I", len(data)) + data


class _Reader:
    """Frames from the child's pipe, each awaited at most a given time."""

    def __init__(self, fd: int):
        self.fd = fd
        self.buf = b""

    def frame(self, deadline: float) -> Any:
        """The next frame; None at end of stream; raises TimeoutError past ``deadline``."""
        while True:
            if len(self.buf) >= 4:
                (size,) = struct.unpack(">I", self.buf[:4])
                if len(self.buf) >= 4 + size:
                    body, self.buf = self.buf[4 : 4 + size], self.buf[4 + size :]
                    return json.loads(body.decode("utf-8"))
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            ready, _, _ = select.select([self.fd], [], [], left)
            if not ready:
                raise TimeoutError
            chunk = os.read(self.fd, 1 << 20)
            if not chunk:
                return None
            self.buf += chunk


class Sandbox:
    """One sandboxed zygote, started once and reused for many submissions (a fresh fork each time)."""

    def __init__(self, worker: int = 0, limits: Limits | None = None, unsafe: bool = False):
        why = available()
        if why and not unsafe:
            raise SandboxUnavailable(refusal(why))
        self.isolate = why is None
        self.uid = BASE_UID + worker
        self.limits = limits or Limits()
        self.proc: subprocess.Popen[bytes] | None = None
        self.control: socket.socket | None = None

    def start(self) -> None:
        host, inner = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        env = None if self.isolate else {"PATH": os.environ.get("PATH", ""), "KNS_CONTROL_FD": str(inner.fileno())}
        self.proc = subprocess.Popen(
            command(self.uid, inner.fileno(), self.isolate),
            pass_fds=[inner.fileno()],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
        inner.close()
        self.control = host
        host.settimeout(120)
        if self._line() != "ready":
            self.close()
            raise SandboxUnavailable("Hộp cát chấm bài không khởi động được (xem bubblewrap và Python của máy).")
        host.settimeout(None)

    def _line(self) -> str:
        assert self.control is not None
        data = b""
        while not data.endswith(b"\n"):
            chunk = self.control.recv(64)
            if not chunk:
                return ""
            data += chunk
        return data.decode().strip()

    def close(self) -> None:
        if self.control is not None:
            self.control.close()
            self.control = None
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.kill()
            self.proc.wait()
            self.proc = None

    def __enter__(self) -> Sandbox:
        self.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def run(self, cells: list[tuple[int, str]], files: dict[str, bytes]) -> Run:
        """Run the code cells (index, source) in a fresh child with ``files`` in its working folder."""
        if self.proc is None or self.proc.poll() is not None:
            self.close()
            self.start()
        assert self.control is not None
        job_r, job_w = os.pipe()
        out_r, out_w = os.pipe()
        socket.send_fds(self.control, [b"job\n"], [job_r, out_w])
        os.close(job_r)
        os.close(out_w)
        run = Run()
        job = {
            "cells": [{"index": i, "source": s} for i, s in cells],
            "files": {k: base64.b64encode(v).decode() for k, v in files.items()},
            "limits": self.limits.for_child(len(cells)),
        }
        try:
            _write_all(job_w, _frame(job))
        except OSError:
            pass  # the child died before reading: reported below as lost
        finally:
            os.close(job_w)
        reader = _Reader(out_r)
        end = time.monotonic() + self.limits.submission_seconds
        pending = [i for i, _ in cells]
        try:
            while pending:
                deadline = min(end, time.monotonic() + self.limits.cell_seconds)
                try:
                    frame = reader.frame(deadline)
                except TimeoutError:
                    run.ended, run.cell = "timeout", pending[0]
                    run.outputs[pending[0]] = [dict(TIMEOUT_ERROR)]
                    self.control.sendall(b"kill\n")
                    break
                except ValueError:  # not our frames: something else wrote into the channel
                    run.ended, run.cell = "garbled", pending[0]
                    self.control.sendall(b"kill\n")
                    break
                if frame is None:
                    run.ended, run.cell = "died", pending[0]
                    break
                index = int(frame.get("index", -1))
                if index not in pending:
                    continue
                pending.remove(index)
                run.outputs[index] = list(frame.get("outputs") or [])
                run.counts[index] = int(frame.get("execution_count") or 0)
        finally:
            os.close(out_r)
        word = self._line()
        if not word.startswith("done"):
            run.ended = "lost" if run.ended == "ok" else run.ended
            self.close()
        return run


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]
