"""Build a real nbgrader gradebook (SQLite, or any URL) for certification tests, with the exam conventions of the contracts."""

from __future__ import annotations

import shutil
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from sqlalchemy.exc import SAWarning

from kynangso.fronts import FRONTS, LEVELS, exam_name
from kynangso.grade import status as st
from kynangso.toolpath import ensure_scripts_on_path

# Cells of every exam: 8 auto-graded answers (1 point each); levels 2–3 add a practical task (4 points);
# level 3 adds an open teach-back answer graded by hand (4 points).
Q_CELLS = [f"q-{i}" for i in range(1, 9)]


@dataclass
class Sub:
    """One learner's submission of one exam: points per cell kind, and whether the open answer is graded yet."""

    q: int = 8  # correct auto-graded answers out of 8
    practical: float = 4.0  # out of 4
    open: float | None = 4.0  # out of 4; None = still needs manual grading
    criterion: float | None = 1.0  # the open answer's required criterion, out of 1; None = not graded yet
    critical: tuple[str, ...] = ()  # critical errors made in the practical task
    status: str = ""  # the grading status kynangso grade would record (default: graded, or waiting for the open answer)
    reason: str = ""


@dataclass
class Learner:
    id: str
    first_name: str
    last_name: str
    subs: dict[str, Sub] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)


def cells(level: int) -> list[tuple[str, float]]:
    out = [(c, 1.0) for c in Q_CELLS]
    if level >= 2:
        out.append(("practical-dvc-khai-sinh", 4.0))
    if level >= 3:
        out.append(("open-huong-dan-lai", 4.0))
        out.append(("tieu-chi-huong-dan-lai-1", 1.0))  # the required safety criterion, scored on its own
    return out


_TEMPLATES: dict[tuple[str, ...], Path] = {}


def _template(fronts: tuple[str, ...]) -> Path:
    """A gradebook with every exam and its cells but no learners, built once per test process and copied:
    creating a gradebook runs nbgrader's alembic stamp, which costs seconds on this machine."""
    if fronts not in _TEMPLATES:
        ensure_scripts_on_path()  # nbgrader stamps a new gradebook by running `alembic`
        path = Path(tempfile.mkdtemp(prefix="kns-gradebook-")) / "template.db"
        with Gradebook(f"sqlite:///{path}") as gb:
            for front in fronts:
                for level in LEVELS:
                    name = exam_name(front, level)
                    gb.add_assignment(name)
                    gb.add_notebook(name, name)  # notebook "<assignment>.ipynb"
                    for cell, points in cells(level):
                        gb.add_grade_cell(cell, name, name, max_score=points, cell_type="code")
        _TEMPLATES[fronts] = path
    return _TEMPLATES[fronts]


def build(path: Path, learners: list[Learner], fronts: tuple[str, ...] = tuple(FRONTS)) -> str:
    shutil.copyfile(_template(fronts), path)
    url = f"sqlite:///{path}"
    with Gradebook(url) as gb:
        st.ensure_table(gb.engine)
        for learner in learners:
            gb.add_student(learner.id, first_name=learner.first_name, last_name=learner.last_name, **learner.extra)
        add_submissions(gb, learners)
    return url


def build_url(url: str, learners: list[Learner], fronts: tuple[str, ...] = tuple(FRONTS)) -> str:
    """The same gradebook as ``build``, made in place at any URL (an empty PostgreSQL database, say)."""
    ensure_scripts_on_path()
    with Gradebook(url) as gb:
        for front in fronts:
            for level in LEVELS:
                name = exam_name(front, level)
                gb.add_assignment(name)
                gb.add_notebook(name, name)
                for cell, points in cells(level):
                    gb.add_grade_cell(cell, name, name, max_score=points, cell_type="code")
        for learner in learners:
            gb.add_student(learner.id, first_name=learner.first_name, last_name=learner.last_name, **learner.extra)
        add_submissions(gb, learners)
    return url


def add_submissions(gb: Gradebook, learners: list[Learner]) -> None:
    st.ensure_table(gb.engine)
    for learner in learners:
        for exam, sub in learner.subs.items():
            try:
                gb.find_submission(exam, learner.id)
            except MissingEntry:
                with warnings.catch_warnings():  # nbgrader's own add_submission trips SQLAlchemy's autoflush notice
                    warnings.simplefilter("ignore", SAWarning)
                    gb.add_submission(exam, learner.id)
            level = int(exam.rsplit("-", 1)[1])
            for cell, points in cells(level):
                grade = gb.find_grade(cell, exam, exam, learner.id)
                grade.manual_score = None
                if cell.startswith("q-"):
                    grade.auto_score = points if int(cell[2:]) <= sub.q else 0.0
                    grade.needs_manual_grade = False
                elif cell.startswith("practical-"):
                    grade.auto_score = sub.practical
                    grade.needs_manual_grade = False
                elif cell.startswith("tieu-chi-"):
                    grade.auto_score = None
                    grade.manual_score = sub.criterion
                    grade.needs_manual_grade = sub.criterion is None
                else:
                    grade.auto_score = None
                    grade.manual_score = sub.open
                    grade.needs_manual_grade = sub.open is None
            waiting = level == 3 and (sub.open is None or sub.criterion is None)
            state = sub.status or (st.NEEDS_MANUAL if waiting else st.GRADED)
            details = {"critical": {"practical-dvc-khai-sinh": list(sub.critical)}} if sub.critical else {}
            st.write(gb.db, st.Record(exam, learner.id, state, sub.reason, details=details))
    gb.db.commit()


def update(url: str, learners: list[Learner]) -> None:
    with Gradebook(url) as gb:
        st.ensure_table(gb.engine)
        add_submissions(gb, learners)
