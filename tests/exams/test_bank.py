"""The question bank: the shipped one is complete and valid; a broken one is reported by file, question, field."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from kynangso.exams.bank import BankError, default_bank_folder, load_bank, load_exam_file
from kynangso.exams.variants import variant_index
from kynangso.fronts import all_exams

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
        assert text.startswith("gov-1.toml, câu '") and f"trường '{issue.field}'" in text


def test_validator_reports_syntax_and_missing_files(tmp_path: Path) -> None:
    (tmp_path / "gov-1.toml").write_text('exam = "gov-1"\n[[questions]\n', encoding="utf-8")
    (tmp_path / "gov-9.toml").write_text('exam = "gov-9"\n', encoding="utf-8")
    with pytest.raises(BankError) as err:
        load_bank(tmp_path)
    message = str(err.value)
    assert "gov-1.toml: sai cú pháp TOML" in message
    assert "gov-9.toml: tên tệp phải là" in message
    assert "econ-2.toml: thiếu tệp đề" in message


# The econ lessons as the lesson plan fixes them (id → level); the notebooks are written later, so the plan is data.
ECON_LESSONS = {
    "econ-01-ban-hang-truc-tuyen": 1,
    "econ-02-thanh-toan-khong-tien-mat": 1,
    "econ-03-mo-gian-hang": 1,
    "econ-04-dang-san-pham": 2,
    "econ-05-don-hang-giao-hang": 2,
    "econ-06-thue-ban-hang-online": 2,
    "econ-07-so-sach-hop-tac-xa": 3,
}


def test_econ_exams_follow_the_lesson_plan() -> None:
    exams = {name: exam for name, exam in load_bank(BANK).items() if exam.front == "econ"}
    assert sorted(exams) == ["econ-1", "econ-2", "econ-3"]
    practical: dict[int, set[str]] = {}
    for exam in exams.values():
        assert len(exam.questions) >= 15, exam.name
        for q in exam.questions:
            if exam.level >= 2:
                assert len(q.variants) >= 2, (exam.name, q.id)
            assert q.taught_in, (exam.name, q.id)
            for lesson in q.taught_in:
                # A level-N exam may only ask what lessons of level <= N have taught.
                assert ECON_LESSONS.get(lesson, 99) <= exam.level, (exam.name, q.id, lesson)
        practical[exam.level] = {q.scenario for q in exam.questions if q.type == "practical"}
    assert practical[2] and practical[3] and not practical[2] & practical[3]
    assert practical[3] == {"hop-tac-xa-len-san"}
    [opened] = [q for q in exams["econ-3"].questions if q.type == "open"]
    assert any(r.required for r in opened.rubric)
