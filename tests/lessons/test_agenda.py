"""Training agendas: data files checked against the lessons' metadata, Markdown generated from them."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kynangso.lessons import agenda_markdown
from kynangso.lessons.agenda import Agenda, AgendaError, exam_catalogue, load, load_all, needed_minutes
from kynangso.lessons.catalogue import lessons
from kynangso.lessons.validate import known_scenarios
from tests.support import REPO

CURRICULUM = REPO / "curriculum"
CASES = REPO / "tests" / "data" / "agendas"
EXAMS = exam_catalogue()


def _load(name: str) -> Agenda:
    return load(CASES / f"{name}.toml", lessons(CURRICULUM), known_scenarios(), EXAMS)


def _refusals(name: str) -> list[str]:
    with pytest.raises(AgendaError) as caught:
        _load(name)
    return [str(p) for p in caught.value.problems]


def test_committed_agendas_equal_the_generated_markdown() -> None:
    generated = agenda_markdown.generate(CURRICULUM)
    assert {p.name for p in generated} == {"chuong-trinh-1-ngay.md", "chuong-trinh-3-ngay.md"}
    for target, text in generated.items():
        assert target.read_text(encoding="utf-8") == text, f"{target} is stale: run `kynangso lessons agenda`"


def test_every_session_holds_its_lessons_and_exams() -> None:
    agendas = load_all(CURRICULUM)
    assert agendas
    for agenda in agendas:
        sessions = [s for day in agenda.days for s in day.sessions]
        assert all(s.minutes >= needed_minutes(s, EXAMS) for s in sessions)
        assert any(s.lessons for s in sessions) and any(s.exams for s in sessions)


def test_one_day_agenda_is_level_one_and_its_exam_asks_only_what_was_taught() -> None:
    (one_day,) = [a for a in load_all(CURRICULUM) if a.path.stem == "1-ngay"]
    taught = {i.id for i in one_day.scheduled}
    assert {i.level for i in one_day.scheduled} == {1}
    assert "orientation-00-bat-dau" in taught
    assert {i.front for i in one_day.scheduled} >= {"orientation", "gov", "society"}
    from kynangso.exams.bank import default_bank_folder, load_bank

    exams = [e for day in one_day.days for s in day.sessions for e in s.exams]
    assert exams == ["gov-1"]
    bank = load_bank(default_bank_folder(), require_all=False)
    asked = {lesson for q in bank["gov-1"].questions for lesson in q.taught_in}
    assert asked <= taught | set(one_day.known)


def test_markdown_links_every_scheduled_lesson_by_title_and_path_and_lists_the_rest_for_self_study() -> None:
    for agenda in load_all(CURRICULUM):
        text = agenda_markdown.target_of(agenda.path).read_text(encoding="utf-8")
        for info in agenda.catalogue:
            link = f"[{info.title}](../{info.path.as_posix()})"
            assert link in text, f"{agenda.path.name}: {info.id} neither scheduled, known nor left for self-study"
        self_study = text.split("## Tự học sau khóa", 1)[1]
        for info in agenda.scheduled:
            assert f"({info.path.as_posix()})" not in self_study
        assert "Tiến độ của tôi" in self_study


def test_valid_short_course_loads() -> None:
    agenda = _load("valid-short-course")
    assert [i.id for i in agenda.scheduled] == ["orientation-00-bat-dau", "orientation-01-vai-tro-cua-to"]


def test_prerequisite_marked_known_is_accepted() -> None:
    agenda = _load("prerequisite-marked-known")
    assert list(agenda.known) == ["orientation-02-dien-thoai-co-ban"]
    text = agenda_markdown.render(agenda, EXAMS)
    assert "Học viên cần biết trước" in text and "học viên đã học ở khóa trước" in text


REFUSALS = {
    "unknown-lesson": ("day[1].session[2].lessons[1]", "không có bài học mã 'orientation-09-khong-co'"),
    "unknown-simulation": ("day[1].session[1].simulations[1]", "không có mô phỏng 'khong-co-mo-phong'"),
    "unknown-simulation-mode": ("day[1].session[1].mode", "chế độ mô phỏng 'thi-that' không có"),
    "unknown-exam": ("day[1].session[4].exams[1]", "không có bài thi 'gov-9'"),
    "known-unknown-lesson": ("known.orientation-09-khong-co", "không có bài học mã"),
    "session-shorter-than-its-lessons": ("day[1].session[2].end", "dài 40 phút (7:50–8:30) nhưng cần 50 phút"),
    "session-shorter-than-its-exam": ("day[1].session[4].end", "dài 25 phút (8:55–9:20) nhưng cần 35 phút"),
    "sessions-overlap": ("day[1].session[2].start", "bắt đầu 7:40, chồng lên phiên trước"),
    "sessions-out-of-order": ("day[1].session[2].start", "bắt đầu 7:30, đứng trước phiên trước"),
    "end-before-start": ("day[1].session[1].end", "giờ kết thúc 7:20 phải sau giờ bắt đầu 7:30"),
    "bad-time": ("day[1].session[4].start", 'giờ phải viết dạng "07:30"'),
    "lesson-before-its-prerequisite": (
        "day[1].session[1].lessons[1]",
        "trước bài 'orientation-04-huong-dan-nguoi-lon' phải học bài 'orientation-02-dien-thoai-co-ban'",
    ),
    "lesson-without-its-prerequisite": ("day[1].session[1].lessons[1]", "ghi nó vào [known]"),
    "lesson-scheduled-twice": ("day[1].session[2].lessons[1]", "đã xếp ở day[1].session[1]"),
    "exam-before-the-lessons-it-asks": (
        "day[1].session[4].exams[1]",
        "đề 'gov-1' hỏi điều dạy trong bài 'gov-01-vneid'",
    ),
    "misspelt-key": ("day[1].session[2].lesson", "không có mục này"),
    "break-with-a-lesson": ("day[1].session[3]", "giờ giải lao không xếp bài học"),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_refused(case: str) -> None:
    key, fragment = REFUSALS[case]
    path = CASES / f"{case}.toml"
    problems = _refusals(case)
    assert any(p.startswith(f"{path}: {key}: ") and fragment in p for p in problems), problems


def test_prerequisite_scheduled_later_is_named_in_the_message() -> None:
    (problem,) = _refusals("lesson-before-its-prerequisite")
    assert "đang xếp sau, ở day[1].session[2]" in problem


@pytest.fixture()
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "curriculum"
    shutil.copytree(CURRICULUM, target, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return target


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kynangso", "lessons", "agenda", *args], capture_output=True, text=True
    )


def _set_minutes(curriculum: Path, lesson: str, practice: int) -> None:
    path = curriculum / lesson
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["metadata"]["kynangso"]["minutes_practice"] = practice
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")


def test_a_shorter_lesson_makes_the_markdown_stale_and_the_command_rewrites_it(copy: Path) -> None:
    _set_minutes(copy, "digital-government/01-vneid.ipynb", 25)
    stale = _run("--check", "--curriculum", str(copy))
    assert stale.returncode == 1 and "chuong-trinh-1-ngay.md chưa cập nhật" in stale.stderr
    wrote = _run("--curriculum", str(copy))
    assert wrote.returncode == 0, wrote.stderr
    text = (copy / "trainer-kit" / "chuong-trinh-1-ngay.md").read_text(encoding="utf-8")
    assert "(../digital-government/01-vneid.ipynb) (60 phút)" in text
    assert _run("--check", "--curriculum", str(copy)).returncode == 0


def test_a_lesson_outgrowing_its_slot_is_refused_and_nothing_is_written(copy: Path) -> None:
    _set_minutes(copy, "digital-government/01-vneid.ipynb", 45)
    md = copy / "trainer-kit" / "chuong-trinh-1-ngay.md"
    before = md.read_bytes()
    run = _run("--curriculum", str(copy))
    assert run.returncode == 1
    toml = copy / "trainer-kit" / "agendas" / "1-ngay.toml"
    assert f"{toml}: day[1].session[5].end: phiên “Chính quyền số: kích hoạt" in run.stderr
    assert "cần 80 phút (gov-01-vneid: 35 + 45)" in run.stderr
    assert "chưa ghi chương trình nào" in run.stderr
    assert md.read_bytes() == before


def test_every_relative_link_of_the_trainer_kit_resolves() -> None:
    kit = CURRICULUM / "trainer-kit"
    for page in sorted(kit.glob("*.md")):
        for target in re.findall(r"\]\(([^)]+)\)", page.read_text(encoding="utf-8")):
            if "://" in target:
                continue
            assert (kit / target.split("#")[0]).exists(), f"{page.name}: link to {target} leads nowhere"
