"""What every self-check shares: the question, a large "Kiểm tra" button, feedback with the explanation, and a
record in the learner's progress.

Widgets draw state and pass the learner's response to ``kynangso.lessons.answers.grade``; they hold no grading
logic. Text is shown as HTML in a proportional font (monospace renders Vietnamese badly), buttons are big enough
for a thumb on a phone, and long options wrap instead of being cut off.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets

from kynangso.lessons import answers, progress

FONT = "'DejaVu Sans', 'Noto Sans', 'Segoe UI', Roboto, Arial, sans-serif"
# Injected once per widget; browsers apply <style> inside an HTML widget to the whole page, which is what we want.
STYLE = f"""<style>
.kns-check {{ font-family: {FONT}; font-size: 18px; line-height: 1.45; max-width: 720px;
  border: 1px solid #c9d3e0; border-radius: 12px; padding: 12px 14px; margin: 10px 0; background: #fbfcfe; }}
.kns-check .widget-button, .kns-check .widget-toggle-button {{ font-family: {FONT}; font-size: 18px;
  white-space: normal; height: auto; min-height: 48px; line-height: 1.3; padding: 8px 12px; border-radius: 10px; }}
.kns-check .kns-option {{ text-align: left; justify-content: flex-start; }}
.kns-check .widget-dropdown select, .kns-check .widget-text input {{ font-family: {FONT}; font-size: 18px;
  min-height: 44px; height: auto; }}
.kns-check .widget-html-content {{ font-family: {FONT}; font-size: 18px; line-height: 1.45; }}
</style>"""
_BOLD = re.compile(r"\*\*(.+?)\*\*")

CHECK_LABEL = "Kiểm tra đáp án"
RIGHT = "Đúng rồi!"
WRONG = "Chưa đúng, anh/chị thử lại nhé."
INCOMPLETE = "Anh/chị hãy trả lời xong rồi bấm “Kiểm tra đáp án”."


def rich(text: str) -> str:
    """Escape the author's text for HTML; keep **bold** and line breaks, which authors use."""
    escaped = html.escape(answers.clean(text) if "\n" not in text else text.strip())
    return _BOLD.sub(r"<b>\1</b>", escaped).replace("\n", "<br>")


def big_button(label: str, style: str = "", option: bool = False) -> widgets.Button:
    button = widgets.Button(
        description=label,
        button_style=style,
        tooltip=label,
        layout=widgets.Layout(width="100%", height="auto", margin="4px 0"),
    )
    if option:
        button.add_class("kns-option")
    return button


class SelfCheck(widgets.VBox):
    """Base class: subclasses build ``self.body`` and implement ``response()``."""

    kind = "single"

    def __init__(
        self,
        check_id: str,
        question: str,
        key: str | Sequence[str],
        explanation: str = "",
        lesson_id: str | None = None,
        accents: bool = True,
    ) -> None:
        if isinstance(key, str) and not answers.is_key(key):
            raise answers.AnswerError(
                f"câu '{check_id}': khóa đáp án phải có dạng 'kns1-…' do encode_answer tạo ra, "
                "không phải đáp án viết thẳng"
            )
        self.check_id = check_id
        self.question = question
        self.key = key
        self.explanation = explanation
        self.lesson_id = lesson_id
        self.accents = accents
        self.attempts = 0
        self.last_correct: bool | None = None
        self.question_html = widgets.HTML(STYLE + f"<div style='font-weight:bold'>{rich(question)}</div>")
        self.check_button = big_button(CHECK_LABEL, "primary")
        self.check_button.on_click(lambda _b: self.check())
        self.feedback = widgets.HTML("")
        super().__init__(
            [self.question_html, *self.build(), self.check_button, self.feedback],
            layout=widgets.Layout(width="100%"),
        )
        self.add_class("kns-check")

    # Subclasses ---------------------------------------------------------------------------------------------
    def build(self) -> list[widgets.Widget]:
        raise NotImplementedError

    def response(self) -> Any:
        """The learner's answer in the form ``answers.canonical`` expects, or None when not finished."""
        raise NotImplementedError

    # Shared behaviour ---------------------------------------------------------------------------------------
    def check(self) -> bool | None:
        answer = self.response()
        if answer is None:
            self.feedback.value = self._box(INCOMPLETE, "#fff7e0", "#b07d00", explain=False)
            return None
        correct = answers.grade(self.check_id, self.kind, answer, self.key, self.accents)
        self.attempts += 1
        self.last_correct = correct
        if correct:
            self.feedback.value = self._box("✔ " + RIGHT, "#e8f6ec", "#1e7b34")
        else:
            self.feedback.value = self._box("✘ " + WRONG, "#fdecec", "#a32020")
        if self.lesson_id:
            progress.record_selfcheck(self.lesson_id, self.check_id, correct)
        return correct

    def _box(self, headline: str, background: str, colour: str, explain: bool = True) -> str:
        more = (
            f"<div style='margin-top:6px;color:#222'>{rich(self.explanation)}</div>"
            if explain and self.explanation
            else ""
        )
        return (
            f'<div role="status" style="font-family:{FONT};font-size:18px;line-height:1.45;background:{background};'
            f'border-left:6px solid {colour};border-radius:8px;padding:10px 12px;margin-top:6px">'
            f"<div style='font-weight:bold;color:{colour}'>{html.escape(headline)}</div>{more}</div>"
        )
