"""kynangso report — the department's workbook and charts."""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from pathlib import Path

NAME = "report"
ORDER = 70
HELP = "báo cáo cho Sở: độ phủ theo xã, theo tổ, cấp độ theo mặt trận, câu hỏi sai nhiều (XLSX + biểu đồ PNG)"
DESCRIPTION = (
    "Lập bảng tính Excel và biểu đồ từ sổ điểm của khóa học: theo xã, theo tổ (thôn/bản/tổ dân phố), mặt trận ×\n"
    "cấp độ, và phân tích câu hỏi sai nhiều để giảng viên biết cần dạy lại phần nào. Cấp độ tính đúng theo\n"
    "grading/policy.toml, cùng quy tắc dùng để cấp chứng nhận."
)


def _day(text: str) -> date:
    try:
        return datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"ngày “{text}” phải viết dạng ngày/tháng/năm, ví dụ 01/12/2026") from None


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--course", type=Path, default=None, help="thư mục khóa học (mặc định: thư mục hiện tại)")
    p.add_argument("--out", type=Path, default=Path("bao-cao"), help="thư mục ghi báo cáo (mặc định ./bao-cao)")
    p.add_argument("--policy", type=Path, default=None, help="tệp chính sách (mặc định grading/policy.toml)")
    p.add_argument("--tu-ngay", dest="start", type=_day, default=None, help="chỉ tính bài nộp từ ngày (dd/mm/yyyy)")
    p.add_argument("--den-ngay", dest="end", type=_day, default=None, help="chỉ tính bài nộp đến ngày (dd/mm/yyyy)")
    p.add_argument(
        "--xa",
        action="append",
        default=None,
        metavar="TÊN_XÃ",
        help="chỉ tính một xã/phường (ghi đúng tên, ví dụ “Xã Phú Cát”; lặp lại để chọn nhiều xã)",
    )


def run(args: argparse.Namespace) -> int:
    from kynangso.certify.paths import places
    from kynangso.certify.policy import PolicyError
    from kynangso.course.locate import find_course
    from kynangso.progress import Steps
    from kynangso.reports.build import gather
    from kynangso.reports.charts import write_charts
    from kynangso.reports.workbook import write_workbook

    course = find_course(args.course)
    policy = places(policy=args.policy).policy
    steps = Steps(["Đọc sổ điểm và tính cấp độ", "Ghi bảng tính", "Vẽ biểu đồ"])
    try:
        steps.next()
        data = gather(course, policy, args.start, args.end, set(args.xa) if args.xa else None)
        steps.next()
        workbook = write_workbook(data, args.out / "bao-cao.xlsx")
        steps.next()
        charts = write_charts(data, args.out)
        steps.done()
    except PolicyError as exc:
        steps.done()
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 1
    if args.xa and not data.members:
        print(f"Chú ý: không có học viên nào ở {', '.join(args.xa)} — kiểm tra lại tên xã.", file=sys.stderr)
    print(f"Đã lập báo cáo cho {len(data.members)} học viên, {len(data.submissions)} bài nộp:")
    for path in (workbook, *charts):
        print(f"  {path}")
    return 0
