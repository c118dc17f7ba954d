"""nbgrader configuration files for a course folder and for the Jupyter server that serves it."""

from __future__ import annotations

import os
import re
from pathlib import Path

from kynangso import atomic

COURSE_ID = "kynangso"
DEFAULTS_MARKER = "# --- Kỹ Năng Số defaults"

_COURSE_CONFIG = """\
# nbgrader configuration of a Kỹ Năng Số course (written by kynangso; safe to edit).
# Paths are relative to this file, so the folder can be moved or copied to another machine.
import os

c = get_config()  # noqa: F821
_here = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.course_id = {course_id!r}
c.CourseDirectory.root = _here
{db_line}
c.Exchange.root = os.path.normpath(os.path.join(_here, {exchange!r}))
"""
_SQLITE_LINE = 'c.CourseDirectory.db_url = "sqlite:///" + os.path.join(_here, "gradebook.db")'
_DB_LINE = re.compile(r"^c\.CourseDirectory\.db_url\s*=.*$", re.M)
_EXCHANGE_LINE = re.compile(r"^c\.Exchange\.root\s*=.*$", re.M)

_SERVER_CONFIG = """\
# Written by `kynangso start`: tells the nbgrader extensions of the Jupyter server where the course is.
c = get_config()  # noqa: F821
c.CourseDirectory.course_id = {course_id!r}
c.CourseDirectory.root = {course!r}
c.CourseDirectory.db_url = {db_url!r}
c.Exchange.root = {exchange!r}
c.Exchange.assignment_dir = {assignment_dir!r}
"""


def _write_if_changed(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        atomic.write_text(path, text)  # keeps the file's permissions: a config holding a password stays private


def _db_line(db_url: str | None) -> str:
    return _SQLITE_LINE if db_url is None else f"c.CourseDirectory.db_url = {db_url!r}"


def _set_line(config: Path, pattern: re.Pattern[str], line: str) -> bool:
    """Replace the first line matching ``pattern`` above the defaults marker (or add ``line`` there); the trainer's
    other lines stay. Returns whether the file changed."""
    text = config.read_text(encoding="utf-8")
    head, marker, tail = text.partition(DEFAULTS_MARKER)
    new_head = pattern.sub(lambda _: line, head, count=1) if pattern.search(head) else f"{head.rstrip()}\n{line}\n"
    if marker:
        new_head = new_head.rstrip("\n") + "\n\n"
    new = new_head + marker + tail
    if new != text:
        _write_if_changed(config, new)
    return new != text


def set_db_url(config: Path, db_url: str) -> bool:
    """Point an existing course config at another gradebook; a URL with a password makes the file private."""
    changed = _set_line(config, _DB_LINE, _db_line(db_url))
    _protect(config, db_url)
    return changed


def set_exchange(config: Path, exchange: Path) -> bool:
    """Point an existing course config at another exchange (a hub's shared one)."""
    return _set_line(config, _EXCHANGE_LINE, f"c.Exchange.root = {str(exchange)!r}")


def _protect(config: Path, db_url: str | None) -> None:
    from urllib.parse import urlsplit

    if db_url and urlsplit(db_url).password and os.name != "nt":
        os.chmod(config, 0o600)


def ensure_course(course: Path, exchange: Path, course_id: str = COURSE_ID, db_url: str | None = None) -> Path:
    """Create a minimal nbgrader course root (config and ``source/``); what is in an existing config is kept.

    The Kỹ Năng Số defaults (``grading/nbgrader_config.py``: time limits, output caps, feedback that hides tests and
    keys) are kept up to date below a marker line at the end of the config, so that even nbgrader's own commands and
    Formgrader's buttons in this course never leak a hidden test. ``db_url`` (PostgreSQL on a hub) replaces the
    SQLite gradebook beside the course, in a new config or an existing one.
    """
    course.mkdir(parents=True, exist_ok=True)
    (course / "source").mkdir(exist_ok=True)
    exchange.mkdir(parents=True, exist_ok=True)
    config = course / "nbgrader_config.py"
    if not config.exists():
        rel_exchange = Path(os.path.relpath(exchange, course))
        text = _COURSE_CONFIG.format(course_id=course_id, exchange=rel_exchange.as_posix(), db_line=_db_line(db_url))
        _write_if_changed(config, text)
        _protect(config, db_url)
    elif db_url is not None:
        set_db_url(config, db_url)
    add_defaults(config)
    return config


def write_server_config(
    config_dir: Path, course: Path, exchange: Path, assignment_dir: Path, course_id: str = COURSE_ID
) -> Path:
    path = config_dir / "nbgrader_config.py"
    _write_if_changed(
        path,
        _SERVER_CONFIG.format(
            course_id=course_id,
            course=str(course),
            db_url="sqlite:///" + str(course / "gradebook.db"),
            exchange=str(exchange),
            assignment_dir=str(assignment_dir),
        ),
    )
    return path


def defaults_file() -> Path:
    from kynangso.exams.bank import default_bank_folder

    return default_bank_folder().parent / "nbgrader_config.py"


def add_defaults(config: Path) -> bool:
    """Keep the course defaults of ``grading/nbgrader_config.py`` at the end of the course config, below a marker
    line; what a trainer wrote above the marker is never touched. Returns whether the file changed."""
    text = config.read_text(encoding="utf-8")
    head = text.split(DEFAULTS_MARKER, 1)[0].rstrip("\n")
    try:
        defaults = defaults_file().read_text(encoding="utf-8")
    except OSError:  # an install without the grading content: nbgrader's own defaults apply
        return False
    new = f"{head}\n\n{DEFAULTS_MARKER} (from grading/nbgrader_config.py; edit above this line)\n{defaults}"
    if new == text:
        return False
    atomic.write_text(config, new)  # keeps the file's permissions: a config holding a password stays private
    return True
