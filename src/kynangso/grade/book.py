"""Write one graded submission into nbgrader's gradebook, in one transaction with its status.

The rows are exactly those ``nbgrader autograde`` writes for the same notebook (a test grades one cohort both
ways and compares every row): the student and submission as ``Autograde.init_assignment`` makes them, each
grade as ``SaveAutoGrades`` scores it (nbgrader's own :func:`nbgrader.utils.determine_grade`), each comment as it
sets it, the late penalty as ``AssignLatePenalties`` does. nbgrader's steps each open their own connection and
commit cell by cell; here one session serves a whole batch and a submission is committed once, with its status,
so a grader killed mid-way leaves nothing half-written.

On top of stock behaviour, a flagged submission (code where an answer belongs, a tampered cell) is marked for
the trainer: the flagged questions need manual grading, the notebook carries nbgrader's own ``flagged`` mark, and
the reason is the answer cell's comment, which Formgrader shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kynangso.grade import status as st


@dataclass(frozen=True)
class GradedNotebook:
    name: str
    notebook: Any  # an nbformat NotebookNode, as nbgrader's preprocessors see it
    review: dict[str, str]  # grade_id of a graded cell -> why it waits for a trainer
    comments: dict[str, str]  # grade_id of a solution cell -> the reason shown to the trainer
    flagged: bool = False


class Book:
    """One gradebook session for a batch of submissions."""

    def __init__(self, db_url: str, late_plugin: Any = None):
        from nbgrader.api import Gradebook

        # nbgrader's autograde steps open the gradebook with the default course id; so do we (same rows).
        self.gb = Gradebook(db_url)
        st.ensure_table(self.gb.engine)
        self.late_plugin = late_plugin
        self._source: dict[tuple[str, str], dict[str, str]] = {}

    def close(self) -> None:
        self.gb.close()

    def source_checksums(self, assignment: str, notebook: str) -> dict[str, str]:
        """grade_id -> checksum of the cell as released, which nbgrader's OverwriteCells puts in every cell."""
        key = (assignment, notebook)
        if key not in self._source:
            nb = self.gb.find_notebook(notebook, assignment)
            self._source[key] = {c.name: c.checksum for c in nb.source_cells}
        return self._source[key]

    def _student(self, student: str) -> None:
        from nbgrader.api import Student

        if self.gb.db.get(Student, student) is None:
            self.gb.db.add(Student(id=student))
            self.gb.db.flush()

    def _submission(self, assignment: str, student: str, timestamp: str | None) -> Any:
        from nbgrader.api import MissingEntry
        from nbgrader.utils import parse_utc

        try:
            sub = self.gb.find_submission(assignment, student)
        except MissingEntry:
            with self.gb.db.no_autoflush:
                sub = self._new_submission(assignment, student)
        if timestamp:
            sub.timestamp = parse_utc(timestamp)
        self.gb.db.flush()
        return sub

    def _new_submission(self, assignment: str, student: str) -> Any:
        from nbgrader.api import Comment, Grade, SubmittedAssignment, SubmittedNotebook

        # Gradebook.add_submission, without its commit: the whole submission is one transaction.
        sub = SubmittedAssignment(assignment=self.gb.find_assignment(assignment), student=self.gb.find_student(student))
        for notebook in sub.assignment.notebooks:
            nb = SubmittedNotebook(notebook=notebook, assignment=sub)
            for cell in notebook.grade_cells:
                Grade(cell_id=cell.id, notebook=nb)
            for cell in notebook.solution_cells:
                Comment(cell_id=cell.id, notebook=nb)
            for cell in notebook.task_cells:
                Comment(cell_id=cell.id, notebook=nb)
                Grade(cell_id=cell.id, notebook=nb)
        self.gb.db.add(sub)
        return sub

    def record(
        self,
        assignment: str,
        student: str,
        timestamp: str | None,
        notebooks: list[GradedNotebook],
        status: st.Record,
        sha256: str,
        commit: bool = True,
    ) -> st.Record:
        """Write the submission's rows and its status; returns the status with the gradebook's scores. With
        ``commit=False`` the caller commits: several submissions in one transaction (see the runner)."""
        from nbgrader import utils

        try:
            self._student(student)
            sub = self._submission(assignment, student, timestamp)
            graded = {g.name: g for g in notebooks}
            for snb in sub.notebooks:
                g = graded.get(snb.name)
                grades = {gr.name: gr for gr in snb.grades}
                comments = {c.name: c for c in snb.comments}
                if g is None:  # a notebook of the assignment that was not submitted scores 0 (Autograde does so)
                    for grade in grades.values():
                        grade.auto_score = 0
                        grade.needs_manual_grade = False
                    continue
                checksums = self.source_checksums(assignment, snb.name)
                for cell in g.notebook.cells:
                    gid = cell.metadata.get("nbgrader", {}).get("grade_id")
                    if gid is None:
                        continue
                    if gid in checksums:
                        cell.metadata.nbgrader["checksum"] = checksums[gid]
                    if utils.is_grade(cell) and gid in grades:
                        grade = grades[gid]
                        grade.auto_score, _ = utils.determine_grade(cell)
                        grade.needs_manual_grade = grade.manual_score is not None or grade.auto_score is None
                        if gid in g.review:
                            grade.needs_manual_grade = True
                    if (utils.is_solution(cell) or utils.is_task(cell)) and gid in comments:
                        unchanged = cell.metadata.nbgrader.get("checksum") == utils.compute_checksum(cell)
                        text = "No response." if unchanged and not utils.is_task(cell) else None
                        comments[gid].auto_comment = g.comments.get(gid, text)
                snb.flagged = bool(snb.flagged) or g.flagged
                self._late_penalty(sub, snb)
            self.gb.db.flush()
            status.score, status.max_score = float(sub.score), float(sub.max_score)
            review = {gid for g in notebooks for gid in g.review}
            manual = sum(
                1 for snb in sub.notebooks for gr in snb.grades if gr.needs_manual_grade and gr.name not in review
            )
            if status.status == st.GRADED and manual:
                status.status = st.NEEDS_MANUAL
                status.reason = " ".join(x for x in (st.MANUAL_NOTE, status.reason) if x)
            status.details["review_cells"] = sorted(review)
            st.write(self.gb.db, status, sha256)
            if commit:
                self.gb.db.commit()
        except Exception:
            if commit:  # in a batch, the caller rolls the batch back and retries each submission alone
                self.gb.db.rollback()
            raise
        return status

    def _late_penalty(self, sub: Any, snb: Any) -> None:
        # AssignLatePenalties: reset, then ask the course's late-submission plugin when the submission is late.
        snb.late_submission_penalty = None
        seconds = sub.total_seconds_late
        if seconds > 0 and self.late_plugin is not None:
            penalty = self.late_plugin.late_submission_penalty(sub.student.id, snb.score, seconds)
            if penalty is not None:
                snb.late_submission_penalty = min(max(penalty, 0), snb.score)


class BadTimestamp(ValueError):
    pass


def read_timestamp(folder: Any) -> str | None:
    """The submission time nbgrader reads from ``timestamp.txt`` (CourseDirectory.get_existing_timestamp); a file
    that does not parse makes nbgrader fail the submission, and so do we."""
    from pathlib import Path

    from nbgrader.utils import parse_utc

    path = Path(folder) / "timestamp.txt"
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return None
    if not text:
        return None
    try:
        parse_utc(text)
    except (ValueError, TypeError, OverflowError):
        raise BadTimestamp(f"Tệp timestamp.txt của bài nộp không đọc được ({text[:40]!r}).") from None
    return text
