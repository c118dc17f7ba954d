"""Feedback pages for learners, made by nbgrader's own generate_feedback with the course's safe step
(:mod:`kynangso.grade.safe_feedback`), then checked once more for anything that must stay secret."""

from __future__ import annotations

from pathlib import Path

from kynangso.course.course import CourseError, check, nbgrader_api, submitted_students
from kynangso.grade import status as st

# Lines that exist only in hidden tests, keys or rubrics; none may reach a learner.
FORBIDDEN = (
    "BEGIN HIDDEN TESTS",
    "END HIDDEN TESTS",
    "kynangso.exams.graders",
    "cham(",
    "cham_thuc_hanh(",
    "Thang chấm",
    "BEGIN MARK SCHEME",
    "Tiêu chí bắt buộc:",
)


class FeedbackLeak(CourseError):
    pass


def _verify(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    found = [marker for marker in FORBIDDEN if marker in text]
    if found:
        path.unlink()
        raise FeedbackLeak(
            f"{path}: phiếu kết quả chứa nội dung bí mật ({', '.join(found)}) nên đã bị xóa. "
            "Kiểm tra GenerateFeedback.preprocessors trong nbgrader_config.py của khóa học."
        )


def generate(
    root: Path, exams: list[str], students: list[str] | None = None, release: bool = False
) -> tuple[list[Path], list[st.Record]]:
    """Feedback for every fully graded submission; returns the pages written and the submissions skipped."""
    api = nbgrader_api(root)
    written: list[Path] = []
    skipped: list[st.Record] = []
    with st.Statuses(root) as statuses:
        records = {
            (exam, student): statuses.refresh(exam, student)
            for exam in exams
            for student in submitted_students(root, exam)
            if students is None or student in students
        }
    for exam in exams:
        for student in submitted_students(root, exam):
            if students is not None and student not in students:
                continue
            rec = records[(exam, student)]
            if rec.status != st.GRADED:
                skipped.append(rec)
                continue
            try:
                check(api.generate_feedback(exam, student, force=True), f"Tạo phiếu kết quả {exam} của {student}")
                for page in sorted((root / "feedback" / student / exam).glob("*.html")):
                    _verify(page)
                    written.append(page)
                if release:
                    check(api.release_feedback(exam, student), f"Gửi phiếu kết quả {exam} cho {student}")
            except FeedbackLeak:
                raise  # a leak means the course config is wrong: stop before any other page goes out
            except CourseError as exc:  # one learner's problem must not hold back the others' feedback
                skipped.append(st.Record(exam, student, rec.status, str(exc).splitlines()[0]))
    return written, skipped
