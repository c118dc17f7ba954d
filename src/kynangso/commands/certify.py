"""kynangso certify — issue Open Badges 3.0 certificates (VC-JWT + JSON + PDF with QR) from the gradebook."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # types only: a command imports nothing heavy at module level
    from kynangso.certify.keys import KeyStore
    from kynangso.certify.policy import Policy

NAME = "certify"
ORDER = 62
HELP = "cấp chứng nhận (Open Badges 3.0, PDF có mã QR) cho học viên đã đạt cấp độ"
DESCRIPTION = (
    "Đọc sổ điểm nbgrader, tính cấp độ của từng học viên trên từng lĩnh vực theo grading/policy.toml và cấp\n"
    "chứng nhận cho người đã đạt: <số hiệu>.jwt (chứng nhận số đã ký RS256), <số hiệu>.json và <số hiệu>.pdf.\n"
    "Chạy lại bao nhiêu lần cũng không cấp trùng; cấp cao hơn sẽ thay thế cấp thấp hơn trên cùng lĩnh vực.\n"
    "Cùng thư mục còn có sổ đăng ký (registry.sqlite), danh sách thu hồi (status-list.jwt) và issuer.json.\n"
    "Máy cấp tự tin cậy khóa của chính mình, nên “kynangso verify” chạy được ngay trên máy này."
)


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--course", type=Path, default=None, help="thư mục khóa học nbgrader (mặc định .kynangso/course)")
    p.add_argument("--db-url", default=None, help="địa chỉ sổ điểm, ví dụ sqlite:////duong/dan/gradebook.db")
    p.add_argument("--out", type=Path, default=None, help="thư mục ghi chứng nhận (mặc định .kynangso/certificates)")
    p.add_argument("--policy", type=Path, default=None, help="tệp chính sách (mặc định grading/policy.toml)")
    p.add_argument("--keys-dir", type=Path, default=None, help="thư mục khóa ký (mặc định: thư mục cấu hình)")
    p.add_argument("--workspace", type=Path, default=None, help="thư mục làm việc (mặc định: tự tìm)")


def run(args: argparse.Namespace) -> int:
    from kynangso.certify.credential import CredentialError
    from kynangso.certify.issue import certify
    from kynangso.certify.keys import KeyStore, KeyStoreError, default_keys_dir
    from kynangso.certify.levels import GradebookError
    from kynangso.certify.paths import places
    from kynangso.certify.policy import PolicyError, load_policy
    from kynangso.certify.registry import RegistryError
    from kynangso.fronts import FRONTS, LEVELS

    where = places(args.workspace, args.policy, args.course, args.out)
    try:
        policy = load_policy(where.policy)
        store = KeyStore((args.keys_dir or default_keys_dir()).expanduser())
        course = where.course if (where.course / "submitted").is_dir() else None
        report = certify(args.db_url or where.gradebook_url, policy, store, where.out, course=course)
    except (PolicyError, KeyStoreError, GradebookError, RegistryError, CredentialError) as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    for r in report.issued:
        print(f"Đã cấp {r.serial}: {r.name} — {FRONTS[r.front].name}, cấp độ {r.level} ({LEVELS[r.level].name}).")
    for old, new in report.superseded:
        print(f"  {old} được thay thế bởi {new} (cấp cao hơn).")
    for note in report.skipped:
        print(f"Bỏ qua: {note}")
    if not report.issued:
        print("Không có chứng nhận mới nào cần cấp.")
    print(f"Thư mục chứng nhận: {where.out}")
    _trust_own_issuer(args.workspace, policy, store, where.out)
    return 0


def _trust_own_issuer(workspace: Path | None, policy: Policy, store: KeyStore, out: Path) -> None:
    """The issuing machine trusts its own keys: they come from its private keys folder, not from a file that
    could have been swapped, and its status lists are read from the certificates folder."""
    from kynangso.certify.keys import issuer_profile
    from kynangso.certify.trust import TrustError
    from kynangso.certify.truststore import TrustStore, default_root

    trust = TrustStore(default_root(workspace))
    try:
        change = trust.add(issuer_profile(policy.issuer, store.jwks()), out, "keys.json")
    except TrustError as exc:
        print(f"Lưu ý: chưa tự thêm đơn vị cấp vào danh sách tin cậy của máy này: {exc}")
        return
    except OSError as exc:
        # The certificates are issued; only this machine's own trust list could not be written (e.g. a shared,
        # read-only checkout on a hub). Verifying here needs `kynangso trust add` with a writable --workspace.
        print(
            f"Lưu ý: chưa tự thêm đơn vị cấp vào danh sách tin cậy của máy này (không ghi được {trust.path.parent}: "
            f"{exc.strerror}). Dùng `kynangso trust add --workspace THƯ_MỤC` để kiểm tra chứng nhận trên máy này."
        )
        return
    if change.changes_anything:
        print(f"Máy này tin cậy khóa của {policy.issuer.name} để kiểm tra chứng nhận: {trust.path}")
