"""Read a submission before grading it: a readable notebook, submitted under the learner who answered it.

A file that is not a notebook cannot be graded at all; the trainer must see that case with its reason rather
than an ordinary 0 (nbgrader shows a corrupt file as a plain failure or a zero).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kynangso.grade import exam_metadata

# A real exam notebook is well under a megabyte; a bigger file is refused before it is parsed.
MAX_NOTEBOOK = 20 * 1024 * 1024


class Unreadable(ValueError):
    """Why the submitted notebook cannot be graded (Vietnamese)."""


def read_notebook(path: Path) -> dict[str, Any]:
    """The submitted notebook as JSON data, checked to be an nbformat-4 notebook; raises :class:`Unreadable`."""
    if not path.is_file():
        raise Unreadable(f"Bài nộp không có tệp {path.name}.")
    size = path.stat().st_size
    if size > MAX_NOTEBOOK:
        raise Unreadable(f"Tệp bài làm lớn bất thường ({size // 1024 // 1024} MB), không chấm.")
    try:
        nb = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise Unreadable(f"Tệp bài làm bị hỏng, không đọc được (JSON không hợp lệ: {str(exc)[:120]}).") from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list) or nb.get("nbformat") != 4:
        raise Unreadable(
            "Tệp bài làm không phải notebook Jupyter hợp lệ (thiếu danh sách ô hoặc sai phiên bản định dạng)."
        )
    for index, cell in enumerate(nb["cells"], start=1):
        if (
            not isinstance(cell, dict)
            or cell.get("cell_type") not in ("code", "markdown", "raw")
            or not isinstance(cell.get("source", ""), str | list)
            or not isinstance(cell.get("metadata", {}), dict)
        ):
            raise Unreadable(f"Tệp bài làm không đúng định dạng notebook (ô thứ {index} bị hỏng).")
    if exam_metadata.is_exam(nb):
        problems = exam_metadata.check(nb)
        if problems:
            raise Unreadable(
                f"Thông tin bài thi trong tệp bài làm bị sửa hoặc hỏng ({problems[0]}), không chấm được; "
                "người phụ trách cần cho học viên làm lại trên bản phát."
            )
    return nb


def has_grading_metadata(nb: dict[str, Any]) -> bool:
    return any(isinstance(c.get("metadata", {}).get("nbgrader"), dict) for c in nb["cells"])


def answered_as(folder: Path) -> str | None:
    """The learner id the exam notebook ran under while the learner answered (see kynangso.exams.runtime)."""
    from kynangso.exams.runtime import LEARNER_FILE

    try:
        data = json.loads((folder / LEARNER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    learner = data.get("learner") if isinstance(data, dict) else None
    return learner if isinstance(learner, str) and learner else None


def learner_mismatch(folder: Path, student: str) -> str | None:
    claimed = answered_as(folder)
    if claimed and claimed != student:
        return (
            f"Bài thi được làm dưới mã học viên '{claimed}' nhưng nộp dưới mã '{student}'; đề của hai mã khác nhau "
            "nên không chấm được. Người phụ trách cần kiểm tra lại."
        )
    return None


def as_node(nb: dict[str, Any]) -> Any:
    """The notebook as nbformat's in-memory form (a NotebookNode, each source one string), as nbgrader's steps
    expect it; files may split sources into lists of lines."""
    import nbformat
    from nbformat.v4.rwbase import rejoin_lines

    return rejoin_lines(nbformat.from_dict(nb))
