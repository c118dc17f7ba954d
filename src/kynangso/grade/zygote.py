"""Runs INSIDE the grading sandbox: a warm IPython interpreter that forks a fresh child for each submission.

This file is executed as ``python -I -c <this source>`` by :mod:`kynangso.grade.sandbox`; it imports nothing of
kynangso. The zygote (this process) starts IPython once, then for each job:

1. receives over its control socket two pipe ends made for this job alone (``SCM_RIGHTS``) — never the
   submission itself, so that no learner's data ever sits in the memory the next child inherits;
2. forks a child, which reads the job from its pipe, runs the cells one by one in IPython with resource limits,
   and writes one frame per cell back on its own pipe, so that what ran before a crash is kept;
3. when the child ends, or the host asks (a cell over its time), kills every other process in the sandbox,
   empties the scratch folder and says "done".

Frames are a 4-byte big-endian length and a UTF-8 JSON document.
"""

import contextlib
import json
import os
import resource
import shutil
import signal
import socket
import struct
import sys
import time

# In the sandbox /tmp is the zygote's own; without it (the trainer accepted the risk) a private folder.
if os.environ.get("KNS_ISOLATED") == "1":
    ROOT = "/tmp"
else:
    import tempfile

    ROOT = tempfile.mkdtemp(prefix="kns-zygote-")
SCRATCH = os.path.join(ROOT, "kns-jobs")
MAX_FRAME = 64 * 1024 * 1024


def send(fd, obj):
    data = json.dumps(obj).encode("utf-8")
    os.write(fd, struct.pack(">I", len(data)))
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def recv(fd):
    head = _read_exact(fd, 4)
    if head is None:
        return None
    (size,) = struct.unpack(">I", head)
    if size > MAX_FRAME:
        raise ValueError("frame too large")
    body = _read_exact(fd, size)
    return None if body is None else json.loads(body.decode("utf-8"))


def _read_exact(fd, size):
    chunks = []
    while size:
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def start_shell():
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    cfg = Config()
    cfg.HistoryManager.enabled = False
    cfg.InteractiveShell.colors = "NoColor"
    cfg.InteractiveShell.autocall = 0
    return InteractiveShell.instance(config=cfg)


class Capture:
    """Outputs of the cell being run, shaped as nbformat outputs, each text output capped."""

    def __init__(self, cap, note=""):
        self.cap = cap
        self.note = note
        self.outputs = []
        self.clear_pending = False

    def _maybe_clear(self):
        if self.clear_pending:
            self.outputs = []
            self.clear_pending = False

    def stream(self, name, text):
        self._maybe_clear()
        last = self.outputs[-1] if self.outputs else None
        if last and last["output_type"] == "stream" and last["name"] == name:
            room = self.cap - len(last["text"])
            if room > 0:
                last["text"] += text[:room]
            if len(text) > room and not last.get("cut"):
                last["text"] += f"\n{self.note}\n"
                last["cut"] = True
            return
        out = {"output_type": "stream", "name": name, "text": text[: self.cap]}
        if len(text) > self.cap:
            out["text"] += f"\n{self.note}\n"
            out["cut"] = True
        self.outputs.append(out)

    def add(self, output):
        self._maybe_clear()
        self.outputs.append(output)


class Stream:
    encoding = "utf-8"
    errors = "replace"

    def __init__(self, capture_ref, name):
        self.ref = capture_ref
        self.name = name

    def write(self, text):
        if not isinstance(text, str):
            text = str(text)
        self.ref[0].stream(self.name, text)
        return len(text)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def flush(self):
        pass

    def isatty(self):
        return False

    def fileno(self):
        raise OSError("no file descriptor")


def install_capture(shell, ref):
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher

    class Publisher(DisplayPublisher):
        def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kwargs):
            ref[0].add({"output_type": "display_data", "data": data, "metadata": metadata or {}})

        def clear_output(self, wait=False):
            if wait:
                ref[0].clear_pending = True
            else:
                ref[0].outputs = []

    class Hook(DisplayHook):
        def write_output_prompt(self):
            pass

        def write_format_data(self, format_dict, md_dict=None):
            ref[0].add(
                {
                    "output_type": "execute_result",
                    "data": format_dict,
                    "metadata": md_dict or {},
                    "execution_count": shell.execution_count,
                }
            )

        def finish_displayhook(self):
            pass

    shell.display_pub = Publisher(shell=shell)
    shell.displayhook = Hook(shell=shell, cache_size=0)
    shell.display_trap.hook = shell.displayhook

    def showtraceback(etype, evalue, stb):
        ref[0].add({"output_type": "error", "ename": etype.__name__, "evalue": str(evalue), "traceback": list(stb)})

    shell._showtraceback = showtraceback


