"""The validator refuses a self-check a learner could read the answer of, or that is not written as data:
explanation or right answer in the visible notebook, a cell not hidden, a key that matches no option."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kynangso.lessons.answers import encode_answer
from tests.lessons.model import append_to, cell_with, check_cell, definition, messages, source, variant


def _found(tmp_path: Path, change: Any) -> list[str]:
    return messages(variant(tmp_path, change))


def _has(found: list[str], *parts: str) -> bool:
    return any(all(p in m for p in parts) for m in found)


def test_the_model_lesson_keeps_its_answers_out_of_sight(tmp_path: Path) -> None:
    assert _found(tmp_path, None) == []


@pytest.mark.parametrize("where", ["## Kiến thức", "## Ghi chú cho giảng viên", "## Tự kiểm tra"])
def test_explanation_in_any_markdown_cell(tmp_path: Path, where: str) -> None:
    def change(raw: dict) -> None:
        append_to(raw, where, "\n\n" + definition(raw, "c2")["explanation"])

    found = _found(tmp_path, change)
    assert _has(found, f"(mục '{where}'): ô này chứa lời giải thích của câu 'c2'"), found


def test_explanation_in_a_code_cell(tmp_path: Path) -> None:
    def change(raw: dict) -> None:
        explanation = definition(raw, "c1")["explanation"]
        append_to(raw, "start_lesson(", f"\n# {explanation}")

    assert _has(_found(tmp_path, change), "ô 2", "chứa lời giải thích của câu 'c1'")


def test_explanation_found_whatever_its_spacing_and_markup(tmp_path: Path) -> None:
    def change(raw: dict) -> None:
        words = definition(raw, "c2")["explanation"].split(" ")
        append_to(raw, "## Kiến thức", "\n\n**" + " ".join(words[:5]) + "**\n" + " ".join(words[5:]))

    assert _has(_found(tmp_path, change), "chứa lời giải thích của câu 'c2'")


def test_right_option_next_to_the_questions(tmp_path: Path) -> None:
    found = _found(
        tmp_path, lambda raw: append_to(raw, "## Tự kiểm tra", "\n\nGợi ý: Nghị định 55/2025/NĐ-CP thì sai.")
    )
    assert not _has(found, "câu 'c1'")  # a wrong option gives nothing away
    found = _found(
        tmp_path, lambda raw: append_to(raw, "## Tự kiểm tra", "\n\nGợi ý: văn bản 793/BTTTT-THH ngày 05/03/2022.")
    )
    assert _has(found, "(mục '## Tự kiểm tra'): ô này để lộ đáp án của câu 'c1' (phương án đúng “Văn bản 793"), found


def test_right_answer_in_a_code_comment(tmp_path: Path) -> None:
    found = _found(tmp_path, lambda raw: append_to(raw, "start_lesson(", "\n# c5: 34"))
    assert _has(found, "ô 2", "để lộ đáp án của câu 'c5' (đáp án được chấp nhận “34”)"), found


def test_short_answer_on_its_own_is_a_leak_inside_a_sentence_it_is_not(tmp_path: Path) -> None:
    leak = _found(tmp_path, lambda raw: append_to(raw, "## Tự kiểm tra", "\n\n(Đáp án câu cuối: 34.)"))
    assert _has(leak, "để lộ đáp án của câu 'c5'")
    fine = _found(tmp_path, lambda raw: append_to(raw, "## Tự kiểm tra", "\n\nCó 34 câu hỏi trong kho."))
    assert not _has(fine, "câu 'c5'"), fine


def test_steps_in_the_right_order_next_to_the_questions(tmp_path: Path) -> None:
    def change(raw: dict) -> None:
        spec = definition(raw, "c3")
        right = {"Hướng dẫn nộp hồ sơ khai sinh trực tuyến": "Chính quyền số"}
        assert encode_answer("c3", {**dict(zip(spec["left"], spec["right"], strict=True)), **right}, "matching")
        append_to(raw, "## Tự kiểm tra", "\n\n- Hướng dẫn nộp hồ sơ khai sinh trực tuyến: Chính quyền số")

    assert _has(_found(tmp_path, change), "để lộ đáp án của câu 'c3' (cặp đúng")


def test_order_written_in_the_right_order(tmp_path: Path) -> None:
    steps = ["Mở CH Play", "Gõ tên ứng dụng", "Bấm Cài đặt"]

    def change(raw: dict) -> None:
        cell = check_cell(raw, "c1")
        cell["metadata"]["kynangso"]["self_check"] = {
            "id": "c1",
            "kind": "order",
            "question": "Sắp xếp các bước:",
            "steps": [steps[2], steps[0], steps[1]],
            "key": encode_answer("c1", steps, "order"),
            "explanation": "Tìm trong cửa hàng chính thức rồi mới cài.",
        }
        append_to(raw, "## Tự kiểm tra", "\n\nNhớ: " + " → ".join(steps) + ".")

    assert _has(_found(tmp_path, change), "để lộ đáp án của câu 'c1' (các bước theo đúng thứ tự)")


def test_stored_order_that_is_the_answer(tmp_path: Path) -> None:
    steps = ["Mở CH Play", "Gõ tên ứng dụng", "Bấm Cài đặt"]

    def change(raw: dict) -> None:
        spec = definition(raw, "c1")
        spec.clear()
        spec.update(
            id="c1", kind="order", question="Sắp xếp các bước:", steps=steps,
            key=encode_answer("c1", steps, "order"), explanation="Tìm trong cửa hàng chính thức rồi mới cài.",
        )  # fmt: skip

    assert _has(_found(tmp_path, change), "câu 'c1'", "thứ tự lưu trong bài đang chính là đáp án")


def test_self_check_cell_that_is_not_hidden(tmp_path: Path) -> None:
    found = _found(tmp_path, lambda raw: check_cell(raw, "c4")["metadata"].pop("jupyter"))
    assert _has(found, "(câu 'c4'): ô tự kiểm tra chưa ẩn mã: cần metadata.jupyter.source_hidden = true"), found
    shown = _found(tmp_path, lambda raw: check_cell(raw, "c4")["metadata"].update(jupyter={"source_hidden": False}))
    assert _has(shown, "(câu 'c4'): ô tự kiểm tra chưa ẩn mã")


def test_self_check_cell_without_its_tag(tmp_path: Path) -> None:
    found = _found(tmp_path, lambda raw: check_cell(raw, "c4")["metadata"].pop("tags"))
    assert _has(found, "(câu 'c4'): ô tự kiểm tra phải gắn thẻ (tag) 'self-check'"), found


def test_self_check_source_must_be_the_one_call(tmp_path: Path) -> None:
    def change(raw: dict) -> None:
        check_cell(raw, "c4")["source"] = 'bai.tu_kiem_tra("c4")\nprint("xem đáp án")'

    assert _has(_found(tmp_path, change), "(câu 'c4'): mã trong ô chỉ được là một dòng gọi câu hỏi")
    other = _found(tmp_path, lambda raw: check_cell(raw, "c4").update(source='bai.tu_kiem_tra("c9")'))
    assert _has(other, "ô gọi tu_kiem_tra('c9') nhưng định nghĩa là câu 'c4'")


def test_call_without_a_definition(tmp_path: Path) -> None:
    found = _found(tmp_path, lambda raw: check_cell(raw, "c4")["metadata"].pop("kynangso"))
    assert _has(found, "ô gọi tu_kiem_tra nhưng không có định nghĩa câu hỏi (metadata.kynangso.self_check)"), found


def test_self_check_outside_its_section(tmp_path: Path) -> None:
    def move(raw: dict) -> None:
        cell = check_cell(raw, "c4")
        raw["cells"].remove(cell)
        raw["cells"].insert(raw["cells"].index(cell_with(raw, "## Kiến thức")) + 1, cell)

    assert _has(_found(tmp_path, move), "(câu 'c4'): câu tự kiểm tra phải nằm trong mục '## Tự kiểm tra'")


def test_key_that_matches_no_option(tmp_path: Path) -> None:
    found = _found(tmp_path, lambda raw: definition(raw, "c1").update(key=encode_answer("c1", "Văn bản khác")))
    assert _has(found, "(câu 'c1'): metadata.kynangso.self_check.key: khóa đáp án không khớp phương án nào"), found


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"key": "Văn bản 793/BTTTT-THH"}, "metadata.kynangso.self_check.key: khóa đáp án phải có dạng 'kns1-'"),
        ({"kind": "chon-mot"}, "metadata.kynangso.self_check.kind: phải là một trong 'single'"),
        ({"options": ["Chỉ một"]}, "metadata.kynangso.self_check.options: cần ít nhất 2 mục"),
        ({"options": None}, "metadata.kynangso.self_check: thiếu trường 'options'"),
        ({"explanation": None}, "metadata.kynangso.self_check: thiếu trường 'explanation'"),
        ({"steps": ["a b", "c d"]}, 'metadata.kynangso.self_check: trường "steps" không dùng cho loại câu này'),
    ],
)
def test_definition_mistakes_name_the_cell_and_key(tmp_path: Path, change: dict, expected: str) -> None:
    def apply(raw: dict) -> None:
        spec = definition(raw, "c1")
        for key, value in change.items():
            if value is None:
                spec.pop(key)
            else:
                spec[key] = value

    found = _found(tmp_path, apply)
    assert _has(found, "ô 9 (câu 'c1'): " + expected), found


def test_the_v1_way_of_writing_a_self_check_is_refused(tmp_path: Path) -> None:
    old = (
        'bai.true_false("c9", "Có thể đọc OTP cho cán bộ.", '
        f'key="{encode_answer("c9", False, "true_false")}", explanation="Không bao giờ đọc OTP cho ai.")'
    )

    def change(raw: dict) -> None:
        index = raw["cells"].index(check_cell(raw, "c5")) + 1
        raw["cells"].insert(index, {"cell_type": "code", "id": "cu", "metadata": {}, "execution_count": None,
                                    "outputs": [], "source": old})  # fmt: skip

    found = _found(tmp_path, change)
    assert _has(found, "câu tự kiểm tra viết thẳng trong mã (định dạng cũ)"), found


def test_duplicate_check_id(tmp_path: Path) -> None:
    def change(raw: dict) -> None:
        cell = check_cell(raw, "c2")
        raw["cells"].insert(raw["cells"].index(cell) + 1, {**cell, "id": "ban-sao"})

    assert _has(_found(tmp_path, change), "mã câu 'c2' đã dùng ở ô")


def test_a_lesson_without_self_checks(tmp_path: Path) -> None:
    def drop(raw: dict) -> None:
        raw["cells"] = [c for c in raw["cells"] if "self-check" not in c.get("metadata", {}).get("tags", [])]

    assert _has(_found(tmp_path, drop), "mục '## Tự kiểm tra': chưa có câu tự kiểm tra nào")


def test_self_check_text_must_be_nfc(tmp_path: Path) -> None:
    found = _found(tmp_path, lambda raw: definition(raw, "c2").update(question="Ho\u0302m nay Tổ báo cáo qua huyện."))
    assert _has(found, "metadata.kynangso.self_check.question: chữ chưa chuẩn hóa Unicode NFC"), found


def test_visible_source_of_every_self_check_is_one_call(tmp_path: Path) -> None:
    raw_text = variant(tmp_path).read_text(encoding="utf-8")
    import json

    raw = json.loads(raw_text)
    calls = [source(c) for c in raw["cells"] if "self-check" in c["metadata"].get("tags", [])]
    assert calls == [f'bai.tu_kiem_tra("c{n}")' for n in range(1, 7)]
