"""The lesson runtime finds its own notebook and builds each kind of self-check from the hidden cell's metadata
(no kernel: widgets driven through their Python API, as a learner's taps would)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kynangso.lessons import start_lesson
from kynangso.lessons.authoring import CheckRequest, upsert_check, write_notebook
from kynangso.lessons.lesson import LessonNotFound, find_notebook
from kynangso.lessons.newlesson import NewLesson, skeleton
from kynangso.lessons.widgets import Matching, MultipleChoice, OrderSteps, ShortAnswer, SingleChoice, TrueFalse
from kynangso.lessons.widgets.base import RIGHT, WRONG, SelfCheck
from tests.lessons.model import MODEL

LESSON_ID = "gov-01-thu"
REQUESTS = [
    CheckRequest("c1", "single", "Ai ký quyết định lập Tổ?", "Chủ tịch xã ký.", options=["Trưởng thôn", "Chủ tịch Ủy ban nhân dân xã"], answers=["2"]),
    CheckRequest("c2", "multiple", "Chọn ứng dụng chính thức:", "VNeID và CH Play.", options=["VNeID", "Ứng dụng lạ", "CH Play"], answers=["1", "3"]),
    CheckRequest("c3", "true_false", "Có thể đọc OTP cho cán bộ.", "Không bao giờ.", answers=["sai"]),
    CheckRequest("c4", "order", "Sắp xếp:", "Mở, tìm, cài.", steps=["Mở CH Play", "Tìm ứng dụng", "Bấm Cài đặt"]),
    CheckRequest("c5", "matching", "Ghép:", "Zalo nhắn tin, VNeID định danh.", pairs=["Zalo=Nhắn tin", "VNeID=Định danh"], extras=["Bán hàng"]),
    CheckRequest("c6", "short", "Bao nhiêu tỉnh, thành phố?", "Có 34.", answers=["34", "ba mươi tư"], accents=False),
]  # fmt: skip
RIGHT_ANSWERS: dict[str, Any] = {
    "c1": ("Chủ tịch Ủy ban nhân dân xã",),
    "c2": ("VNeID", "CH Play"),
    "c3": ("Sai",),
    "c4": ("Mở CH Play", "Tìm ứng dụng", "Bấm Cài đặt"),
    "c5": {"Zalo": "Nhắn tin", "VNeID": "Định danh"},
    "c6": "Ba muoi tu",
}
WIDGETS = {
    "c1": SingleChoice,
    "c2": MultipleChoice,
    "c3": TrueFalse,
    "c4": OrderSteps,
    "c5": Matching,
    "c6": ShortAnswer,
}


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KYNANGSO_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    return tmp_path / "home"


@pytest.fixture
def lesson(tmp_path: Path) -> Path:
    """A lesson with one self-check of each kind, written as `kynangso lessons check` writes them."""
    folder = tmp_path / "curriculum" / "digital-government"
    folder.mkdir(parents=True)
    path = folder / "01-thu.ipynb"
    raw = skeleton(NewLesson("gov", "01-thu", "Bài thử", 1), folder, {})
    write_notebook(path, raw)
    for request in REQUESTS:
        upsert_check(path, request.spec())
    return path


def _answer(w: SelfCheck, answer: Any) -> None:
    if isinstance(w, OrderSteps):
        w.arrange(*answer)
    elif isinstance(w, Matching):
        for left, right in answer.items():
            w.choose(left, right)
    elif isinstance(w, ShortAnswer):
        w.type(answer)
    else:
        w.chosen = set()
        w.select(*answer)


def _wrong(w: SelfCheck) -> Any:
    if isinstance(w, OrderSteps):
        return tuple(reversed(RIGHT_ANSWERS[w.check_id]))
    if isinstance(w, Matching):
        return {"Zalo": "Bán hàng", "VNeID": "Định danh"}
    if isinstance(w, ShortAnswer):
        return "63"
    if isinstance(w, TrueFalse):
        return ("Đúng",)
    return (w.options[0],) if w.check_id == "c1" else ("Ứng dụng lạ",)


@pytest.mark.parametrize("check_id", list(WIDGETS))
def test_each_kind_is_built_from_the_metadata_and_graded(
    lesson: Path, monkeypatch: pytest.MonkeyPatch, check_id: str
) -> None:
    monkeypatch.chdir(lesson.parent)  # where JupyterLab, Voilà and nbclient run a notebook
    bai = start_lesson(LESSON_ID)
    w = bai.tu_kiem_tra(check_id)
    request = next(r for r in REQUESTS if r.check_id == check_id)
    assert type(w) is WIDGETS[check_id] and w.lesson_id == LESSON_ID
    assert request.question in w.question_html.value
    shown = json.dumps([getattr(c, "value", "") for c in w.children], ensure_ascii=False)
    assert request.explanation not in shown  # only after an answer
    _answer(w, _wrong(w))
    assert w.check() is False and WRONG in w.feedback.value and request.explanation in w.feedback.value
    _answer(w, RIGHT_ANSWERS[check_id])
    assert w.check() is True and RIGHT in w.feedback.value
    assert bai.notebook == lesson


def test_every_self_check_of_the_model_lesson_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(MODEL.parent)
    bai = start_lesson("orientation-01-vai-tro-cua-to")
    built = [bai.tu_kiem_tra(f"c{n}") for n in range(1, 7)]
    assert [type(w) for w in built] == [SingleChoice, TrueFalse, Matching, MultipleChoice, ShortAnswer, SingleChoice]
    c2 = built[1]
    c2.select("Sai")
    assert c2.check() is True and "không còn cấp huyện" in c2.feedback.value


def test_the_notebook_is_found_by_its_id_not_its_name(lesson: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = lesson.with_name("01-thu (ban sao).ipynb")
    copy.write_bytes(lesson.read_bytes())
    lesson.unlink()
    (lesson.parent / "khac.ipynb").write_text('{"cells": [], "metadata": {"kynangso": {"id": "x"}}}', encoding="utf-8")
    monkeypatch.chdir(lesson.parent)
    assert find_notebook(LESSON_ID) == copy.resolve()


def test_jupyterlab_session_notebook_comes_first(lesson: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    other = lesson.with_name("02-ban-cua-toi.ipynb")
    other.write_bytes(lesson.read_bytes())
    monkeypatch.chdir(lesson.parent)
    monkeypatch.setenv("JPY_SESSION_NAME", f"curriculum/digital-government/{other.name}")
    assert find_notebook(LESSON_ID) == other.resolve()


def test_from_another_folder_the_curriculum_is_searched(lesson: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = lesson.parents[1] / "trainer-kit"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert find_notebook(LESSON_ID) == lesson.resolve()


def test_a_lesson_that_cannot_be_found_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "curriculum").mkdir()
    monkeypatch.chdir(tmp_path / "curriculum")
    with pytest.raises(LessonNotFound, match="Không tìm thấy tệp bài học 'gov-09-khong-co'"):
        start_lesson("gov-09-khong-co").tu_kiem_tra("c1")


def test_an_unknown_check_id_says_so(lesson: Path) -> None:
    from kynangso.lessons.selfcheck import SpecError

    with pytest.raises(SpecError, match="bài không có câu tự kiểm tra 'c9'"):
        start_lesson(LESSON_ID, notebook=lesson).tu_kiem_tra("c9")
