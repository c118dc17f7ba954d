"""The question bank: the shipped one is complete and valid; a broken one is reported by file, question, field."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from kynangso.exams.bank import BankError, default_bank_folder, load_bank, load_exam_file
from kynangso.exams.variants import variant_index
from kynangso.fronts import all_exams
from tests.support import REPO

BANK = default_bank_folder()


def test_shipped_bank_is_complete() -> None:
    exams = load_bank(BANK)
    assert list(exams) == all_exams()
    for exam in exams.values():
        types = [q.type for q in exam.questions]
        assert len(exam.questions) >= 8, exam.name
        if exam.level >= 2:
            assert "practical" in types, exam.name
        if exam.level == 3:
            opens = [q for q in exam.questions if q.type == "open"]
            assert len(opens) == 1 and opens[0].rubric, exam.name
        for q in exam.questions:
            assert q.front == exam.front and q.level == exam.level
            assert q.skill.startswith("digcomp-") and q.explanation and q.variants
            assert q.grade_id.split("-", 1)[0] in ("q", "practical", "open")


def test_bank_files_are_nfc_and_have_variants() -> None:
    for path in sorted(BANK.glob("*.toml")):
        text = path.read_text(encoding="utf-8")
        assert unicodedata.normalize("NFC", text) == text, path.name
    exams = load_bank(BANK)
    multi = sum(len(q.variants) >= 2 for e in exams.values() for q in e.questions if q.type != "practical")
    total = sum(1 for e in exams.values() for q in e.questions if q.type != "practical")
    assert multi == total, "every non-practical question has at least two variants"


def test_learners_get_different_variants_deterministically() -> None:
    exam = load_bank(BANK)["gov-1"]
    picks = {
        learner: [variant_index("gov-1", q.id, learner, len(q.variants)) for q in exam.questions]
        for learner in ("nguyen-van-an-1985", "tran-thi-binh-1990", "le-van-cuong-1978")
    }
    assert len({tuple(p) for p in picks.values()}) == 3
    again = [variant_index("gov-1", q.id, "nguyen-van-an-1985", len(q.variants)) for q in exam.questions]
    assert again == picks["nguyen-van-an-1985"]


# The lesson plan of the three fronts (lesson id -> level) and each front's level-3 case simulation.
def lesson_plan(front: str) -> dict[str, int]:
    """Each lesson of this front and its level, read from the lessons themselves (metadata.kynangso)."""
    from kynangso.lessons.catalogue import lessons

    plan = {info.id: info.level for info in lessons(REPO / "curriculum") if info.front == front}
    assert len(plan) >= 6, f"{front}: the exams need the front's lessons"
    return plan


LEVEL_3_CASE = {"gov": "ho-tro-vneid", "econ": "hop-tac-xa-len-san", "society": "ho-tro-nan-nhan-lua-dao"}


@pytest.mark.parametrize("front", sorted(LEVEL_3_CASE))
def test_front_exams_follow_the_lesson_plan(front: str) -> None:
    from kynangso.sims import list_scenarios

    plan = lesson_plan(front)
    sims = {i.id for i in list_scenarios() if i.front == front}
    exams = load_bank(BANK)
    practical: dict[int, set[str]] = {}
    for level in (1, 2, 3):
        exam = exams[f"{front}-{level}"]
        assert len(exam.questions) >= 15, exam.name
        for q in exam.questions:
            if level >= 2:
                assert len(q.variants) >= 2, f"{exam.name}/{q.id} needs two variants"
            assert q.taught_in, f"{exam.name}/{q.id} names no lesson"
            for lesson in q.taught_in:
                # A level-N exam may only ask what lessons of this front and of level <= N have taught.
                assert lesson in plan, f"{exam.name}/{q.id}: {lesson} is not a lesson of this front"
                assert plan[lesson] <= level, f"{exam.name}/{q.id} cites the higher-level {lesson}"
        practical[level] = {q.scenario for q in exam.questions if q.type == "practical"}
        assert practical[level] <= sims, exam.name
        opens = [q for q in exam.questions if q.type == "open"]
        if level == 3:
            assert len(opens) == 1 and any(r.required for r in opens[0].rubric), exam.name
    assert len(practical[2]) == 1 and practical[3] == {LEVEL_3_CASE[front]}
    assert practical[2] != practical[3], "the level-3 case must not be the level-2 practical"


BROKEN = """\
exam = "gov-1"

