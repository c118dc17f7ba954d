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

from kynangso.exams.bank import Exam, Question
from kynangso.exams.variants import display_order

PUBLIC_FILE = "de-thi.json"
KEYS_DIR = "answer_keys"
TYPE_LABELS = {
    "single": "chọn một đáp án",
    "multiple": "chọn nhiều đáp án",
    "order": "sắp xếp các bước",
    "numeric": "điền số",
    "short": "trả lời ngắn",
    "practical": "thực hành trên mô phỏng",
    "open": "tự luận, người chấm chấm tay",
}
EXAMPLES = {
    "single": '"A"',
    "multiple": '["A", "C"]',
    "numeric": "150000",
    "short": '"nhập câu trả lời ngắn"',
}


def order_key(exam: str, qid: str, variant: int, size: int) -> list[int]:
    """The displayed numbers of the steps, in the correct order."""
    shown = display_order(exam, qid, variant, size)
    return [shown.index(k) + 1 for k in range(size)]


def public_data(exam: Exam) -> dict[str, Any]:
    questions = []
    for number, q in enumerate(exam.questions, start=1):
        variants = []
        for vi, v in enumerate(q.variants):
            item: dict[str, Any] = {"text": v.text}
            if v.choices:
                item["choices"] = list(v.choices)
            if v.steps:
                item["steps"] = [v.steps[i] for i in display_order(exam.name, q.id, vi, len(v.steps))]
            if v.unit:
                item["unit"] = v.unit
            variants.append(item)
        entry: dict[str, Any] = {"number": number, "id": q.id, "type": q.type, "points": q.points}
        if q.scenario:
            entry["scenario"] = q.scenario
        entry["variants"] = variants
        questions.append(entry)
    return {"exam": exam.name, "title": exam.title, "minutes": exam.minutes, "questions": questions}


def answer_keys(exam: Exam) -> dict[str, Any]:
    questions: dict[str, Any] = {}
    for number, q in enumerate(exam.questions, start=1):
        keys: list[dict[str, Any]] = []
        for vi, v in enumerate(q.variants):
            if q.type == "order":
                keys.append({"answer": order_key(exam.name, q.id, vi, len(v.steps))})
            elif q.type == "numeric":
                keys.append({"answer": v.answer, "tolerance": v.tolerance})
            elif q.type in ("single", "multiple"):
                keys.append({"answer": v.answer})
            elif q.type == "short":
                keys.append({"answer": list(v.answer)})
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


def _nbgrader(grade_id: str, *, grade: bool = False, solution: bool = False, points: float | None = None) -> dict:
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


def _cell(kind: str, cell_id: str, source: str, nbgrader: dict | None = None, extra: dict | None = None) -> dict:
    metadata: dict[str, Any] = {}
    if nbgrader is not None:
        # Every cell the exam is made of stays in place; only answer cells can be typed into.
        metadata["deletable"] = False
        if nbgrader["locked"]:
            metadata["editable"] = False
        metadata["nbgrader"] = nbgrader
    if extra:
        metadata["kynangso"] = extra
    cell: dict[str, Any] = {"cell_type": kind, "id": cell_id[:64], "metadata": metadata, "source": source}
    if kind == "code":
        cell["execution_count"] = None
        cell["outputs"] = []
    return cell


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
    head = f"## Câu {number} · {q.points:g} điểm · {TYPE_LABELS[q.type]}"
    cells = [
        _cell("markdown", f"heading-{q.id}", head, _nbgrader(f"heading-{q.id}")),
        _cell(
            "code",
            f"text-{q.id}",
            f"# Hiện đề câu {number}: bấm vào ô này rồi nhấn Shift + Enter.\nbai_thi.cau({number})",
            _nbgrader(f"text-{q.id}"),
        ),
    ]
    var = f"tra_loi_{number}"
    if q.type in EXAMPLES or q.type == "order":
        example = EXAMPLES.get(q.type) or str(list(range(1, len(q.variants[0].steps) + 1))[::-1])
        cells.append(
            _cell(
                "code",
                f"answer-{q.id}",
                f"# ✍️ CÂU TRẢ LỜI CÂU {number}: thay dấu ... bằng câu trả lời của anh/chị.\n"
                f"# Ví dụ cách viết (không phải đáp án): {var} = {example}\n"
                f"{var} = ...",
                # An nbgrader "autograded answer" cell, so that Validate, Formgrader and the gradebook know it;
                # it holds no solution to clear (see kynangso.grade.generate).
                _nbgrader(f"answer-{q.id}", solution=True),
                extra={"answer": q.id},
            )
        )
        test = (
            f"# Ô chấm câu {number}: anh/chị không cần sửa ô này.\n"
            f"bai_thi.kiem_tra({number}, {var})\n"
            "### BEGIN HIDDEN TESTS\n"
            "from kynangso.exams.graders import cham\n\n"
            f"cham({exam.name!r}, {q.id!r}, {var})\n"
            "### END HIDDEN TESTS"
        )
        cells.append(_cell("code", q.grade_id, test, _nbgrader(q.grade_id, grade=True, points=q.points)))
    elif q.type == "practical":
        cells.append(
            _cell(
                "code",
                f"sim-{q.id}",
                f"# ✍️ BÀI THỰC HÀNH CÂU {number}: chạy ô này, rồi làm bài trên màn hình mô phỏng hiện ra.\n"
                f"bai_thi.thuc_hanh({number})",
                _nbgrader(f"sim-{q.id}"),
            )
        )
        test = (
            f"# Ô chấm câu {number}: anh/chị không cần sửa ô này.\n"
            f"bai_thi.kiem_tra_thuc_hanh({number})\n"
            "### BEGIN HIDDEN TESTS\n"
            "from kynangso.exams.graders import cham_thuc_hanh\n\n"
            f"cham_thuc_hanh({exam.name!r}, {q.id!r})\n"
            "### END HIDDEN TESTS"
        )
        cells.append(_cell("code", q.grade_id, test, _nbgrader(q.grade_id, grade=True, points=q.points)))
    else:  # open: a markdown answer graded by hand; the rubric is hidden from learners
        cells.extend(_open_cells(number, q))
    return cells


