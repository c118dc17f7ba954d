"""`kynangso lessons new` and `kynangso lessons check`: the authoring half of the lessons command."""

from __future__ import annotations

import argparse
import sys
import unicodedata
from pathlib import Path
from typing import Any

CHECK_KINDS = {
    "single": "single",
    "multiple": "multiple",
    "true-false": "true_false",
    "true_false": "true_false",
    "order": "order",
    "matching": "matching",
    "short": "short",
}

NEW_DESCRIPTION = (
    "Tạo một bài học mới theo định dạng v2, đủ các mục chuẩn, với chữ TODO ở những chỗ cần viết.\n"
    "Lệnh `kynangso lessons validate` sẽ chỉ ra từng chữ TODO còn lại.\n"
    "Ví dụ:\n"
    '  kynangso lessons new gov 01-dich-vu-cong --title "Dịch vụ công trực tuyến" --level 1\n'
    '  kynangso lessons new society 03-lua-dao --title "Nhận diện lừa đảo" --level 2 \\\n'
    "      --requires orientation-04-huong-dan-nguoi-lon --minutes-teaching 30 --minutes-practice 30"
)

CHECK_DESCRIPTION = (
    "Thêm, sửa hoặc xóa một câu tự kiểm tra trong bài, không phải sửa JSON bằng tay.\n"
    "Câu hỏi nằm trong ô mã ẩn ở cuối mục “Tự kiểm tra”; đáp án được mã hóa, lời giải thích chỉ hiện\n"
    "sau khi học viên trả lời. Chạy lại lệnh với cùng --id (và đủ thông tin) để sửa câu đó.\n"
    "Hãy đóng bài trong JupyterLab (hoặc tải lại) trước khi chạy lệnh.\n"
    "Ví dụ:\n"
    '  kynangso lessons check BÀI.ipynb --id c1 --kind single --question "Ai ký quyết định lập Tổ?" \\\n'
    '      --option "Chủ tịch UBND xã" --option "Trưởng thôn" --answer 1 --explanation "Vì …"\n'
    '  kynangso lessons check BÀI.ipynb --id c2 --kind multiple --question "…" --option A --option B \\\n'
    '      --option C --answer 1 --answer 3 --explanation "…"\n'
    '  kynangso lessons check BÀI.ipynb --id c3 --kind true-false --question "Khẳng định …" --answer sai \\\n'
    '      --explanation "…"\n'
    '  kynangso lessons check BÀI.ipynb --id c4 --kind order --question "Sắp xếp các bước:" \\\n'
    '      --step "Bước 1" --step "Bước 2" --step "Bước 3" --explanation "…"   (các bước theo ĐÚNG thứ tự)\n'
    '  kynangso lessons check BÀI.ipynb --id c5 --kind matching --question "Ghép:" \\\n'
    '      --pair "Zalo=Nhắn tin" --pair "VNeID=Định danh" --extra "Bán hàng" --explanation "…"\n'
    '  kynangso lessons check BÀI.ipynb --id c6 --kind short --question "Bao nhiêu tỉnh?" \\\n'
    '      --answer 34 --answer "ba mươi tư" --no-accents --explanation "…"\n'
    "  kynangso lessons check BÀI.ipynb                    (liệt kê các câu đang có)\n"
    "  kynangso lessons check BÀI.ipynb --id c6 --remove   (xóa câu c6)"
)