[[questions]]
id = "cau-mot"
type = "single"
points = 1
skill = "digcomp-9.9"
explanation = "Giải thích."
[[questions.variants]]
text = "Câu hỏi?"
choices = ["Một", "Hai"]
answer = "C"

[[questions]]
id = "cau-hai"
type = "numeric"
points = 1
skill = "digcomp-1.1"
explanation = "Đáp số là 2400 đồng."
[[questions.variants]]
text = "Bao nhiêu?"
answer = 2400

[[questions]]
id = "cau-ba"
type = "open"
points = 5
skill = "digcomp-2.4"
explanation = "Giải thích."
[[questions.rubric]]
criterion = "Ý chính"
points = 2
[[questions.variants]]
text = "Viết kế hoạch."

[[questions]]
id = "cau-mot"
type = "short"
points = 1
skill = "digcomp-1.1"
explanation = "Giải thích."
[[questions.variants]]
text = "Gì?"
answer = "được"

[[questions]]
id = "cau-bon"
type = "practical"
points = 4
skill = "digcomp-2.3"
scenario = "khong-co-tinh-huong-nay"
explanation = "Giải thích."
[[questions.variants]]
text = "Làm bài."
"""


def test_validator_names_file_question_and_field(tmp_path: Path) -> None:
    path = tmp_path / "gov-1.toml"
    path.write_text(BROKEN, encoding="utf-8")
    exam, issues = load_exam_file(path, "gov-1.toml")
    assert exam is None
    found = {(i.question, i.field) for i in issues}
    assert ("cau-mot", "skill") in found
    assert ("cau-mot", "variants[1].answer") in found
    assert ("cau-hai", "explanation") in found  # the answer would show in the learner's feedback
    assert ("cau-ba", "rubric") in found  # rubric points do not add up to the question's points
    assert ("cau-mot", "id") in found  # duplicate id
    assert ("cau-bon", "scenario") in found
    for issue in issues:
        text = str(issue)
        assert text.startswith("gov-1.toml: câu '") and f"trường '{issue.field}'" in text


def test_validator_reports_syntax_and_missing_files(tmp_path: Path) -> None:
    (tmp_path / "gov-1.toml").write_text('exam = "gov-1"\n[[questions]\n', encoding="utf-8")
    (tmp_path / "gov-9.toml").write_text('exam = "gov-9"\n', encoding="utf-8")
    with pytest.raises(BankError) as err:
        load_bank(tmp_path)
    message = str(err.value)
    assert "gov-1.toml: sai cú pháp TOML" in message
    assert "gov-9.toml: tên tệp phải là" in message
    assert "econ-2.toml: thiếu tệp đề" in message


def test_bank_file_in_an_unknown_format_version_is_refused_naming_the_key(tmp_path: Path) -> None:
    source = (BANK / "gov-1.toml").read_text(encoding="utf-8")
    assert "\nschema_version = 1\n" in source
    path = tmp_path / "gov-1.toml"
    path.write_text(source.replace("\nschema_version = 1\n", "\nschema_version = 2\n"), encoding="utf-8")
    exam, issues = load_exam_file(path, "gov-1.toml")
    assert exam is None
    assert [str(i) for i in issues] == [
        "gov-1.toml: trường 'schema_version': phiên bản định dạng 2 chưa hỗ trợ; chỉ hỗ trợ 1"
    ]
