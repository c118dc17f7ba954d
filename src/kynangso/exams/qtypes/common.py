"""Behaviour most question types share; each type module overrides what makes it different."""

from __future__ import annotations

import html
import unicodedata
from typing import TYPE_CHECKING, Any

from kynangso.exams.cells import cell, graded_cell, nbgrader_meta
from kynangso.exams.forms import UNANSWERED, is_blank
from kynangso.exams.qtypes.base import AnsweredBy, AnswerError, Checker, Variant

if TYPE_CHECKING:
    from kynangso.exams.bank import Question

# The fields of a question that every type sends to the room's page, in the order the page receives them.
ROOM_FIELDS = ("number", "id", "type", "points", "text")


class Common:
    """Defaults: a question with no key, no form to check and no answer the room takes in its answer box."""

    name = ""
    label = ""
    cell_prefix = "q"
    answered_by = AnsweredBy.CELL
    room_extra: tuple[str, ...] = ()  # fields of the variant (or question) the room's page needs besides the text

    def parse_variant(
        self, ck: Checker, qid: str, raw: dict[str, Any], where: str, text: str, explanation: str
    ) -> Variant | None:
        return Variant(text)

    def parse_question(self, ck: Checker, qid: str, raw: dict[str, Any], points: float) -> dict[str, Any]:
        return {}

    def public_variant(self, exam: str, qid: str, index: int, v: Variant) -> dict[str, Any]:
        return {"text": v.text}

    def key(self, exam: str, qid: str, index: int, v: Variant) -> dict[str, Any] | None:
        return None

    def cells(self, exam: str, number: int, q: Question) -> list[dict[str, Any]]:
        return []

    def prompt_html(self, v: dict[str, Any]) -> str:
        return ""

    def problem(self, value: Any, size: int) -> str | None:
        return UNANSWERED if is_blank(value) else None

    def from_literal(self, value: Any, text: str) -> Any:
        return value

    def is_correct(self, value: Any, key: Any, tolerance: float = 0.0) -> bool:
        return False

    def room_question(self, item: dict[str, Any]) -> dict[str, Any]:
        return {k: item[k] for k in (*ROOM_FIELDS, *self.room_extra) if k in item}

    def clean(self, question: dict[str, Any], value: Any) -> Any:
        if is_empty(value):
            return None
        raise AnswerError("Câu này không trả lời bằng ô nhập.")

    def literal(self, value: Any) -> str:
        return repr(str(value))

    def right_answer(self, key: Any) -> Any:
        return key

    def wrong_answers(self, right: Any) -> list[Any]:
        return []


def is_empty(value: Any) -> bool:
    """Whether the room's page cleared the answer."""
    return value is None or value == "" or value == []


def clean_text(value: Any, limit: int) -> str | None:
    """Free text as the room keeps it: NFC, at most ``limit`` characters."""
    if is_empty(value):
        return None
    if not isinstance(value, str):
        raise AnswerError("Câu trả lời phải là chữ.")
    # Some phone keyboards send decomposed Vietnamese letters; the course keeps text in NFC.
    value = unicodedata.normalize("NFC", value)
    if len(value) > limit:
        raise AnswerError(f"Câu trả lời dài quá {limit} ký tự.")
    return value


def listing(items: list[str], mark: str) -> str:
    """Choices (``mark`` "letter") or steps ("number") as the notebook shows them."""
    shown = "".join(
        f"<li><b>{chr(65 + i) if mark == 'letter' else i + 1}.</b> {html.escape(s)}</li>" for i, s in enumerate(items)
    )
    return f'<ul style="list-style: none; padding-left: 0.5em;">{shown}</ul>'


class InAnswerCell(Common):
    """A type answered by a literal in the notebook's answer cell and graded automatically."""

    def example(self, q: Question) -> str:
        """How an answer is written (never the answer), shown in the answer cell."""
        raise NotImplementedError

    def cells(self, exam: str, number: int, q: Question) -> list[dict[str, Any]]:
        var = f"tra_loi_{number}"
        answer = cell(
            "code",
            f"answer-{q.id}",
            f"# ✍️ CÂU TRẢ LỜI CÂU {number}: thay dấu ... bằng câu trả lời của anh/chị.\n"
            f"# Ví dụ cách viết (không phải đáp án): {var} = {self.example(q)}\n"
            f"{var} = ...",
            # An nbgrader "autograded answer" cell, so that Validate, Formgrader and the gradebook know it;
            # it holds no solution to clear (see kynangso.grade.generate).
            nbgrader_meta(f"answer-{q.id}", solution=True),
            extra={"answer": q.id},
        )
        test = (
            f"# Ô chấm câu {number}: anh/chị không cần sửa ô này.\n"
            f"bai_thi.kiem_tra({number}, {var})\n"
            "### BEGIN HIDDEN TESTS\n"
            "from kynangso.exams.graders import cham\n\n"
            f"cham({exam!r}, {q.id!r}, {var})\n"
            "### END HIDDEN TESTS"
        )
        return [answer, graded_cell(q.grade_id, q.points, test)]

    def problem(self, value: Any, size: int) -> str | None:
        if is_blank(value):
            return UNANSWERED
        return self.form_problem(value, size)

    def form_problem(self, value: Any, size: int) -> str | None:
        """What is wrong with an answer that is not blank."""
        return None
