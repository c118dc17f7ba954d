"""kynangso revoke — revoke a certificate by serial and republish the status list."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

NAME = "revoke"
ORDER = 64
HELP = "thu hồi một chứng nhận theo số hiệu và công bố lại danh sách thu hồi"


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("serial", help="số hiệu chứng nhận, ví dụ KNS-7QK4-M2XD")
    p.add_argument("--reason", required=True, help="lý do thu hồi (bắt buộc, được công bố kèm danh sách thu hồi)")
    p.add_argument("--out", type=Path, default=None, help="thư mục chứng nhận (mặc định .kynangso/certificates)")
    p.add_argument("--policy", type=Path, default=None, help="tệp chính sách (mặc định grading/policy.toml)")
    p.add_argument("--keys-dir", type=Path, default=None, help="thư mục khóa ký (mặc định: thư mục cấu hình)")
    p.add_argument("--workspace", type=Path, default=None, help="thư mục làm việc (mặc định: tự tìm)")


def run(args: argparse.Namespace) -> int:
    from kynangso.certify.issue import revoke
    from kynangso.certify.keys import KeyStore, KeyStoreError, default_keys_dir
    from kynangso.certify.paths import places
    from kynangso.certify.policy import PolicyError, load_policy
    from kynangso.certify.registry import RegistryError

    where = places(args.workspace, args.policy, None, args.out)
    from kynangso.certify.credential import check_serial

    serial = args.serial.strip().upper()
    if not check_serial(serial):
        print(
            f"Lỗi: số hiệu “{serial}” không đúng dạng KNS-XXXX-XXXX hoặc sai ký tự kiểm tra (có thể gõ nhầm).",
            file=sys.stderr,
        )
        return 2
    try:
        policy = load_policy(where.policy)
        store = KeyStore((args.keys_dir or default_keys_dir()).expanduser())
        record = revoke(where.out, policy, store, serial, args.reason)
    except (PolicyError, KeyStoreError, RegistryError, LookupError, ValueError) as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    print(f"Đã thu hồi {record.serial} ({record.name}). Lý do: {record.revoked_reason}")
    print("Danh sách thu hồi đã được cập nhật; hãy gửi lại tệp status-list.jwt cho các nơi kiểm tra.")
    return 0
