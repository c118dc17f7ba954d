"""Graded submissions read from the nbgrader gradebook, cell by cell: what levels and reports are computed from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path


@dataclass(frozen=True)
class CellGrade:
    grade_id: str
    score: float
    max_score: float
    needs_manual: bool

    @property
    def full_marks(self) -> bool:
        return self.max_score > 0 and self.score + 1e-9 >= self.max_score


@dataclass(frozen=True)
class Submission:
    learner: str
    exam: str
    timestamp: datetime | None
    cells: tuple[CellGrade, ...]
    status: str = "graded"  # kynangso.grade.status: only a graded submission counts toward a level
    reason: str = ""
    critical: dict[str, list[str]] = field(default_factory=dict)  # practical grade_id -> critical errors made

    @property
    def counts(self) -> bool:
        return self.status == "graded"

    def on(self, start: date | None, end: date | None) -> bool:
        """Whether the submission falls in [start, end]; undated submissions only pass an open range."""
        if start is None and end is None:
            return True
        if self.timestamp is None:
            return False
        day = self.timestamp.date()
        return (start is None or day >= start) and (end is None or day <= end)


NO_STATUS = "Bài này chưa được chấm bằng kynangso grade (chưa có trạng thái chấm), nên chưa tính."


def read_gradebook(db_url: str, course: Path | None = None) -> tuple[dict[str, str], list[Submission]]:
    """Learner names (family name first, as Vietnamese write them) and every submission with its grading status,
    in one session. With ``course``, a submission whose files changed since it was graded (a resubmission not
    graded yet) is reported as such rather than with its earlier scores."""
    from nbgrader.api import Gradebook

    from kynangso.grade import status as st

    names: dict[str, str] = {}
    out = []
    with Gradebook(db_url) as gb:
        st.ensure_table(gb.engine)
        statuses = st.read_all(gb.db)
        shas = {key: st.sha_of(gb.db, *key) for key in statuses} if course is not None else {}
        for student in gb.students:
            parts = [p.strip() for p in (student.last_name or "", student.first_name or "") if p and p.strip()]
            names[student.id] = " ".join(parts) or student.id
        for assignment in gb.assignments:
            for submission in assignment.submissions:
                cells = tuple(
                    CellGrade(str(g.name), float(g.score or 0.0), float(g.max_score or 0.0), bool(g.needs_manual_grade))
                    for nb in submission.notebooks
                    for g in nb.grades
                )
                key = (assignment.name, submission.student.id)
                rec = statuses.get(key)
                state, reason = (rec.status, rec.reason) if rec else (st.UNGRADED, NO_STATUS)
                if course is not None and rec is not None and _resubmitted(course, key, shas.get(key)):
                    state, reason = st.UNGRADED, st.RESUBMITTED
                elif rec is not None and rec.status in (st.GRADED, st.NEEDS_MANUAL, st.FLAGGED):
                    # A trainer may have finished grading in Formgrader since: the gradebook tells.
                    flagged = any(bool(nb.flagged) for nb in submission.notebooks)
                    review = set(rec.details.get("review_cells", []))
                    settled = st.settle(
                        rec,
                        flagged,
                        sum(c.needs_manual and c.grade_id not in review for c in cells),
                        sum(c.needs_manual and c.grade_id in review for c in cells),
                    )
                    state, reason = settled.status, settled.reason
                critical = dict(rec.details.get("critical", {})) if rec else {}
                out.append(
                    Submission(
                        submission.student.id, assignment.name, submission.timestamp, cells, state, reason, critical
                    )
                )
    return names, sorted(out, key=lambda s: (s.learner, s.exam))


def read_submissions(db_url: str, course: Path | None = None) -> list[Submission]:
    """Every submission nbgrader has graded (or is grading), with each graded cell's score and its status."""
    return read_gradebook(db_url, course)[1]


def _resubmitted(course: Path, key: tuple[str, str], found: tuple[str, str] | None) -> bool:
    from kynangso.grade.layout import submission_sha

    folder = course / "submitted" / key[1] / key[0]
    if found is None or not found[1] or not folder.is_dir():
        return False
    return submission_sha(folder) != found[1]
