"""The cells an exam notebook is made of, with the nbgrader metadata that makes them gradable and locked.

Shared by the exam build (intro, setup, ending) and by each question type (its answer and test cells).
"""

from __future__ import annotations

from typing import Any


def nbgrader_meta(grade_id: str, *, grade: bool = False, solution: bool = False, points: float | None = None) -> dict:
    meta: dict[str, Any] = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": not solution,
        "schema_version": 3,
        "solution": solution,
        "task": False,
    }
    if grade:
        meta["points"] = points
    return meta


def cell(kind: str, cell_id: str, source: str, nbgrader: dict | None = None, extra: dict | None = None) -> dict:
    metadata: dict[str, Any] = {}
    if nbgrader is not None:
        # Every cell the exam is made of stays in place; only answer cells can be typed into.
        metadata["deletable"] = False
        if nbgrader["locked"]:
            metadata["editable"] = False
        metadata["nbgrader"] = nbgrader
    if extra:
        metadata["kynangso"] = extra
    made: dict[str, Any] = {"cell_type": kind, "id": cell_id[:64], "metadata": metadata, "source": source}
    if kind == "code":
        made["execution_count"] = None
        made["outputs"] = []
    return made


def graded_cell(grade_id: str, points: float, source: str) -> dict:
    """A graded, locked code cell: the visible form check, then the hidden grading call."""
    return cell("code", grade_id, source, nbgrader_meta(grade_id, grade=True, points=points))
