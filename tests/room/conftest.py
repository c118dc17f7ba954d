from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.room.helpers import RoomCourse, Server, make_course, room_server


@pytest.fixture(scope="session")
def room_template(tmp_path_factory: pytest.TempPathFactory) -> RoomCourse:
    """A course built once per session: two exams released, 32 learners on the roster, every code issued."""
    return make_course(tmp_path_factory.mktemp("phong-thi") / "khoa-hoc")


@pytest.fixture
def course(room_template: RoomCourse, tmp_path: Path) -> RoomCourse:
    """A fresh copy of the template course for one test."""
    root = tmp_path / "khoa-hoc"
    shutil.copytree(room_template.root, root, symlinks=True)
    return RoomCourse(root, room_template.codes, room_template.trainer)


@pytest.fixture
def server(course: RoomCourse, tmp_path: Path) -> Iterator[Server]:
    """A room of its own for one test (needed where wrong codes from 127.0.0.1 would slow later tests down)."""
    with room_server(course, tmp_path / "room.log") as srv:
        yield srv


@pytest.fixture(scope="module")
def shared_server(room_template: RoomCourse, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One room for a whole test module; its tests use different learners so they do not meet."""
    base = tmp_path_factory.mktemp("phong")
    root = base / "khoa-hoc"
    shutil.copytree(room_template.root, root, symlinks=True)
    with room_server(RoomCourse(root, room_template.codes, room_template.trainer), base / "room.log") as srv:
        yield srv
