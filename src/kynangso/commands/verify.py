"""kynangso verify — check a certificate offline (.jwt, .json, .pdf or a photo of its QR code)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

NAME = "verify"
ORDER = 66
HELP = "kiểm tra một chứng nhận (.jwt, .json, .pdf hoặc ảnh chụp mã QR), không cần Internet"
DESCRIPTION = (
    "Kiểm tra chứng nhận bằng khóa công khai của các đơn vị cấp mà máy này tin cậy (“kynangso trust”) và\n"
    "danh sách thu hồi mới nhất của họ. Hồ sơ issuer.json gửi kèm chứng nhận không bao giờ được tin tự động.\n"
    "Kết quả: HỢP LỆ / HẾT HẠN / ĐÃ THU HỒI / GIẢ MẠO / KHÔNG RÕ ĐƠN VỊ CẤP / KHÔNG KIỂM TRA ĐƯỢC, kèm lý do.\n"
    "Mã thoát: 0 khi hợp lệ; 1 giả mạo; 2 hết hạn; 3 đã thu hồi; 4 không kiểm tra được; 5 không rõ đơn vị cấp."
)
EXIT_CODES = {"valid": 0, "forged": 1, "expired": 2, "revoked": 3, "unverifiable": 4, "untrusted": 5}


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", type=Path, help="tệp cần kiểm tra: .jwt, .json, .pdf, hoặc ảnh .png/.jpg có mã QR")
    p.add_argument(
        "--workspace", type=Path, default=None, help="thư mục làm việc có danh sách tin cậy (mặc định: tự tìm)"
    )
    # Until 0.1 a folder given here was trusted as it came, forged issuer.json and all: refuse it with the new way.
    p.add_argument("--trust", type=Path, default=None, help=argparse.SUPPRESS)


def run(args: argparse.Namespace) -> int:
    from kynangso.certify.trust import TrustError
    from kynangso.certify.truststore import TrustStore, default_root
    from kynangso.certify.verify import Verdict, verify_file

    if args.trust is not None:
        print(
            "Lỗi: “--trust THƯ_MỤC” không còn dùng: một thư mục đi kèm chứng nhận không chứng minh được gì. Hãy tin "
            f"đơn vị cấp một lần bằng “kynangso trust add {args.trust / 'issuer.json'}” (sau khi đối chiếu dấu vân "
            "tay), rồi chạy lại “kynangso verify TỆP”.",
            file=sys.stderr,
        )
        return EXIT_CODES["unverifiable"]
    try:
        trust = TrustStore(default_root(args.workspace)).load()
        verdict = verify_file(args.file, trust)
    except TrustError as exc:
        verdict = Verdict("unverifiable", [str(exc)])
    for line in verdict.lines():
        print(line)
    return EXIT_CODES[verdict.status]
