"""Grade every submission of a course: each exactly once, safely, and fast.

- A Kỹ Năng Số exam is graded without running anything (:mod:`kynangso.grade.exam`).
- Any other nbgrader assignment runs in the sandbox (:mod:`kynangso.grade.code`), on as many sandboxes as the
  machine has cores, each submission in a fresh fork.
- Every submission is taken with a lease (:mod:`kynangso.grade.claims`) and written with its status in one
  transaction (:mod:`kynangso.grade.book`): run again after a crash and only what was not finished is graded;
  a submission that has not changed since it was graded is not graded again (unless ``force``).
"""

from __future__ import annotations

import queue
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kynangso.course.course import CourseError, submitted_students, tools_on_path
from kynangso.course.locate import read_config
from kynangso.grade import claims
from kynangso.grade import status as st
from kynangso.grade.book import BadTimestamp, Book, GradedNotebook, read_timestamp
from kynangso.grade.exam import ExamKit, ExamNotReady, grade_exam, load_kit
from kynangso.grade.layout import IGNORE, submission_sha, support_files, write_autograded
from kynangso.grade.limits import TRUNCATED
from kynangso.grade.precheck import Unreadable, as_node, has_grading_metadata, learner_mismatch, read_notebook
from kynangso.grade.rubrics import with_rubrics

# Submissions written per transaction, and the longest a graded submission waits for its commit.
BATCH = 32
FLUSH_SECONDS = 2.0
ENDINGS = {
    "timeout": "Có ô chạy quá {cell} giây (có thể là vòng lặp vô hạn), nên bài không được chấm.",
    "died": "Bài làm đã làm dừng hẳn chương trình chạy bài (ví dụ gọi os._exit hoặc làm sập nhân Python), "
    "nên không chấm được.",
    "garbled": "Bài làm ghi dữ liệu lạ vào kênh trả kết quả của máy chấm (ví dụ từ một tiến trình con), "
    "nên không chấm được.",
    "lost": "Hộp cát chấm bài dừng giữa chừng khi chạy bài này, nên bài không được chấm.",
}


@dataclass
class Job:
    exam: str
    student: str
    folder: Path
    sha: str


@dataclass
class Outcome:
    """What grading one submission gave, before it is written."""

    notebooks: list[GradedNotebook] = field(default_factory=list)
    status: st.Record | None = None
    files: dict[str, Path] = field(default_factory=dict)
    layout: dict[str, dict[str, Any]] = field(default_factory=dict)  # notebook name -> data, when already made
    timestamp: str | None = None
    code: bool = False  # ran in the sandbox: the course's output steps still apply


