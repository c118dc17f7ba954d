"""Grading is pure: every kind grades right and wrong answers correctly, without a kernel."""

from __future__ import annotations

import pytest

from kynangso.lessons.answers import AnswerError, encode_answer, grade, is_key, normalize_short, strip_accents


def test_normalisation_nfc_case_spacing_punctuation() -> None:
    nfd = "So\u031b\u0309 Khoa ho\u0323c"  # "Sở Khoa học" typed as decomposed letters
    assert normalize_short(f"  {nfd}   VÀ  công nghệ. ") == "sở khoa học và công nghệ"
    assert strip_accents("Đường Sở Khoa học") == "Duong So Khoa hoc"
    assert normalize_short("Sở Khoa học", accents=False) == "so khoa hoc"


@pytest.mark.parametrize(
    ("kind", "right", "wrong"),
    [
        ("single", "Văn bản 793/BTTTT-THH", "Quyết định 146/QĐ-TTg"),
        ("true_false", False, True),
        ("multiple", ["A", "C"], ["A"]),
        ("order", ["Mở CH Play", "Tìm", "Cài"], ["Tìm", "Mở CH Play", "Cài"]),
        ("matching", {"Zalo": "Nhắn tin", "VNeID": "Định danh"}, {"Zalo": "Định danh", "VNeID": "Nhắn tin"}),
        ("short", "Sở Khoa học và Công nghệ", "Sở Thông tin và Truyền thông"),
    ],
)
def test_each_kind_grades_right_and_wrong(kind: str, right: object, wrong: object) -> None:
    key = encode_answer("c1", right, kind)
    assert is_key(key)
    assert grade("c1", kind, right, key)
    assert not grade("c1", kind, wrong, key)


def test_multiple_choice_ignores_order_of_choices_but_not_missing_ones() -> None:
    key = encode_answer("c2", ["A", "B", "C"], "multiple")
    assert grade("c2", "multiple", ["C", "A", "B"], key)
    assert not grade("c2", "multiple", ["A", "B"], key)
    assert not grade("c2", "multiple", ["A", "B", "C", "D"], key)


def test_short_answer_accent_insensitive_only_when_allowed() -> None:
    strict = encode_answer("c3", "Hà Nội", "short")
    loose = encode_answer("c3", "Hà Nội", "short", accents=False)
    assert grade("c3", "short", " hà  NỘI ", strict)
    assert not grade("c3", "short", "ha noi", strict)
    assert grade("c3", "short", "ha noi", loose, accents=False)
    assert grade("c3", "short", "Hà Nội!", loose, accents=False)


def test_key_is_salted_by_question_and_kind() -> None:
    assert encode_answer("c1", "Đúng") != encode_answer("c2", "Đúng")
    assert encode_answer("c1", "A", "single") != encode_answer("c1", "A", "short")
    # The key does not contain the answer in any readable form.
    key = encode_answer("c1", "Sở Khoa học và Công nghệ")
    assert "khoa" not in key.lower()


def test_unreadable_responses_are_wrong_not_errors() -> None:
    key = encode_answer("c1", ["a", "b"], "order")
    assert not grade("c1", "order", None, key)
    assert not grade("c1", "order", "ab", key)
    with pytest.raises(AnswerError, match="đúng/sai"):
        encode_answer("c1", "đúng", "true_false")
    with pytest.raises(AnswerError, match="không có loại"):
        encode_answer("c1", "x", "essay")


@pytest.mark.parametrize(
    ("args", "kind", "answer", "accents"),
    [
        (["--id", "c1", "Sở Khoa học và Công nghệ"], "single", "Sở Khoa học và Công nghệ", True),
        (["--id", "c2", "--kind", "multiple", "B", "A"], "multiple", ["A", "B"], True),
        (["--id", "c3", "--kind", "true-false", "Sai"], "true_false", False, True),
        (["--id", "c4", "--kind", "order", "x", "y", "z"], "order", ["x", "y", "z"], True),
        (
            ["--id", "c5", "--kind", "matching", "Zalo=Nhóm", "VNeID=Định danh"],
            "matching",
            {"VNeID": "Định danh", "Zalo": "Nhóm"},
            True,
        ),
    ],
)
def test_encode_command_prints_the_key_to_paste(
    args: list[str], kind: str, answer: object, accents: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    from kynangso.cli import main

    assert main(["lessons", "encode", *args]) == 0
    printed = capsys.readouterr().out.strip()
    assert printed == f'key="{encode_answer(args[1], answer, kind)}"'


def test_encode_command_short_answers_and_errors(capsys: pytest.CaptureFixture[str]) -> None:
    from kynangso.cli import main

    assert main(["lessons", "encode", "--id", "c6", "--kind", "short", "--no-accents", "34", "ba mươi tư"]) == 0
    keys = [encode_answer("c6", a, "short", accents=False) for a in ("34", "ba mươi tư")]
    assert capsys.readouterr().out.strip() == "keys=[" + ", ".join(f'"{k}"' for k in keys) + "]"
    assert main(["lessons", "encode", "--id", "c1", "A", "B"]) == 2
    assert "câu một lựa chọn cần đúng một đáp án" in capsys.readouterr().err
    assert main(["lessons", "encode", "--id", "c5", "--kind", "matching", "Zalo"]) == 2
    assert "vế trái=vế phải" in capsys.readouterr().err
