"""Every shipped exam autogrades to full marks with a learner's right answers and to 0 with wrong ones."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kynangso.fronts import all_exams
from kynangso.grade import status as st
from kynangso.grade.runner import grade
from tests.exams.support import correct_answers, fill, solve_practical, wrong_answers

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def place(course: Path, exam: str, learner: str) -> Path:
    folder = course / "submitted" / learner / exam
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(course / "release" / exam, folder)
    (folder / "timestamp.txt").write_text("2026-11-28 08:00:00.000000 UTC", encoding="utf-8")
    return folder / f"{exam}.ipynb"


def test_every_exam_grades_to_full_marks_and_to_zero(exam_course: Path) -> None:
    from kynangso.exams.bank import default_bank_folder, load_bank

    bank = load_bank(default_bank_folder())
    for exam in all_exams():
        path = place(exam_course, exam, "hoc-vien-gioi")
        fill(path, correct_answers(exam_course, exam, "hoc-vien-gioi"), open_text="Câu trả lời tự luận.")
        solve_practical(exam_course, exam, "hoc-vien-gioi", path.parent)
        path = place(exam_course, exam, "hoc-vien-sai-het")
        fill(path, wrong_answers(exam_course, exam, "hoc-vien-sai-het"))
    records = grade(exam_course, all_exams(), ["hoc-vien-gioi", "hoc-vien-sai-het"])
    assert len(records) == 18
    for rec in records:
        exam = bank[rec.exam]
        manual = sum(q.points for q in exam.questions if q.type == "open")
        if rec.student == "hoc-vien-gioi":
            assert rec.status == (st.NEEDS_MANUAL if manual else st.GRADED), rec
            assert rec.score == exam.total_points - manual and rec.max_score == exam.total_points, rec
        else:
            assert rec.score == 0.0, rec
