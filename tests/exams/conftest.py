from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def exam_course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One course with the shipped question bank, all nine exams released: built once for the whole session."""
    from kynangso.course.course import init_course, release
    from kynangso.fronts import all_exams

    root = init_course(tmp_path_factory.mktemp("khoa-hoc") / "khoa-thi")
    release(root, all_exams())
    return root
