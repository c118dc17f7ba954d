"""Short answer: the learner types a word or a few; spacing, case and (if allowed) accents do not matter."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets

from kynangso.lessons import answers
from kynangso.lessons.widgets.base import SelfCheck


class ShortAnswer(SelfCheck):
    kind = "short"

    def __init__(
        self,
        check_id: str,
        question: str,
        keys: Sequence[str],
        explanation: str = "",
        lesson_id: str | None = None,
        accents: bool = True,
        placeholder: str = "Gõ câu trả lời ở đây",
    ) -> None:
        keys = [keys] if isinstance(keys, str) else list(keys)
        bad = [k for k in keys if not answers.is_key(k)]
        if not keys or bad:
            raise answers.AnswerError(
                f"câu '{check_id}': cần ít nhất một khóa đáp án dạng 'kns1-…' (encode_answer(..., kind='short'))"
            )
        self.placeholder = placeholder
        super().__init__(check_id, question, keys, explanation, lesson_id, accents=accents)

    def build(self) -> list[widgets.Widget]:
        self.text = widgets.Text(value="", placeholder=self.placeholder, layout=widgets.Layout(width="100%"))
        self.text.observe(lambda _change: setattr(self.feedback, "value", ""), names="value")
        hint = "" if self.accents else "<i>Gõ có dấu hay không dấu đều được.</i>"
        return [widgets.HTML(hint), self.text] if hint else [self.text]

    def type(self, value: str) -> None:
        """Type an answer (tests and demos)."""
        self.text.value = value

    def response(self) -> Any:
        return self.text.value if answers.normalize_short(self.text.value, self.accents) else None
