"""Put the steps in order: the learner taps the steps one after another; the chosen order shows as a list."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets

from kynangso.lessons import answers
from kynangso.lessons.widgets.base import SelfCheck, big_button, rich


class OrderSteps(SelfCheck):
    kind = "order"

    def __init__(
        self,
        check_id: str,
        question: str,
        steps: Sequence[str],
        key: str,
        explanation: str = "",
        lesson_id: str | None = None,
    ) -> None:
        self.steps = [answers.clean(s) for s in steps]
        if len(self.steps) < 2 or len(set(self.steps)) != len(self.steps):
            raise answers.AnswerError(f"câu '{check_id}': cần ít nhất 2 bước, không trùng nhau")
        self.sequence: list[int] = []
        super().__init__(check_id, question, key, explanation, lesson_id)

    def build(self) -> list[widgets.Widget]:
        hint = widgets.HTML("<i>Bấm lần lượt từng bước theo thứ tự anh/chị cho là đúng.</i>")
        self.buttons = []
        for index, label in enumerate(self.steps):
            button = big_button(label, option=True)
            button.on_click(lambda _b, i=index: self.pick(i))
            self.buttons.append(button)
        self.chosen_html = widgets.HTML("")
        self.reset_button = big_button("Làm lại thứ tự", "warning")
        self.reset_button.on_click(lambda _b: self.reset())
        return [
            hint,
            widgets.VBox(self.buttons, layout=widgets.Layout(width="100%")),
            self.chosen_html,
            self.reset_button,
        ]

    def pick(self, index: int) -> None:
        if index in self.sequence:
            return
        self.sequence.append(index)
        self._paint()

    def reset(self) -> None:
        self.sequence = []
        self._paint()

    def _paint(self) -> None:
        for i, button in enumerate(self.buttons):
            button.disabled = i in self.sequence
            button.icon = "check" if i in self.sequence else ""
        items = "".join(f"<li>{rich(self.steps[i])}</li>" for i in self.sequence)
        self.chosen_html.value = f"<div>{html.escape('Thứ tự của anh/chị:')}</div><ol>{items}</ol>" if items else ""
        self.feedback.value = ""

    def arrange(self, *labels: str) -> None:
        """Tap the steps in the given order (tests and demos)."""
        self.reset()
        for label in labels:
            self.buttons[self.steps.index(answers.clean(label))].click()

    def response(self) -> Any:
        return [self.steps[i] for i in self.sequence] if len(self.sequence) == len(self.steps) else None
