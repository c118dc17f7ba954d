"""Question bank -> nbgrader source notebooks, byte for byte reproducible.

For each exam ``<name>`` the build writes, under a course root:

- ``source/<name>/<name>.ipynb``: the nbgrader source notebook (no answer key in it);
- ``source/<name>/de-thi.json``: the public text of every variant (no keys), released with the notebook so that
  the learner's kernel can show each learner their own version;
- ``answer_keys/<name>.json``: the keys and rubrics, outside ``source/`` so that nbgrader never releases them;
  the hidden tests look them up there when nbgrader autogrades in ``autograded/<student>/<name>/``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from kynangso import atomic
from kynangso.exams import qtypes
from kynangso.exams.bank import Exam, Question
from kynangso.exams.cells import cell, nbgrader_meta

PUBLIC_FILE = "de-thi.json"
KEYS_DIR = "answer_keys"


def public_data(exam: Exam) -> dict[str, Any]:
    questions = []
    for number, q in enumerate(exam.questions, start=1):
        qtype = qtypes.get(q.type)
        variants = [qtype.public_variant(exam.name, q.id, vi, v) for vi, v in enumerate(q.variants)]
        entry: dict[str, Any] = {"number": number, "id": q.id, "type": q.type, "points": q.points}
        if q.scenario:
            entry["scenario"] = q.scenario
        entry["variants"] = variants
        questions.append(entry)
    return {"exam": exam.name, "title": exam.title, "minutes": exam.minutes, "questions": questions}


def answer_keys(exam: Exam) -> dict[str, Any]:
    questions: dict[str, Any] = {}
    for number, q in enumerate(exam.questions, start=1):
        qtype = qtypes.get(q.type)
        found = (qtype.key(exam.name, q.id, vi, v) for vi, v in enumerate(q.variants))
        keys = [k for k in found if k is not None]
        entry: dict[str, Any] = {"number": number, "type": q.type, "points": q.points, "variants": len(q.variants)}
        if keys:
            entry["keys"] = keys
        if q.scenario:
            entry["scenario"] = q.scenario
        if q.rubric:
            entry["rubric"] = [{"criterion": r.criterion, "points": r.points, "required": r.required} for r in q.rubric]
        entry["explanation"] = q.explanation
        questions[q.id] = entry
    return {"exam": exam.name, "questions": questions}


def _intro(exam: Exam) -> str:
    return (
        f"# Bài thi {exam.title}\n\n"
        f"Thời gian làm bài: **{exam.minutes} phút** · {len(exam.questions)} câu · "
        f"tổng **{exam.total_points:g} điểm**.\n\n"
        "Cách làm bài:\n\n"
        "1. Chạy ô **chuẩn bị** ngay bên dưới (bấm vào ô rồi nhấn **Shift + Enter**). "
        "Mỗi anh/chị nhận một đề riêng, nên đề của người bên cạnh có thể khác.\n"
        "2. Chạy ô hiện đề của từng câu, đọc kỹ, rồi ghi câu trả lời vào **ô có dấu ✍️** "
        "ngay bên dưới: thay dấu `...` bằng câu trả lời, giữ nguyên phần bên trái dấu `=`.\n"
        "3. Câu thực hành: làm trên màn hình mô phỏng hiện ra trong bài; máy tự lưu từng thao tác.\n"
        "4. Muốn biết còn câu nào chưa trả lời hoặc viết chưa đúng cách, bấm **Validate** "
        "(nút này không cho biết đúng hay sai).\n"
        "5. Lưu bài (**Ctrl + S**), rồi vào thẻ **Assignments** bấm **Submit** để nộp.\n\n"
        "Không sửa, không xóa các ô bị khóa (không gõ được vào): bài có ô chấm bị sửa hoặc bị xóa sẽ không được chấm."
    )


def _question_cells(exam: Exam, number: int, q: Question) -> list[dict]:
    qtype = qtypes.get(q.type)
    head = f"## Câu {number} · {q.points:g} điểm · {qtype.label}"
    return [
        cell("markdown", f"heading-{q.id}", head, nbgrader_meta(f"heading-{q.id}")),
        cell(
            "code",
            f"text-{q.id}",
            f"# Hiện đề câu {number}: bấm vào ô này rồi nhấn Shift + Enter.\nbai_thi.cau({number})",
            nbgrader_meta(f"text-{q.id}"),
        ),
        *qtype.cells(exam.name, number, q),
    ]


def notebook(exam: Exam) -> dict[str, Any]:
    cells = [
        cell("markdown", "intro", _intro(exam), nbgrader_meta("intro")),
        cell(
            "code",
            "setup",
            "# Ô chuẩn bị: chạy ô này trước tiên (Shift + Enter). Không sửa ô này.\n"
            "from kynangso.exams.runtime import BaiThi\n\n"
            f"bai_thi = BaiThi({exam.name!r})\n"
            "bai_thi.gioi_thieu()",
            nbgrader_meta("setup"),
        ),
    ]
    for number, q in enumerate(exam.questions, start=1):
        cells.extend(_question_cells(exam, number, q))
    cells.append(
        cell(
            "markdown",
            "ending",
            "## Hết bài\n\nAnh/chị lưu bài (**Ctrl + S**), bấm **Validate** để rà lại các câu chưa trả lời, "
            "rồi vào thẻ **Assignments** bấm **Submit**. Chúc anh/chị thi tốt!",
            nbgrader_meta("ending"),
        )
    )
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
            "kynangso": {"exam": exam.name, "schema_version": 2},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def _dump(data: Any, indent: int = 1) -> str:
    return json.dumps(data, ensure_ascii=False, indent=indent, sort_keys=True) + "\n"


def _write(path: Path, text: str, private: bool = False) -> bool:
    """Write atomically; returns whether the file changed (so a rebuild touches nothing that is unchanged)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    atomic.write_text(path, text, mode=0o600 if private else None)
    return True


def build_exam(exam: Exam, root: Path) -> list[Path]:
    """Write one exam's source notebook, public data and keys under the course root; returns changed files."""
    import nbformat

    nb = nbformat.from_dict(notebook(exam))
    nbformat.validate(nb)
    folder = root / "source" / exam.name
    keys_dir = root / KEYS_DIR
    keys_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(keys_dir, 0o700)
    outputs = [
        (folder / f"{exam.name}.ipynb", _dump(notebook(exam)), False),
        (folder / PUBLIC_FILE, _dump(public_data(exam)), False),
        (keys_dir / f"{exam.name}.json", _dump(answer_keys(exam)), True),
    ]
    return [path for path, text, private in outputs if _write(path, text, private)]


def build_all(exams: dict[str, Exam], root: Path) -> list[Path]:
    changed: list[Path] = []
    for exam in exams.values():
        changed.extend(build_exam(exam, root))
    return changed
