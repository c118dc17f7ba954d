"""Check a submission before grading it: readable, a notebook, and every locked or graded cell as released.

nbgrader quietly repairs a tampered test cell (it restores the source from the gradebook) and shows a corrupt file
as an ordinary 0. For a certification exam the trainer must see those cases, with the reason, so we look first.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def _nbgrader_cells(nb: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for cell in nb.get("cells", []):
        if not isinstance(cell, dict):
            continue
        meta = cell.get("metadata", {})
        info = meta.get("nbgrader") if isinstance(meta, dict) else None
        if isinstance(info, dict) and isinstance(info.get("grade_id"), str):
            found[info["grade_id"]] = cell
    return found


def _source(cell: dict[str, Any]) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def _label(grade_id: str, numbers: dict[str, int]) -> str:
    qid = grade_id.split("-", 1)[1] if "-" in grade_id else grade_id
    number = numbers.get(qid)
    return f"ô '{grade_id}'" + (f" (câu {number})" if number else "")


def question_numbers(nb: dict[str, Any]) -> dict[str, int]:
    """Question id -> number as shown in the exam, read from the heading cells of the released notebook."""
    numbers: dict[str, int] = {}
    for grade_id in _nbgrader_cells(nb):
        if grade_id.startswith("heading-"):
            numbers[grade_id.removeprefix("heading-")] = len(numbers) + 1
    return numbers


def _answered_as(folder: Path) -> str | None:
    """The learner id the exam notebook ran under while the learner answered (see kynangso.exams.runtime)."""
    from kynangso.exams.runtime import LEARNER_FILE

    try:
        data = json.loads((folder / LEARNER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    learner = data.get("learner") if isinstance(data, dict) else None
    return learner if isinstance(learner, str) and learner else None


def check_submission(root: Path, exam: str, student: str) -> str | None:
    """The reason (Vietnamese) why this submission cannot be graded fairly, or None when it can."""
    path = root / "submitted" / student / exam / f"{exam}.ipynb"
    if not path.is_file():
        return f"Bài nộp không có tệp {exam}.ipynb."
    try:
        nb = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        return f"Tệp bài làm bị hỏng, không đọc được (JSON không hợp lệ: {str(exc)[:120]})."
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list) or nb.get("nbformat") != 4:
        return "Tệp bài làm không phải notebook Jupyter hợp lệ (thiếu danh sách ô hoặc sai phiên bản định dạng)."
    try:
        import nbformat

        nbformat.validate(nbformat.from_dict(nb))
    except Exception as exc:
        return f"Tệp bài làm không đúng định dạng notebook ({str(exc).splitlines()[0][:120]})."
    claimed = _answered_as(path.parent)
    if claimed and claimed != student:
        return (
            f"Bài thi được làm dưới mã học viên '{claimed}' nhưng nộp dưới mã '{student}'; đề của hai mã khác nhau "
            "nên không chấm được. Người phụ trách cần kiểm tra lại."
        )
    released_path = root / "release" / exam / f"{exam}.ipynb"
    if not released_path.is_file():
        return None
    released = json.loads(released_path.read_text(encoding="utf-8"))
    expected = _nbgrader_cells(released)
    got = _nbgrader_cells(nb)
    numbers = question_numbers(released)
    if expected and not got:
        return "Siêu dữ liệu chấm thi (nbgrader) trong bài làm đã bị xóa, máy không nhận ra các ô chấm."
    for grade_id, cell in expected.items():
        info = cell["metadata"]["nbgrader"]
        if grade_id not in got:
            if info.get("grade"):
                return f"Ô chấm {_label(grade_id, numbers)} đã bị xóa khỏi bài làm."
            continue
        theirs = got[grade_id]
        mine = {k: info.get(k) for k in ("grade", "solution", "locked", "points")}
        if {k: theirs["metadata"]["nbgrader"].get(k) for k in mine} != mine:
            return f"Thông tin chấm của {_label(grade_id, numbers)} đã bị sửa."
        if info.get("locked") and _source(theirs) != _source(cell):
            return f"Ô có khóa {_label(grade_id, numbers)} đã bị sửa nội dung."
    return None