def configure(sub: Any) -> None:
    n = sub.add_parser(
        "new",
        help="tạo bài học mới (định dạng v2) từ bài mẫu",
        description=NEW_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    n.add_argument("front", metavar="MẶT_TRẬN", help="orientation, gov, econ hoặc society (hoặc tên thư mục)")
    n.add_argument("name", metavar="NN-TEN-BAI", help="tên tệp không có .ipynb, ví dụ 01-dich-vu-cong")
    n.add_argument("--title", metavar="TÊN_BÀI", required=True, help="tên bài, có dấu")
    n.add_argument("--level", required=True, type=int, choices=(1, 2, 3), help="cấp độ: 1, 2 hoặc 3")
    n.add_argument("--minutes-teaching", type=int, default=30, metavar="PHÚT", help="số phút giảng (mặc định 30)")
    n.add_argument("--minutes-practice", type=int, default=20, metavar="PHÚT", help="số phút thực hành (mặc định 20)")
    n.add_argument("--requires", action="append", default=[], metavar="MÃ_BÀI", help="bài cần học trước (lặp lại được)")
    n.add_argument(
        "--curriculum", type=Path, default=None, metavar="THƯ_MỤC", help="thư mục giáo trình (mặc định: curriculum/)"
    )

    c = sub.add_parser(
        "check",
        help="thêm, sửa, xóa hoặc liệt kê câu tự kiểm tra của một bài",
        description=CHECK_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    c.add_argument("lesson", type=Path, metavar="BÀI.ipynb", help="tệp bài học")
    c.add_argument("--id", dest="check_id", metavar="MÃ_CÂU", help="mã câu, ví dụ c1 (khác nhau trong một bài)")
    c.add_argument("--kind", choices=sorted(set(CHECK_KINDS) - {"true_false"}), help="loại câu")
    c.add_argument("--question", metavar="CÂU_HỎI", help="câu hỏi (câu đúng/sai: khẳng định cần xét)")
    c.add_argument(
        "--option", metavar="PHƯƠNG_ÁN", action="append", default=[], help="một phương án (lặp lại cho mỗi phương án)"
    )
    c.add_argument(
        "--answer",
        metavar="ĐÁP_ÁN",
        action="append",
        default=[],
        help="đáp án: số thứ tự phương án đúng (single, multiple), dung/sai (true-false), chữ được chấp nhận (short)",
    )
    c.add_argument(
        "--step",
        metavar="BƯỚC",
        action="append",
        default=[],
        help="một bước, theo ĐÚNG thứ tự (order); bài tự xáo trộn",
    )
    c.add_argument(
        "--pair", metavar="TRÁI=PHẢI", action="append", default=[], help="một cặp đúng 'trái=phải' (matching)"
    )
    c.add_argument(
        "--extra", metavar="MỤC", action="append", default=[], help="mục gây nhiễu thêm ở vế phải (matching)"
    )
    c.add_argument("--no-accents", action="store_true", help="trả lời ngắn: chấp nhận gõ không dấu")
    c.add_argument("--explanation", metavar="LỜI_GIẢI_THÍCH", help="lời giải thích, hiện ra sau khi học viên trả lời")
    c.add_argument("--remove", action="store_true", help="xóa câu có mã --id")


def _nfc(value: str | None) -> str:
    return unicodedata.normalize("NFC", value or "").strip()


def run_new(args: argparse.Namespace, curriculum: Path) -> int:
    from kynangso.lessons.authoring import AuthoringError
    from kynangso.lessons.newlesson import NewLesson, front_of, new_lesson
    from kynangso.lessons.validate import check_lesson

    try:
        new = NewLesson(
            front=front_of(args.front),
            name=args.name.removesuffix(".ipynb"),
            title=_nfc(args.title),
            level=args.level,
            minutes_teaching=args.minutes_teaching,
            minutes_practice=args.minutes_practice,
            requires=tuple(args.requires),
        )
        path = new_lesson(curriculum, new)
    except AuthoringError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    todo = len(check_lesson(path))
    print(f"Đã tạo {path}.")
    print(f"Còn {todo} chỗ TODO cần viết; xem bằng: kynangso lessons validate {path}")
    print("Thêm câu tự kiểm tra bằng: kynangso lessons check … (xem kynangso lessons check --help).")
    return 0


def run_check(args: argparse.Namespace) -> int:
    from kynangso.lessons.authoring import AuthoringError, CheckRequest, list_checks, remove_check, upsert_check
    from kynangso.lessons.notebook import NotebookError
    from kynangso.lessons.validate import check_lesson

    path: Path = args.lesson
    if not path.is_file():
        print(f"Lỗi: {path}: không có tệp này", file=sys.stderr)
        return 2
    try:
        if args.check_id is None:
            found = list_checks(path)
            for check_id, kind, question in found:
                print(f"{check_id}\t{kind}\t{question}")
            print(f"{len(found)} câu tự kiểm tra trong {path}.")
            return 0
        if args.remove:
            remove_check(path, args.check_id)
            print(f"Đã xóa câu '{args.check_id}' khỏi {path}.")
        else:
            missing = [f"--{name}" for name in ("kind", "question", "explanation") if not getattr(args, name)]
            if missing:
                print(f"Lỗi: cần {', '.join(missing)} (xem kynangso lessons check --help).", file=sys.stderr)
                return 2
            request = CheckRequest(
                check_id=args.check_id,
                kind=CHECK_KINDS[args.kind],
                question=_nfc(args.question),
                explanation=_nfc(args.explanation),
                options=[_nfc(o) for o in args.option],
                answers=[_nfc(a) for a in args.answer],
                steps=[_nfc(s) for s in args.step],
                pairs=[_nfc(p) for p in args.pair],
                extras=[_nfc(e) for e in args.extra],
                accents=not args.no_accents,
            )
            done = upsert_check(path, request.spec())
            print(f"Đã {'thêm' if done == 'added' else 'sửa'} câu '{args.check_id}' trong {path}.")
    except (AuthoringError, NotebookError) as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    # The lesson may still be being written: report its other problems, but fail only for this question's own.
    problems = [p for p in check_lesson(path) if "TODO" not in p.message]
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"Lưu ý: bài còn {len(problems)} lỗi (ngoài chữ TODO), xem ở trên.", file=sys.stderr)
    mine = f"'{args.check_id}'"
    return 1 if any(mine in p.key or mine in p.message for p in problems) else 0
