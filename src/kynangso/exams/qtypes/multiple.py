"""``multiple``: every right choice among two to six, answered with their letters (``["A", "C"]``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kynangso.exams.forms import LETTERS, letters_of
from kynangso.exams.qtypes._choice import Choice
from kynangso.exams.qtypes.base import AnswerError
from kynangso.exams.qtypes.common import is_empty

if TYPE_CHECKING:
    from kynangso.exams.bank import Question


class Multiple(Choice):
    name = "multiple"
    label = "chọn nhiều đáp án"
    hint = "danh sách các chữ cái đúng"

    def key_of(self, letters: list[str]) -> Any:
        return sorted(letters)

    def example(self, q: Question) -> str:
        return '["A", "C"]'

    def form_problem(self, value: Any, size: int) -> str | None:
        letters = letters_of(value)
        if letters is None or not letters:
            return 'cần một danh sách chữ cái, ví dụ ["A", "C"]'
        if any(x not in LETTERS[:size] for x in letters) or len(set(letters)) != len(letters):
            return f"chỉ dùng các chữ {', '.join(LETTERS[:size])}, mỗi chữ một lần"
        return None

    def is_correct(self, value: Any, key: Any, tolerance: float = 0.0) -> bool:
        if self.problem(value, len(LETTERS)):
            return False
        letters = letters_of(value)
        return letters is not None and sorted(letters) == list(key)

    def clean(self, question: dict[str, Any], value: Any) -> Any:
        if is_empty(value):
            return None
        offered = self.offered(question)
        if not (isinstance(value, list) and all(isinstance(x, str) and x in offered for x in value)):
            raise AnswerError("Hãy chọn trong các đáp án.")
        return sorted(set(value))

    def literal(self, value: Any) -> str:
        return repr([str(x) for x in value])

    def wrong_answers(self, right: Any) -> list[Any]:
        # Every question has at least the choices A and B.
        return [w for w in (["A"], ["B"], ["A", "B"]) if w != right]
