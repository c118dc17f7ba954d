"""``kynangso exam room`` and ``kynangso exam cards``: argparse wiring only (module level imports the stdlib only)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DEFAULT_PORT = 8870
ROOM_HELP = "mở phòng thi trên điện thoại: học viên vào bằng trình duyệt qua Wi-Fi của lớp"
CARDS_HELP = "tạo mã dự thi và in thẻ đăng nhập phòng thi (tệp PDF khổ A4)"


def _course(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--course", type=Path, default=None, metavar="THƯ_MỤC", help="thư mục khóa học (mặc định: thư mục hiện tại)"
    )


def configure_room(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "exams", nargs="*", metavar="BÀI_THI", help="bài thi mở ngay, ví dụ gov-2 (mặc định: giữ như lần chạy trước)"
    )
    p.add_argument("--port", type=int, default=DEFAULT_PORT, metavar="CỔNG", help=f"cổng (mặc định {DEFAULT_PORT})")
    p.add_argument(
        "--ip", default="0.0.0.0", metavar="ĐỊA_CHỈ", help="địa chỉ lắng nghe (mặc định 0.0.0.0: mọi máy trong Wi-Fi)"
    )
    p.add_argument(
        "--cho-sai",
        type=float,
        default=2.0,
        metavar="GIÂY",
        help="số giây phải chờ sau 3 lần nhập sai mã liền nhau, gấp đôi sau mỗi lần sai tiếp (mặc định 2)",
    )
    _course(p)


def configure_cards(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "learners",
        nargs="*",
        metavar="MÃ_HỌC_VIÊN",
        help="cấp mã mới và in lại thẻ cho những học viên này (mã cũ hết hiệu lực); mặc định: chỉ học viên chưa có mã",
    )
    p.add_argument("--tat-ca", action="store_true", help="cấp mã mới cho mọi học viên (mọi thẻ cũ hết hiệu lực)")
    p.add_argument("--giam-thi", action="store_true", help="cấp mã giám thị mới (mã cũ hết hiệu lực)")
    p.add_argument(
        "--out",
        type=Path,
        default=Path("the-dang-nhap.pdf"),
        metavar="TỆP",
        help="tệp PDF (mặc định the-dang-nhap.pdf)",
    )
    p.add_argument("--dia-chi", default=None, metavar="URL", help="địa chỉ phòng thi in trên thẻ")
    _course(p)


def lan_address() -> str:
    from kynangso.server import lan_address as found

    return found() or "127.0.0.1"


def _fail(message: object) -> int:
    print(f"Lỗi: {message}", file=sys.stderr)
    return 1


def run_cards(args: argparse.Namespace) -> int:
    from kynangso.course.course import CourseError, gradebook
    from kynangso.course.locate import find_course
    from kynangso.room.cards import Card, write_cards
    from kynangso.room.codes import CodeBook, CodesError, group

    try:
        course = find_course(args.course)
        with gradebook(course) as gb:
            roster = {s.id: " ".join(x for x in (s.last_name, s.first_name) if x) or s.id for s in gb.students}
        book = CodeBook(course)
    except (CourseError, CodesError) as exc:
        return _fail(exc)
    if not roster:
        return _fail(
            f"{course / 'gradebook.db'}: danh sách lớp chưa có học viên nào; nhập danh sách bằng "
            "“kynangso roster import TỆP” trước"
        )
    unknown = [x for x in args.learners if x not in roster]
    if unknown:
        return _fail(f"{course / 'gradebook.db'}: không có học viên {', '.join(unknown)} trong danh sách lớp")
    if args.learners:
        chosen = list(args.learners)
    elif args.tat_ca:
        chosen = sorted(roster)
    else:
        chosen = sorted(set(roster) - book.learners)
    trainer = book.issue_trainer() if (args.giam_thi or not book.has_trainer()) else None
    if not chosen and trainer is None:
        print(
            "Mọi học viên đều đã có mã dự thi. Để in lại thẻ cho ai, ghi mã học viên của người đó "
            "(mã cũ sẽ hết hiệu lực), hoặc dùng --tat-ca để cấp lại cho cả lớp."
        )
        return 0
    codes = book.issue(chosen)
    if codes:
        address = args.dia_chi or f"http://{lan_address()}:{DEFAULT_PORT}/"
        try:
            write_cards([Card(x, roster[x], codes[x]) for x in chosen], args.out, address)
        except OSError as exc:
            return _fail(f"{args.out}: không ghi được tệp thẻ ({exc.strerror or exc}); mã cũ vẫn giữ nguyên")
    book.save()  # only once the cards exist: a failed print never leaves learners with codes nobody has
    if codes:
        print(f"Đã cấp mã và tạo {len(codes)} thẻ dự thi: {args.out.resolve()}")
        print("Mã chỉ hiện trên thẻ này (máy chỉ giữ bản băm). In xong, hãy xóa tệp PDF.")
    if trainer:
        print(f"Mã giám thị mới: {group(trainer)} (dùng ở trang /giam-thi; chỉ hiện một lần)")
    return 0


def run_room(args: argparse.Namespace) -> int:
    import asyncio
    import signal

    from kynangso.course.course import CourseError
    from kynangso.course.locate import find_course
    from kynangso.room.app import make_app
    from kynangso.room.codes import CodesError, group
    from kynangso.room.paper import RoomError
    from kynangso.room.service import Room

    try:
        course = find_course(args.course)
        from kynangso.room.codes import Throttle

        room = Room(course, list(args.exams) or None, Throttle(base=max(0.0, args.cho_sai)))
    except (CourseError, CodesError, RoomError) as exc:
        return _fail(exc)
    if not room.codes.learners:
        print("Chú ý: chưa học viên nào có mã dự thi. Chạy “kynangso exam cards” để cấp mã và in thẻ.")
    if not room.codes.has_trainer():
        code = room.codes.issue_trainer()
        room.codes.save()
        print(f"Mã giám thị: {group(code)} (chỉ hiện một lần; cấp lại bằng “kynangso exam cards --giam-thi”)")

    async def serve() -> None:
        app = make_app(room)
        server = app.listen(args.port, address=args.ip)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        host = lan_address() if args.ip in ("0.0.0.0", "") else args.ip
        opened = ", ".join(room.store.open_exams()) or "chưa mở bài nào"
        print(f"Phòng thi đang mở tại http://{host}:{args.port}/ (bài thi đang mở: {opened})", flush=True)
        print(f"Trang giám thị: http://{host}:{args.port}/giam-thi · Dừng: Ctrl+C", flush=True)
        await stop.wait()
        server.stop()
        print("Đã đóng phòng thi; mọi câu trả lời đã được lưu.", flush=True)

    try:
        asyncio.run(serve())
    except OSError as exc:
        return _fail(f"không mở được cổng {args.port} ({exc.strerror or exc}); thử --port khác")
    return 0
