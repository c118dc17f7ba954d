"""A cohort graded three ways writes the same gradebook rows: stock ``nbgrader autograde`` (a kernel per
submission, running the hidden tests), ``kynangso grade`` (nothing run for our exams, the sandbox for code), and
``nbgrader autograde`` with the course's Kỹ Năng Số config (the path Formgrader's buttons take)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kynangso.grade import status as st
from kynangso.grade.code import stock_steps
from tests.grade.cases import CODE, EXAM, FILES, OPEN, RIGHT, answer, grade_cell, released_code, released_exam
from tests.grade.rows import gradebook_rows
from tests.grade.support import place, solve_practical

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

# Stock nbgrader's pipeline, forced back over the course's (grading/nbgrader_config.py replaces it with ours).
STOCK = stock_steps()


def nbgrader_autograde(course: Path, assignment: str, stock: bool) -> None:
    cmd = [sys.executable, "-m", "nbgrader", "autograde", assignment, "--force"]
    if stock:
        cmd.append(f"--Autograde.autograde_preprocessors={json.dumps(STOCK)}")
    done = subprocess.run(cmd, cwd=course, capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stderr[-3000:]


def three_ways(course: Path, assignment: str, tmp: Path) -> dict[str, dict[str, list[tuple[object, ...]]]]:
    from kynangso.course.locate import course_settings
    from kynangso.grade.runner import grade

    copies = {}
    for way in ("stock", "ours", "pipeline"):
        copies[way] = tmp / way
        shutil.copytree(course, copies[way])
    nbgrader_autograde(copies["stock"], assignment, stock=True)
    grade(copies["ours"], [assignment])
    nbgrader_autograde(copies["pipeline"], assignment, stock=False)
    return {way: gradebook_rows(course_settings(path)["db_url"]) for way, path in copies.items()}


def _exam_cohort(course: Path, order: list[int]) -> None:
    released = json.loads((course / "release" / EXAM / f"{EXAM}.ipynb").read_text(encoding="utf-8"))

    def make(learner: str, answers: dict[int, str], open_text: str = "", practical: bool = False) -> None:
        nb = json.loads(json.dumps(released))
        for number, text in answers.items():
            answer(nb, number, text)
        if open_text:
            grade_cell(nb, "open-")["source"] = open_text
        folder = place(course, learner, json.dumps(nb, ensure_ascii=False))
        if practical:
            solve_practical(course, learner, folder)

    every = {**RIGHT, 3: json.dumps(order)}
    make("hv-gioi", every, OPEN, practical=True)
    make("hv-mot-nua", {1: RIGHT[1], 2: '["A"]', 3: json.dumps(order), 5: '"115"'})
    make("hv-sai", {1: '"C"', 2: '["B", "D"]', 3: "[1, 2, 3, 4]", 4: "3", 5: '"114"'}, practical=False)
    make("hv-trang", {})
    make("hv-sai-dang", {1: '"Z"', 4: '"bốn"', 5: "113"})  # malformed answers: form errors, 0 each
    make("hv-thuc-hanh", {}, practical=True)


def test_exam_rows_match_stock_nbgrader(tmp_path: Path) -> None:
    _, order, course = released_exam(tmp_path / "goc")
    _exam_cohort(course, order)
    rows = three_ways(course, EXAM, tmp_path)
    for table in rows["stock"]:
        assert rows["ours"][table] == rows["stock"][table], table
        assert rows["pipeline"][table] == rows["stock"][table], table
    assert len(rows["stock"]["grade"]) == 6 * 8  # 8 graded cells: 5 answers, practical, open answer, its criterion


def test_code_rows_match_stock_nbgrader(tmp_path: Path) -> None:
    _, course = released_code(tmp_path / "goc")
    for case in ("submitted-code-correct", "submitted-code-wrong", "submitted-code-blank"):
        folder = course / "submitted" / case / CODE
        folder.mkdir(parents=True)
        shutil.copyfile(FILES / f"{case}.ipynb", folder / f"{CODE}.ipynb")
        (folder / "timestamp.txt").write_text("2026-11-28 08:00:00.000000 UTC", encoding="utf-8")
    from kynangso.course.locate import course_settings
    from kynangso.grade.runner import grade

    stock, ours = tmp_path / "stock", tmp_path / "ours"
    shutil.copytree(course, stock)
    shutil.copytree(course, ours)
    nbgrader_autograde(stock, CODE, stock=True)
    grade(ours, [CODE])
    a, b = (gradebook_rows(course_settings(p)["db_url"]) for p in (stock, ours))
    assert a == b
    assert sorted(r[4] for r in a["grade"] if r[1] == "submitted-code-correct") == [1.0, 1.0, 2.0]


def test_nbgrader_autograde_flags_code_in_an_answer_cell(tmp_path: Path) -> None:
    """Formgrader's button runs nbgrader autograde: with the course config, a cheat gains nothing there either."""
    _, _, course = released_exam(tmp_path / "goc")
    place(course, "hv-gian-lan", FILES / "submitted-cheat-monkeypatch.ipynb")
    nbgrader_autograde(course, EXAM, stock=False)
    rec = st.load(course, EXAM, "hv-gian-lan")
    assert rec is not None and rec.status == st.FLAGGED and "có mã lệnh" in rec.reason
    from nbgrader.api import Gradebook

    from kynangso.course.locate import course_settings

    with Gradebook(course_settings(course)["db_url"]) as gb:
        nb = gb.find_submission_notebook(EXAM, EXAM, "hv-gian-lan")
        grades = {g.name: (g.score, g.needs_manual_grade) for g in nb.grades}
        assert nb.flagged
    assert grades["q-chon-mot"] == (0.0, True)
    assert sum(score for score, _ in grades.values()) <= 6.0  # the other right answers, nothing more
