"""One course locator, one exit code for "no course here" (2), one reader of nbgrader_config.py."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kynangso.course.locate import (
    EXIT_NO_COURSE,
    CourseError,
    CourseNotFound,
    course_settings,
    find_course,
    read_config,
)

COURSE_COMMANDS = [
    ["grade"],
    ["feedback"],
    ["results"],
    ["report"],
    ["roster", "list"],
    ["roster", "import", "danh-sach.csv"],
    ["exam", "build"],
    ["exam", "release", "gov-1"],
    ["exam", "collect", "gov-1"],
    ["exam", "import-zip", "."],
    ["exam", "cards"],
    ["exam", "room", "gov-1"],
]


def _kynangso(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kynangso", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("args", COURSE_COMMANDS, ids=" ".join)
def test_every_course_command_outside_a_course_exits_2_and_says_what_to_do(tmp_path: Path, args: list[str]) -> None:
    done = _kynangso(tmp_path, *args)
    assert done.returncode == EXIT_NO_COURSE == 2, done.stderr
    assert "Lỗi: Không tìm thấy khóa học" in done.stderr and "--course THƯ_MỤC" in done.stderr


def test_a_course_option_naming_no_course_exits_2(tmp_path: Path) -> None:
    done = _kynangso(tmp_path, "grade", "--course", str(tmp_path / "khong-co"))
    assert done.returncode == 2 and "không phải thư mục khóa học (thiếu nbgrader_config.py)" in done.stderr


def test_a_broken_config_is_an_error_of_the_course_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\nc.CourseDirectory.db_url = (\n")
    done = _kynangso(tmp_path, "results")
    assert done.returncode == 1 and "nbgrader_config.py: không đọc được cấu hình" in done.stderr
    with pytest.raises(CourseError, match="không đọc được cấu hình"):
        read_config(tmp_path)


def test_found_from_a_subfolder_and_from_the_option(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    course = tmp_path / "khoa-thi"
    (course / "source" / "gov-1").mkdir(parents=True)
    (course / "nbgrader_config.py").write_text("c = get_config()\n")
    monkeypatch.chdir(course / "source" / "gov-1")
    assert find_course() == course.resolve()
    assert find_course(Path(os.path.relpath(course))) == course.resolve()
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CourseNotFound):
        find_course()


def test_the_gradebook_defaults_to_the_course_folder_as_nbgrader_does(tmp_path: Path) -> None:
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\nc.CourseDirectory.course_id = 'kns'\n")
    settings = course_settings(tmp_path)
    assert settings == {"db_url": f"sqlite:///{tmp_path / 'gradebook.db'}", "course_id": "kns", "exchange": ""}
    assert read_config(tmp_path).CourseDirectory.db_url == settings["db_url"]  # what nbgrader's API is given
    (tmp_path / "nbgrader_config.py").write_text(
        "c = get_config()\nc.CourseDirectory.db_url = 'postgresql://kns@db/kns'\nc.Exchange.root = '/srv/trao-doi'\n"
    )
    assert course_settings(tmp_path) == {
        "db_url": "postgresql://kns@db/kns",
        "course_id": "",
        "exchange": "/srv/trao-doi",
    }