def limits(job):
    lim = job["limits"]
    pairs = [
        (resource.RLIMIT_CPU, lim["cpu_seconds"]),
        (resource.RLIMIT_AS, lim["memory_bytes"]),
        (resource.RLIMIT_FSIZE, lim["file_bytes"]),
        (resource.RLIMIT_NPROC, lim["processes"]),
        (resource.RLIMIT_NOFILE, 256),
        (resource.RLIMIT_CORE, 0),
    ]
    for which, value in pairs:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(which, (value, value))


def run_child(shell, job_in, job_out):
    """In the forked child: read the job, write the files, run each cell, report each cell as it ends."""
    import builtins

    os.setsid()
    job = recv(job_in)
    os.close(job_in)
    folder = os.path.join(SCRATCH, "job")
    os.makedirs(folder, exist_ok=True)
    import base64

    for rel, data in job["files"].items():
        path = os.path.normpath(os.path.join(folder, rel))
        if not path.startswith(folder + os.sep):
            continue
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))
    os.chdir(folder)
    sys.path.insert(0, folder)
    limits(job)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    ref = [Capture(job["limits"]["output_chars"])]
    install_capture(shell, ref)
    sys.stdout = Stream(ref, "stdout")
    sys.stderr = Stream(ref, "stderr")

    def no_input(*args, **kwargs):
        raise RuntimeError("Bài chấm tự động không nhận dữ liệu gõ từ bàn phím (input).")

    builtins.input = no_input
    shell.ask_exit = lambda: None
    me = os.getpid()
    for cell in job["cells"]:
        ref[0] = Capture(job["limits"]["output_chars"], job["limits"].get("truncated", ""))
        shell.run_cell(cell["source"], store_history=True)
        if os.getpid() != me:  # a copy made by os.fork() in the learner's code: it reports nothing
            os._exit(0)
        outputs = [{k: v for k, v in o.items() if k != "cut"} for o in ref[0].outputs]
        send(job_out, {"index": cell["index"], "outputs": outputs, "execution_count": shell.execution_count - 1})
    os._exit(0)


def _session(pid):
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            fields = f.read().rsplit(b")", 1)[1].split()
        return int(fields[3])  # after "pid (comm)": state, ppid, pgrp, session
    except (OSError, IndexError, ValueError):
        return None


def kill_others(session):
    """What the child left behind dies with it. In the sandbox (its own process namespace) that is every process
    but bwrap's init and the zygote; without it, only the processes of the child's session, never the machine's."""
    me = os.getpid()
    isolated = os.environ.get("KNS_ISOLATED") == "1"
    for _ in range(3):
        found = False
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            pid = int(name)
            if pid in (1, me):
                continue
            if not isolated and _session(pid) != session:
                continue
            found = True
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        if not found:
            return
        try:
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass
        except ChildProcessError:
            pass
        time.sleep(0.01)


def wait_child(pid, control):
    """Wait for the child to end, or kill it when the host says so; None when the host has gone."""
    import select

    pidfd = os.pidfd_open(pid)
    outcome = "exited"
    try:
        while True:
            ready, _, _ = select.select([pidfd, control], [], [])
            if pidfd in ready:
                os.waitpid(pid, 0)
                return outcome
            word = control.recv(16)
            if not word:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return None
            if word.strip() == b"kill":
                os.kill(pid, signal.SIGKILL)
                outcome = "killed"
    finally:
        os.close(pidfd)


def no_dumping():
    """Make this process impossible to trace or read from another process of the same user: a child cannot
    reach into the zygote to spy on the next learner's job."""
    try:
        import ctypes

        ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE = 4
    except Exception:
        pass


def clean_scratch():
    shutil.rmtree(SCRATCH, ignore_errors=True)
    os.makedirs(SCRATCH, exist_ok=True)


def main():
    control = socket.socket(fileno=int(os.environ.pop("KNS_CONTROL_FD")))
    no_dumping()
    home = os.path.join(ROOT, "home")
    os.environ["HOME"] = home
    os.environ["MPLCONFIGDIR"] = os.path.join(home, ".matplotlib")
    os.makedirs(home, exist_ok=True)
    clean_scratch()
    shell = start_shell()
    # Warm what most assignments import, so that each child starts with it loaded.
    for name in sys.argv[1:]:
        with contextlib.suppress(Exception):
            __import__(name)
    control.sendall(b"ready\n")
    while True:
        try:
            msg, fds, _, _ = socket.recv_fds(control, 64, 2)
        except OSError:
            break
        if not msg:
            break
        if msg.strip() != b"job" or len(fds) != 2:
            for fd in fds:
                os.close(fd)
            continue
        job_in, job_out = fds
        pid = os.fork()
        if pid == 0:
            control.close()
            try:
                run_child(shell, job_in, job_out)
            finally:
                os._exit(70)
        os.close(job_in)
        os.close(job_out)
        outcome = wait_child(pid, control)
        kill_others(pid)  # the child made itself a session leader: its session id is its pid
        if outcome is None:
            break
        clean_scratch()
        control.sendall(f"done {outcome}\n".encode())
    if ROOT != "/tmp":
        shutil.rmtree(ROOT, ignore_errors=True)


if __name__ == "__main__":
    main()
