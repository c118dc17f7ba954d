"""Each self-check widget, driven through its Python API as a learner's taps would (no kernel, no browser)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kynangso.lessons import encode_answer, start_lesson
from kynangso.lessons.answers import AnswerError
from kynangso.lessons.widgets import Matching, MultipleChoice, OrderSteps, ShortAnswer, SingleChoice, TrueFalse
from kynangso.lessons.widgets.base import INCOMPLETE, RIGHT, WRONG


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KYNANGSO_HOME", str(tmp_path))
    return tmp_path


def _progress(home: Path) -> dict:
    return json.loads((home / "progress.json").read_text(encoding="utf-8"))


def test_single_choice_wrong_then_right_with_explanation(home: Path) -> None:
    w = SingleChoice(
        "c1",
        "Ai cấp chứng nhận?",
        ["Sở Khoa học và Công nghệ", "Bưu điện"],
        encode_answer("c1", "Sở Khoa học và Công nghệ"),
        "Vì Sở quản lý.",
        lesson_id="orientation-99-thu",
    )
    assert "Vì Sở quản lý." not in w.question_html.value + w.feedback.value  # not before an answer
    w.select("Bưu điện")
    w.check_button.click()
    assert WRONG in w.feedback.value and "Vì Sở quản lý." in w.feedback.value
    w.select("Sở Khoa học và Công nghệ")
    assert w.feedback.value == ""  # a new choice clears the old verdict
    assert w.buttons[0].button_style == "info" and w.buttons[1].button_style == ""
    w.check_button.click()
    assert RIGHT in w.feedback.value
    entry = _progress(home)["selfchecks"]["orientation-99-thu"]["c1"]
    assert entry == {**entry, "attempts": 2, "correct": True, "ever_correct": True, "first_try_correct": False}


def test_nothing_chosen_asks_to_answer_and_records_nothing(home: Path) -> None:
    w = SingleChoice("c1", "?", ["A", "B"], encode_answer("c1", "A"), lesson_id="l")
    w.check_button.click()
    assert INCOMPLETE.split("“")[0] in w.feedback.value
    assert not (home / "progress.json").exists()


def test_multiple_choice_toggles() -> None:
    w = MultipleChoice("c2", "?", ["A", "B", "C"], encode_answer("c2", ["A", "C"], "multiple"))
    w.select("A", "B", "C", "B")  # tapping B twice unselects it
    assert w.response() == ["A", "C"]
    assert w.check() is True
    w.select("B")
    assert w.check() is False


def test_true_false() -> None:
    w = TrueFalse("c3", "Có thể đọc OTP cho cán bộ.", encode_answer("c3", False, "true_false"))
    w.select("Đúng")
    assert w.check() is False
    w.select("Sai")
    assert w.check() is True


def test_order_steps_by_tapping_in_order() -> None:
    steps = ["Bấm Cài đặt", "Mở CH Play", "Tìm tên ứng dụng"]
    w = OrderSteps(
        "c4", "Sắp xếp", steps, encode_answer("c4", ["Mở CH Play", "Tìm tên ứng dụng", "Bấm Cài đặt"], "order")
    )
    w.buttons[0].click()
    assert w.response() is None and w.buttons[0].disabled
    assert w.check() is None  # not finished yet
    w.arrange("Mở CH Play", "Bấm Cài đặt", "Tìm tên ứng dụng")
    assert w.check() is False
    w.reset_button.click()
    assert w.sequence == [] and not any(b.disabled for b in w.buttons)
    w.arrange("Mở CH Play", "Tìm tên ứng dụng", "Bấm Cài đặt")
    assert "<ol><li>Mở CH Play</li>" in w.chosen_html.value
    assert w.check() is True


def test_matching() -> None:
    pairs = {"Zalo": "Nhóm của thôn", "VNeID": "Định danh điện tử"}
    w = Matching(
        "c5",
        "Ghép",
        list(pairs),
        ["Định danh điện tử", "Nhóm của thôn", "Bán hàng"],
        encode_answer("c5", pairs, "matching"),
    )
    w.choose("Zalo", "Nhóm của thôn")
    assert w.check() is None
    w.choose("VNeID", "Bán hàng")
    assert w.check() is False
    w.choose("VNeID", "Định danh điện tử")
    assert w.check() is True


def test_short_answer_normalises() -> None:
    keys = [encode_answer("c6", a, "short", accents=False) for a in ("34", "ba mươi tư")]
    w = ShortAnswer("c6", "Bao nhiêu tỉnh?", keys, accents=False)
    w.type("   ")
    assert w.check() is None
    w.type("63")
    assert w.check() is False
    w.type(" Ba  muoi tu. ")
    assert w.check() is True
    assert "không dấu" in w.children[1].value


def test_plain_text_answer_is_refused() -> None:
    with pytest.raises(AnswerError, match="kns1-"):
        SingleChoice("c1", "?", ["A", "B"], "A")
    with pytest.raises(AnswerError, match="kns1-"):
        ShortAnswer("c1", "?", ["34"])


def test_html_is_escaped_and_phone_friendly() -> None:
    w = SingleChoice("c1", "Chọn <b>đúng</b> **một**", ["<script>x</script>", "B"], encode_answer("c1", "B"))
    assert "&lt;b&gt;đúng&lt;/b&gt; <b>một</b>" in w.question_html.value
    assert "font-family" in w.question_html.value and "min-height: 48px" in w.question_html.value
    assert all(b.layout.width == "100%" for b in w.buttons)
    assert "kns-check" in w._dom_classes


def test_finish_button_records_finished(home: Path) -> None:
    bai = start_lesson("orientation-99-thu")
    box = bai.finish()
    assert "finished" not in _progress(home)["lessons"]["orientation-99-thu"]
    box.children[0].click()
    assert "finished" in _progress(home)["lessons"]["orientation-99-thu"]
    assert "học xong" in box.children[1].value


def test_simulation_embeds_the_scenario_or_says_it_is_coming() -> None:
    import ipywidgets as widgets

    bai = start_lesson("orientation-99-thu")
    pending = bai.simulation("mo-phong-chua-co")
    assert (
        isinstance(pending, widgets.HTML)
        and "mo-phong-chua-co" in pending.value
        and "đang được chuẩn bị" in pending.value
    )
    real = bai.simulation("dvc-khai-sinh", mode="huong-dan")
    assert isinstance(real, widgets.Widget) and not isinstance(real, widgets.HTML)


def test_multiple_choice_says_several_answers_may_be_right() -> None:
    w = MultipleChoice("c2", "?", ["A", "B"], encode_answer("c2", ["A"], "multiple"))
    assert "nhiều ý đúng" in w.children[1].value
