"""kynangso results — results table (CSV and XLSX) with a status for each learner and exam."""

from __future__ import annotations

import argparse
from pathlib import Path

NAME = "results"
ORDER = 58
HELP = "xuất bảng kết quả thi (CSV và XLSX) với trạng thái từng bài"
DESCRIPTION = (
    "Xuất bảng kết quả: mỗi dòng một học viên và một bài thi, với trạng thái: đã chấm, chờ chấm tay,\n"
    "không chấm được (kèm lý do: tệp hỏng, ô chấm bị sửa/xóa, quá thời gian, làm sập chương trình), chưa nộp."
)


def configure(p: argparse.ArgumentParser) -> None:
    from kynangso.commands._common import add_course, add_exams

    add_exams(p)
    add_course(p)
    p.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="THƯ_MỤC",
        help="nơi ghi ket-qua-thi.csv và ket-qua-thi.xlsx (mặc định: THƯ_MỤC_KHÓA_HỌC/ket-qua)",
    )


def run(args: argparse.Namespace) -> int:
    from collections import Counter

    from kynangso.commands._common import course_and_exams, fail
    from kynangso.course.course import CourseError
    from kynangso.grade.results import rows, write_csv, write_xlsx

    try:
        root, exams = course_and_exams(args)
        table = rows(root, exams)
    except CourseError as exc:
        return fail(exc)
    out = args.out or root / "ket-qua"
    csv_path = write_csv(table, out / "ket-qua-thi.csv")
    xlsx_path = write_xlsx(table, out / "ket-qua-thi.xlsx")
    counts = Counter(str(r["trang_thai"]) for r in table)
    print(f"Đã ghi {csv_path} và {xlsx_path} ({len(table)} dòng).")
    for label, n in sorted(counts.items()):
        print(f"  {label}: {n}")
    return 0
