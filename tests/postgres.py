"""A private PostgreSQL cluster for tests: Debian's initdb + postgres on 127.0.0.1, a free port, a temporary folder.

PostgreSQL refuses to run as root, and the tests run as root in CI: the cluster then belongs to an unprivileged
account (Debian's ``postgres`` when the package created it, else ``nobody``). Sign-in uses a password
(scram-sha-256), as a province server would, so URLs in tests carry one exactly like a real deployment's.

    with postgres_cluster() as pg:
        url = pg.create_database("khoa-hoc")   # postgresql://kynangso:…@127.0.0.1:PORT/khoa-hoc
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import secrets
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SUPERUSER = "kynangso"
# SQLAlchemy 2.1 maps a bare postgresql:// to psycopg 3; the gradebook uses psycopg2 (the [hub] extra), by name.
DRIVER = "postgresql+psycopg2"
START_TIMEOUT = 60.0
STOP_TIMEOUT = 30.0


class PostgresMissing(RuntimeError):
    """PostgreSQL's server programs are not installed (Debian: apt-get install postgresql)."""


def find_bin() -> Path | None:
    """The newest Debian PostgreSQL ``bin`` folder holding initdb and postgres, or the folder of ``initdb`` on PATH."""
    found = sorted(
        (Path(p) for p in glob.glob("/usr/lib/postgresql/*/bin") if (Path(p) / "initdb").is_file()),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    if found:
        return found[-1]
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _owner() -> pwd.struct_passwd | None:
    """Who runs the server: ourselves, unless we are root (then an unprivileged account)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    raise PostgresMissing("running as root and neither a 'postgres' nor a 'nobody' account exists")


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PostgresCluster:
    bin: Path
    base: Path
    port: int
    password: str
    proc: subprocess.Popen[bytes] | None = None
    user: str = SUPERUSER

    @property
    def data(self) -> Path:
        return self.base / "data"

    @property
    def log(self) -> Path:
        return self.base / "postgres.log"

    def url(self, database: str = "postgres", driver: str = DRIVER) -> str:
        from urllib.parse import quote

        return f"{driver}://{self.user}:{quote(self.password, safe='')}@127.0.0.1:{self.port}/{quote(database)}"

    def engine(self, database: str = "postgres"):  # type: ignore[no-untyped-def]
        import sqlalchemy as sa

        return sa.create_engine(self.url(database), isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)

    def execute(self, sql: str, database: str = "postgres", **params: object) -> list[tuple[object, ...]]:
        import sqlalchemy as sa

        engine = self.engine(database)
        try:
            with engine.connect() as conn:
                result = conn.execute(sa.text(sql), params)
                return [tuple(r) for r in result] if result.returns_rows else []
        finally:
            engine.dispose()

    def create_database(self, name: str | None = None) -> str:
        """A new, empty database (a fresh name unless given); returns its URL."""
        name = name or f"test_{secrets.token_hex(4)}"
        quoted = '"' + name.replace('"', '""') + '"'
        self.execute(f"CREATE DATABASE {quoted} ENCODING 'UTF8' TEMPLATE template0")
        return self.url(name)

    def drop_database(self, name: str) -> None:
        quoted = '"' + name.replace('"', '""') + '"'
        self.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")

    def databases(self) -> set[str]:
        return {str(r[0]) for r in self.execute("SELECT datname FROM pg_database WHERE NOT datistemplate")}

    def connections(self, database: str | None = None) -> int:
        """Client connections open now (to one database, or to all), not counting this query's own."""
        rows = self.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' "
            "AND pid <> pg_backend_pid() AND (CAST(:db AS text) IS NULL OR datname = :db)",
            db=database,
        )
        return int(rows[0][0])  # type: ignore[call-overload]

    def stop(self) -> None:
        """Fast shutdown (SIGINT: roll back open transactions, close clients), then wait for the server to go."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(2)
        try:
            self.proc.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _run(cmd: list[str], owner: pwd.struct_passwd | None) -> None:
    kwargs = {"user": owner.pw_uid, "group": owner.pw_gid, "extra_groups": []} if owner else {}
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, **kwargs)  # type: ignore[call-overload]
    if done.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")


def start_cluster(base: Path | None = None, max_connections: int = 100) -> PostgresCluster:
    """initdb a fresh cluster in ``base`` (a new temporary folder by default) and start it on 127.0.0.1."""
    bindir = find_bin()
    if bindir is None:
        raise PostgresMissing("PostgreSQL is not installed (Debian: apt-get install postgresql; .ci/run does)")
    owner = _owner()
    base = Path(tempfile.mkdtemp(prefix="kns-pg-")) if base is None else base
    base.mkdir(parents=True, exist_ok=True)
    cluster = PostgresCluster(bindir, base, _free_port(), secrets.token_urlsafe(12))
    pwfile = base / "pwfile"
    pwfile.write_text(cluster.password + "\n", encoding="utf-8")
    if owner:
        # The account must reach its folder: a temporary folder is private to root.
        os.chmod(base, 0o755)
        os.chown(base, owner.pw_uid, owner.pw_gid)
        os.chown(pwfile, owner.pw_uid, owner.pw_gid)
    os.chmod(pwfile, 0o600)
    _run(
        [
            str(bindir / "initdb"),
            "-D",
            str(cluster.data),
            "-U",
            SUPERUSER,
            "--pwfile",
            str(pwfile),
            "--auth",
            "scram-sha-256",
            "--encoding",
            "UTF8",
            "--locale",
            "C.UTF-8",
        ],
        owner,
    )
    pwfile.unlink()
    cmd = [
        str(bindir / "postgres"),
        "-D",
        str(cluster.data),
        "-h",
        "127.0.0.1",
        "-p",
        str(cluster.port),
        "-k",
        str(base),  # its socket lives with it, not in /run/postgresql (absent without the Debian service)
        "-c",
        f"max_connections={max_connections}",
        "-c",
        "fsync=off",  # a test cluster is thrown away: durability costs time and buys nothing here
        "-c",
        "synchronous_commit=off",
        "-c",
        "full_page_writes=off",
    ]
    kwargs = {"user": owner.pw_uid, "group": owner.pw_gid, "extra_groups": []} if owner else {}
    with open(cluster.log, "ab") as log:
        cluster.proc = subprocess.Popen(  # type: ignore[call-overload]
            cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, **kwargs
        )
    _wait_ready(cluster)
    return cluster


def _wait_ready(cluster: PostgresCluster) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    last: Exception | None = None
    while time.monotonic() < deadline:
        assert cluster.proc is not None
        if cluster.proc.poll() is not None:
            raise RuntimeError(f"postgres exited with {cluster.proc.returncode}:\n{cluster.log.read_text()[-2000:]}")
        try:
            cluster.execute("SELECT 1")
            return
        except ImportError:
            cluster.stop()
            raise
        except Exception as exc:  # not accepting connections yet
            last = exc
            time.sleep(0.2)
    cluster.stop()
    raise TimeoutError(f"postgres did not accept connections within {START_TIMEOUT}s: {last}")


@contextlib.contextmanager
def postgres_cluster(base: Path | None = None, max_connections: int = 100) -> Iterator[PostgresCluster]:
    """A running cluster for the block; stopped cleanly and its folder removed afterwards."""
    own_folder = base is None
    cluster = start_cluster(base, max_connections=max_connections)
    try:
        yield cluster
    finally:
        cluster.stop()
        if own_folder:
            shutil.rmtree(cluster.base, ignore_errors=True)
