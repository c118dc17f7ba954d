"""A feedback step that hides every test, key and rubric before nbgrader renders the feedback page.

Stock ``nbgrader generate_feedback`` renders the autograded notebook as it is: the hidden test source (restored
from the gradebook at autograde) and any traceback that names an expected value. Listed in the course config's
``GenerateFeedback.preprocessors``, this step runs for ``kynangso feedback`` *and* for nbgrader's own command or
Formgrader's button, so no path can leak. It also adds the question's explanation from the answer keys.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from nbconvert.preprocessors import Preprocessor
from nbformat.v4 import new_markdown_cell
from traitlets import Bool

HIDDEN_NOTE = "# Ô chấm tự động: nội dung được ẩn để giữ bí mật đề thi."
MARK_SCHEME = re.compile(r"### BEGIN MARK SCHEME.*?### END MARK SCHEME", re.S)


def _explanations(exam: str, folder: str) -> dict[str, str]:
    from kynangso.exams.graders import KeysNotFound, find_keys

    try:
        keys = json.loads(find_keys(exam, Path(folder) if folder else None).read_text(encoding="utf-8"))
    except (KeysNotFound, OSError, ValueError):
        return {}
    return {qid: str(entry.get("explanation", "")) for qid, entry in keys.get("questions", {}).items()}


class HideTests(Preprocessor):
    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb: Any, resources: Any) -> tuple[Any, Any]:
        exam = resources.get("nbgrader", {}).get("assignment", "")
        folder = resources.get("metadata", {}).get("path", "")
        explanations = _explanations(exam, folder) if exam else {}
        cells = []
        for cell in nb.cells:
            if cell.get("metadata", {}).get("kynangso", {}).get("rubric"):
                continue  # the rubric shown to graders in Formgrader
            info = cell.get("metadata", {}).get("nbgrader", {})
            grade_id = str(info.get("grade_id", ""))
            if cell.cell_type == "code" and info.get("grade") and not info.get("solution"):
                cell.source = HIDDEN_NOTE
                cell.outputs = []
            if info.get("task"):  # a criterion the trainer scored: its mark scheme stays with the trainer
                cell.source = MARK_SCHEME.sub("", cell.source).strip()
            cells.append(cell)
            qid = grade_id.split("-", 1)[1] if "-" in grade_id else ""
            if info.get("grade") and explanations.get(qid):
                cells.append(new_markdown_cell(f"💡 **Giải thích:** {explanations[qid]}"))
        nb.cells = cells
        return nb, resources
