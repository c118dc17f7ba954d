"""kynangso exam — question bank, exam notebooks, release, collection of submissions."""

from __future__ import annotations

import argparse
from pathlib import Path

NAME = "exam"
ORDER = 40
HELP = "kiểm tra ngân hàng câu hỏi, dựng, phát và thu bài thi"
DESCRIPTION = (
    "Bài thi chứng nhận trên nbgrader: kiểm tra ngân hàng câu hỏi (check), dựng notebook nguồn (build),\n"
    "phát cho học viên (release), thu bài đã nộp (collect), nhập bài gửi qua Zalo/tệp (import-zip),\n"
    "mở phòng thi trên điện thoại (room) và in thẻ đăng nhập phòng thi (cards)."
)


def configure(p: argparse.ArgumentParser) -> None:
    from kynangso.commands._common import add_course, add_exams

    sub = p.add_subparsers(title="Lệnh con", metavar="LỆNH_CON", dest="exam_command", required=True)
    chk = sub.add_parser("check", help="kiểm tra ngân hàng câu hỏi, báo mọi lỗi (tệp, câu, trường)")
    chk.add_argument("--bank", type=Path, default=None, metavar="THƯ_MỤC", help="mặc định: grading/question_bank")
    build = sub.add_parser("build", help="dựng 9 notebook nguồn nbgrader từ ngân hàng câu hỏi")
    build.add_argument("--bank", type=Path, default=None, metavar="THƯ_MỤC", help="mặc định: grading/question_bank")
    build.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="THƯ_MỤC",
        help="ghi vào THƯ_MỤC/source và THƯ_MỤC/answer_keys thay vì vào khóa học",
    )
    add_course(build)
    rel = sub.add_parser("release", help="tạo bản cho học viên (nbgrader generate_assignment) và phát bài")
    add_exams(rel)
    add_course(rel)
    col = sub.add_parser("collect", help="thu bài học viên đã nộp vào submitted/ (nbgrader collect)")
    add_exams(col)
    add_course(col)
    imp = sub.add_parser(
        "import-zip",
        help="nhập bài nộp dạng tệp: <mã học viên>_<bài thi>.zip hoặc .ipynb (nbgrader zip_collect)",
    )
    imp.add_argument("folder", type=Path, metavar="THƯ_MỤC", help="thư mục chứa các tệp bài nộp")
    add_course(imp)
    # The phone exam room lives in kynangso.room; its module imports only the standard library.
    from kynangso.room.cli import CARDS_HELP, ROOM_HELP, configure_cards, configure_room

    configure_room(sub.add_parser("room", help=ROOM_HELP, description=ROOM_HELP))
    configure_cards(sub.add_parser("cards", help=CARDS_HELP, description=CARDS_HELP))


def run(args: argparse.Namespace) -> int:
    from kynangso.commands._common import course_and_exams, fail
    from kynangso.course.course import CourseError
    from kynangso.exams.bank import BankError, default_bank_folder, load_bank

    if args.exam_command in ("room", "cards"):
        from kynangso.room.cli import run_cards, run_room

        return run_room(args) if args.exam_command == "room" else run_cards(args)
    try:
        if args.exam_command == "check":
            exams = load_bank(args.bank or default_bank_folder())
            count = sum(len(e.questions) for e in exams.values())
            print(f"Ngân hàng câu hỏi hợp lệ: {len(exams)} bài thi, {count} câu hỏi.")
            for e in exams.values():
                print(f"  {e.name:<10} {len(e.questions):>3} câu  {e.total_points:>5g} điểm  {e.title}")
            return 0
        if args.exam_command == "build":
            return _build(args)
        if args.exam_command == "import-zip":
            return _import(args)
        root, names = course_and_exams(args)
        if args.exam_command == "release":
            from kynangso.course.course import release

            for name in release(root, names):
                print(f"Đã phát bài thi {name}.")
            return 0
        from kynangso.course.course import collect

        for name, learners in collect(root, names).items():
            print(f"{name}: {len(learners)} bài đã nộp" + (f" ({', '.join(learners)})" if learners else "") + ".")
        return 0
    except (BankError, CourseError) as exc:
        return fail(exc)


def _build(args: argparse.Namespace) -> int:
    from kynangso.course.locate import find_course
    from kynangso.exams.bank import default_bank_folder, load_bank
    from kynangso.exams.build import build_all

    exams = load_bank(args.bank or default_bank_folder())
    root = args.out.resolve() if args.out else find_course(args.course)
    changed = build_all(exams, root)
    print(f"Đã dựng {len(exams)} bài thi vào {root / 'source'} ({len(changed)} tệp thay đổi).")
    return 0


def _import(args: argparse.Namespace) -> int:
    from kynangso.course.imports import import_folder
    from kynangso.course.locate import find_course

    report = import_folder(find_course(args.course), args.folder)
    for exam, learners in report.imported.items():
        print(f"{exam}: đã nhập bài của {', '.join(learners)}.")
    for message in report.rejected:
        print(f"Bỏ qua {message}")
    if not report.imported:
        print("Không nhập được bài nào.")
    return 1 if report.rejected else 0
