"""Pure grading for self-checks: normalising answers, encoding answer keys, comparing.

The notebook source never holds a correct answer as plain text: it holds a *key*, ``kns1-`` followed by a salted
SHA-256 digest of the canonical answer. The salt is the check id and the kind of check, so two questions with the
same answer have different keys. A determined learner can still try every option (it is a self-check, not an
exam); what the key prevents is reading the answer while scrolling.

Kinds: ``single`` (one option text), ``true_false`` (a bool), ``multiple`` (a set of option texts), ``order``
(option texts in order), ``matching`` (a dict left → right), ``short`` (one accepted free-text answer; a question
may accept several, one key each).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

KEY_PREFIX = "kns1-"
KINDS = ("single", "true_false", "multiple", "order", "matching", "short")
_SEP_ITEM = "\x1e"
_SEP_PAIR = "\x1f"
_SPACE = re.compile(r"\s+")
# Punctuation around a short answer ("Sở Khoa học và Công nghệ.") says nothing about whether it is right.
_EDGE_PUNCT = " \t\n.,;:!?\"'“”‘’()[]…-–—"


class AnswerError(ValueError):
    """An answer that cannot be encoded for the given kind; the message is Vietnamese."""


def clean(text: str) -> str:
    """NFC, single spaces, no spaces at the ends: how option texts are compared."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", str(text))).strip()


def strip_accents(text: str) -> str:
    """'Sở Khoa học' -> 'So Khoa hoc': for questions that accept an answer typed without diacritics."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def normalize_short(text: str, accents: bool = True) -> str:
    """How a typed answer is compared: NFC, case, spacing, edge punctuation; accents optional."""
    value = clean(text).casefold().strip(_EDGE_PUNCT)
    value = _SPACE.sub(" ", value).strip()
    return value if accents else strip_accents(value)


def canonical(kind: str, answer: Any, accents: bool = True) -> str:
    if kind == "single":
        if not isinstance(answer, str) or not clean(answer):
            raise AnswerError("câu một lựa chọn cần đúng một phương án (chuỗi chữ)")
        return clean(answer)
    if kind == "true_false":
        if not isinstance(answer, bool):
            raise AnswerError("câu đúng/sai cần True (đúng) hoặc False (sai)")
        return "dung" if answer else "sai"
    if kind == "multiple":
        if isinstance(answer, str) or not isinstance(answer, Sequence | set | frozenset) or not answer:
            raise AnswerError("câu nhiều lựa chọn cần một danh sách các phương án đúng")
        return _SEP_ITEM.join(sorted({clean(a) for a in answer}))
    if kind == "order":
        if isinstance(answer, str) or not isinstance(answer, Sequence) or len(answer) < 2:
            raise AnswerError("câu sắp xếp cần danh sách các bước theo đúng thứ tự (ít nhất 2 bước)")
        return _SEP_ITEM.join(clean(a) for a in answer)
    if kind == "matching":
        if not isinstance(answer, Mapping) or len(answer) < 2:
            raise AnswerError("câu ghép đôi cần một bảng 'vế trái': 'vế phải' (ít nhất 2 cặp)")
        return _SEP_ITEM.join(sorted(f"{clean(k)}{_SEP_PAIR}{clean(v)}" for k, v in answer.items()))
    if kind == "short":
        if not isinstance(answer, str) or not normalize_short(answer, accents):
            raise AnswerError("câu trả lời ngắn cần một đáp án không rỗng")
        return normalize_short(answer, accents)
    raise AnswerError(f"không có loại câu hỏi '{kind}' (có: {', '.join(KINDS)})")


def encode_answer(check_id: str, answer: Any, kind: str = "single", accents: bool = True) -> str:
    """The key to paste into the lesson instead of the answer.

    >>> encode_answer("c1", "Sở Khoa học và Công nghệ").startswith("kns1-")
    True
    """
    if not isinstance(check_id, str) or not check_id.strip():
        raise AnswerError("mỗi câu tự kiểm tra cần một mã (id) không rỗng")
    payload = f"kynangso/selfcheck/1\n{check_id.strip()}\n{kind}\n{canonical(kind, answer, accents)}"
    return KEY_PREFIX + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:24]


def is_key(value: object) -> bool:
    return isinstance(value, str) and re.fullmatch(re.escape(KEY_PREFIX) + r"[0-9a-f]{24}", value) is not None


def grade(check_id: str, kind: str, response: Any, keys: str | Sequence[str], accents: bool = True) -> bool:
    """True when ``response`` is a correct answer; a response that cannot be read is simply wrong."""
    wanted = {keys} if isinstance(keys, str) else set(keys)
    try:
        return encode_answer(check_id, response, kind, accents) in wanted
    except AnswerError:
        return False
