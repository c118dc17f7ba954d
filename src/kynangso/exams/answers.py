"""Reading a learner's answer: the form check (shown to the learner) and the comparison with the key (hidden).

``problem()`` says only whether an answer is missing or has the wrong form — never whether it is right — so the
visible half of a test cell (and nbgrader Validate) cannot be used to probe the key.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

LETTERS = "ABCDEF"


def normalize_text(text: str) -> str:
    """NFC, case-folded, single spaces, no surrounding quotes or final full stop."""
    text = unicodedata.normalize("NFC", str(text)).casefold().strip().strip("\"'“”").strip()
    text = re.sub(r"\s+", " ", text)
    return text.rstrip(".").strip()


def parse_number(value: Any) -> float | None:
    """A number as a learner may write it: 2400000, 2.5, "2.400.000", "2,5", "150.000 đồng"."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if not isinstance(value, str):
        return None
    text = re.sub(r"(?i)\s*(đồng|đ|vnd|vnđ|%)\s*$", "", value.strip()).replace(" ", "")
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+", text):
        text = text.replace(".", "")
    elif re.fullmatch(r"-?\d+,\d+", text):
        text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return None


def is_decimal_comma(value: Any) -> bool:
    """``tra_loi_3 = 0,5`` typed in a notebook (the Vietnamese decimal comma) is Python's tuple ``(0, 5)``; the
    grader reads the number from the text of the cell, so the form is fine."""
    return (
        isinstance(value, tuple)
        and len(value) == 2
        and all(isinstance(x, int) and not isinstance(x, bool) for x in value)
        and value[1] >= 0
    )


def letters_of(value: Any) -> list[str] | None:
    if isinstance(value, str):
        found = re.findall(r"[A-Za-z]", value)
        if not found or re.sub(r"[A-Za-z,;\s]", "", value):
            return None
        return [x.upper() for x in found]
    if isinstance(value, list | tuple | set) and all(isinstance(x, str) and len(x.strip()) == 1 for x in value):
        return [x.strip().upper() for x in value]
    return None


def problem(qtype: str, value: Any, size: int = 0) -> str | None:
    """What is wrong with the *form* of an answer (Vietnamese), or None when it can be graded."""
    if value is ... or value is None or (isinstance(value, str) and not value.strip()):
        return "chưa có câu trả lời (vẫn còn dấu ...)"
    if qtype == "single":
        letters = letters_of(value)
        if letters is None or len(letters) != 1:
            return 'cần đúng một chữ cái trong ngoặc kép, ví dụ "B"'
        if letters[0] not in LETTERS[:size]:
            return f"chỉ chọn một trong các chữ {', '.join(LETTERS[:size])}"
    elif qtype == "multiple":
        letters = letters_of(value)
        if letters is None or not letters:
            return 'cần một danh sách chữ cái, ví dụ ["A", "C"]'
        if any(x not in LETTERS[:size] for x in letters) or len(set(letters)) != len(letters):
            return f"chỉ dùng các chữ {', '.join(LETTERS[:size])}, mỗi chữ một lần"
    elif qtype == "order":
        if not isinstance(value, list | tuple) or not all(
            isinstance(x, int) and not isinstance(x, bool) for x in value
        ):
            return f"cần một danh sách {size} số thứ tự, ví dụ {list(range(1, size + 1))}"
        if sorted(value) != list(range(1, size + 1)):
            return f"cần đủ các số từ 1 đến {size}, mỗi số một lần"
    elif qtype == "numeric":
        if is_decimal_comma(value):
            return None
        if parse_number(value) is None:
            return "cần một con số, viết liền không dấu chấm, ví dụ 150000"
    elif qtype == "short" and (not isinstance(value, str | int | float) or isinstance(value, bool)):
        return 'cần một đoạn chữ ngắn trong ngoặc kép, ví dụ "113"'
    return None


def is_correct(qtype: str, value: Any, key: Any, tolerance: float = 0.0) -> bool:
    """Whether a well-formed answer matches the key of the learner's variant."""
    size = len(key) if qtype == "order" else len(LETTERS)
    if problem(qtype, value, size):
        return False
    if qtype == "single":
        letters = letters_of(value)
        return letters is not None and letters[0] == key
    if qtype == "multiple":
        letters = letters_of(value)
        return letters is not None and sorted(letters) == list(key)
    if qtype == "order":
        return list(value) == list(key)
    if qtype == "numeric":
        number = parse_number(value)
        return number is not None and abs(number - float(key)) <= tolerance + 1e-9
    if qtype == "short":
        return normalize_text(str(value)) in set(key)
    return False
