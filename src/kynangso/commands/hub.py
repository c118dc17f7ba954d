"""kynangso hub — a JupyterHub for a workshop or a province: accounts from the roster, one course."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

NAME = "hub"
ORDER = 90
HELP = "máy chủ nhiều người dùng (JupyterHub) cho lớp tập huấn hoặc cả tỉnh"
DESCRIPTION = (
    "Tạo thư mục cấu hình JupyterHub cho một khóa học: mỗi học viên trong danh sách lớp có một tài khoản máy và\n"
    "đăng nhập bằng mã in trên thẻ (cùng mã với phòng thi); giảng viên có mã riêng, chấm bài trong Formgrader\n"
    "(dịch vụ của khóa học). Có sẵn bài học, mô phỏng, thẻ Assignments và phòng thi cho mọi người; máy chủ bỏ\n"
    "không tự tắt; mỗi người có giới hạn bộ nhớ. Chạy lại an toàn sau khi nhập thêm học viên."
)


def configure(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(title="Lệnh con", metavar="LỆNH_CON", dest="hub_command", required=True)
    init = sub.add_parser("init", help="tạo hoặc cập nhật thư mục cấu hình hub", description=DESCRIPTION)
    init.add_argument("folder", type=Path, metavar="THƯ_MỤC_HUB", help="thư mục cấu hình hub sẽ tạo")
    init.add_argument("--course", type=Path, required=True, metavar="THƯ_MỤC", help="thư mục khóa học (đã có học viên)")
    init.add_argument(
        "--trainer", action="append", default=[], metavar="TÊN", help="tài khoản giảng viên (lặp lại cho nhiều người)"
    )
    init.add_argument("--ip", default=None, metavar="ĐỊA_CHỈ", help="địa chỉ lắng nghe (mặc định 0.0.0.0)")
    init.add_argument("--port", type=int, default=None, metavar="CỔNG", help="cổng của hub (mặc định 8000)")
    init.add_argument("--hub-port", type=int, default=None, metavar="CỔNG", help="cổng nội bộ của hub (mặc định 8081)")
    init.add_argument("--proxy-api-port", type=int, default=None, metavar="CỔNG", help="cổng nội bộ của proxy (8001)")
    init.add_argument("--service-port", type=int, default=None, metavar="CỔNG", help="cổng của Formgrader (9999)")
    init.add_argument("--room-port", type=int, default=None, metavar="CỔNG", help="cổng phòng thi, 0 = không mở (8870)")
    init.add_argument("--proxy", default=None, metavar="LỆNH", help="chương trình configurable-http-proxy")
    init.add_argument("--exchange", type=Path, default=None, metavar="THƯ_MỤC", help="kho trao đổi bài chung")
    init.add_argument("--mem-limit", default=None, metavar="CỠ", help="bộ nhớ tối đa mỗi người, ví dụ 1G (mặc định)")
    init.add_argument("--idle-timeout", type=int, default=None, metavar="GIÂY", help="tắt máy bỏ không sau (3600)")
    init.add_argument("--cull-every", type=int, default=None, metavar="GIÂY", help="kiểm tra máy bỏ không mỗi (300)")
    init.add_argument("--homes", type=Path, default=Path("/home"), metavar="THƯ_MỤC", help="nơi đặt thư mục nhà")
    init.add_argument(
        "--khong-tao-tai-khoan", action="store_true", help="không tạo tài khoản máy (đã có sẵn, hoặc trên Kubernetes)"
    )
    rm = sub.add_parser("remove-accounts", help="xóa mọi tài khoản máy mà “hub init” đã tạo (sau lớp tập huấn)")
    rm.add_argument("folder", type=Path, metavar="THƯ_MỤC_HUB", help="thư mục cấu hình hub")


def run(args: argparse.Namespace) -> int:
    from kynangso.course.course import CourseError
    from kynangso.hub.accounts import AccountError
    from kynangso.hub.settings import SettingsError

    try:
        if args.hub_command == "remove-accounts":
            return _remove(args.folder)
        return _init(args)
    except (AccountError, CourseError, SettingsError, FileNotFoundError) as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2


def _init(args: argparse.Namespace) -> int:
    from kynangso.hub.init import init_hub
    from kynangso.room.codes import group

    options = {
        "ip": args.ip,
        "port": args.port,
        "hub_port": args.hub_port,
        "proxy_api_port": args.proxy_api_port,
        "service_port": args.service_port,
        "room_port": args.room_port,
        "proxy": args.proxy,
        "exchange": args.exchange.resolve() if args.exchange else None,
        "mem_limit": args.mem_limit,
        "idle_timeout": args.idle_timeout,
        "cull_every": args.cull_every,
    }
    report = init_hub(
        args.folder,
        args.course,
        args.trainer,
        homes=args.homes,
        create_accounts=not args.khong_tao_tai_khoan,
        options=options,
    )
    s = report.settings
    print(f"Đã sẵn sàng hub cho khóa học “{s.course_id}”: {len(s.learners)} học viên, {len(s.trainers)} giảng viên.")
    if report.created:
        print(f"Đã tạo {len(report.created)} tài khoản máy mới.")
    for trainer, code in report.staff_codes.items():
        print(f"Mã đăng nhập của giảng viên {trainer}: {group(code)} (chỉ hiện một lần)")
    if report.learners_without_code:
        print(
            f"{len(report.learners_without_code)} học viên chưa có mã đăng nhập: trong thư mục khóa học, chạy "
            f"“kynangso exam cards --dia-chi http://ĐỊA_CHỈ_MÁY:{s.port}/” để in thẻ."
        )
    print(f"Khởi động (quyền root): cd {s.folder} && jupyterhub -f jupyterhub_config.py")
    return 0


def _remove(folder: Path) -> int:
    from kynangso.hub.accounts import CREATED_FILE, remove_created

    removed = remove_created(folder.resolve() / CREATED_FILE)
    print(f"Đã xóa {len(removed)} tài khoản máy: {', '.join(removed) or 'không có'}.")
    return 0
