"""What each kind of submission of a Kỹ Năng Số exam gets from ``kynangso grade``: one behaviour per test.

One course for the file: every fixture of tests/grade/files/ is placed as one learner's submission (the learner
id is the case's name) and the whole cohort is graded once; each test then looks at one case.
"""

from __future__ import annotations

import html
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest

from kynangso.grade import status as st
from tests.grade.cases import EXAM, FILES, build, released_exam
from tests.grade.support import fixture, place, secrets, solve_practical

pytestmark = [pytest.mark.e2e]

RIGHT_TOTAL = 11.0  # every auto-graded point (1 + 2 + 2 + 1 + 1 + practical 4); the open answer waits (3)
FULL = 14.0


class Graded:
    def __init__(self, course: Path, records: dict[str, st.Record]):
        self.course = course
        self.records = records

    def autograded(self, learner: str) -> dict[str, Any]:
        path = self.course / "autograded" / learner / EXAM / f"{EXAM}.ipynb"
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return data

    def grades(self, learner: str) -> dict[str, Any]:
        from nbgrader.api import Gradebook

        from kynangso.course.locate import course_settings

        with Gradebook(course_settings(self.course)["db_url"]) as gb:
            nb = gb.find_submission_notebook(EXAM, EXAM, learner)
            out = {g.name: (g.score, bool(g.needs_manual_grade)) for g in nb.grades}
            out["_flagged"] = bool(nb.flagged)
            out["_comments"] = {c.name: c.comment for c in nb.comments}
            return out


CASES = [p.name.split(".")[0] for p in sorted(FILES.iterdir())]


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Graded:
    from kynangso.grade.runner import grade

    _, _, course = released_exam(tmp_path_factory.mktemp("cham"))
    for case in CASES:
        folder = place(course, case, fixture(case))
        if case in ("submitted-correct", "submitted-decimal-comma", "submitted-cheat-monkeypatch"):
            solve_practical(course, case, folder)
    folder = place(course, "submitted-copied-transcript", fixture("submitted-correct"))
    solve_practical(course, "submitted-correct", folder)  # the file of the learner who sat next to them
    folder = place(course, "submitted-huge-transcript", fixture("submitted-correct"))
    (folder / "thuc-hanh.transcript.json").write_text('{"entries": [' + '{"type": "restart"},' * 400_000 + "]}")
    folder = place(course, "submitted-under-another-id", fixture("submitted-correct"))
    (folder / "nguoi-lam-bai.json").write_text('{"exam": "gov-2", "learner": "submitted-correct"}', encoding="utf-8")
    # A canary in the gradebook: no submission may change another's rows.
    records = {r.student: r for r in grade(course, [EXAM], cell_timeout=10)}
    return Graded(course, records)


def test_fixture_files_are_up_to_date() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        released, order, _ = released_exam(Path(tmp))
        for name, text in build(released, order).items():
            assert (FILES / name).read_text(encoding="utf-8") == text, f"{name}: run python -m tests.grade.cases"


def test_correct_answers_score_every_automatic_point(graded: Graded) -> None:
    rec = graded.records["submitted-correct"]
    assert rec.status == st.NEEDS_MANUAL and rec.score == RIGHT_TOTAL and rec.max_score == FULL, rec


def test_wrong_answers_score_zero(graded: Graded) -> None:
    rec = graded.records["submitted-wrong"]
    # nbgrader sends an untouched open answer to the trainer too (its released text differs from the source's).
    assert rec.score == 0.0 and rec.status == st.NEEDS_MANUAL, rec


def test_blank_exam_scores_zero_with_no_response(graded: Graded) -> None:
    rec = graded.records["submitted-blank"]
    assert rec.score == 0.0, rec
    comments = graded.grades("submitted-blank")["_comments"]
    assert comments["answer-chon-mot"] == "No response."


def test_decimal_comma_counts_as_the_number(graded: Graded) -> None:
    assert graded.records["submitted-decimal-comma"].score == RIGHT_TOTAL


@pytest.mark.parametrize(
    "case",
    [
        "submitted-cheat-monkeypatch",
        "submitted-prints-keys",
        "submitted-writes-gradebook",
        "submitted-reads-signing-key",
        "submitted-reads-other-learners",
        "submitted-dunder-import",
        "submitted-fstring-reads-file",
        "submitted-two-statements",
        "submitted-huge-answer",
    ],
)
def test_code_in_an_answer_cell_is_flagged_and_scores_zero(graded: Graded, case: str) -> None:
    rec = graded.records[case]
    assert rec.status == st.FLAGGED and "ô trả lời câu 1 có mã lệnh, không chỉ là câu trả lời" in rec.reason, rec
    grades = graded.grades(case)
    assert grades["q-chon-mot"] == (0.0, True), "the question waits for a trainer at 0"
    assert grades["_flagged"]
    assert "có mã lệnh" in grades["_comments"]["answer-chon-mot"]  # Formgrader shows the reason
    assert rec.score is not None and rec.score <= RIGHT_TOTAL - 1


def test_monkeypatched_grader_gains_nothing(graded: Graded) -> None:
    # Had the cell run, cham() would return 100 for every question.
    rec = graded.records["submitted-cheat-monkeypatch"]
    assert rec.score == RIGHT_TOTAL - 1


