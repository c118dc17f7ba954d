"""``single``: one right choice among two to six, answered with its letter (``"B"``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kynangso.exams.forms import LETTERS, letters_of
from kynangso.exams.qtypes._choice import Choice
from kynangso.exams.qtypes.base import AnswerError, Checker
from kynangso.exams.qtypes.common import is_empty

if TYPE_CHECKING:
    from kynangso.exams.bank import Question


class Single(Choice):
    name = "single"
    label = "chọn một đáp án"
    hint = "một chữ cái"

    def check_count(self, ck: Checker, qid: str, where: str, letters: list[str]) -> bool:
        if len(letters) != 1:
            ck.err(qid, where + "answer", "câu một lựa chọn chỉ có đúng một đáp án")
            return False
        return True

    def key_of(self, letters: list[str]) -> Any:
        return letters[0]

    def example(self, q: Question) -> str:
        return '"A"'

    def form_problem(self, value: Any, size: int) -> str | None:
        letters = letters_of(value)
        if letters is None or len(letters) != 1:
            return 'cần đúng một chữ cái trong ngoặc kép, ví dụ "B"'
        if letters[0] not in LETTERS[:size]:
            return f"chỉ chọn một trong các chữ {', '.join(LETTERS[:size])}"
        return None

    def is_correct(self, value: Any, key: Any, tolerance: float = 0.0) -> bool:
        if self.problem(value, len(LETTERS)):
            return False
        letters = letters_of(value)
        return letters is not None and letters[0] == key

    def clean(self, question: dict[str, Any], value: Any) -> Any:
        if is_empty(value):
            return None
        if not (isinstance(value, str) and len(value) == 1 and value in self.offered(question)):
            raise AnswerError("Hãy chọn một trong các đáp án.")
        return value

    def wrong_answers(self, right: Any) -> list[Any]:
        # Every question has at least the choices A and B.
        return [x for x in "AB" if x != right]
