"""``short``: a few words or a number typed as text, compared with the accepted answers after normalisation
(case, spaces, quotes and a final full stop do not count)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kynangso.exams.forms import normalize_text
from kynangso.exams.qtypes.base import Checker, Variant
from kynangso.exams.qtypes.common import InAnswerCell, clean_text

if TYPE_CHECKING:
    from kynangso.exams.bank import Question


class Short(InAnswerCell):
    name = "short"
    label = "trả lời ngắn"
    limit = 200  # characters the room keeps

    def parse_variant(
        self, ck: Checker, qid: str, raw: dict[str, Any], where: str, text: str, explanation: str
    ) -> Variant | None:
        value = raw.get("answer")
        accepted = [value] if isinstance(value, str) else value
        if (
            not isinstance(accepted, list)
            or not accepted
            or not all(isinstance(a, str) and a.strip() for a in accepted)
        ):
            ck.err(qid, where + "answer", 'phải là một đáp án hoặc danh sách đáp án chấp nhận, ví dụ ["113"]')
            return None
        keys = tuple(sorted({normalize_text(a) for a in accepted}))
        if any(k and k in explanation for k in keys):
            ck.err(qid, "explanation", "lời giải thích không được chứa đáp án (học viên xem nó trong phiếu kết quả)")
        return Variant(text, answer=keys)

    def key(self, exam: str, qid: str, index: int, v: Variant) -> dict[str, Any] | None:
        return {"answer": list(v.answer)}

    def example(self, q: Question) -> str:
        return '"nhập câu trả lời ngắn"'

    def form_problem(self, value: Any, size: int) -> str | None:
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            return 'cần một đoạn chữ ngắn trong ngoặc kép, ví dụ "113"'
        return None

    def is_correct(self, value: Any, key: Any, tolerance: float = 0.0) -> bool:
        if self.problem(value, 0):
            return False
        return normalize_text(str(value)) in set(key)

    def clean(self, question: dict[str, Any], value: Any) -> Any:
        return clean_text(value, self.limit)

    def right_answer(self, key: Any) -> Any:
        return key[0]  # the first accepted answer

    def wrong_answers(self, right: Any) -> list[Any]:
        return [w for w in ("không biết", "chưa rõ") if normalize_text(w) != normalize_text(right)]
