"""The same safe grading inside nbgrader's own pipeline, for ``nbgrader autograde`` and Formgrader's buttons.

The course config (``grading/nbgrader_config.py``) lists :class:`GradeAnswers` in place of nbgrader's
``Execute`` and :class:`RecordStatus` after ``SaveAutoGrades``: whichever way a trainer starts autograding, a
Kỹ Năng Số exam is graded from its answers as data and any other notebook runs only in the sandbox. ``kynangso
grade`` uses the same grading functions in a batch that is faster and crash-safe; both write the same rows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Bool, Float

from kynangso.grade import status as st

KEY = "kynangso"


def _where(resources: Any) -> tuple[Path, Path, str, str]:
    """(course root, autograded folder, assignment, student): nbgrader autogrades in autograded/<s>/<a>/."""
    folder = Path(resources["metadata"]["path"]).resolve()
    return folder.parents[2], folder, resources["nbgrader"]["assignment"], resources["nbgrader"]["student"]


class GradeAnswers(NbGraderPreprocessor):
    """Fill in the outputs a run would give, without running submitted code outside the sandbox."""

    unsafe_no_sandbox = Bool(
        False, help="Run submitted code without the sandbox where none can run (the trainer accepts the risk)."
    ).tag(config=True)
    timeout = Float(30.0, help="Seconds a cell may run in the sandbox.").tag(config=True)

    def preprocess(self, nb: Any, resources: Any) -> tuple[Any, Any]:
        import nbformat

        from kynangso.grade.exam import load_kit

        root, folder, exam, student = _where(resources)
        kit = load_kit(root, exam)
        if kit is not None:
            from kynangso.grade.exam import grade_exam
            from kynangso.grade.precheck import Unreadable, read_notebook
            from kynangso.grade.rubrics import with_rubrics

            # Read what the learner sent: nbgrader's sanitizing has already restored any edited locked cell,
            # which would hide the tampering from the trainer.
            submitted = root / "submitted" / student / exam / f"{resources['nbgrader']['notebook']}.ipynb"
            try:
                submission = read_notebook(submitted)
            except Unreadable as exc:
                st.save(root, st.Record(exam, student, st.FAILED, str(exc)))
                raise
            graded = grade_exam(kit, submission, student, folder)
            graded_nb = nbformat.from_dict(with_rubrics(graded.notebook, kit.keys))
            # The checksums nbgrader's OverwriteCells set from the gradebook, which SaveAutoGrades compares with.
            checksums = {
                c.metadata.nbgrader["grade_id"]: c.metadata.nbgrader.get("checksum")
                for c in nb.cells
                if "grade_id" in c.metadata.get("nbgrader", {})
            }
            for cell in graded_nb.cells:
                gid = cell.metadata.get("nbgrader", {}).get("grade_id")
                if gid in checksums:
                    cell.metadata.nbgrader["checksum"] = checksums[gid]
            nb.cells, nb.metadata = graded_nb.cells, graded_nb.metadata
            resources[KEY] = {"graded": graded}
            return nb, resources
        return self._run(nb, resources, root, exam, student)

    def _run(self, nb: Any, resources: Any, root: Path, exam: str, student: str) -> tuple[Any, Any]:
        from kynangso.grade.code import run_notebook
        from kynangso.grade.layout import support_files
        from kynangso.grade.runner import ENDINGS
        from kynangso.grade.sandbox import Limits, Sandbox

        files = support_files(root / "submitted" / student / exam, root / "source" / exam)
        limits = Limits(cell_seconds=self.timeout, submission_seconds=max(120.0, 4 * self.timeout))
        with Sandbox(0, limits, unsafe=self.unsafe_no_sandbox) as box:
            run = run_notebook(box, nb, {rel: p.read_bytes() for rel, p in files.items()})
        if run.ended != "ok":
            reason = ENDINGS[run.ended].format(cell=f"{self.timeout:g}")
            st.save(root, st.Record(exam, student, st.FAILED, reason))
            raise RuntimeError(reason)
        resources[KEY] = {}
        return nb, resources


class RecordStatus(NbGraderPreprocessor):
    """After nbgrader has saved the scores: mark what waits for a trainer, and write the submission's status."""

    def preprocess(self, nb: Any, resources: Any) -> tuple[Any, Any]:
        from nbgrader.api import Gradebook

        from kynangso.grade.layout import submission_sha

        root, _, exam, student = _where(resources)
        graded = resources.get(KEY, {}).get("graded")
        notebook = resources["nbgrader"]["notebook"]
        status = st.Record(exam, student, st.GRADED)
        if graded is not None:
            status = st.Record(
                exam, student, st.FLAGGED if graded.flags else st.GRADED, graded.reason, details=graded.details()
            )
        review = graded.review if graded is not None else {}
        with Gradebook(resources["nbgrader"]["db_url"]) as gb:
            st.ensure_table(gb.engine)
            snb = gb.find_submission_notebook(notebook, exam, student)
            for grade in snb.grades:
                if grade.name in review:
                    grade.needs_manual_grade = True
            for comment in snb.comments:
                if graded is not None and comment.name in graded.comments:
                    comment.auto_comment = graded.comments[comment.name]
            if graded is not None and graded.flags:
                snb.flagged = True
            gb.db.flush()
            sub = snb.assignment
            status.score, status.max_score = float(sub.score), float(sub.max_score)
            manual = sum(1 for g in snb.grades if g.needs_manual_grade and g.name not in review)
            if status.status == st.GRADED and manual:
                status.status, status.reason = st.NEEDS_MANUAL, st.MANUAL_NOTE
            status.details["review_cells"] = sorted(review)
            st.write(gb.db, status, submission_sha(root / "submitted" / student / exam))
            gb.db.commit()
        return nb, resources
