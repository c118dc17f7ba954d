"""Reading a learner's answer: the form check (shown to the learner) and the comparison with the key (hidden).

``problem()`` says only whether an answer is missing or has the wrong form — never whether it is right — so the
visible half of a test cell (and nbgrader Validate) cannot be used to probe the key. What each form means belongs
to the question type (:mod:`kynangso.exams.qtypes`); this module is the entry point by type name.
"""

from __future__ import annotations

from typing import Any

from kynangso.exams import qtypes
from kynangso.exams.forms import LETTERS, is_decimal_comma, letters_of, normalize_text, parse_number

__all__ = ["LETTERS", "is_correct", "is_decimal_comma", "letters_of", "normalize_text", "parse_number", "problem"]


def problem(qtype: str, value: Any, size: int = 0) -> str | None:
    """What is wrong with the *form* of an answer (Vietnamese), or None when it can be graded."""
    return qtypes.get(qtype).problem(value, size)


def is_correct(qtype: str, value: Any, key: Any, tolerance: float = 0.0) -> bool:
    """Whether a well-formed answer matches the key of the learner's variant."""
    return qtypes.get(qtype).is_correct(value, key, tolerance)
