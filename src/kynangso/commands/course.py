"""kynangso course — create a course folder (a standard nbgrader course root)."""

from __future__ import annotations

import argparse
from pathlib import Path

NAME = "course"
ORDER = 20
HELP = "tạo thư mục khóa học chuẩn nbgrader, có sẵn 9 bài thi"
DESCRIPTION = (
    "Tạo (hoặc cập nhật) một thư mục khóa học chuẩn nbgrader: nbgrader_config.py, source/ với 9 bài thi dựng\n"
    "từ ngân hàng câu hỏi, answer_keys/ (đáp án, không bao giờ phát cho học viên) và sổ điểm gradebook.db.\n"
    "Các lệnh nbgrader gốc chạy được ngay trong thư mục đó. Chạy lại an toàn: cấu hình đã sửa được giữ nguyên."
)


def configure(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(title="Lệnh con", metavar="LỆNH_CON", dest="course_command", required=True)
    init = sub.add_parser("init", help="tạo hoặc cập nhật thư mục khóa học", description=DESCRIPTION)
    init.add_argument("folder", type=Path, metavar="THƯ_MỤC", help="thư mục khóa học sẽ tạo")
    init.add_argument(
        "--exchange",
        type=Path,
        default=None,
        metavar="THƯ_MỤC",
        help="kho trao đổi bài thi của nbgrader (mặc định: THƯ_MỤC/exchange)",
    )
    init.add_argument(
        "--db-url",
        default=None,
        metavar="URL",
        help="sổ điểm trên PostgreSQL, ví dụ postgresql://kynangso@127.0.0.1/khoa-hoc (cơ sở dữ liệu được tạo nếu "
        "chưa có; mặc định: tệp gradebook.db trong THƯ_MỤC)",
    )
    init.add_argument(
        "--bank", type=Path, default=None, metavar="THƯ_MỤC", help="ngân hàng câu hỏi (mặc định: grading/question_bank)"
    )


def run(args: argparse.Namespace) -> int:
    from kynangso.commands._common import fail
    from kynangso.course.course import CourseError, course_exams, init_course
    from kynangso.exams.bank import BankError

    try:
        root = init_course(args.folder, exchange=args.exchange, bank=args.bank, db_url=args.db_url)
    except (BankError, CourseError) as exc:
        return fail(exc)
    exams = course_exams(root)
    print(f"Đã sẵn sàng khóa học {root} với {len(exams)} bài thi: {', '.join(exams)}.")
    if args.db_url:
        from kynangso.course.database import DatabaseError, capacity, redact

        print(f"Sổ điểm: {redact(args.db_url)} (PostgreSQL).")
        try:
            room = capacity(args.db_url)
        except DatabaseError as exc:
            return fail(exc)
        if room is not None and not room.enough:
            print(
                f"Chú ý: máy chủ PostgreSQL chỉ còn {room.free}/{room.max_connections} kết nối trống; chấm nhiều bài "
                "cùng lúc có thể hết kết nối. Tăng max_connections (xem deploy/README.md)."
            )
    print("Bước tiếp theo: cd vào thư mục đó rồi chạy “kynangso exam release” để phát bài thi.")
    return 0
