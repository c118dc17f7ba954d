"""Graded submissions read from the nbgrader gradebook, cell by cell: what levels and reports are computed from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


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

    def on(self, start: date | None, end: date | None) -> bool:
        """Whether the submission falls in [start, end]; undated submissions only pass an open range."""
        if start is None and end is None:
            return True
        if self.timestamp is None:
            return False
        day = self.timestamp.date()
        return (start is None or day >= start) and (end is None or day <= end)


def read_gradebook(db_url: str) -> tuple[dict[str, str], list[Submission]]:
    """Learner names (family name first, as Vietnamese write them) and every submission, in one session."""
    from nbgrader.api import Gradebook

    names: dict[str, str] = {}
    out = []
    with Gradebook(db_url) as gb:
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
                out.append(Submission(submission.student.id, assignment.name, submission.timestamp, cells))
    return names, sorted(out, key=lambda s: (s.learner, s.exam))


def read_submissions(db_url: str) -> list[Submission]:
    """Every submission nbgrader has graded (or is grading), with each graded cell's score."""
    return read_gradebook(db_url)[1]
