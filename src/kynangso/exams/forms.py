"""The forms in which a learner may write an answer: letters, numbers with Vietnamese separators, short text.

Plain functions with no knowledge of question types, so that every question type (``kynangso.exams.qtypes``),
the question bank and the exam room read answers the same way.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

LETTERS = "ABCDEF"


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


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


def is_blank(value: Any) -> bool:
    """Whether the learner left the answer as released (``...``) or empty."""
    return value is ... or value is None or (isinstance(value, str) and not value.strip())


UNANSWERED = "chưa có câu trả lời (vẫn còn dấu ...)"
