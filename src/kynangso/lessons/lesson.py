"""What a lesson notebook calls: ``bai = start_lesson("<id>")``, then ``bai.tu_kiem_tra("c1")`` for each self-check,
``bai.simulation(...)`` and ``bai.finish()``.

A self-check's question, options, keys and explanation are not in the code a learner sees: they are in the hidden
cell's metadata. The lesson finds its own notebook file (by ``metadata.kynangso.id``: JupyterLab, Voilà and
nbclient all run the kernel in the notebook's folder) and builds each widget from that definition.
"""

from __future__ import annotations

import html
import importlib
import os
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from kynangso.lessons import notebook as nbmod
from kynangso.lessons import progress, selfcheck
from kynangso.lessons.widgets.base import FONT, SelfCheck

SCENARIOS_DIR = Path(__file__).resolve().parents[1] / "sims" / "scenarios"


def note(text: str, colour: str = "#1f5fa8", background: str = "#eef4fb") -> widgets.HTML:
    """A short message in the learner's font (never print(): monospace output garbles Vietnamese)."""
    return widgets.HTML(
        f'<div style="font-family:{FONT};font-size:18px;line-height:1.45;background:{background};'
        f'border-left:6px solid {colour};border-radius:8px;padding:8px 12px;max-width:720px">{text}</div>'
    )


class LessonNotFound(LookupError):
    """The lesson's notebook file could not be found; the message is Vietnamese."""


def _lesson_id_of(path: Path) -> str | None:
    try:
        meta = nbmod.read(path).meta
    except nbmod.NotebookError:
        return None
    value = meta.get("id") if meta else None
    return value if isinstance(value, str) else None


def find_notebook(lesson_id: str, start: Path | None = None) -> Path:
    """The notebook whose ``metadata.kynangso.id`` is ``lesson_id``.

    Looked for, in order: the notebook JupyterLab says the kernel belongs to (``JPY_SESSION_NAME``), the notebooks
    of the current folder (where JupyterLab, Voilà and nbclient start the kernel), then the curriculum folder.
    """
    here = (start or Path.cwd()).resolve()
    session = os.environ.get("JPY_SESSION_NAME")
    candidates: list[Path] = []
    if session:
        candidates += [Path(session), here / Path(session).name]
    stem = lesson_id.split("-", 1)[-1]
    candidates += sorted(here.glob("*.ipynb"), key=lambda p: (p.stem != stem, p.name))
    for path in candidates:
        if path.is_file() and _lesson_id_of(path) == lesson_id:
            return path
    from kynangso.lessons.catalogue import find_curriculum, notebook_paths

    curriculum = find_curriculum(here)
    if curriculum is not None:
        for path in sorted(notebook_paths(curriculum), key=lambda p: (p.stem != stem, p.as_posix())):
            if _lesson_id_of(path) == lesson_id:
                return path
    raise LessonNotFound(
        f"Không tìm thấy tệp bài học '{lesson_id}' (tệp .ipynb có metadata.kynangso.id = '{lesson_id}') "
        f"trong thư mục {here}. Hãy mở bài từ thư mục curriculum/."
    )


class Lesson:
    def __init__(self, lesson_id: str, notebook: Path | None = None) -> None:
        self.id = lesson_id
        self._notebook = notebook
        self._cells: list[dict[str, Any]] | None = None

    @property
    def notebook(self) -> Path:
        if self._notebook is None:
            self._notebook = find_notebook(self.id)
        return self._notebook

    def _read_cells(self) -> list[dict[str, Any]]:
        # Read once per run of the lesson: every self-check of the lesson comes from the same saved file.
        if self._cells is None:
            self._cells = nbmod.read(self.notebook).cells
        return self._cells

    def tu_kiem_tra(self, check_id: str) -> SelfCheck:
        """The self-check ``check_id`` of this lesson, built from its definition in the hidden cell's metadata."""
        spec = selfcheck.find(self._read_cells(), check_id)
        return spec.build(self.id)

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
        button.style.font_size = "18px"
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


# The reader view (Voilà, nbconvert's lab template) gives each cell's HTML a class per tag; JupyterLab does not, so
# this hides the trainer notes from learners there and leaves them in JupyterLab, where trainers edit them.
HIDE_TRAINER_NOTES = f"<style>.celltag_{nbmod.TRAINER_TAG} {{ display: none !important; }}</style>"


def _hide_trainer_notes() -> None:
    try:
        from IPython import get_ipython
        from IPython.display import HTML, display
    except ImportError:
        return
    if get_ipython() is not None:
        display(HTML(HIDE_TRAINER_NOTES))


def start_lesson(lesson_id: str, notebook: str | Path | None = None) -> Lesson:
    """Record that the lesson was opened and return the object that makes its self-checks.

    ``notebook`` is the lesson's file when it is not in the current folder (tests, a lesson run from elsewhere).
    """
    progress.record_lesson_opened(lesson_id)
    _hide_trainer_notes()
    return Lesson(lesson_id, Path(notebook) if notebook is not None else None)
