"""Find the course folder a command acts on and read its nbgrader settings (gradebook URL, course id)."""

from __future__ import annotations

import os
from pathlib import Path

CONFIG_NAME = "nbgrader_config.py"


class CourseNotFound(Exception):
    pass


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


def course_settings(course: Path) -> dict[str, str]:
    """``db_url``, ``course_id`` and ``exchange`` as nbgrader itself would read them from the course config."""
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader(CONFIG_NAME, path=str(course)).load_config()
    coursedir = config.get("CourseDirectory", {})
    exchange = config.get("Exchange", {})
    return {
        "db_url": str(coursedir.get("db_url") or "sqlite:///" + os.path.join(course, "gradebook.db")),
        "course_id": str(coursedir.get("course_id") or ""),
        "exchange": str(exchange.get("root") or ""),
    }
