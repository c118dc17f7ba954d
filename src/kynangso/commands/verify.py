"""kynangso verify — check a certificate offline (.jwt, .json, .pdf or a photo of its QR code)."""

from __future__ import annotations

import argparse
from pathlib import Path

NAME = "verify"
ORDER = 66
HELP = "kiểm tra một chứng nhận (.jwt, .json, .pdf hoặc ảnh chụp mã QR), không cần Internet"
DESCRIPTION = (
    "Kiểm tra chứng nhận bằng khóa công khai của đơn vị cấp và danh sách thu hồi đang có trên máy.\n"
    "Kết quả: HỢP LỆ / HẾT HẠN / ĐÃ THU HỒI / GIẢ MẠO / KHÔNG KIỂM TRA ĐƯỢC, kèm lý do.\n"
    "Mã thoát: 0 khi hợp lệ; 1 giả mạo; 2 hết hạn; 3 đã thu hồi; 4 không kiểm tra được."
)
EXIT_CODES = {"valid": 0, "forged": 1, "expired": 2, "revoked": 3, "unverifiable": 4}


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", type=Path, help="tệp cần kiểm tra: .jwt, .json, .pdf, hoặc ảnh .png/.jpg có mã QR")
    p.add_argument(
        "--trust",
        type=Path,
        default=None,
        help="thư mục có issuer.json và status-list.jwt của đơn vị cấp (mặc định .kynangso/certificates)",
    )
    p.add_argument("--workspace", type=Path, default=None, help="thư mục làm việc (mặc định: tự tìm)")


def run(args: argparse.Namespace) -> int:
    from kynangso.certify.paths import places
    from kynangso.certify.verify import TrustError, Verdict, load_trust, verify_file

    folder = args.trust or places(args.workspace).out
    try:
        trust = load_trust(folder)
        verdict = verify_file(args.file, trust)
    except TrustError as exc:
        verdict = Verdict("unverifiable", [str(exc)])
    for line in verdict.lines():
        print(line)
    return EXIT_CODES[verdict.status]
