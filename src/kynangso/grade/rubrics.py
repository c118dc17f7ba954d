"""Each open question's rubric, shown to the grader in Formgrader right under the learner's answer.

The rubric cells are added to the autograded notebook only; the feedback step removes them
(:mod:`kynangso.grade.safe_feedback`), so a learner never sees one.
"""

from __future__ import annotations

from typing import Any


def rubric_cell(qid: str, rubric: list[dict[str, Any]]) -> dict[str, Any]:
    lines = "\n".join(
        f"- ({r['points']:g} điểm) {r['criterion']}" + (" — **bắt buộc**" if r.get("required") else "") for r in rubric
    )
    return {
        "cell_type": "markdown",
        "id": f"rubric-{qid}"[:64],
        "metadata": {"kynangso": {"rubric": qid}},
        "source": f"**📋 Thang chấm câu này (chỉ người chấm thấy):**\n\n{lines}",
    }


def with_rubrics(nb: dict[str, Any], keys: dict[str, Any]) -> dict[str, Any]:
    cells = []
    for cell in nb["cells"]:
        if cell.get("metadata", {}).get("kynangso", {}).get("rubric"):
            continue  # added by an earlier run
        cells.append(cell)
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
        qid = grade_id.removeprefix("open-")
        if grade_id.startswith("open-") and keys.get(qid, {}).get("rubric"):
            cells.append(rubric_cell(qid, keys[qid]["rubric"]))
    return {**nb, "cells": cells}
