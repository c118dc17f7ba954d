"""The grading status of each submission, kept in the gradebook database beside nbgrader's tables.

nbgrader's gradebook records scores only; a corrupt, tampered or flagged submission would look like an ordinary
score there, and a failed regrade would leave the earlier scores in place. This table is the one truth that
``kynangso results``, certify and the reports read: only a ``graded`` submission counts toward a level.

It lives in the same database as the grades (SQLite by default, PostgreSQL on a hub), so that a submission's
grades and its status are written in one transaction: a grader killed at any moment leaves either both or
neither, and the next run grades what is left exactly once (see :mod:`kynangso.grade.claims`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

GRADED = "graded"
NEEDS_MANUAL = "needs_manual_grading"
FLAGGED = "flagged"
FAILED = "failed"
MISSING = "missing"
UNGRADED = "ungraded"
LABELS = {
    UNGRADED: "đã nộp, chưa chấm",
    GRADED: "đã chấm",
    NEEDS_MANUAL: "chờ chấm tay",
    FLAGGED: "chờ giảng viên xem xét",
    FAILED: "không chấm được",
    MISSING: "chưa nộp",
}
# Statuses a grader leaves; the others are computed from the course folder.
FINAL = (GRADED, NEEDS_MANUAL, FLAGGED, FAILED)
MANUAL_NOTE = "Có câu tự luận chờ người chấm."
RESUBMITTED = "Bài đã được nộp lại sau lần chấm trước, chưa chấm lại."
TRUNCATED_NOTE = "Bài làm in ra quá nhiều nên phần in ra đã được cắt bớt."

metadata = sa.MetaData()
table = sa.Table(
    "kynangso_grading",
    metadata,
    sa.Column("assignment", sa.String(128), primary_key=True),
    sa.Column("student", sa.String(128), primary_key=True),
    sa.Column("status", sa.String(32), nullable=False),
    sa.Column("reason", sa.Text, nullable=False, default=""),
    sa.Column("score", sa.Float, nullable=True),
    sa.Column("max_score", sa.Float, nullable=True),
    sa.Column("details", sa.Text, nullable=False, default="{}"),
    sa.Column("submission_sha256", sa.String(64), nullable=False, default=""),
    sa.Column("graded_at", sa.DateTime, nullable=True),
    # A grader's lease on the submission while it grades it (see kynangso.grade.claims).
    sa.Column("claim", sa.String(255), nullable=True),
    sa.Column("claim_until", sa.DateTime, nullable=True),
)


@dataclass
class Record:
    exam: str
    student: str
    status: str
    reason: str = ""
    score: float | None = None
    max_score: float | None = None
    details: dict[str, Any] = field(default_factory=dict)  # flags, critical errors made in practical tasks

    @property
    def label(self) -> str:
        return LABELS[self.status]

    @property
    def counts(self) -> bool:
        """Whether the scores of this submission may count toward a level."""
        return self.status == GRADED


def ensure_table(engine: sa.Engine) -> None:
    metadata.create_all(engine, tables=[table])


def write(conn: Any, record: Record, sha256: str = "") -> None:
    """Insert or replace a record within the caller's transaction (``conn``: a Connection or Session)."""
    values = {
        "status": record.status,
        "reason": record.reason,
        "score": record.score,
        "max_score": record.max_score,
        "details": json.dumps(record.details, ensure_ascii=False, sort_keys=True),
        "submission_sha256": sha256,
        "graded_at": datetime.now(UTC).replace(tzinfo=None),
        "claim": None,
        "claim_until": None,
    }
    key = (table.c.assignment == record.exam) & (table.c.student == record.student)
    if conn.execute(sa.update(table).where(key).values(**values)).rowcount == 0:
        conn.execute(sa.insert(table).values(assignment=record.exam, student=record.student, **values))


def _record(row: Any) -> Record:
    try:
        details = json.loads(row.details or "{}")
    except ValueError:
        details = {}
    return Record(row.assignment, row.student, row.status, row.reason or "", row.score, row.max_score, details)


def read_all(conn: Any) -> dict[tuple[str, str], Record]:
    """(exam, student) -> record, for every submission a grader has finished."""
    rows = conn.execute(sa.select(table).where(table.c.status.in_(FINAL))).all()
    return {(r.assignment, r.student): _record(r) for r in rows}


def sha_of(conn: Any, exam: str, student: str) -> tuple[str, str] | None:
    """(status, submission sha256) of a finished grading, or None."""
    row = conn.execute(
        sa.select(table.c.status, table.c.submission_sha256).where(
            (table.c.assignment == exam) & (table.c.student == student)
        )
    ).first()
    if row is None or row.status not in FINAL:
        return None
    return str(row.status), str(row.submission_sha256)


