"""nbgrader configuration files for a course folder and for the Jupyter server that serves it."""

from __future__ import annotations

import os
from pathlib import Path

COURSE_ID = "kynangso"

_COURSE_CONFIG = """\
# nbgrader configuration of a Kỹ Năng Số course (written by kynangso; safe to edit).
# Paths are relative to this file, so the folder can be moved or copied to another machine.
import os

c = get_config()  # noqa: F821
_here = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.course_id = {course_id!r}
c.CourseDirectory.root = _here
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(_here, "gradebook.db")
c.Exchange.root = os.path.normpath(os.path.join(_here, {exchange!r}))
"""

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
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)


def ensure_course(course: Path, exchange: Path, course_id: str = COURSE_ID) -> Path:
    """Create a minimal nbgrader course root (config and ``source/``); what is in an existing config is kept.

    The Kỹ Năng Số defaults (``grading/nbgrader_config.py``: time limits, output caps, feedback that hides tests and
    keys) are kept up to date below a marker line at the end of the config, so that even nbgrader's own commands and
    Formgrader's buttons in this course never leak a hidden test.
    """
    course.mkdir(parents=True, exist_ok=True)
    (course / "source").mkdir(exist_ok=True)
    exchange.mkdir(parents=True, exist_ok=True)
    config = course / "nbgrader_config.py"
    if not config.exists():
        rel_exchange = Path(os.path.relpath(exchange, course))
        _write_if_changed(config, _COURSE_CONFIG.format(course_id=course_id, exchange=rel_exchange.as_posix()))
    from kynangso.course.course import add_defaults

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
