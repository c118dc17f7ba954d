from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.room.helpers import EXAMS, LEARNERS, RoomCourse, Server, room_server


@pytest.fixture(scope="session")
def room_template(tmp_path_factory: pytest.TempPathFactory) -> RoomCourse:
    """A course built once per session: two exams released, 32 learners on the roster, every code issued."""
    from kynangso.course.course import gradebook, init_course, release
    from kynangso.room.codes import CodeBook

    root = init_course(tmp_path_factory.mktemp("phong-thi") / "khoa-hoc")
    release(root, list(EXAMS))
    with gradebook(root) as gb:
        for learner, family, given in LEARNERS:
            gb.update_or_create_student(learner, last_name=family, first_name=given)
    book = CodeBook(root)
    codes = book.issue([x[0] for x in LEARNERS])
    trainer = book.issue_trainer()
    book.save()
    return RoomCourse(root, codes, trainer)


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
