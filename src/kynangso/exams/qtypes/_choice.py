"""What the two choice types (``single``, ``multiple``) share: lettered choices, answers written as letters."""

from __future__ import annotations

from typing import Any

from kynangso.exams.forms import LETTERS
from kynangso.exams.qtypes.base import Checker, Variant
from kynangso.exams.qtypes.common import InAnswerCell, listing


def _letters(value: Any) -> list[str] | None:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return None
    return [v.strip().upper() for v in value]


class Choice(InAnswerCell):
    room_extra = ("choices",)
    hint = ""  # how to write the answer, after "Ghi"

    def check_count(self, ck: Checker, qid: str, where: str, letters: list[str]) -> bool:
        """Whether the key has as many letters as the type allows (reported otherwise)."""
        return True

    def key_of(self, letters: list[str]) -> Any:
        raise NotImplementedError

    def parse_variant(
        self, ck: Checker, qid: str, raw: dict[str, Any], where: str, text: str, explanation: str
    ) -> Variant | None:
        choices = ck.texts(raw, "choices", qid, where, 2, len(LETTERS))
        letters = _letters(raw.get("answer"))
        valid = LETTERS[: len(choices)]
        if letters is None or not letters:
            ck.err(qid, where + "answer", 'phải là chữ cái của đáp án đúng, ví dụ "B" (hoặc ["A", "C"])')
            return None
        if any(x not in valid for x in letters):
            ck.err(qid, where + "answer", f"chỉ được dùng các chữ {', '.join(valid)} (có {len(choices)} lựa chọn)")
            return None
        if not self.check_count(ck, qid, where, letters):
            return None
        if len(set(letters)) != len(letters):
            ck.err(qid, where + "answer", "có chữ cái lặp lại")
            return None
        return Variant(text, choices=choices, answer=self.key_of(letters))

    def public_variant(self, exam: str, qid: str, index: int, v: Variant) -> dict[str, Any]:
        return {"text": v.text, "choices": list(v.choices)}

    def key(self, exam: str, qid: str, index: int, v: Variant) -> dict[str, Any] | None:
        return {"answer": v.answer}

    def prompt_html(self, v: dict[str, Any]) -> str:
        return listing(v["choices"], "letter") + f"<p><i>Ghi {self.hint} vào ô ✍️ bên dưới.</i></p>"

    @staticmethod
    def offered(question: dict[str, Any]) -> str:
        return LETTERS[: len(question.get("choices", []))]