def test_code_that_writes_the_gradebook_never_runs(graded: Graded) -> None:
    from nbgrader.api import Gradebook

    from kynangso.course.locate import course_settings

    with Gradebook(course_settings(graded.course)["db_url"]) as gb:
        scores = [
            g.manual_score for a in gb.assignments for s in a.submissions for nb in s.notebooks for g in nb.grades
        ]
    assert 100 not in scores


def test_bare_name_is_flagged_with_its_reason(graded: Graded) -> None:
    rec = graded.records["submitted-bare-name"]
    assert rec.status == st.FLAGGED and "câu 1" in rec.reason


def test_answer_under_another_variable_is_flagged(graded: Graded) -> None:
    rec = graded.records["submitted-wrong-variable"]
    assert rec.status == st.FLAGGED and "phải giữ nguyên tên tra_loi_1" in rec.reason


def test_added_code_cell_flags_the_notebook_and_never_runs(graded: Graded) -> None:
    rec = graded.records["submitted-extra-code-cell"]
    assert rec.status == st.FLAGGED and "thêm ô mã" in rec.reason
    assert rec.score == RIGHT_TOTAL - 4  # right answers, no practical transcript; the added cell changed nothing
    assert graded.grades("submitted-extra-code-cell")["_flagged"]


@pytest.mark.parametrize(
    ("case", "words"),
    [
        ("submitted-edited-test-cell", "đã bị sửa nội dung"),
        ("submitted-deleted-test-cell", "đã bị xóa"),
        ("submitted-deleted-answer-cell", "đã bị xóa"),
        ("submitted-changed-points", "thông tin chấm"),
    ],
)
def test_tampered_cell_flags_its_question(graded: Graded, case: str, words: str) -> None:
    rec = graded.records[case]
    assert rec.status == st.FLAGGED and words in rec.reason and "câu 1" in rec.reason, rec
    assert graded.grades(case)["q-chon-mot"] == (0.0, True)


def test_changed_points_do_not_change_the_maximum(graded: Graded) -> None:
    assert graded.records["submitted-changed-points"].max_score == FULL


@pytest.mark.parametrize(
    ("case", "words"),
    [
        ("submitted-corrupt-json", "JSON không hợp lệ"),
        ("submitted-not-a-notebook", "JSON không hợp lệ"),
        ("submitted-metadata-stripped", "Siêu dữ liệu chấm thi"),
        ("submitted-under-another-id", "làm dưới mã học viên 'submitted-correct'"),
    ],
)
def test_unreadable_submission_fails_with_its_reason(graded: Graded, case: str, words: str) -> None:
    rec = graded.records[case]
    assert rec.status == st.FAILED and words in rec.reason, rec
    assert st.load(graded.course, EXAM, case) == rec  # kept for `kynangso results`


def test_copied_transcript_fails_its_practical(graded: Graded) -> None:
    assert graded.grades("submitted-copied-transcript")["practical-thuc-hanh"] == (0.0, False)


def test_huge_transcript_scores_zero_without_hanging(graded: Graded) -> None:
    assert graded.grades("submitted-huge-transcript")["practical-thuc-hanh"] == (0.0, False)


def test_no_output_of_any_autograded_notebook_holds_a_secret(graded: Graded) -> None:
    for learner, rec in graded.records.items():
        if rec.status == st.FAILED:
            continue
        nb = graded.autograded(learner)
        shown = json.dumps(
            [c.get("outputs", []) for c in nb["cells"]]
            + [
                c["source"]
                for c in nb["cells"]
                if not c["metadata"].get("nbgrader", {}).get("solution")
                and not c["metadata"].get("kynangso", {}).get("added")
            ],
            ensure_ascii=False,
        )
        for secret in secrets(graded.course)[:4]:
            assert secret not in shown, (learner, secret)


def test_feedback_pages_hold_no_secret(graded: Graded) -> None:
    from nbgrader.api import Gradebook

    from kynangso.course.locate import course_settings
    from kynangso.grade.feedback import generate

    # A trainer grades the open answers in Formgrader (what its API does to the gradebook).
    with Gradebook(course_settings(graded.course)["db_url"]) as gb:
        for learner, points in (("submitted-correct", 1.0), ("submitted-wrong", 0.0), ("submitted-blank", 0.0)):
            for name, score in (("open-tu-luan", points), ("tieu-chi-tu-luan-1", 2 * points)):
                grade = gb.find_grade(name, EXAM, EXAM, learner)
                grade.manual_score, grade.needs_manual_grade = score, False
        gb.db.commit()
    pages, skipped = generate(graded.course, [EXAM])
    assert {p.parts[-3] for p in pages} == {"submitted-correct", "submitted-wrong", "submitted-blank"}
    assert {r.student for r in skipped} >= {"submitted-cheat-monkeypatch", "submitted-corrupt-json"}
    for page in pages:
        text = html.unescape(page.read_text(encoding="utf-8"))
        for secret in secrets(graded.course):
            assert secret not in text, (page, secret)


def test_grading_again_grades_nothing_that_did_not_change(graded: Graded) -> None:
    from kynangso.grade.runner import Grader

    grader = Grader(graded.course, cell_timeout=10)
    try:
        jobs = grader.jobs([EXAM], None)
        assert grader.run(jobs) == []
        assert len(grader.skipped) == len(jobs)
    finally:
        grader.close()
