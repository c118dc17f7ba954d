"""kynangso site — the offline static site for learners' phones (lessons, self-checks, simulations)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

NAME = "site"
ORDER = 35
HELP = "trang học ngoại tuyến: dựng thư mục web tĩnh chạy bài học và mô phỏng ngay trong trình duyệt điện thoại"
DESCRIPTION = (
    "Dựng một thư mục web tĩnh (chép lên máy chủ của xã, USB, gửi qua Zalo) trong đó bài học, câu tự kiểm tra và\n"
    "mô phỏng chạy ngay trong trình duyệt, không cần mạng; tiến độ lưu trong trình duyệt của người học.\n"
    "  kynangso site build THƯ_MỤC      dựng trang vào THƯ_MỤC (lần đầu cài công cụ dựng, vài phút)"
)


def configure(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(title="Lệnh con", metavar="LỆNH_CON", dest="site_command")
    b = sub.add_parser("build", help="dựng trang học ngoại tuyến vào một thư mục")
    b.add_argument("out", type=Path, metavar="THƯ_MỤC", help="thư mục ghi trang (trống, hoặc một trang dựng trước đó)")
    b.add_argument(
        "--workspace", type=Path, default=None, metavar="THƯ_MỤC", help="thư mục chứa bài học (mặc định: bản hiện tại)"
    )
    p.set_defaults(_parser=p)


def run(args: argparse.Namespace) -> int:
    if getattr(args, "site_command", None) != "build":
        args._parser.print_help()
        return 0
    from kynangso.site.build import SiteError, build
    from kynangso.workspace import find_workspace

    print("Đang dựng trang học ngoại tuyến…", flush=True)
    try:
        built = build(find_workspace(args.workspace), args.out)
    except SiteError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 1
    lessons = sum(p.kind == "lesson" for p in built.pages)
    sims = sum(p.kind == "simulation" for p in built.pages)
    print(f"Đã dựng trang: {built.folder}")
    print(
        f"  {lessons} bài học, {sims} mô phỏng · {built.size / 2**20:.1f} MB, {built.files} tệp · {built.seconds:.0f} giây"
    )
    print(f"  Mở thử: cd {built.folder} && python -m http.server 8000  → http://127.0.0.1:8000/")
    print("  (Mở thẳng tệp index.html không chạy được; xem DOC-TRUOC.txt trong thư mục.)")
    return 0
