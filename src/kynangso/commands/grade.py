"""kynangso grade — grade every submission: our exams without running them, any other notebook in a sandbox."""

from __future__ import annotations

import argparse

NAME = "grade"
ORDER = 50
HELP = "chấm tự động mọi bài đã nộp (không chạy mã của bài thi; bài có mã lệnh chạy trong hộp cát)"
DESCRIPTION = (
    "Chấm tự động mọi bài đã thu vào submitted/ của khóa học.\n"
    "  • Bài thi Kỹ Năng Số: máy đọc câu trả lời như dữ liệu, không chạy gì trong bài nộp. Ô trả lời có mã\n"
    "    lệnh, ô có khóa bị sửa, ô mã thêm vào: bài được đánh dấu “chờ giảng viên xem xét” kèm lý do, câu đó\n"
    "    được 0 điểm cho đến khi giảng viên cho điểm trong Formgrader.\n"
    "  • Bài nbgrader khác (câu trả lời là mã Python): chạy trong hộp cát (bubblewrap) — không mạng, không thấy\n"
    "    sổ điểm, đáp án hay bài của người khác, có giới hạn thời gian, bộ nhớ, số tiến trình.\n"
    "Mỗi bài được chấm đúng một lần: chạy lại sau khi bị ngắt thì chỉ chấm những bài còn lại; bài không đổi\n"
    "từ lần chấm trước thì không chấm lại (dùng --chay-lai để chấm lại tất cả). Câu tự luận chấm tay trong\n"
    "Formgrader."
)


def configure(p: argparse.ArgumentParser) -> None:
    from kynangso.commands._common import add_course, add_exams

    add_exams(p)
    add_course(p)
    p.add_argument(
        "--student", action="append", default=None, metavar="MÃ", help="chỉ chấm học viên này (lặp lại được)"
    )
    p.add_argument(
        "--cell-timeout", type=float, default=30, metavar="GIÂY", help="thời gian tối đa mỗi ô mã (mặc định 30)"
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=None,
        metavar="GIÂY",
        help="thời gian tối đa mỗi bài (mặc định 120 hoặc 4 lần --cell-timeout)",
    )
    p.add_argument("--chay-lai", action="store_true", help="chấm lại cả những bài đã chấm và không đổi")
    p.add_argument(
        "--chay-khong-hop-cat",
        action="store_true",
        help="CHỈ khi máy không có hộp cát: chấp nhận rủi ro, chạy mã của bài nộp với quyền của anh/chị",
    )


def run(args: argparse.Namespace) -> int:
    from kynangso.commands._common import course_and_exams, fail
    from kynangso.course.course import CourseError
    from kynangso.grade import status as st
    from kynangso.grade.runner import Grader
    from kynangso.progress import Counter

    try:
        root, exams = course_and_exams(args)
        grader = Grader(root, args.cell_timeout, args.timeout, args.chay_khong_hop_cat, force=args.chay_lai)
    except CourseError as exc:
        return fail(exc)
    try:
        jobs = grader.jobs(exams, args.student)
        bar = Counter(len(jobs), "Đang chấm")

        def show(rec: st.Record) -> None:
            bar.clear()
            score = f" — {rec.score:g}/{rec.max_score:g} điểm" if rec.score is not None and rec.max_score else ""
            reason = f" — {rec.reason}" if rec.reason else ""
            print(f"{rec.exam:<10} {rec.student:<28} {rec.label}{score}{reason}", flush=True)
            bar.step()

        records = grader.run(jobs, progress=show)
        bar.step(len(grader.skipped))
        bar.finish()
    except CourseError as exc:
        return fail(exc)
    finally:
        grader.close()
    if not jobs:
        print("Chưa có bài nộp nào để chấm (thu bài bằng: kynangso exam collect).")
    counts = {label: sum(r.status == code for r in records) for code, label in st.LABELS.items()}
    parts = [f"{n} bài {label}" for label, n in counts.items() if n]
    if grader.skipped:
        parts.append(f"{len(grader.skipped)} bài đã chấm trước đó, không đổi")
    print(f"Đã xử lý {len(jobs)} bài" + (": " + "; ".join(parts) if parts else "") + ".")
    return 0
