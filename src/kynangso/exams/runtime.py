"""What an exam notebook runs on the learner's side: show the learner's own version of each question, check
the *form* of each answer (for nbgrader Validate) and embed practical tasks. Holds no answer key.
"""

from __future__ import annotations

import contextlib
import html
import json
import os
from pathlib import Path
from typing import Any

from kynangso import atomic
from kynangso.exams import qtypes
from kynangso.exams.build import PUBLIC_FILE
from kynangso.exams.graders import transcript_name
from kynangso.exams.variants import current_learner, practical_seed, variant_index

LEARNER_FILE = "nguoi-lam-bai.json"
# A practical task's transcript is a few kilobytes; a bigger file is not one (and is not read whole).
MAX_TRANSCRIPT = 2_000_000
GRADING_PRACTICAL_HTML = "<i>Khi chấm, máy dùng bản ghi thao tác anh/chị đã lưu.</i>"
STYLE = "font-family: 'DejaVu Sans', 'Segoe UI', Roboto, Arial, sans-serif; font-size: 16px; line-height: 1.5;"


class CauTraLoiChuaHopLe(Exception):
    """An answer is missing or not written in the expected form (says nothing about whether it is right)."""


def wrap(markup: str) -> str:
    """The HTML the notebook displays for ``markup`` (the grader writes the same outputs without a kernel)."""
    return f'<div style="{STYLE}">{markup}</div>'


def _show(markup: str) -> None:
    from IPython.display import HTML, display

    display(HTML(wrap(markup)))


class BaiThi:
    """One exam as the learner sees it."""

    def __init__(self, exam: str, folder: Path | None = None, learner: str | None = None):
        self.exam = exam
        self.folder = (folder or Path.cwd()).resolve()
        path = self.folder / PUBLIC_FILE
        try:
            self.data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise FileNotFoundError(
                f"Thiếu hoặc hỏng tệp {PUBLIC_FILE} bên cạnh bài thi ({exc}). "
                "Anh/chị hãy tải lại bài thi ở thẻ Assignments."
            ) from None
        self.learner = learner or current_learner(exam, self.folder)
        if learner is None and not os.environ.get("NBGRADER_EXECUTION"):
            self._record_learner()

    def _record_learner(self) -> None:
        """Leave the learner id beside the notebook (submitted with it), so that grading can tell when an exam
        was answered under one learner id and submitted under another (different variants)."""
        path = self.folder / LEARNER_FILE
        with contextlib.suppress(OSError):  # a read-only folder must not stop the exam
            atomic.write_text(path, json.dumps({"exam": self.exam, "learner": self.learner}) + "\n", sync=False)

    def _question(self, number: int) -> tuple[dict[str, Any], dict[str, Any]]:
        questions = self.data["questions"]
        if not 1 <= number <= len(questions):
            raise CauTraLoiChuaHopLe(f"Bài thi không có câu {number}.")
        q = questions[number - 1]
        index = variant_index(self.exam, q["id"], self.learner, len(q["variants"]))
        return q, q["variants"][index]

    def intro_html(self) -> str:
        return (
            f"<b>{html.escape(self.data['title'])}</b><br>"
            f"Bài thi của học viên: <b>{html.escape(self.learner)}</b>. "
            "Nếu đây không phải tên đăng nhập của anh/chị, hãy báo người phụ trách trước khi làm bài."
        )

    def gioi_thieu(self) -> None:
        _show(self.intro_html())

    def cau(self, number: int) -> None:
        _show(self.question_html(number))

    def question_html(self, number: int) -> str:
        q, v = self._question(number)
        return f"<p><b>Câu {number}.</b> {html.escape(v['text'])}</p>" + qtypes.get(q["type"]).prompt_html(v)

    def form_problem(self, number: int, value: Any) -> str | None:
        """What is wrong with the form of an answer, as the learner is told; None when it can be graded."""
        q, v = self._question(number)
        size = len(v.get("choices", v.get("steps", [])))
        found = qtypes.get(q["type"]).problem(value, size)
        return f"Câu {number}: {found}." if found else None

    def kiem_tra(self, number: int, value: Any) -> None:
        """Raise when the answer is missing or malformed; silent otherwise (never says right or wrong)."""
        found = self.form_problem(number, value)
        if found:
            raise CauTraLoiChuaHopLe(found)

    def thuc_hanh(self, number: int) -> Any:
        q, _ = self._question(number)
        if os.environ.get("NBGRADER_EXECUTION"):
            # While nbgrader validates or autogrades, the saved transcript is what counts: never open a new
            # session that could overwrite it.
            _show(GRADING_PRACTICAL_HTML)
            return None
        try:
            from kynangso import sims  # type: ignore[attr-defined,unused-ignore]
        except ImportError:
            _show("<b>Máy này chưa có phần mô phỏng của Kỹ Năng Số; hãy báo người phụ trách.</b>")
            return None
        return sims.embed(
            q["scenario"],
            mode="kiem-tra",
            seed=practical_seed(self.exam, q["id"], self.learner),
            transcript_path=self.folder / transcript_name(q["id"]),
        )

    def practical_problem(self, number: int, folder: Path | None = None) -> str | None:
        """Why the practical task's transcript (in ``folder``, default the exam's) cannot be graded, or None."""
        q, _ = self._question(number)
        path = (folder or self.folder) / transcript_name(q["id"])
        if not path.is_file():
            return f"Câu {number}: anh/chị chưa làm bài thực hành (chưa có bản ghi thao tác)."
        try:
            if path.stat().st_size > MAX_TRANSCRIPT:
                raise ValueError("too large")
            json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return f"Câu {number}: bản ghi thao tác bị hỏng; anh/chị hãy làm lại bài thực hành."
        return None

    def kiem_tra_thuc_hanh(self, number: int) -> None:
        found = self.practical_problem(number)
        if found:
            raise CauTraLoiChuaHopLe(found)
