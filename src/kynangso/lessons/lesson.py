"""What a lesson notebook calls: ``bai = start_lesson("<id>")``, then ``bai.single_choice(...)`` etc.

The lesson id ties self-checks and progress to the lesson; ``kynangso lessons validate`` checks that it equals
the id in the notebook's metadata.
"""

from __future__ import annotations

import html
import importlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from kynangso.lessons import progress
from kynangso.lessons.widgets import MultipleChoice, OrderSteps, ShortAnswer, SingleChoice, TrueFalse
from kynangso.lessons.widgets.base import FONT
from kynangso.lessons.widgets.matching import Matching

SCENARIOS_DIR = Path(__file__).resolve().parents[1] / "sims" / "scenarios"


def note(text: str, colour: str = "#1f5fa8", background: str = "#eef4fb") -> widgets.HTML:
    """A short message in the learner's font (never print(): monospace output garbles Vietnamese)."""
    return widgets.HTML(
        f'<div style="font-family:{FONT};font-size:16px;line-height:1.45;background:{background};'
        f'border-left:6px solid {colour};border-radius:8px;padding:8px 12px;max-width:720px">{text}</div>'
    )


class Lesson:
    def __init__(self, lesson_id: str) -> None:
        self.id = lesson_id

    def single_choice(
        self, check_id: str, question: str, options: Sequence[str], key: str, explanation: str = ""
    ) -> SingleChoice:
        return SingleChoice(check_id, question, options, key, explanation, lesson_id=self.id)

    def multiple_choice(
        self, check_id: str, question: str, options: Sequence[str], key: str, explanation: str = ""
    ) -> MultipleChoice:
        return MultipleChoice(check_id, question, options, key, explanation, lesson_id=self.id)

    def true_false(self, check_id: str, statement: str, key: str, explanation: str = "") -> TrueFalse:
        return TrueFalse(check_id, statement, key, explanation, lesson_id=self.id)

    def order_steps(
        self, check_id: str, question: str, steps: Sequence[str], key: str, explanation: str = ""
    ) -> OrderSteps:
        return OrderSteps(check_id, question, steps, key, explanation, lesson_id=self.id)

    def matching(
        self, check_id: str, question: str, left: Sequence[str], right: Sequence[str], key: str, explanation: str = ""
    ) -> Matching:
        return Matching(check_id, question, left, right, key, explanation, lesson_id=self.id)

    def short_answer(
        self, check_id: str, question: str, keys: Sequence[str], explanation: str = "", accents: bool = True
    ) -> ShortAnswer:
        return ShortAnswer(check_id, question, keys, explanation, lesson_id=self.id, accents=accents)

    def simulation(self, scenario_id: str, mode: str = "huong-dan", **kwargs: Any) -> widgets.Widget:
        """Embed a simulation; while its scenario is not written yet, say so instead of failing the lesson."""
        if not (SCENARIOS_DIR / f"{scenario_id}.toml").is_file():
            return note(
                f"Mô phỏng <b>{html.escape(scenario_id)}</b> đang được chuẩn bị. "
                "Anh/chị làm theo các bước ở trên trên điện thoại của mình, có giảng viên bên cạnh.",
                "#b07d00",
                "#fff7e0",
            )
        # Imported by name: the simulations package is developed alongside and loads ipywidgets views.
        sims = importlib.import_module("kynangso.sims")
        view: widgets.Widget = sims.embed(scenario_id, mode=mode, **kwargs)
        return view

    def finish(self) -> widgets.VBox:
        """A big "I have finished" button: finishing is the learner's decision, not running the last cell."""
        button = widgets.Button(
            description="Tôi đã học xong bài này",
            button_style="success",
            icon="check",
            layout=widgets.Layout(width="100%", max_width="720px", height="auto", min_height="48px"),
        )
        button.style.font_size = "17px"
        message = widgets.HTML("")

        def done(_b: widgets.Button) -> None:
            progress.record_lesson_finished(self.id)
            button.disabled = True
            message.value = note(
                "<b>Chúc mừng anh/chị đã học xong bài này!</b> Tiến độ đã được lưu. "
                "Mở trang <b>“Tiến độ của tôi”</b> để xem bài nên học tiếp.",
                "#1e7b34",
                "#e8f6ec",
            ).value

        button.on_click(done)
        return widgets.VBox([button, message])


def start_lesson(lesson_id: str) -> Lesson:
    """Record that the lesson was opened and return the object that makes its self-checks."""
    progress.record_lesson_opened(lesson_id)
    return Lesson(lesson_id)