class Grader:
    def __init__(
        self,
        root: Path,
        cell_timeout: float = 30,
        submission_timeout: float | None = None,
        unsafe: bool = False,
        workers: int | None = None,
        force: bool = False,
    ):
        import os

        from kynangso.course.locate import course_settings

        tools_on_path()
        self.root = root
        self.config = read_config(root)
        self.db_url = course_settings(root)["db_url"]
        self.cell_timeout = cell_timeout
        self.submission_timeout = submission_timeout or max(120.0, 4.0 * cell_timeout)
        self.unsafe = unsafe
        self.workers = workers or max(1, min(2, os.cpu_count() or 1))
        self.force = force
        self.ignore = list(self.config.get("CourseDirectory", {}).get("ignore", IGNORE))
        self.book = Book(self.db_url, _late_plugin(self.config))
        self.kits: dict[str, ExamKit | None] = {}
        self.skipped: list[st.Record] = []
        self._steps: Any = None
        self._batch: list[tuple[Job, Outcome]] = []
        self._since = time.monotonic()
        self._finish: Callable[[st.Record], None] = lambda rec: None

    def close(self) -> None:
        self.book.close()

    # --- what to grade ---------------------------------------------------------------------------------------

    def jobs(self, exams: list[str], students: list[str] | None) -> list[Job]:
        found = []
        for exam in exams:
            for student in submitted_students(self.root, exam):
                if students is None or student in students:
                    folder = self.root / "submitted" / student / exam
                    found.append(Job(exam, student, folder, submission_sha(folder)))
        return found

    def kit(self, exam: str) -> ExamKit | None:
        if exam not in self.kits:
            try:
                self.kits[exam] = load_kit(self.root, exam)
            except ExamNotReady as exc:
                raise CourseError(str(exc)) from None
        return self.kits[exam]

    # --- grading ---------------------------------------------------------------------------------------------

    def run(self, jobs: list[Job], progress: Callable[[st.Record], None] | None = None) -> list[st.Record]:
        records: list[st.Record] = []
        code_jobs = [j for j in jobs if self.kit(j.exam) is None]
        if code_jobs:
            import os

            from kynangso.grade.sandbox import available, refusal

            why = available()
            if why and not self.unsafe:
                raise CourseError(refusal(why))
            if why and not hasattr(os, "fork"):
                raise CourseError(f"Không chấm được bài có mã lệnh trên máy này: {why}.")

        def finish(rec: st.Record) -> None:
            records.append(rec)
            if progress:
                progress(rec)

        self._finish = finish
        pool = _Sandboxes(self) if code_jobs else None
        pending: list[tuple[Job, Future[Outcome]]] = []
        try:
            for start in range(0, len(jobs), BATCH):
                for job in self._take(jobs[start : start + BATCH]):
                    if self.kit(job.exam) is not None:
                        self._write(job, self._grade_exam(job))
                        continue
                    prepared = self._prepare_code(job)
                    if prepared.status is not None:
                        self._write(job, prepared)
                        continue
                    assert pool is not None
                    pending.append((job, pool.submit(job, prepared)))
                    while pending and pending[0][1].done():
                        done_job, future = pending.pop(0)
                        self._write(done_job, future.result())
            for job, future in pending:
                self._write(job, future.result())
            self._commit()
        finally:
            if pool is not None:
                pool.close()
            if self._batch:  # an error left writes uncommitted: they are graded again next time
                self.book.gb.db.rollback()
                self._batch = []
        return records

    def _take(self, jobs: list[Job]) -> list[Job]:
        """The jobs of a batch this grader takes: not graded already in this form, not held by another grader."""
        db = self.book.gb.db
        todo = []
        for job in jobs:
            done = st.sha_of(db, job.exam, job.student)
            if not self.force and done is not None and done[1] == job.sha:
                self.skipped.append(st.Record(job.exam, job.student, done[0], "Đã chấm, bài không đổi."))
            else:
                todo.append(job)
        taken = claims.take_many(db, [(j.exam, j.student) for j in todo])
        for job in todo:
            if (job.exam, job.student) not in taken:
                self.skipped.append(
                    st.Record(job.exam, job.student, st.UNGRADED, "Một máy chấm khác đang chấm bài này.")
                )
        return [j for j in todo if (j.exam, j.student) in taken]

    def _failed(self, job: Job, reason: str) -> Outcome:
        return Outcome(status=st.Record(job.exam, job.student, st.FAILED, reason))

    def _grade_exam(self, job: Job) -> Outcome:
        import nbformat

        kit = self.kit(job.exam)
        assert kit is not None
        try:
            timestamp = read_timestamp(job.folder)
            nb = read_notebook(job.folder / f"{job.exam}.ipynb")
        except (Unreadable, BadTimestamp) as exc:
            return self._failed(job, str(exc))
        if not has_grading_metadata(nb):
            return self._failed(
                job, "Siêu dữ liệu chấm thi (nbgrader) trong bài làm đã bị xóa, máy không nhận ra các ô chấm."
            )
        mismatch = learner_mismatch(job.folder, job.student)
        if mismatch:
            return self._failed(job, mismatch)
        graded = grade_exam(kit, nb, job.student, job.folder)
        data = with_rubrics(graded.notebook, kit.keys)
        status = st.Record(
            job.exam, job.student, st.FLAGGED if graded.flags else st.GRADED, graded.reason, details=graded.details()
        )
        notebook = GradedNotebook(
            job.exam, nbformat.from_dict(data), graded.review, graded.comments, bool(graded.flags)
        )
        files = support_files(job.folder, self.root / "source" / job.exam, self.ignore)
        return Outcome([notebook], status, files, {job.exam: data}, timestamp)

    @property
    def steps(self) -> Any:
        if self._steps is None:
            from kynangso.grade.code import Steps

            self._steps = Steps.build(self.config)
        return self._steps

    def _prepare_code(self, job: Job) -> Outcome:
        """Read and sanitize each notebook of the assignment (in this thread: it needs the gradebook)."""

        from kynangso.grade.code import NotPython, sanitize

        try:
            timestamp = read_timestamp(job.folder)
        except BadTimestamp as exc:
            return self._failed(job, str(exc))
        outcome = Outcome(status=None, timestamp=timestamp, code=True)
        outcome.files = support_files(job.folder, self.root / "source" / job.exam, self.ignore)
        names = [nb.name for nb in self.book.gb.find_assignment(job.exam).notebooks]
        for name in names:
            path = job.folder / f"{name}.ipynb"
            if not path.is_file():
                continue  # scores 0, as nbgrader gives a missing notebook
            try:
                nb = as_node(read_notebook(path))
                resources = self._resources(job, name)
                sanitize(self.steps, self.book.gb, nb, job.exam, name, resources)
            except Unreadable as exc:
                return self._failed(job, str(exc))
            except NotPython as exc:
                return self._failed(job, str(exc))
            except Exception as exc:  # nbgrader's own checks (e.g. corrupted nbgrader metadata)
                return self._failed(job, f"Bài làm không chấm được: {str(exc).splitlines()[0][:160]}")
            outcome.notebooks.append(GradedNotebook(name, nb, {}, {}))
        return outcome

    def _resources(self, job: Job, name: str) -> dict[str, Any]:
        return {
            "nbgrader": {"assignment": job.exam, "student": job.student, "notebook": name, "db_url": self.db_url},
            "metadata": {"path": str(self.root / "autograded" / job.student / job.exam)},
        }

    def _write(self, job: Job, outcome: Outcome) -> None:
        """Lay the autograded folder out, then write the rows, committed with the batch: one fsync per batch
        rather than per submission; a crash loses at most a batch, which the next run grades again."""
        assert outcome.status is not None
        if outcome.status.status != st.FAILED:
            self._lay_out(job, outcome)
        self._batch.append((job, outcome))
        try:
            self._rows(job, outcome, commit=False)
        except Exception:
            self.book.gb.db.rollback()
            self._one_by_one()
            return
        if len(self._batch) >= BATCH or time.monotonic() - self._since > FLUSH_SECONDS:
            self._commit()

    def _commit(self) -> None:
        try:
            self.book.gb.db.commit()
        except Exception:
            self.book.gb.db.rollback()
            self._one_by_one()
            return
        self._done()

    def _one_by_one(self) -> None:
        """After a failed batch: each submission in its own transaction, so one bad write spoils no other."""
        db = self.book.gb.db
        for job, outcome in self._batch:
            try:
                self._rows(job, outcome, commit=True)
            except Exception as exc:
                db.rollback()
                outcome.status = st.Record(job.exam, job.student, st.FAILED, f"Không ghi được vào sổ điểm: {exc}")
                st.write(db, outcome.status, job.sha)
                db.commit()
        self._done()

    def _done(self) -> None:
        batch, self._batch = self._batch, []
        self._since = time.monotonic()
        for _, outcome in batch:
            assert outcome.status is not None
            self._finish(outcome.status)

    def _lay_out(self, job: Job, outcome: Outcome) -> None:
        assert outcome.status is not None
        if outcome.code:
            from kynangso.grade.code import after_run

            for g in outcome.notebooks:
                after_run(self.steps, g.notebook, self._resources(job, g.name))
        dest = self.root / "autograded" / job.student / job.exam
        layout = {g.name: outcome.layout.get(g.name) or _as_data(g.notebook) for g in outcome.notebooks}
        write_autograded(dest, outcome.files, layout)
        if any(TRUNCATED in _text(nb) for nb in layout.values()):
            outcome.status.reason = " ".join(x for x in (outcome.status.reason, st.TRUNCATED_NOTE) if x)

    def _rows(self, job: Job, outcome: Outcome, commit: bool) -> None:
        status = outcome.status
        assert status is not None
        if status.status == st.FAILED:
            st.write(self.book.gb.db, status, job.sha)
        else:
            args = (job.exam, job.student, outcome.timestamp, outcome.notebooks, status, job.sha)
            outcome.status = self.book.record(*args, commit=False)
        if commit:
            self.book.gb.db.commit()


