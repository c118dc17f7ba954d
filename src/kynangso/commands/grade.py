"""kynangso grade — autograde every submission, each one isolated and bounded in time."""

from __future__ import annotations

import argparse

NAME = "grade"
ORDER = 50
HELP = "chấm tự động mọi bài đã nộp (mỗi bài chạy riêng, có giới hạn thời gian)"
DESCRIPTION = (
    "Chấm tự động bằng nbgrader mọi bài đã thu vào submitted/. Mỗi bài chạy riêng và có giới hạn thời gian,\n"
    "nên một bài hỏng (tệp hỏng, ô chấm bị sửa/xóa, vòng lặp vô hạn, làm sập chương trình) không làm dừng\n"
    "các bài khác: bài đó được ghi “không chấm được” kèm lý do. Câu tự luận chấm tay trong Formgrader."
)


def configure(p: argparse.ArgumentParser) -> None:
    from kynangso.commands._common import add_course, add_exams

    add_exams(p)
    add_course(p)
    p.add_argument(
        "--student", action="append", default=None, metavar="MÃ", help="chỉ chấm học viên này (lặp lại được)"
    )
    p.add_argument("--cell-timeout", type=int, default=30, metavar="GIÂY", help="thời gian tối đa mỗi ô (mặc định 30)")
    p.add_argument(
        "--timeout",
        type=float,
        default=None,
        metavar="GIÂY",
        help="thời gian tối đa mỗi bài (mặc định 120 hoặc 4 lần --cell-timeout)",
    )


def run(args: argparse.Namespace) -> int:
    from kynangso.commands._common import course_and_exams, fail
    from kynangso.course.course import CourseError
    from kynangso.grade import status as st
    from kynangso.grade.runner import grade

    def show(rec: st.Record) -> None:
        score = f" — {rec.score:g}/{rec.max_score:g} điểm" if rec.score is not None and rec.max_score else ""
        reason = f" — {rec.reason}" if rec.reason else ""
        print(f"{rec.exam:<10} {rec.student:<28} {rec.label}{score}{reason}", flush=True)

    try:
        root, exams = course_and_exams(args)
        records = grade(root, exams, args.student, args.cell_timeout, args.timeout, progress=show)
    except CourseError as exc:
        return fail(exc)
    if not records:
        print("Chưa có bài nộp nào để chấm (thu bài bằng: kynangso exam collect).")
    failed = sum(r.status == st.FAILED for r in records)
    print(f"Đã xử lý {len(records)} bài; {failed} bài không chấm được.")
    return 0