def criterion_id(qid: str, n: int) -> str:
    """The grade_id of a required criterion of an open question: a task cell the trainer scores on its own."""
    return f"tieu-chi-{qid}-{n}"


def _open_cells(number: int, q: Question) -> list[dict]:
    """The learner's answer (graded by hand for the criteria that are not required), then one task cell per
    required criterion, so that Formgrader records whether each required criterion was met."""
    required = [(n, r) for n, r in enumerate(q.rubric, start=1) if r.required]
    rest = q.points - sum(r.points for _, r in required)
    graded = rest > 1e-9
    rubric = "\n".join(f"- ({r.points:g} điểm) {r.criterion}" for r in q.rubric)
    text = (
        f"✍️ **Câu trả lời câu {number}** — bấm đúp vào ô này để viết, xong nhấn Shift + Enter.\n\n"
        "### BEGIN SOLUTION\n"
        "Viết câu trả lời của anh/chị vào đây.\n"
        "### END SOLUTION"
    )
    if graded:  # nbgrader allows a hidden region only in a graded cell; graders also see the rubric in Formgrader
        text += f"\n\n### BEGIN HIDDEN TESTS\n**Thang chấm (chỉ người chấm thấy):**\n\n{rubric}\n### END HIDDEN TESTS"
    meta = _nbgrader(q.grade_id, grade=graded, solution=True, points=rest if graded else None)
    cells = [_cell("markdown", q.grade_id, text, meta)]
    for n, r in required:
        task = {
            "grade": False,
            "grade_id": criterion_id(q.id, n),
            "locked": True,
            "points": r.points,
            "schema_version": 3,
            "solution": False,
            "task": True,
        }
        note = (
            f"🔒 Ô dành cho giảng viên: chấm một tiêu chí bắt buộc của câu {number} ({r.points:g} điểm). "
            "Anh/chị không cần sửa ô này.\n\n"
            f"### BEGIN MARK SCHEME\n**Tiêu chí bắt buộc:** {r.criterion}\n### END MARK SCHEME"
        )
        cells.append(_cell("markdown", criterion_id(q.id, n), note, task))
    return cells


def notebook(exam: Exam) -> dict[str, Any]:
    cells = [
        _cell("markdown", "intro", _intro(exam), _nbgrader("intro")),
        _cell(
            "code",
            "setup",
            "# Ô chuẩn bị: chạy ô này trước tiên (Shift + Enter). Không sửa ô này.\n"
            "from kynangso.exams.runtime import BaiThi\n\n"
            f"bai_thi = BaiThi({exam.name!r})\n"
            "bai_thi.gioi_thieu()",
            _nbgrader("setup"),
        ),
    ]
    for number, q in enumerate(exam.questions, start=1):
        cells.extend(_question_cells(exam, number, q))
    cells.append(
        _cell(
            "markdown",
            "ending",
            "## Hết bài\n\nAnh/chị lưu bài (**Ctrl + S**), bấm **Validate** để rà lại các câu chưa trả lời, "
            "rồi vào thẻ **Assignments** bấm **Submit**. Chúc anh/chị thi tốt!",
            _nbgrader("ending"),
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
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    if private:
        os.chmod(tmp, 0o600)
    tmp.replace(path)
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
