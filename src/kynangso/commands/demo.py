"""kynangso demo — the whole flow on a generated cohort of 30 learners."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

NAME = "demo"
ORDER = 80
HELP = "chạy thử toàn bộ luồng với 30 học viên giả định: danh sách → thi → chấm → chứng nhận → báo cáo"
DESCRIPTION = (
    "Chạy thử từ đầu đến cuối trên 30 học viên giả định ở 3 xã: nhập danh sách, tạo khóa học, phát bài thi,\n"
    "học viên nộp bài (có bài làm tốt, bài làm kém, một bài thực hành và một tệp hỏng gửi qua Zalo), chấm bài,\n"
    "cấp chứng nhận và lập báo cáo. Mọi tên người đều là giả định."
)


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--out",
        type=Path,
        default=None,
        help="thư mục kết quả (mặc định .kynangso/demo trong thư mục làm việc); chạy lại sẽ tạo lại",
    )


def run(args: argparse.Namespace) -> int:
    from kynangso.demo.run import DemoError
    from kynangso.demo.run import run as run_demo
    from kynangso.progress import Steps
    from kynangso.workspace import find_workspace

    out = args.out or find_workspace().data / "demo"
    steps = Steps(
        ["Tạo khóa học", "Nhập danh sách", "Phát bài", "Làm bài", "Chấm bài", "Cấp chứng nhận", "Lập báo cáo"]
    )
    try:
        result = run_demo(out, step=lambda label: steps.next(label))
    except DemoError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 1
    steps.done()
    print(
        f"Xong. {result.learners} học viên, {result.submissions} bài nộp: "
        + ", ".join(f"{n} {label.lower()}" for label, n in sorted(result.statuses.items()))
        + "."
    )
    print(f"Chứng nhận PDF ({len(result.certificates)} tệp):")
    for path in result.certificates:
        print(f"  {path}")
    print(f"Chứng chỉ số Open Badges 3.0 ({len(result.credentials)} tệp .jwt, kèm .json):")
    for path in result.credentials:
        print(f"  {path}")
    print("Kết quả thi:")
    for path in result.results:
        print(f"  {path}")
    print("Báo cáo cho Sở:")
    for path in result.report:
        print(f"  {path}")
    print(
        f"Thử kiểm tra một chứng nhận: kynangso verify {result.certificates[0] if result.certificates else '…'}"
        f" --workspace {result.out}"
    )
    return 0