def settle(record: Record, flagged_notebook: bool, manual_cells: int, cells_needing_review: int) -> Record:
    """The record's status after a trainer's work in Formgrader: a flagged submission counts once the trainer has
    scored every question that waited and removed the flag; open answers once they are graded."""
    if record.status not in (GRADED, NEEDS_MANUAL, FLAGGED):
        return record
    kept = TRUNCATED_NOTE if TRUNCATED_NOTE in record.reason else ""
    if record.status == FLAGGED and (flagged_notebook or cells_needing_review):
        return record
    waiting = manual_cells > 0
    reason = " ".join(x for x in (MANUAL_NOTE if waiting else "", kept) if x)
    return Record(
        record.exam,
        record.student,
        NEEDS_MANUAL if waiting else GRADED,
        reason,
        record.score,
        record.max_score,
        record.details,
    )


class Statuses:
    """The status table of one course's gradebook, read with nbgrader's own view of manual grading."""

    def __init__(self, root: Path):
        from kynangso.course.locate import course_settings

        self.root = root
        self.db_url = course_settings(root)["db_url"]

    def __enter__(self) -> Statuses:
        from nbgrader.api import Gradebook

        from kynangso.course.course import tools_on_path

        tools_on_path()
        self.gb = Gradebook(self.db_url)
        ensure_table(self.gb.engine)
        _migrate_files(self.root, self.gb)
        return self

    def __exit__(self, *exc: Any) -> None:
        self.gb.close()

    def save(self, record: Record, sha256: str = "") -> None:
        write(self.gb.db, record, sha256)
        self.gb.db.commit()

    def load(self, exam: str, student: str) -> Record | None:
        return read_all(self.gb.db).get((exam, student))

    def refresh(self, exam: str, student: str) -> Record:
        rec = self.load(exam, student)
        folder = self.root / "submitted" / student / exam
        if rec is None:
            submitted = folder.is_dir()
            return Record(exam, student, UNGRADED if submitted else MISSING, "Đã nộp, chưa chấm." if submitted else "")
        sha = self._sha(exam, student)
        if sha and folder.is_dir():
            from kynangso.grade.layout import submission_sha

            if submission_sha(folder) != sha:
                return Record(exam, student, UNGRADED, RESUBMITTED)
        return self._settled(rec)

    def _settled(self, rec: Record) -> Record:
        from nbgrader.api import MissingEntry

        if rec.status not in (GRADED, NEEDS_MANUAL, FLAGGED):
            return rec
        try:
            sub = self.gb.find_submission(rec.exam, rec.student)
        except MissingEntry:
            return rec
        rec.score, rec.max_score = float(sub.score), float(sub.max_score)
        review = set(rec.details.get("review_cells", []))
        manual = review_left = 0
        flagged = False
        for nb in sub.notebooks:
            flagged = flagged or bool(nb.flagged)
            for g in nb.grades:
                if g.needs_manual_grade:
                    if g.name in review:
                        review_left += 1
                    else:
                        manual += 1
        new = settle(rec, flagged, manual, review_left)
        if (new.status, new.reason, new.score) != (rec.status, rec.reason, rec.score):
            self.save(new, self._sha(rec.exam, rec.student))
        return new

    def _sha(self, exam: str, student: str) -> str:
        found = sha_of(self.gb.db, exam, student)
        return found[1] if found else ""

    def every(self) -> Iterator[Record]:
        for rec in read_all(self.gb.db).values():
            yield self._settled(rec)


def _migrate_files(root: Path, gb: Any) -> None:
    """Statuses written as files by an earlier version (``grading_status/<exam>/<student>.json``) move into the
    table once, so that nothing a trainer has seen is lost."""
    folder = root / "grading_status"
    if not folder.is_dir():
        return
    known = read_all(gb.db)
    for path in sorted(folder.glob("*/*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            rec = Record(**{k: data[k] for k in ("exam", "student", "status", "reason", "score", "max_score")})
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if (rec.exam, rec.student) not in known and rec.status in FINAL:
            write(gb.db, rec)
    gb.db.commit()
    done = folder.with_name("grading_status.migrated")
    if not done.exists():
        folder.rename(done)


# The functions the rest of the package calls, one course at a time.


def save(root: Path, record: Record, sha256: str = "") -> None:
    with Statuses(root) as s:
        s.save(record, sha256)


def load(root: Path, exam: str, student: str) -> Record | None:
    with Statuses(root) as s:
        return s.load(exam, student)


def refresh(root: Path, exam: str, student: str) -> Record:
    """The submission's record with scores and manual-grading state re-read from the gradebook: a trainer may have
    finished the open answers, or reviewed a flagged submission, in Formgrader since ``kynangso grade`` ran."""
    with Statuses(root) as s:
        return s.refresh(exam, student)
