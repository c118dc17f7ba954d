"""kynangso roster — the list of team members who study and sit the exams."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

NAME = "roster"
ORDER = 25
SHOWN = 30
HELP = "nhập danh sách học viên từ tệp Excel/CSV và xem danh sách"
DESCRIPTION = (
    "Nhập danh sách thành viên Tổ công nghệ số cộng đồng (tệp .xlsx hoặc .csv xuất từ Excel).\n"
    "Cột cần có: Họ và tên, Ngày sinh, Số điện thoại, Tỉnh/Thành phố, Xã/Phường/Đặc khu, Thôn/Bản/Tổ dân phố,\n"
    "Vai trò (tổ trưởng / tổ phó / thành viên); Email nếu có. Tên cột không phân biệt hoa thường, dấu, khoảng trắng\n"
    "và dấu câu; nhận cả cách ghi thường gặp (Họ tên, SĐT, Thôn/Tổ dân phố, Xã, phường…).\n"
    "Tệp có dòng lỗi thì không nhập dòng nào."
)


def configure(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(title="Lệnh con", metavar="LỆNH_CON", dest="roster_command", required=True)
    imp = sub.add_parser(
        "import",
        help="kiểm tra và nhập danh sách (tất cả hoặc không dòng nào)",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    imp.add_argument("file", type=Path, metavar="TỆP", help="tệp .xlsx hoặc .csv")
    imp.add_argument("--course", type=Path, default=None, help="thư mục khóa học (mặc định: thư mục hiện tại)")
    imp.add_argument("--check", action="store_true", help="chỉ kiểm tra, không nhập")
    lst = sub.add_parser("list", help="in danh sách học viên đã nhập")
    lst.add_argument("--course", type=Path, default=None, help="thư mục khóa học (mặc định: thư mục hiện tại)")


def run(args: argparse.Namespace) -> int:
    from kynangso.course.locate import course_settings, find_course
    from kynangso.course.roster import RosterError

    course = find_course(args.course)
    db_url = course_settings(course)["db_url"]
    if args.roster_command == "list":
        return _list(db_url)
    try:
        return _import(args.file, db_url, args.check)
    except RosterError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 1


def _import(path: Path, db_url: str, check_only: bool) -> int:
    from kynangso.course.members import resolve_ids, save_members
    from kynangso.course.roster import check, read_table

    table = read_table(path)
    for note in table.notes:
        print(f"Lưu ý: {note}", file=sys.stderr)
    checked = check(table.rows)
    if checked.problems:
        print(
            f"{path}: có {len(checked.problems)} lỗi — chưa nhập dòng nào. Sửa các dòng sau rồi nhập lại:",
            file=sys.stderr,
        )
        for problem in checked.problems:
            print(f"  • {problem}", file=sys.stderr)
        return 1
    members, keys = resolve_ids(checked.candidates, db_url)
    if check_only:
        print(f"{path}: {len(members)} dòng đều hợp lệ (chưa nhập vì dùng --check).")
        return 0
    save_members(members, keys, db_url)
    print(f"Đã nhập {len(members)} học viên vào khóa học.")
    for m in members[:SHOWN]:
        print(f"  {m.learner_id:<32} {m.name} — {m.village}, {m.ward}, {m.province}")
    if len(members) > SHOWN:
        print(f"  … và {len(members) - SHOWN} người nữa (xem hết: kynangso roster list)")
    return 0


def _list(db_url: str) -> int:
    from kynangso.course.members import load_members

    members = load_members(db_url)
    if not members:
        print("Khóa học chưa có học viên nào. Nhập bằng: kynangso roster import TỆP")
        return 0
    for m in members:
        print(f"{m.learner_id:<32} {m.name} — {m.role}, {m.village}, {m.ward}, {m.province}")
    print(f"Tổng cộng: {len(members)} học viên.")
    return 0
