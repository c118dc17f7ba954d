"""An autograde step that caps the size of every output, whatever a submission prints.

nbgrader's LimitOutput counts lines only: one ``print("x" * 50_000_000)`` still writes a 50 MB notebook, which then
slows Formgrader and every later step. Listed in the course config's ``Autograde.autograde_preprocessors``.
"""

from __future__ import annotations

from typing import Any

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool, Integer

TRUNCATED = "[Kỹ Năng Số: phần in ra quá dài đã được cắt bớt]"


class LimitOutputSize(Preprocessor):
    enabled = Bool(True).tag(config=True)
    max_chars = Integer(20000, help="Characters kept of each text output of a cell.").tag(config=True)

    def _cut(self, text: str) -> str:
        if len(text) <= self.max_chars:
            return text
        return text[: self.max_chars] + f"\n{TRUNCATED} ({len(text) - self.max_chars} ký tự)\n"

    def preprocess_cell(self, cell: Any, resources: Any, index: int) -> tuple[Any, Any]:
        for out in cell.get("outputs", []) or []:
            if "text" in out:
                text = "".join(out["text"]) if isinstance(out["text"], list) else out["text"]
                out["text"] = self._cut(text)
            for mime, value in list(out.get("data", {}).items()):
                if isinstance(value, str | list) and mime.startswith("text/"):
                    text = "".join(value) if isinstance(value, list) else value
                    out["data"][mime] = self._cut(text)
            if "traceback" in out:
                out["traceback"] = [self._cut(line) for line in out["traceback"]]
        return cell, resources
