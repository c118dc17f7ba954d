"""kynangso feedback — feedback pages for learners that never show hidden tests, keys or rubrics."""

from __future__ import annotations

import argparse

NAME = "feedback"
ORDER = 55
HELP = "tạo phiếu kết quả cho học viên (không lộ đáp án, ô chấm ẩn, thang chấm)"
DESCRIPTION = (
    "Tạo phiếu kết quả HTML trong feedback/<học viên>/<bài thi>/ cho mọi bài đã chấm xong (kể cả phần chấm tay),\n"
    "bằng nbgrader generate_feedback với bước che ô chấm của Kỹ Năng Số. Thêm --release để gửi phiếu cho học viên\n"
    "(họ nhận ở thẻ Assignments)."
)


def configure(p: argparse.ArgumentParser) -> None:
    from kynangso.commands._common import add_course, add_exams

    add_exams(p)
    add_course(p)
    p.add_argument("--student", action="append", default=None, metavar="MÃ", help="chỉ học viên này (lặp lại được)")
    p.add_argument("--release", action="store_true", help="gửi phiếu kết quả cho học viên (nbgrader release_feedback)")


def run(args: argparse.Namespace) -> int:
    from kynangso.commands._common import course_and_exams, fail
    from kynangso.course.course import CourseError
    from kynangso.grade.feedback import generate

    try:
        root, exams = course_and_exams(args)
        written, skipped = generate(root, exams, args.student, release=args.release)
    except CourseError as exc:
        return fail(exc)
    for page in written:
        print(f"Đã tạo {page.relative_to(root)}")
    for rec in skipped:
        print(f"Chưa tạo phiếu {rec.exam} của {rec.student}: {rec.label}" + (f" — {rec.reason}" if rec.reason else ""))
    if args.release and written:
        print(f"Đã gửi {len(written)} phiếu kết quả cho học viên.")
    return 0
