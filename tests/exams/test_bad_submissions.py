"""Bad submissions get the right status and a clear reason, and grading goes on for the others; every exam
autogrades to full marks with its correct answers; wrong answers score 0.

Submissions are placed in ``submitted/<learner>/<exam>/`` exactly as ``nbgrader collect`` leaves them (the fetch →
submit → collect path itself is covered by test_lifecycle)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from kynangso.fronts import all_exams
from kynangso.grade import status as st
from kynangso.grade.runner import grade
from tests.exams.support import cell_by_id, correct_answers, fill, solve_practical, wrong_answers

CELL_TIMEOUT = 10


def place(course: Path, exam: str, learner: str) -> Path:
    """A fresh copy of the released exam in the learner's submitted folder, as collect leaves it."""
    folder = course / "submitted" / learner / exam
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(course / "release" / exam, folder)
    (folder / "timestamp.txt").write_text("2026-11-28 08:00:00.000000 UTC", encoding="utf-8")
    return folder / f"{exam}.ipynb"


def place_correct(course: Path, exam: str, learner: str) -> Path:
    path = place(course, exam, learner)
    fill(path, correct_answers(course, exam, learner), open_text="Câu trả lời tự luận.")
    solve_practical(course, exam, learner, path.parent)
    return path


def edit(path: Path, change: Any) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    change(nb)
    path.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")


def set_answer(nb: dict[str, Any], number: int, code: str) -> None:
    for cell in nb["cells"]:
        src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "code" and f"tra_loi_{number} = " in src and "✍️" in src:
            cell["source"] = code
            return
    raise KeyError(number)


def first_test_id(nb: dict[str, Any]) -> str:
    return next(
        c["metadata"]["nbgrader"]["grade_id"] for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade")
    )


@pytest.mark.e2e
@pytest.mark.slow
def test_bad_submissions_get_a_status_and_a_reason(exam_course: Path) -> None:
    course, exam = exam_course, "gov-1"
    place_correct(course, exam, "a-dau-tien")

    path = place_correct(course, exam, "b-sua-o-cham")
    edit(path, lambda nb: cell_by_id(nb, first_test_id(nb)).update(source="0  # khỏi chấm"))

    path = place_correct(course, exam, "c-xoa-o-cham")
    edit(path, lambda nb: nb["cells"].remove(cell_by_id(nb, first_test_id(nb))))

    def strip(nb: dict[str, Any]) -> None:
        for cell in nb["cells"]:
            cell["metadata"].pop("nbgrader", None)

    path = place_correct(course, exam, "d-mat-metadata")
    edit(path, strip)

    path = place_correct(course, exam, "e-json-hong")
    path.write_text(path.read_text(encoding="utf-8")[:-200], encoding="utf-8")

    loop = "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"
    path = place_correct(course, exam, "f-vong-lap")
    edit(path, lambda nb: set_answer(nb, 1, loop))

    path = place_correct(course, exam, "g-thoat")
    edit(path, lambda nb: set_answer(nb, 2, "import os\nos._exit(3)"))

    right = correct_answers(course, exam, "h-in-qua-nhieu")
    path = place_correct(course, exam, "h-in-qua-nhieu")
    edit(path, lambda nb: set_answer(nb, 1, f"print('x' * 30_000_000)\ntra_loi_1 = {right[1]}"))

    path = place_correct(course, exam, "j-khac-ma")
    (path.parent / "nguoi-lam-bai.json").write_text('{"exam": "gov-1", "learner": "a-dau-tien"}', encoding="utf-8")

    place_correct(course, exam, "i-sau-cung")
    path = place(course, exam, "k-sai-het")
    fill(path, wrong_answers(course, exam, "k-sai-het"))

    learners = sorted(p.name for p in (course / "submitted").iterdir() if (p / exam).is_dir())
    records = {r.student: r for r in grade(course, [exam], learners, cell_timeout=CELL_TIMEOUT, submission_timeout=60)}
    full = 11.0

    assert records["a-dau-tien"].status == st.GRADED and records["a-dau-tien"].score == full
    assert records["i-sau-cung"].status == st.GRADED and records["i-sau-cung"].score == full  # grading went on
    assert records["k-sai-het"].status == st.GRADED and records["k-sai-het"].score == 0.0
    expected = {
        "b-sua-o-cham": "đã bị sửa",
        "c-xoa-o-cham": "đã bị xóa",
        "d-mat-metadata": "Siêu dữ liệu chấm thi",
        "e-json-hong": "JSON không hợp lệ",
        "f-vong-lap": "giây",
        "g-thoat": "os._exit",
        "j-khac-ma": "làm dưới mã học viên 'a-dau-tien'",
    }
    for learner, words in expected.items():
        rec = records[learner]
        assert rec.status == st.FAILED and words in rec.reason, (learner, rec)
        assert st.load(course, exam, learner) == rec  # kept for `kynangso results`
    huge = records["h-in-qua-nhieu"]
    assert huge.status == st.GRADED and huge.score == full and "cắt bớt" in huge.reason
    assert (course / "autograded" / "h-in-qua-nhieu" / exam / f"{exam}.ipynb").stat().st_size < 1_000_000

    # Feedback goes only to graded submissions and shows no hidden test line or key.
    from kynangso.grade.feedback import generate
    from tests.exams.test_lifecycle import key_texts, secrets_of

    pages, skipped = generate(course, [exam], learners)
    assert {p.parts[-3] for p in pages} == {"a-dau-tien", "h-in-qua-nhieu", "i-sau-cung", "k-sai-het"}
    assert {r.student for r in skipped} == set(expected)
    import html

    for page in pages:
        text = html.unescape(page.read_text(encoding="utf-8"))
        for line in secrets_of(course, exam):
            assert line not in text
    wrong_page = html.unescape((course / "feedback" / "k-sai-het" / exam / f"{exam}.html").read_text(encoding="utf-8"))
    for key in key_texts(course, exam, "k-sai-het"):
        assert key not in wrong_page


@pytest.mark.e2e
@pytest.mark.slow
def test_every_exam_autogrades_to_full_marks(exam_course: Path) -> None:
    from kynangso.exams.bank import default_bank_folder, load_bank

    bank = load_bank(default_bank_folder())
    learner = "hoc-vien-mau"
    for exam in all_exams():
        place_correct(exam_course, exam, learner)
    records = grade(exam_course, all_exams(), [learner], cell_timeout=CELL_TIMEOUT)
    assert len(records) == 9
    for rec in records:
        exam = bank[rec.exam]
        manual = sum(q.points for q in exam.questions if q.type == "open")
        assert rec.status == (st.NEEDS_MANUAL if manual else st.GRADED), rec
        assert rec.score == exam.total_points - manual and rec.max_score == exam.total_points, rec
