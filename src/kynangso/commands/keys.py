"""kynangso keys — the issuer's signing keys: create, rotate, show."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

NAME = "keys"
ORDER = 60
HELP = "tạo và xoay vòng khóa ký chứng nhận của đơn vị cấp (khóa bí mật để ngoài khóa học)"
DESCRIPTION = (
    "Khóa ký chứng nhận của đơn vị cấp (RSA, chữ ký RS256).\n"
    "  init    tạo khóa đầu tiên; khóa bí mật được ghi với quyền 0600 NGOÀI thư mục khóa học và kho mã nguồn\n"
    "  rotate  thêm khóa mới; các khóa công khai cũ được giữ lại để chứng nhận cũ vẫn kiểm tra được\n"
    "  show    in danh sách khóa và nơi lưu\n"
    "Khóa công khai được xuất thành JWKS trong hồ sơ đơn vị cấp issuer.json (có thể công bố)."
)


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("action", choices=["init", "rotate", "show"], help="init | rotate | show")
    p.add_argument(
        "--keys-dir", type=Path, default=None, help="thư mục khóa (mặc định: thư mục cấu hình của người dùng)"
    )
    p.add_argument("--policy", type=Path, default=None, help="tệp chính sách (mặc định grading/policy.toml)")
    p.add_argument("--workspace", type=Path, default=None, help="thư mục làm việc (mặc định: tự tìm)")


def run(args: argparse.Namespace) -> int:
    from kynangso.certify.keys import KeyStore, KeyStoreError, default_keys_dir
    from kynangso.certify.paths import places
    from kynangso.certify.policy import PolicyError, load_policy

    root = (args.keys_dir or default_keys_dir()).expanduser().resolve()
    store = KeyStore(root)
    try:
        where = places(args.workspace, args.policy)
        if args.action == "show":
            data = store.manifest()
            print(f"Thư mục khóa: {root}")
            for k in data["keys"]:
                in_use = k["kid"] in (data["active"], data.get("active_qr"))
                mark = "đang dùng" if in_use else f"đã thay từ {k.get('retired')}"
                print(f"  • {_describe(k['jwk'])}  tạo {k['created']}  ({mark})")
            return 0
        policy = load_policy(where.policy)
        forbidden = (where.workspace.data, where.course, where.workspace.root)
        kid = store.init(forbidden) if args.action == "init" else store.rotate()
        profile = store.write_profile(policy.issuer)
    except (KeyStoreError, PolicyError) as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    verb = "Đã tạo" if args.action == "init" else "Đã thêm"
    print(f"{verb} khóa ký {kid}.")
    print(f"  Khóa bí mật (giữ kín, sao lưu cẩn thận): {root}")
    print(f"  Hồ sơ đơn vị cấp kèm khóa công khai (JWKS): {profile}")
    print("  Dấu vân tay các khóa công khai (đọc cho nơi kiểm tra đối chiếu khi họ chạy “kynangso trust add”):")
    for jwk in store.jwks()["keys"]:
        print(f"    {_describe(jwk)}")
    return 0


def _describe(jwk: dict[str, str]) -> str:
    from kynangso.certify.jose import fingerprint

    use = "mã QR" if jwk.get("kty") == "OKP" else "chứng nhận"
    return f"{fingerprint(jwk['kid'])}  ({jwk.get('alg')}, ký {use})"
