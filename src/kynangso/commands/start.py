"""kynangso start — the one Jupyter server for a workshop or for studying alone."""

from __future__ import annotations

import argparse
from pathlib import Path

NAME = "start"
ORDER = 10
HELP = "mở máy chủ học tập: bài học (JupyterLab), mô phỏng (Voilà), bài thi và chấm thi (nbgrader)"
DESCRIPTION = (
    "Mở MỘT máy chủ Jupyter trên khóa học mặc định (sổ điểm SQLite, kho trao đổi bài thi cục bộ trong\n"
    "thư mục .kynangso/). In ra địa chỉ bài học, thư viện mô phỏng và trang chấm thi. Nhấn Ctrl-C để dừng."
)


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--port", type=int, default=8888, help="cổng của máy chủ (mặc định 8888)")
    p.add_argument(
        "--ip",
        default="127.0.0.1",
        help="địa chỉ lắng nghe; dùng 0.0.0.0 để học viên trong cùng Wi-Fi truy cập (mặc định 127.0.0.1)",
    )
    p.add_argument(
        "--workspace",
        type=Path,
        default=None,
        help="thư mục chứa bài học (mặc định: bản mã nguồn hiện tại, hoặc ~/KyNangSo)",
    )
    p.add_argument("--no-browser", action="store_true", help="không tự mở trình duyệt")


def run(args: argparse.Namespace) -> int:
    from kynangso import server
    from kynangso.workspace import find_workspace

    return server.run(find_workspace(args.workspace), port=args.port, ip=args.ip, open_browser=not args.no_browser)
