"""The gradebook's database: SQLite beside the course (a laptop) or PostgreSQL (a hub for a province).

nbgrader creates its tables itself but not a PostgreSQL database, so a course on PostgreSQL has its database made
here first. URLs name their driver: SQLAlchemy 2.1 reads a bare ``postgresql://`` as psycopg 3, while the [hub]
extra installs psycopg2, so ``postgresql://`` is written down as ``postgresql+psycopg2://``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

PG_DRIVER = "postgresql+psycopg2"
# Connections one grading run may hold at once (nbgrader opens a gradebook per step; ours per worker) plus a
# margin for Formgrader and the reports: fewer free than this and a large autograde can run out midway.
CONNECTIONS_NEEDED = 20


class DatabaseError(RuntimeError):
    """A gradebook database that cannot be reached or made, explained in Vietnamese."""


def is_postgres(url: str) -> bool:
    return urlsplit(url).scheme.split("+")[0] in ("postgresql", "postgres")


def normalize_url(url: str) -> str:
    """The URL as the course config keeps it: PostgreSQL with an explicit driver; anything else unchanged."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise DatabaseError(f"{url}: không phải địa chỉ cơ sở dữ liệu (ví dụ postgresql://người-dùng@máy/tên-sổ-điểm)")
    if scheme in ("postgresql", "postgres"):
        return f"{PG_DRIVER}://{rest}"
    return url


def redact(url: str) -> str:
    """The URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return parts._replace(netloc=netloc).geturl()


def _engine(url: str, **kwargs: Any) -> Any:
    import sqlalchemy as sa

    try:
        return sa.create_engine(url, poolclass=sa.pool.NullPool, **kwargs)
    except ImportError as exc:
        raise DatabaseError(
            f"thiếu trình điều khiển PostgreSQL ({exc.name}); cài bằng: pip install 'kynangso[hub]'"
        ) from None


def _explain(url: str, exc: Exception) -> DatabaseError:
    text = str(getattr(exc, "orig", exc)).strip().splitlines()
    return DatabaseError(f"{redact(url)}: không kết nối được cơ sở dữ liệu ({text[0] if text else exc})")


def ensure_database(url: str) -> bool:
    """Create the PostgreSQL database the URL names when it does not exist yet; returns whether it was created.

    Connects to the server's maintenance database with the same account (which needs the CREATEDB right).
    A SQLite URL needs nothing: nbgrader creates the file.
    """
    if not is_postgres(url):
        return False
    import sqlalchemy as sa
    from sqlalchemy.engine import make_url

    target = make_url(normalize_url(url))
    name = target.database
    if not name:
        raise DatabaseError(f"{redact(url)}: thiếu tên cơ sở dữ liệu ở cuối địa chỉ (…/ten-so-diem)")
    maintenance = target.set(database="postgres")
    engine = _engine(maintenance.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            exists = conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
            if exists:
                return False
            quoted = conn.dialect.identifier_preparer.quote(name)
            conn.execute(sa.text(f"CREATE DATABASE {quoted} ENCODING 'UTF8' TEMPLATE template0"))
            return True
    except sa.exc.ProgrammingError as exc:  # no CREATEDB right, or a race with another init: say which
        raise DatabaseError(
            f"{redact(url)}: không tạo được cơ sở dữ liệu “{name}” ({str(exc.orig).strip()}); "
            "tài khoản cần quyền CREATEDB, hoặc nhờ quản trị tạo sẵn"
        ) from None
    except sa.exc.SQLAlchemyError as exc:
        raise _explain(url, exc) from None
    finally:
        engine.dispose()


@dataclass(frozen=True)
class Capacity:
    max_connections: int
    in_use: int

    @property
    def free(self) -> int:
        return self.max_connections - self.in_use

    @property
    def enough(self) -> bool:
        return self.free >= CONNECTIONS_NEEDED


def capacity(url: str) -> Capacity | None:
    """How many connections the PostgreSQL server allows and how many are open now; None for SQLite."""
    if not is_postgres(url):
        return None
    import sqlalchemy as sa

    engine = _engine(normalize_url(url))
    try:
        with engine.connect() as conn:
            most = int(conn.execute(sa.text("SHOW max_connections")).scalar_one())
            used = int(
                conn.execute(
                    sa.text("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'")
                ).scalar_one()
            )
    except sa.exc.SQLAlchemyError as exc:
        raise _explain(url, exc) from None
    finally:
        engine.dispose()
    return Capacity(most, used)
