"""The one way to find the course folder a command acts on and to read its nbgrader settings.

``find_course`` raises ``CourseNotFound`` outside a course; the CLI turns it into exit code 2
(``EXIT_NO_COURSE``: the command was run in the wrong place, or ``--course`` names no course), every other
failure of a course command exits 1. ``read_config`` is the one reader of ``nbgrader_config.py``: nbgrader's own
loader, with the gradebook defaulting to ``gradebook.db`` in the course folder, as nbgrader itself defaults it.
Only the standard library is imported at module level (the CLI imports this module to parse and to fail fast).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

CONFIG_NAME = "nbgrader_config.py"
EXIT_NO_COURSE = 2


class CourseError(RuntimeError):
    """A problem with a course folder, explained in Vietnamese."""


class CourseNotFound(Exception):
    """No course where the command was asked to act (exit code ``EXIT_NO_COURSE``)."""


def find_course(explicit: Path | None = None) -> Path:
    """``--course DIR``, else the current folder or the nearest parent holding ``nbgrader_config.py``."""
    if explicit is not None:
        folder = explicit.expanduser().resolve()
        if not (folder / CONFIG_NAME).is_file():
            raise CourseNotFound(
                f"{folder}: không phải thư mục khóa học (thiếu {CONFIG_NAME}); tạo bằng “kynangso course init”"
            )
        return folder
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise CourseNotFound(
        "Không tìm thấy khóa học: hãy chạy lệnh trong thư mục khóa học, hoặc thêm --course THƯ_MỤC "
        "(tạo khóa học mới bằng “kynangso course init THƯ_MỤC”)"
    )


def default_db_url(course: Path) -> str:
    return "sqlite:///" + os.path.join(course, "gradebook.db")


def read_config(course: Path) -> Any:
    """The course's traitlets ``Config`` as nbgrader's CLI would load it, ``CourseDirectory.db_url`` always set."""
    from traitlets.config.loader import PyFileConfigLoader

    try:
        config = PyFileConfigLoader(CONFIG_NAME, path=str(course)).load_config()
    except Exception as exc:  # a hand-edited config with a typo: say which file
        raise CourseError(f"{course / CONFIG_NAME}: không đọc được cấu hình ({exc})") from None
    if not config.CourseDirectory.get("db_url"):
        config.CourseDirectory.db_url = default_db_url(course)
    return config


def course_settings(course: Path) -> dict[str, str]:
    """``db_url``, ``course_id`` and ``exchange`` from ``read_config``."""
    config = read_config(course)
    return {
        "db_url": str(config.CourseDirectory.db_url),
        "course_id": str(config.CourseDirectory.get("course_id") or ""),
        "exchange": str(config.Exchange.get("root") or ""),
    }