def _as_data(nb: Any) -> dict[str, Any]:
    import json

    import nbformat

    data: dict[str, Any] = json.loads(nbformat.writes(nb))
    return data


def _text(nb: dict[str, Any]) -> str:
    import json

    return json.dumps(nb, ensure_ascii=False)


def _late_plugin(config: Any) -> Any:
    from nbgrader.plugins import LateSubmissionPlugin
    from traitlets.utils.importstring import import_item

    klass = config.get("AssignLatePenalties", {}).get("plugin_class", LateSubmissionPlugin)
    if isinstance(klass, str):
        klass = import_item(klass)
    return klass(config=config)


class _Sandboxes:
    """A pool of sandboxes run from threads; the gradebook stays with the main thread."""

    def __init__(self, grader: Grader):
        from kynangso.grade.sandbox import Limits

        self.grader = grader
        self.limits = Limits(cell_seconds=grader.cell_timeout, submission_seconds=grader.submission_timeout)
        self.free: queue.Queue[Any] = queue.Queue()
        self.made = 0
        self.executor = ThreadPoolExecutor(max_workers=grader.workers)

    def _get(self) -> Any:
        from kynangso.grade.sandbox import Sandbox

        try:
            return self.free.get_nowait()
        except queue.Empty:
            self.made += 1
            box = Sandbox(self.made, self.limits, unsafe=self.grader.unsafe)
            box.start()
            return box

    def submit(self, job: Job, prepared: Outcome) -> Future[Outcome]:
        return self.executor.submit(self._run, job, prepared)

    def _run(self, job: Job, prepared: Outcome) -> Outcome:
        from kynangso.grade.code import run_notebook

        box = self._get()
        try:
            files = {rel: path.read_bytes() for rel, path in prepared.files.items()}
            for g in prepared.notebooks:
                run = run_notebook(box, g.notebook, files)
                if run.ended != "ok":
                    reason = ENDINGS[run.ended].format(cell=f"{self.grader.cell_timeout:g}")
                    return Outcome(status=st.Record(job.exam, job.student, st.FAILED, reason))
        finally:
            self.free.put(box)
        prepared.status = st.Record(job.exam, job.student, st.GRADED)
        return prepared

    def close(self) -> None:
        self.executor.shutdown(wait=True)
        while not self.free.empty():
            self.free.get_nowait().close()


def grade(
    root: Path,
    exams: list[str],
    students: list[str] | None = None,
    cell_timeout: float = 30,
    submission_timeout: float | None = None,
    progress: Callable[[st.Record], None] | None = None,
    force: bool = False,
    unsafe: bool = False,
    workers: int | None = None,
) -> list[st.Record]:
    """Grade every submitted (exam, student) not graded yet; returns one record per submission graded now."""
    grader = Grader(root, cell_timeout, submission_timeout, unsafe, workers, force)
    try:
        return grader.run(grader.jobs(exams, students), progress)
    finally:
        grader.close()
