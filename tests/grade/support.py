"""Courses for the grading tests: the small test exam released, and submissions placed as collect leaves them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.grade.cases import EXAM, FILES


def place(course: Path, learner: str, notebook: Path | str, exam: str = EXAM) -> Path:
    """A submission of ``learner``: the released exam's files with ``notebook`` as the exam notebook."""
    folder = course / "submitted" / learner / exam
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(course / "release" / exam, folder)
    target = folder / f"{exam}.ipynb"
    if isinstance(notebook, Path):
        shutil.copyfile(notebook, target)
    else:
        target.write_text(notebook, encoding="utf-8")
    (folder / "timestamp.txt").write_text("2026-11-28 08:00:00.000000 UTC", encoding="utf-8")
    return folder


def fixture(name: str) -> Path:
    for candidate in sorted(FILES.glob(f"{name}.*")):
        if candidate.name.split(".")[0] == name:
            return candidate
    raise FileNotFoundError(name)


def solve_practical(course: Path, learner: str, folder: Path) -> Path:
    """The practical task done right by ``learner``, as the exam's simulation saves it."""
    from kynangso.demo.learners import practical_run
    from kynangso.exams.graders import transcript_name

    doc = practical_run(EXAM, "thuc-hanh", "nhan-dien-lua-dao", learner)
    path = folder / transcript_name("thuc-hanh")
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def secrets(course: Path) -> list[str]:
    """Text that exists only in the course's keys and hidden tests: none of it may reach a learner."""
    return [
        "BEGIN HIDDEN TESTS",
        "kynangso.exams.graders",
        '"tolerance"',
        '"keys":',
        "Dặn không đưa mã OTP cho ai",  # the rubric's criterion
    ]


def practical_with_trap(course: Path, learner: str, folder: Path, trap: str) -> Path:
    """The practical task finished, after falling once into ``trap`` on the way (as a hurried learner would)."""
    from kynangso.exams.graders import transcript_name
    from kynangso.exams.variants import practical_seed
    from kynangso.sims import Session, load_scenario
    from kynangso.sims.replay import transcript_document
    from kynangso.sims.solver import entry_for, next_action, trap_routes

    scenario = load_scenario("nhan-dien-lua-dao")
    seed = practical_seed(EXAM, "thuc-hanh", learner)
    session = Session(scenario, "kiem-tra", seed)
    for entry in trap_routes(scenario, seed)[trap]:
        session.act(entry["action"], entry.get("values"))
    while not session.completed:
        action_id = next_action(scenario, session.screen_id, frozenset(session.flags))
        assert action_id is not None, "the goal cannot be reached after the trap"
        action = next(a for a in session.screen.actions if a.id == action_id)
        entry = entry_for(scenario, session.screen_id, action, session.data)
        session.act(entry["action"], entry.get("values"))
    path = folder / transcript_name("thuc-hanh")
    path.write_text(json.dumps(transcript_document(session), ensure_ascii=False), encoding="utf-8")
    return path
