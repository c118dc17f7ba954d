"""A real JupyterHub for the hub tests: a course whose gradebook is on PostgreSQL, learners from a generated roster
with system accounts and card codes, `kynangso hub init`, then `jupyterhub` as root on 127.0.0.1.

Needs root (system accounts, the local process spawner), configurable-http-proxy (`make hub-tools`) and PostgreSQL;
without root the hub tests are skipped with that reason, and in CI a missing tool fails them.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.hub.python import library_path, node_tool, shared_python
from tests.postgres import PostgresCluster
from tests.support import free_port, wait_http

TRAINER = "giang-vien"
LOCK = Path(tempfile.gettempdir()) / "kynangso-hub-tests.lock"


def require_hub_tools() -> Path:
    """Skip (not root) or fail (a tool missing in CI) before anything is created; returns the proxy program."""
    if os.geteuid() != 0:
        pytest.skip("hub tests need root: they create system accounts and run JupyterHub's local process spawner")
    proxy = node_tool("configurable-http-proxy")
    if proxy is None:
        message = "configurable-http-proxy is missing: run `make hub-tools` (npm; .ci/run does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return proxy


@dataclass
class Hub:
    base: Path
    folder: Path
    course: Path
    url: str
    python: Path
    proc: subprocess.Popen[bytes]
    log: Path
    learners: list[str]
    codes: dict[str, str]
    trainer_code: str
    room_url: str
    db_name: str
    pg: PostgresCluster
    grader: str = field(default="grader-kynangso")

    def env_for(self, account: str) -> dict[str, str]:
        entry = pwd.getpwnam(account)
        return {
            "HOME": entry.pw_dir,
            "USER": account,
            "LOGNAME": account,
            "PATH": os.pathsep.join([str(self.python.parent), "/usr/local/bin", "/usr/bin", "/bin"]),
            "LANG": "C.UTF-8",
            "LD_LIBRARY_PATH": library_path(),
        }

    def as_grader(self, *args: str, timeout: float = 600, module: str = "kynangso") -> subprocess.CompletedProcess[str]:
        """A command in the course folder as the grader account (the trainer's terminal on the course service)."""
        entry = pwd.getpwnam(self.grader)
        return subprocess.run(
            [str(self.python), "-m", module, *args],
            cwd=self.course,
            env=self.env_for(self.grader),
            user=entry.pw_uid,
            group=entry.pw_gid,
            extra_groups=[],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


def _run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float = 600) -> str:
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, f"{cmd}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@contextlib.contextmanager
def running_hub(
    pg: PostgresCluster, learners: int, log_dir: Path, *, idle_timeout: int = 3600, cull_every: int = 300
) -> Iterator[Hub]:
    proxy = require_hub_tools()
    with _lock():
        yield from _running_hub(pg, learners, log_dir, proxy, idle_timeout=idle_timeout, cull_every=cull_every)


@contextlib.contextmanager
def _lock() -> Iterator[None]:
    import fcntl

    with open(LOCK, "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)  # xdist workers take turns: the accounts are machine-wide
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _running_hub(  # type: ignore[no-untyped-def]
    pg: PostgresCluster, learners: int, log_dir: Path, proxy: Path, *, idle_timeout: int, cull_every: int
):
    from kynangso.demo.cohort import cohort, write_roster
    from kynangso.hub.accounts import CREATED_FILE, remove_created
    from kynangso.room.codes import CodeBook

    python = shared_python()
    env = {**os.environ, "PATH": os.pathsep.join([str(python.parent), os.environ.get("PATH", "")])}
    env["LD_LIBRARY_PATH"] = library_path()  # kept by JupyterHub for every server, service and kernel
    env.pop("JUPYTER_CONFIG_PATH", None)
    # Under /tmp, not pytest's private tmp folder: every account must reach its home and the exchange.
    base = Path(tempfile.mkdtemp(prefix="kns-hub-"))
    os.chmod(base, 0o755)
    folder = base / "hub"
    db_name = f"hub_{base.name[-8:].lower().replace('-', '_')}"
    proc: subprocess.Popen[bytes] | None = None
    try:
        course = base / "khoa"
        _run([str(python), "-m", "kynangso", "course", "init", str(course), "--db-url", pg.url(db_name)], base, env)
        roster = write_roster(cohort(learners), base / "danh-sach.csv")
        _run([str(python), "-m", "kynangso", "roster", "import", str(roster)], course, env)
        book = CodeBook(course)
        from kynangso.hub.init import course_learners

        ids = course_learners(course)
        codes = book.issue(ids)  # what `kynangso exam cards` prints on the cards
        book.save()
        port, room = free_port(), free_port()
        out = _run(
            [
                str(python),
                "-m",
                "kynangso",
                "hub",
                "init",
                str(folder),
                "--course",
                str(course),
                "--trainer",
                TRAINER,
                "--homes",
                str(base / "home"),
                "--ip",
                "127.0.0.1",
                "--port",
                str(port),
                "--hub-port",
                str(free_port()),
                "--proxy-api-port",
                str(free_port()),
                "--service-port",
                str(free_port()),
                "--room-port",
                str(room),
                "--proxy",
                str(proxy),
                "--idle-timeout",
                str(idle_timeout),
                "--cull-every",
                str(cull_every),
            ],
            base,
            env,
        )
        trainer_code = next(
            line.rsplit(":", 1)[1].split("(")[0].replace(" ", "") for line in out.splitlines() if TRAINER in line
        )
        log = log_dir / "jupyterhub.log"
        with open(log, "wb") as sink:
            proc = subprocess.Popen(
                [str(python), "-m", "jupyterhub", "-f", "jupyterhub_config.py"],
                cwd=folder,
                env=env,
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        url = f"http://127.0.0.1:{port}"
        wait_http(f"{url}/hub/health", timeout=180, proc=proc)
        wait_http(f"http://127.0.0.1:{room}/", timeout=120, proc=proc)
        yield Hub(
            base,
            folder,
            course,
            url,
            python,
            proc,
            log,
            ids,
            codes,
            trainer_code,
            f"http://127.0.0.1:{room}",
            db_name,
            pg,
        )
    finally:
        if proc is not None:
            stop_hub(proc)
        with contextlib.suppress(Exception):
            remove_created(folder / CREATED_FILE)
        shutil.rmtree(base, ignore_errors=True)
        with contextlib.suppress(Exception):
            pg.drop_database(db_name)


def stop_hub(proc: subprocess.Popen[bytes], timeout: float = 90.0) -> None:
    """SIGTERM: the hub stops its services and every server; the process group is killed if it does not go."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def processes_of(account: str) -> list[object]:
    import psutil

    uid = pwd.getpwnam(account).pw_uid
    return [p for p in psutil.process_iter(["uids"]) if p.info["uids"] and p.info["uids"].real == uid]


def memory_mib(account: str) -> tuple[float, float]:
    """RSS and USS (memory the processes alone hold) of every process of one account, in MiB."""
    import psutil

    rss = uss = 0.0
    for p in processes_of(account):
        with contextlib.suppress(psutil.Error):
            info = p.memory_full_info()  # type: ignore[attr-defined]
            rss += info.rss / 2**20
            uss += info.uss / 2**20
    return rss, uss


def wait_until(check, timeout: float, what: str, step: float = 1.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(step)
    raise AssertionError(f"{what}: not within {timeout}s")


def python_exe() -> str:
    return sys.executable
