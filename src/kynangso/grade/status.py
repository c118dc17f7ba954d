"""The grading status of each submission, kept beside the gradebook in ``grading_status/<exam>/<student>.json``.

nbgrader's gradebook records scores only; a corrupt or tampered submission would look like an ordinary 0 there.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

GRADED = "graded"
NEEDS_MANUAL = "needs_manual_grading"
FAILED = "failed"
MISSING = "missing"
UNGRADED = "ungraded"
LABELS = {
    UNGRADED: "đã nộp, chưa chấm",
    GRADED: "đã chấm",
    NEEDS_MANUAL: "chờ chấm tay",
    FAILED: "không chấm được",
    MISSING: "chưa nộp",
}
STATUS_DIR = "grading_status"


@dataclass
class Record:
    exam: str
    student: str
    status: str
    reason: str = ""
    score: float | None = None
    max_score: float | None = None

    @property
    def label(self) -> str:
        return LABELS[self.status]


def path_for(root: Path, exam: str, student: str) -> Path:
    return root / STATUS_DIR / exam / f"{student}.json"


def save(root: Path, record: Record) -> None:
    path = path_for(root, record.exam, record.student)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(asdict(record), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def load(root: Path, exam: str, student: str) -> Record | None:
    path = path_for(root, exam, student)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Record(**data)
    except (OSError, ValueError, TypeError):
        return None


def refresh(root: Path, exam: str, student: str) -> Record:
    """The submission's record with scores and manual-grading state re-read from the gradebook.

    A grader may have finished the open answers in Formgrader since ``kynangso grade`` ran.
    """
    rec = load(root, exam, student)
    if rec is None:
        submitted = (root / "submitted" / student / exam).is_dir()
        return Record(exam, student, UNGRADED if submitted else MISSING, "Đã nộp, chưa chấm." if submitted else "")
    if rec.status not in (GRADED, NEEDS_MANUAL):
        return rec
    from nbgrader.api import MissingEntry

    from kynangso.course.course import gradebook

    with gradebook(root) as gb:
        try:
            sub = gb.find_submission(exam, student)
        except MissingEntry:
            return rec
        rec.score, rec.max_score = float(sub.score), float(sub.max_score)
        manual = bool(sub.needs_manual_grade)
    note = "Bài làm in ra quá nhiều nên phần in ra đã được cắt bớt."
    kept = note if note in rec.reason else ""
    rec.status = NEEDS_MANUAL if manual else GRADED
    rec.reason = " ".join(x for x in ("Có câu tự luận chờ người chấm." if manual else "", kept) if x)
    save(root, rec)
    return rec
