"""Choice questions: one right option, several right options, or a statement that is true or false.

Options are big full-width buttons (easier on a phone than radio buttons); the chosen ones are highlighted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets

from kynangso.lessons import answers
from kynangso.lessons.widgets.base import SelfCheck, big_button

SELECTED = "info"


class SingleChoice(SelfCheck):
    kind = "single"

    def __init__(
        self,
        check_id: str,
        question: str,
        options: Sequence[str],
        key: str,
        explanation: str = "",
        lesson_id: str | None = None,
    ) -> None:
        self.options = [answers.clean(o) for o in options]
        if len(self.options) < 2 or len(set(self.options)) != len(self.options):
            raise answers.AnswerError(f"câu '{check_id}': cần ít nhất 2 phương án, không trùng nhau")
        self.chosen: set[int] = set()
        super().__init__(check_id, question, key, explanation, lesson_id)

    def build(self) -> list[widgets.Widget]:
        self.buttons = []
        for index, label in enumerate(self.options):
            button = big_button(label, option=True)
            button.on_click(lambda _b, i=index: self.toggle(i))
            self.buttons.append(button)
        return [widgets.VBox(self.buttons, layout=widgets.Layout(width="100%"))]

    def toggle(self, index: int) -> None:
        self.chosen = {index}
        self._paint()

    def _paint(self) -> None:
        for i, button in enumerate(self.buttons):
            button.button_style = SELECTED if i in self.chosen else ""
            button.icon = "check" if i in self.chosen else ""
        self.feedback.value = ""

    def select(self, *labels: str) -> None:
        """Choose options by their text (what a learner does by tapping; used by tests and demos)."""
        for label in labels:
            self.buttons[self.options.index(answers.clean(label))].click()

    def response(self) -> Any:
        return self.options[next(iter(self.chosen))] if self.chosen else None


class MultipleChoice(SingleChoice):
    kind = "multiple"

    def build(self) -> list[widgets.Widget]:
        hint = widgets.HTML("<i>Có thể có nhiều ý đúng: bấm chọn tất cả các ý anh/chị cho là đúng.</i>")
        return [hint, *super().build()]

    def toggle(self, index: int) -> None:
        self.chosen ^= {index}
        self._paint()

    def response(self) -> Any:
        return [self.options[i] for i in sorted(self.chosen)] if self.chosen else None


class TrueFalse(SingleChoice):
    kind = "true_false"
    LABELS = ("Đúng", "Sai")

    def __init__(
        self, check_id: str, statement: str, key: str, explanation: str = "", lesson_id: str | None = None
    ) -> None:
        super().__init__(check_id, statement, list(self.LABELS), key, explanation, lesson_id)

    def build(self) -> list[widgets.Widget]:
        row = super().build()
        for button in self.buttons:
            button.layout.width = "50%"
            button.remove_class("kns-option")
        return [widgets.HBox(self.buttons, layout=widgets.Layout(width="100%"))] if row else row

    def response(self) -> Any:
        return (next(iter(self.chosen)) == 0) if self.chosen else None
