"""``numeric``: a number, within an optional tolerance, written as learners write it (``150000``, ``"150.000 đồng"``,
``0,5``)."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any

from kynangso.exams.forms import is_decimal_comma, nfc, parse_number
from kynangso.exams.qtypes.base import AnswerError, Checker, Variant
from kynangso.exams.qtypes.common import InAnswerCell, clean_text

if TYPE_CHECKING:
    from kynangso.exams.bank import Question

# ``tra_loi_3 = 0,5``: what the learner typed, when the literal is the tuple ``(0, 5)``.
_DECIMAL_COMMA = re.compile(r"^\s*-?\d+\s*,\s*\d+\s*$")


def _in_explanation(value: float, explanation: str) -> bool:
    digits = re.sub(r"[.,\s]", "", explanation)
    as_text = str(int(value)) if float(value).is_integer() else str(value)
    return len(as_text) >= 2 and as_text in digits


class Numeric(InAnswerCell):
    name = "numeric"
    label = "điền số"
    room_extra = ("unit",)
    limit = 40  # characters the room keeps

    def parse_variant(
        self, ck: Checker, qid: str, raw: dict[str, Any], where: str, text: str, explanation: str
    ) -> Variant | None:
        value = raw.get("answer")
        tol = raw.get("tolerance", 0)
        unit = raw.get("unit", "")
        if isinstance(value, bool) or not isinstance(value, int | float):
            ck.err(qid, where + "answer", "phải là một số, viết liền không dấu chấm ngăn cách, ví dụ 2400000")
            return None
        if isinstance(tol, bool) or not isinstance(tol, int | float) or tol < 0:
            ck.err(qid, where + "tolerance", "phải là một số không âm (sai số cho phép)")
            return None
        if not isinstance(unit, str):
            ck.err(qid, where + "unit", 'phải là chữ, ví dụ "đồng"')
            return None
        if _in_explanation(value, explanation):
            ck.err(qid, "explanation", "lời giải thích không được chứa đáp số (học viên xem nó trong phiếu kết quả)")
        return Variant(text, answer=value, tolerance=float(tol), unit=nfc(unit))

    def public_variant(self, exam: str, qid: str, index: int, v: Variant) -> dict[str, Any]:
        return {"text": v.text, "unit": v.unit} if v.unit else {"text": v.text}

    def key(self, exam: str, qid: str, index: int, v: Variant) -> dict[str, Any] | None:
        return {"answer": v.answer, "tolerance": v.tolerance}

    def example(self, q: Question) -> str:
        return "150000"

    def prompt_html(self, v: dict[str, Any]) -> str:
        unit = f" (đơn vị: {html.escape(v['unit'])})" if v.get("unit") else ""
        return f"<p><i>Ghi một con số, viết liền không dấu chấm{unit}.</i></p>"

    def form_problem(self, value: Any, size: int) -> str | None:
        if is_decimal_comma(value):
            return None
        if parse_number(value) is None:
            return "cần một con số, viết liền không dấu chấm, ví dụ 150000"
        return None

    def from_literal(self, value: Any, text: str) -> Any:
        if isinstance(value, tuple) and _DECIMAL_COMMA.match(text):
            return text.replace(" ", "")
        return value

    def is_correct(self, value: Any, key: Any, tolerance: float = 0.0) -> bool:
        if self.problem(value, 0):
            return False
        number = parse_number(value)
        return number is not None and abs(number - float(key)) <= tolerance + 1e-9

    def clean(self, question: dict[str, Any], value: Any) -> Any:
        text = clean_text(value, self.limit)
        if text is not None and parse_number(text) is None:
            raise AnswerError("Hãy nhập một con số, viết liền, ví dụ 150000.")
        return text

    def literal(self, value: Any) -> str:
        number = parse_number(value)
        if number is None:
            return repr(str(value))
        return repr(int(number)) if number.is_integer() else repr(number)

    def right_answer(self, key: Any) -> Any:
        return str(key)

    def wrong_answers(self, right: Any) -> list[Any]:
        return [str(float(right) + 1000), str(float(right) - 1000)]
