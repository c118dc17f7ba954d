"""The ``kynangso`` command: one subcommand per step of the flow, each a thin layer over a subpackage.

Subcommands live in ``kynangso.commands``; each module there declares ``NAME``, ``ORDER``, ``HELP``,
``configure(parser)`` and ``run(args) -> int`` and imports nothing heavy at module level, so that
``kynangso --help`` stays fast (``import nbformat`` alone costs seconds on a small machine).
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence
from types import ModuleType

from kynangso import __version__, _argparse_vi
from kynangso import commands as _commands_pkg
from kynangso.course.locate import EXIT_NO_COURSE, CourseNotFound
from kynangso.toolpath import ensure_scripts_on_path

DESCRIPTION = (
    "Kỹ Năng Số — học, thực hành và cấp chứng nhận kỹ năng số cho Tổ công nghệ số cộng đồng.\n"
    "Các lệnh đi theo đúng một luồng: danh sách học viên → khóa học → bài thi → chấm → chứng nhận → báo cáo.\n"
    "Mã thoát: 0 là xong; 1 là có lỗi (đã in lý do); 2 là gọi lệnh sai cách hoặc không tìm thấy khóa học\n"
    "(chạy lệnh trong thư mục khóa học, hoặc thêm --course THƯ_MỤC)."
)


def command_modules() -> list[ModuleType]:
    """Every subcommand module, in the order of the flow."""
    found = [
        importlib.import_module(f"{_commands_pkg.__name__}.{info.name}")
        for info in pkgutil.iter_modules(_commands_pkg.__path__)
        if not info.name.startswith("_")
    ]
    return sorted(found, key=lambda m: (m.ORDER, m.NAME))


def build_parser() -> argparse.ArgumentParser:
    _argparse_vi.install()
    parser = argparse.ArgumentParser(
        prog="kynangso",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"kynangso {__version__}", help="in phiên bản rồi thoát")
    sub = parser.add_subparsers(title="Lệnh", metavar="LỆNH", dest="command")
    for module in command_modules():
        p = sub.add_parser(
            module.NAME,
            help=module.HELP,
            description=getattr(module, "DESCRIPTION", module.HELP),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        module.configure(p)
        p.set_defaults(_run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    ensure_scripts_on_path()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help()
        return 0
    try:
        return int(args._run(args) or 0)
    except CourseNotFound as exc:  # one place, one exit code, for every command that acts on a course
        print(f"Lỗi: {exc}", file=sys.stderr)
        return EXIT_NO_COURSE
    except KeyboardInterrupt:
        print("\nĐã dừng theo yêu cầu.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
