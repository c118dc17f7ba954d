"""Matching: for each item on the left, choose its partner on the right from a list."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets

from kynangso.lessons import answers
from kynangso.lessons.widgets.base import SelfCheck, rich

PLACEHOLDER = "— chọn —"


class Matching(SelfCheck):
    kind = "matching"

    def __init__(
        self,
        check_id: str,
        question: str,
        left: Sequence[str],
        right: Sequence[str],
        key: str,
        explanation: str = "",
        lesson_id: str | None = None,
    ) -> None:
        self.left = [answers.clean(x) for x in left]
        self.right = [answers.clean(x) for x in right]
        if len(self.left) < 2 or len(set(self.left)) != len(self.left) or len(set(self.right)) != len(self.right):
            raise answers.AnswerError(f"câu '{check_id}': cần ít nhất 2 cặp, không trùng nhau")
        if len(self.right) < len(self.left):
            raise answers.AnswerError(f"câu '{check_id}': vế phải cần ít nhất bằng số mục của vế trái")
        super().__init__(check_id, question, key, explanation, lesson_id)

    def build(self) -> list[widgets.Widget]:
        self.dropdowns: list[widgets.Dropdown] = []
        rows: list[widgets.Widget] = []
        for item in self.left:
            dropdown = widgets.Dropdown(
                options=[PLACEHOLDER, *self.right], value=PLACEHOLDER, layout=widgets.Layout(width="100%")
            )
            dropdown.observe(lambda _change: setattr(self.feedback, "value", ""), names="value")
            self.dropdowns.append(dropdown)
            rows.append(widgets.HTML(f"<div style='margin-top:8px'><b>{rich(item)}</b></div>"))
            rows.append(dropdown)
        return rows

    def choose(self, item: str, partner: str) -> None:
        """Set the partner of one left item (tests and demos)."""
        self.dropdowns[self.left.index(answers.clean(item))].value = answers.clean(partner)

    def response(self) -> Any:
        values = [d.value for d in self.dropdowns]
        if PLACEHOLDER in values:
            return None
        return dict(zip(self.left, values, strict=True))
