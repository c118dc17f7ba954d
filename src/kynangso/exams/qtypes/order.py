"""``order``: three to eight steps shown shuffled (the same way for everyone), answered with their numbers in the
right order (``[3, 1, 2, 4]``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kynangso.exams.qtypes.base import AnswerError, Checker, Variant
from kynangso.exams.qtypes.common import InAnswerCell, is_empty, listing
from kynangso.exams.variants import display_order

if TYPE_CHECKING:
    from kynangso.exams.bank import Question


def order_key(exam: str, qid: str, variant: int, size: int) -> list[int]:
    """The displayed numbers of the steps, in the correct order."""
    shown = display_order(exam, qid, variant, size)
    return [shown.index(k) + 1 for k in range(size)]


def _is_numbers(value: Any) -> bool:
    return isinstance(value, list | tuple) and all(isinstance(x, int) and not isinstance(x, bool) for x in value)


class Order(InAnswerCell):
    name = "order"
    label = "sắp xếp các bước"
    room_extra = ("steps",)

    def parse_variant(
        self, ck: Checker, qid: str, raw: dict[str, Any], where: str, text: str, explanation: str
    ) -> Variant | None:
        return Variant(text, steps=ck.texts(raw, "steps", qid, where, 3, 8))

    def public_variant(self, exam: str, qid: str, index: int, v: Variant) -> dict[str, Any]:
        item: dict[str, Any] = {"text": v.text}
        if v.steps:
            item["steps"] = [v.steps[i] for i in display_order(exam, qid, index, len(v.steps))]
        return item

    def key(self, exam: str, qid: str, index: int, v: Variant) -> dict[str, Any] | None:
        return {"answer": order_key(exam, qid, index, len(v.steps))}

    def example(self, q: Question) -> str:
        return str(list(range(1, len(q.variants[0].steps) + 1))[::-1])

    def prompt_html(self, v: dict[str, Any]) -> str:
        if "steps" not in v:
            return ""
        return listing(v["steps"], "number") + "<p><i>Ghi các số theo đúng thứ tự cần làm, ví dụ [3, 1, 2, 4].</i></p>"

    def form_problem(self, value: Any, size: int) -> str | None:
        if not _is_numbers(value):
            return f"cần một danh sách {size} số thứ tự, ví dụ {list(range(1, size + 1))}"
        if sorted(value) != list(range(1, size + 1)):
            return f"cần đủ các số từ 1 đến {size}, mỗi số một lần"
        return None

    def is_correct(self, value: Any, key: Any, tolerance: float = 0.0) -> bool:
        if self.problem(value, len(key)):
            return False
        return list(value) == list(key)

    def clean(self, question: dict[str, Any], value: Any) -> Any:
        if is_empty(value):
            return None
        size = len(question.get("steps", []))
        if not (
            isinstance(value, list) and all(type(x) is int for x in value) and sorted(value) == list(range(1, size + 1))
        ):
            raise AnswerError("Thứ tự các bước không hợp lệ; anh/chị hãy tải lại trang.")
        return value

    def literal(self, value: Any) -> str:
        return repr([int(x) for x in value])

    def wrong_answers(self, right: Any) -> list[Any]:
        turned = list(reversed(right))
        rotated = [*right[1:], right[0]]
        first = turned if turned != right else rotated
        return [first, rotated] if rotated not in (first, right) else [first]
