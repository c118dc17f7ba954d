"""kynangso lessons — create and check lessons, write self-checks, the syllabus and handouts."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

NAME = "lessons"
ORDER = 15
HELP = "bài học: tạo bài, soạn câu tự kiểm tra, kiểm tra định dạng, tạo mục lục, in phiếu hướng dẫn"
DESCRIPTION = (
    "Công cụ cho người soạn bài và giảng viên:\n"
    "  new        tạo bài học mới (định dạng v2) từ bài mẫu\n"
    "  check      thêm, sửa, xóa hoặc liệt kê câu tự kiểm tra của một bài\n"
    "  validate   kiểm tra thông tin bài học và các mục chuẩn\n"
    "  syllabus   tạo lại curriculum/README.md (mục lục) từ các bài học\n"
    "  agenda     kiểm tra và tạo lại chương trình tập huấn 1 ngày, 3 ngày từ trainer-kit/agendas/*.toml\n"
    "  handouts   in phiếu hướng dẫn một trang (PDF) cho mỗi bài; --trainer: phiếu giảng viên\n"
    "  encode     mã hóa đáp án cho câu tự kiểm tra (để đáp án không lộ trong bài)"
)

KINDS = {
    "single": "single",
    "multiple": "multiple",
    "true-false": "true_false",
    "order": "order",
    "matching": "matching",
    "short": "short",
}


def configure(p: argparse.ArgumentParser) -> None:
    from kynangso.commands import _lessons_authoring

    sub = p.add_subparsers(title="Việc cần làm", metavar="VIỆC", dest="lessons_action")
    _lessons_authoring.configure(sub)
    v = sub.add_parser("validate", help="kiểm tra bài học (mặc định: mọi bài trong curriculum/)")
    v.add_argument("paths", nargs="*", type=Path, metavar="ĐƯỜNG_DẪN", help="tệp .ipynb hoặc thư mục")
    s = sub.add_parser("syllabus", help="tạo lại curriculum/README.md từ thông tin bài học")
    s.add_argument("--check", action="store_true", help="chỉ kiểm tra; trả mã 1 nếu README.md chưa cập nhật")
    s.add_argument("--curriculum", type=Path, default=None, help="thư mục giáo trình (mặc định: curriculum/)")
    a = sub.add_parser(
        "agenda",
        help="kiểm tra và tạo lại các chương trình tập huấn (trainer-kit/chuong-trinh-*.md) từ agendas/*.toml",
    )
    a.add_argument("--check", action="store_true", help="chỉ kiểm tra; trả mã 1 nếu có lỗi hoặc tệp .md chưa cập nhật")
    a.add_argument("--curriculum", type=Path, default=None, help="thư mục giáo trình (mặc định: curriculum/)")
    h = sub.add_parser("handouts", help="in phiếu hướng dẫn một trang A4 (PDF) cho mỗi bài")
    h.add_argument("--out", type=Path, required=True, metavar="THƯ_MỤC", help="thư mục ghi các tệp PDF")
    h.add_argument(
        "--trainer",
        action="store_true",
        help="in phiếu giảng viên (<mã bài>-giang-vien.pdf): thời lượng, bài cần học trước, ghi chú cho giảng viên",
    )
    h.add_argument("paths", nargs="*", type=Path, metavar="ĐƯỜNG_DẪN", help="chỉ in các bài này (tệp hoặc thư mục)")
    e = sub.add_parser(
        "encode",
        help="mã hóa đáp án câu tự kiểm tra",
        description=(
            "In ra khóa đáp án (dùng khi sửa tay metadata của câu tự kiểm tra; thường chỉ cần `lessons check`).\n"
            "Ví dụ:\n"
            '  kynangso lessons encode --id c1 "Sở Khoa học và Công nghệ"\n'
            '  kynangso lessons encode --id c2 --kind multiple "Phương án A" "Phương án C"\n'
            "  kynangso lessons encode --id c3 --kind true-false sai\n"
            '  kynangso lessons encode --id c4 --kind order "Bước 1" "Bước 2" "Bước 3"\n'
            '  kynangso lessons encode --id c5 --kind matching "Zalo=Nhắn tin" "VNeID=Định danh"\n'
            '  kynangso lessons encode --id c6 --kind short --no-accents "ba" "3"'
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    e.add_argument("--id", required=True, dest="check_id", help="mã câu hỏi, đúng như trong bài (ví dụ c1)")
    e.add_argument("--kind", choices=sorted(KINDS), default="single", help="loại câu hỏi (mặc định single)")
    e.add_argument("--no-accents", action="store_true", help="câu trả lời ngắn: chấp nhận gõ không dấu")
    e.add_argument("values", nargs="+", metavar="ĐÁP_ÁN", help="đáp án đúng (xem ví dụ)")


def _workspace_curriculum() -> Path:
    from kynangso.lessons.catalogue import find_curriculum

    found = find_curriculum()
    if found is None:
        raise FileNotFoundError("Không tìm thấy thư mục curriculum/. Hãy chạy lệnh trong thư mục Kỹ Năng Số.")
    return found


def _expand(paths: list[Path]) -> list[Path]:
    from kynangso.lessons.catalogue import notebook_paths

    result: list[Path] = []
    for path in paths:
        if path.is_dir():
            result += notebook_paths(path)
        elif path.exists():
            result.append(path)
        else:
            raise FileNotFoundError(f"{path}: không có tệp hoặc thư mục này")
    return result


def run(args: argparse.Namespace) -> int:
    action = getattr(args, "lessons_action", None)
    try:
        if action == "validate":
            return _validate(args)
        if action == "syllabus":
            return _syllabus(args)
        if action == "agenda":
            return _agenda(args)
        if action == "handouts":
            return _handouts(args)
        if action == "encode":
            return _encode(args)
        if action == "new":
            from kynangso.commands import _lessons_authoring

            return _lessons_authoring.run_new(args, args.curriculum or _workspace_curriculum())
        if action == "check":
            from kynangso.commands import _lessons_authoring

            return _lessons_authoring.run_check(args)
    except FileNotFoundError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"Lỗi: {where}không ghi được ({exc.strerror or exc}).", file=sys.stderr)
        return 2
    print(
        "Hãy chọn một việc: new, check, validate, syllabus, agenda, handouts hoặc encode (xem kynangso lessons --help).",
        file=sys.stderr,
    )
    return 2


def _validate(args: argparse.Namespace) -> int:
    from kynangso.lessons.validate import check_many

    paths = _expand(args.paths) if args.paths else _expand([_workspace_curriculum()])
    problems = check_many(paths)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"Có {len(problems)} lỗi trong {len({p.file for p in problems})}/{len(paths)} bài.", file=sys.stderr)
        return 1
    print(f"Tất cả {len(paths)} bài học đều hợp lệ.")
    return 0


def _syllabus(args: argparse.Namespace) -> int:
    from kynangso.lessons import syllabus

    curriculum = args.curriculum or _workspace_curriculum()
    target = curriculum / syllabus.FILE_NAME
    if args.check:
        if syllabus.is_current(curriculum):
            print(f"{target} đã cập nhật.")
            return 0
        print(f"{target} chưa cập nhật: chạy `kynangso lessons syllabus` rồi lưu lại tệp.", file=sys.stderr)
        return 1
    changed = syllabus.write(curriculum)
    print(f"Đã ghi {target}." if changed else f"{target} không thay đổi.")
    return 0


def _agenda(args: argparse.Namespace) -> int:
    from kynangso.lessons import agenda_markdown

    curriculum = args.curriculum or _workspace_curriculum()
    try:
        if args.check:
            stale = agenda_markdown.stale(curriculum)
            for target in stale:
                print(f"{target} chưa cập nhật: chạy `kynangso lessons agenda` rồi lưu lại tệp.", file=sys.stderr)
            if not stale:
                print("Các chương trình tập huấn đều đúng và đã cập nhật.")
            return 1 if stale else 0
        changed = agenda_markdown.write(curriculum)
    except agenda_markdown.AgendaError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"Có {len(exc.problems)} lỗi; chưa ghi chương trình nào.", file=sys.stderr)
        return 1
    for target in changed:
        print(f"Đã ghi {target}.")
    if not changed:
        print("Các chương trình tập huấn không thay đổi.")
    return 0


def _handouts(args: argparse.Namespace) -> int:
    from kynangso.lessons import handouts

    if args.out.exists() and not args.out.is_dir():
        print(f"Lỗi: {args.out}: đã có một tệp tên này; hãy chọn một thư mục cho --out.", file=sys.stderr)
        return 2
    paths = _expand(args.paths) if args.paths else _expand([_workspace_curriculum()])
    kind = "trainer" if args.trainer else "learner"
    written, problems = handouts.write_all(paths, args.out, kind)
    for problem in problems:
        print(problem, file=sys.stderr)
    for path in written:
        print(f"Đã in {path}")
    what = "phiếu giảng viên" if args.trainer else "phiếu hướng dẫn"
    print(f"Xong: {len(written)} {what} trong {args.out}.")
    return 1 if problems else 0


def _encode(args: argparse.Namespace) -> int:
    from kynangso.lessons.answers import AnswerError, encode_answer

    kind = KINDS[args.kind]
    values: list[str] = list(args.values)
    try:
        if kind == "short":
            keys = [encode_answer(args.check_id, v, kind, accents=not args.no_accents) for v in values]
            print("keys=[" + ", ".join(f'"{k}"' for k in keys) + "]")
            return 0
        answer: object
        if kind in ("single",):
            if len(values) != 1:
                raise AnswerError("câu một lựa chọn cần đúng một đáp án")
            answer = values[0]
        elif kind == "true_false":
            word = values[0].strip().casefold() if len(values) == 1 else ""
            if word not in ("đúng", "dung", "sai", "true", "false"):
                raise AnswerError("câu đúng/sai cần một chữ: đúng hoặc sai")
            answer = word in ("đúng", "dung", "true")
        elif kind == "matching":
            pairs = [v.split("=", 1) for v in values]
            if any(len(p) != 2 for p in pairs):
                raise AnswerError("mỗi cặp ghép viết dạng 'vế trái=vế phải'")
            answer = {left: right for left, right in pairs}
        else:
            answer = values
        print(f'key="{encode_answer(args.check_id, answer, kind)}"')
        return 0
    except AnswerError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
