"""Grade a Kỹ Năng Số exam submission without running any of it.

A submitted exam notebook is read as data: each answer cell through :func:`kynangso.grade.literal.read_answer`,
each practical task by replaying its transcript with the simulation engine, every locked cell compared with the
released exam. The result is the notebook nbgrader would have produced by running it — the same question texts,
the same score in each test cell's output, the same form errors — so that nbgrader's own rules
(:func:`nbgrader.utils.determine_grade`) give the same scores, and the learner sees the same results.

Whatever is not an answer (code in an answer cell, an edited or deleted locked cell, an added code cell) is a
:class:`Flag`: the question it touches scores 0 and waits for a trainer in Formgrader; none of it runs.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from kynangso.exams import qtypes
from kynangso.exams.build import KEYS_DIR, PUBLIC_FILE
from kynangso.exams.graders import practical_points, replay_practical, score_answer, transcript_name
from kynangso.exams.runtime import GRADING_PRACTICAL_HTML, BaiThi, wrap
from kynangso.grade.literal import Answer, as_typed, read_answer

ANSWER_PREFIX = "answer-"
# The cells of a question: its heading, text, answer and simulation cells, then the graded cell of its type.
QUESTION_PREFIXES = (
    "heading-",
    "text-",
    "answer-",
    "sim-",
    *dict.fromkeys(f"{qtypes.get(name).cell_prefix}-" for name in qtypes.names()),
)
FORM_ERROR = "CauTraLoiChuaHopLe"
REVIEW_ERROR = "ChoGiangVienXemXet"


class ExamNotReady(RuntimeError):
    """The course lacks what grading an exam needs (its release or its keys); Vietnamese message."""


@dataclass(frozen=True)
class Flag:
    """Something in a submission that is not an answer. ``grade_id``: the graded cell that waits for a trainer
    (it scores 0 until then); None when it concerns the whole notebook."""

    grade_id: str | None
    reason: str


@dataclass
class ExamGrading:
    notebook: dict[str, Any]
    flags: list[Flag] = field(default_factory=list)
    critical: dict[str, list[str]] = field(default_factory=dict)  # practical grade_id -> critical errors made
    comments: dict[str, str] = field(default_factory=dict)  # answer cell grade_id -> why its question waits

    @property
    def review(self) -> dict[str, str]:
        """grade_id of each graded cell that waits for a trainer -> why."""
        found: dict[str, str] = {}
        for f in self.flags:
            if f.grade_id:
                found[f.grade_id] = "; ".join(x for x in (found.get(f.grade_id), f.reason) if x)
        return found

    @property
    def reason(self) -> str:
        reasons = list(dict.fromkeys(f.reason for f in self.flags))
        parts = [f"Chờ giảng viên xem xét: {'; '.join(reasons)}."] if reasons else []
        for gid, errors in sorted(self.critical.items()):
            parts.append(f"Lỗi nghiêm trọng trong bài thực hành ({gid}): {'; '.join(errors)}.")
        return " ".join(parts)

    def details(self) -> dict[str, Any]:
        return {"flags": list(dict.fromkeys(f.reason for f in self.flags)), "critical": self.critical}


def source_of(cell: dict[str, Any]) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def _grade_id(cell: Any) -> str:
    meta = cell.get("metadata") if isinstance(cell, dict) else None
    info = meta.get("nbgrader") if isinstance(meta, dict) else None
    value = info.get("grade_id") if isinstance(info, dict) else None
    return value if isinstance(value, str) else ""


def display(markup: str) -> dict[str, Any]:
    return {
        "output_type": "display_data",
        "data": {"text/html": wrap(markup), "text/plain": "<IPython.core.display.HTML object>"},
        "metadata": {},
    }


def error(ename: str, evalue: str) -> dict[str, Any]:
    return {"output_type": "error", "ename": ename, "evalue": evalue, "traceback": [f"{ename}: {evalue}"]}


def result(points: float) -> dict[str, Any]:
    # What a test cell whose last line returns the points shows; nbgrader reads the partial credit from it.
    return {"output_type": "execute_result", "data": {"text/plain": repr(float(points))}, "metadata": {}}


_NBGRADER_KEYS = ("grade", "solution", "locked", "points", "task")
CRITERION_PREFIX = "tieu-chi-"


def load_kit(course: Path, exam: str) -> ExamKit | None:
    """The exam's grading kit when it is a Kỹ Năng Số exam — decided by the course's own source notebook and
    keys, never by the submission, which a learner could edit — or None for any other assignment."""
    source = course / "source" / exam / f"{exam}.ipynb"
    if not (course / KEYS_DIR / f"{exam}.json").is_file() or not source.is_file():
        return None
    try:
        meta = json.loads(source.read_text(encoding="utf-8")).get("metadata", {}).get("kynangso", {})
    except (OSError, ValueError):
        return None
    return ExamKit(course, exam) if isinstance(meta, dict) and meta.get("exam") == exam else None


class ExamKit:
    """What grading one exam of one course needs, read once: the released notebook, the keys, the public text."""

    def __init__(self, course: Path, exam: str):
        self.course = course
        self.exam = exam
        released = course / "release" / exam / f"{exam}.ipynb"
        keys = course / KEYS_DIR / f"{exam}.json"
        try:
            self.released: dict[str, Any] = json.loads(released.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise ExamNotReady(
                f"Bài thi {exam} chưa được phát (thiếu {released}); phát bằng: kynangso exam release"
            ) from None
        try:
            self.keys: dict[str, Any] = json.loads(keys.read_text(encoding="utf-8"))["questions"]
        except (OSError, ValueError, KeyError):
            raise ExamNotReady(
                f"Thiếu đáp án của bài thi {exam} ({keys}): dựng lại đề bằng kynangso course init"
            ) from None
        self.public_folder = course / "release" / exam
        if not (self.public_folder / PUBLIC_FILE).is_file():
            raise ExamNotReady(f"Thiếu {PUBLIC_FILE} của bài thi {exam} trong {self.public_folder}")

    @cached_property
    def cells(self) -> dict[str, dict[str, Any]]:
        return {gid: c for c in self.released["cells"] if (gid := _grade_id(c))}

    @cached_property
    def question_of(self) -> dict[str, str]:
        """grade_id -> question id for every cell that belongs to a question."""
        found: dict[str, str] = {}
        for gid in self.cells:
            for prefix in QUESTION_PREFIXES:
                if gid.startswith(prefix) and gid[len(prefix) :] in self.keys:
                    found[gid] = gid[len(prefix) :]
            if gid.startswith(CRITERION_PREFIX):  # tieu-chi-<question>-<n>: a required criterion of an open answer
                qid = gid[len(CRITERION_PREFIX) :].rpartition("-")[0]
                if qid in self.keys:
                    found[gid] = qid
        return found

    @cached_property
    def graded_cell(self) -> dict[str, str]:
        """question id -> the grade_id of its graded cell."""
        return {
            qid: gid
            for gid, qid in self.question_of.items()
            if self.cells[gid].get("metadata", {}).get("nbgrader", {}).get("grade")
        }

    def paper(self, learner: str) -> BaiThi:
        return BaiThi(self.exam, self.public_folder, learner=learner)


def _tamper_flag(kit: ExamKit, gid: str, reason: str) -> Flag:
    qid = kit.question_of.get(gid)
    return Flag(kit.graded_cell.get(qid) if qid else None, reason)


def _label(kit: ExamKit, gid: str) -> str:
    qid = kit.question_of.get(gid)
    return f"ô '{gid}'" + (f" (câu {kit.keys[qid]['number']})" if qid else "")


def _compare(kit: ExamKit, submitted: list[Any]) -> tuple[dict[str, dict[str, Any]], list[Flag], list[dict[str, Any]]]:
    """The submitted cell of each released grade_id, the tampering found, and the code cells that were added."""
    mine: dict[str, dict[str, Any]] = {}
    flags: list[Flag] = []
    added: list[dict[str, Any]] = []
    for index, cell in enumerate(submitted, start=1):
        if not isinstance(cell, dict):
            continue
        gid = _grade_id(cell)
        if gid in kit.cells and gid not in mine:
            mine[gid] = cell
        elif gid in mine:
            flags.append(_tamper_flag(kit, gid, f"{_label(kit, gid)} bị lặp lại trong bài làm"))
        elif cell.get("cell_type") == "code" and source_of(cell).strip():
            added.append(cell)
            flags.append(Flag(None, f"bài làm có thêm ô mã không thuộc đề (ô thứ {index}); ô này không được chạy"))
    for gid, released in kit.cells.items():
        info = released["metadata"]["nbgrader"]
        cell = mine.get(gid)
        if cell is None:
            flags.append(_tamper_flag(kit, gid, f"{_label(kit, gid)} đã bị xóa khỏi bài làm"))
            continue
        theirs = cell.get("metadata", {}).get("nbgrader", {})
        if cell.get("cell_type") != released["cell_type"] or any(theirs.get(k) != info.get(k) for k in _NBGRADER_KEYS):
            flags.append(_tamper_flag(kit, gid, f"thông tin chấm của {_label(kit, gid)} đã bị sửa"))
        elif info.get("locked") and source_of(cell) != source_of(released):
            flags.append(_tamper_flag(kit, gid, f"{_label(kit, gid)} là ô có khóa nhưng đã bị sửa nội dung"))
    return mine, flags, added


def grade_exam(kit: ExamKit, submission: dict[str, Any], learner: str, folder: Path) -> ExamGrading:
    """The autograded notebook of one submission, with every flag; ``folder`` holds its transcripts."""
    paper = kit.paper(learner)
    mine, flags, added = _compare(kit, submission.get("cells", []))
    flagged = {f.grade_id for f in flags if f.grade_id}
    outputs: dict[str, list[dict[str, Any]]] = {"setup": [display(paper.intro_html())]}
    critical: dict[str, list[str]] = {}
    for qid, entry in kit.keys.items():
        number = int(entry["number"])
        outputs[f"text-{qid}"] = [display(paper.question_html(number))]
        test = kit.graded_cell.get(qid)
        answered_by = qtypes.get(entry["type"]).answered_by
        if not test or answered_by is qtypes.AnsweredBy.HAND:
            continue
        if answered_by is qtypes.AnsweredBy.SIMULATION:
            outputs[f"sim-{qid}"] = [display(GRADING_PRACTICAL_HTML)]
            problem = paper.practical_problem(number, folder)
            if problem:
                outputs[test] = [error(FORM_ERROR, problem)]
                continue
            replayed = replay_practical(kit.exam, qid, entry, learner, folder / transcript_name(qid))
            outputs[test] = [result(practical_points(entry, replayed))]
            if replayed is not None and replayed.critical:
                critical[test] = _trap_titles(entry["scenario"], replayed.critical)
            continue
        cell = mine.get(f"{ANSWER_PREFIX}{qid}")
        answer = read_answer(source_of(cell), number) if cell is not None else None
        if not isinstance(answer, Answer):
            if answer is not None:
                flags.append(Flag(test, answer.reason))
            flagged.add(test)
            continue
        value = as_typed(answer, entry["type"])
        problem = paper.form_problem(number, value)
        outputs[test] = (
            [error(FORM_ERROR, problem)] if problem else [result(score_answer(kit.exam, qid, entry, learner, value))]
        )
    for test in flagged:
        reasons = "; ".join(f.reason for f in flags if f.grade_id == test) or "ô trả lời đã bị xóa"
        outputs[test] = [error(REVIEW_ERROR, f"Câu này chờ giảng viên xem xét: {reasons}.")]
    graded = ExamGrading(_assemble(kit, submission, mine, added, outputs), flags, critical)
    for test, why in graded.review.items():
        answer_id = f"{ANSWER_PREFIX}{kit.question_of.get(test, '')}"
        if answer_id in kit.cells:
            graded.comments[answer_id] = f"Chờ giảng viên xem xét: {why}."
    return graded


def _trap_titles(scenario: str, traps: list[str]) -> list[str]:
    from kynangso import sims  # type: ignore[attr-defined,unused-ignore]

    known = sims.load_scenario(scenario).traps
    return [known[t].title if t in known else t for t in traps]


def _locked(cell: dict[str, Any]) -> bool:
    return bool(cell.get("metadata", {}).get("nbgrader", {}).get("locked"))


def _assemble(
    kit: ExamKit,
    submission: dict[str, Any],
    mine: dict[str, dict[str, Any]],
    added: list[dict[str, Any]],
    outputs: dict[str, list[dict[str, Any]]],
) -> dict[str, Any]:
    """The released exam with the learner's answers in it (locked cells as released, as nbgrader restores them),
    the outputs a run would show, and any added cell at the end for the trainer to see."""
    cells = []
    count = 0
    for released in kit.released["cells"]:
        gid = _grade_id(released)
        cell = copy.deepcopy(released)
        theirs = mine.get(gid)
        # nbformat's in-memory form: one string per source (files may split it into lines).
        cell["source"] = source_of(theirs if theirs is not None and not _locked(released) else released)
        if cell["cell_type"] == "code":
            count += 1
            cell["execution_count"] = count
            cell["outputs"] = [
                dict(o, execution_count=count) if o["output_type"] == "execute_result" else o
                for o in outputs.get(gid, [])
            ]
        cells.append(cell)
    for extra in added:
        cells.append(
            {
                "cell_type": "code",
                "execution_count": None,
                "id": f"them-{len(cells)}",
                "metadata": {"kynangso": {"added": True}},
                "outputs": [],
                "source": source_of(extra),
            }
        )
    metadata = copy.deepcopy(kit.released.get("metadata", {}))
    return {
        "cells": cells,
        "metadata": metadata,
        "nbformat": 4,
        "nbformat_minor": kit.released.get("nbformat_minor", 5),
    }
