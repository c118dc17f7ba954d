"""kynangso trust — the issuers this machine trusts when it verifies certificates: add, list, remove, update, bundle."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

NAME = "trust"
ORDER = 65
HELP = "danh sách đơn vị cấp mà máy này tin cậy khi kiểm tra chứng nhận (thêm, xem, bỏ, cập nhật thu hồi)"
DESCRIPTION = (
    "Máy kiểm tra chỉ công nhận chứng nhận của đơn vị cấp có trong danh sách tin cậy của máy.\n"
    "  add TỆP       thêm đơn vị cấp từ hồ sơ issuer.json, thư mục chứng nhận của Sở, hoặc gói hồ sơ nhiều tỉnh;\n"
    "                in dấu vân tay khóa và mã kiểm tra của tệp để đối chiếu qua điện thoại, rồi hỏi xác nhận\n"
    "  list          xem các đơn vị đang tin cậy và ngày của danh sách thu hồi\n"
    "  remove ĐƠN_VỊ bỏ một đơn vị (theo địa chỉ định danh, dấu vân tay khóa hoặc số thứ tự trong list)\n"
    "  update [TỆP]  nhập danh sách thu hồi status-list.jwt mới; không có TỆP thì đọc lại thư mục của từng Sở\n"
    "  bundle HỒ_SƠ… --out TỆP  (cho Sở/Bộ) gộp hồ sơ của nhiều đơn vị cấp vào một tệp để gửi đi"
)


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "action", choices=["add", "list", "remove", "update", "bundle"], help="add | list | remove | update | bundle"
    )
    p.add_argument("items", nargs="*", metavar="TỆP", help="tệp hoặc đơn vị, tùy việc")
    p.add_argument("--yes", action="store_true", help="không hỏi lại (cho kịch bản tự động; chỉ dùng khi đã đối chiếu)")
    p.add_argument("--checksum", default=None, help="mã kiểm tra Sở đọc qua điện thoại; sai thì không thêm")
    p.add_argument("--out", type=Path, default=None, help="(bundle) tệp gói hồ sơ cần ghi")
    p.add_argument("--publisher", default="", help="(bundle) tên đơn vị phát hành gói hồ sơ")
    p.add_argument("--workspace", type=Path, default=None, help="thư mục làm việc (mặc định: tự tìm)")


def _confirm(question: str, yes: bool) -> bool:
    if yes:
        return True
    print(f"{question} [c/K] ", end="", flush=True)
    # No terminal, or nothing typed (end of input): that is a "no", never a silent yes.
    answer = sys.stdin.readline().strip().lower() if sys.stdin else ""
    return answer in ("c", "có", "co", "y", "yes")


def _same_checksum(given: str, offer: Any) -> bool:
    plain = given.replace("-", "").replace(" ", "").lower()
    return len(plain) >= 16 and offer.sha256.startswith(plain)


def _add(store: Any, args: argparse.Namespace) -> int:
    from kynangso.certify.truststore import read_offer

    if len(args.items) != 1:
        print("Lỗi: cần đúng một tệp hồ sơ: kynangso trust add TỆP", file=sys.stderr)
        return 2
    offer = read_offer(Path(args.items[0]))
    print(f"Tệp: {offer.path}")
    print(f"  Mã kiểm tra của tệp (đọc cho Sở đối chiếu qua điện thoại): {offer.checksum}")
    print(f"  SHA-256: {offer.sha256}")
    if offer.publisher:
        print(f"  Đơn vị phát hành gói: {offer.publisher}")
    if args.checksum is not None and not _same_checksum(args.checksum, offer):
        print(
            f"Lỗi: mã kiểm tra “{args.checksum}” không khớp với tệp ({offer.checksum}); không thêm gì.", file=sys.stderr
        )
        return 2
    changes = [store.preview(profile, str(offer.path)) for profile in offer.profiles]
    for change in changes:
        issuer = change.issuer
        where = f", {issuer.region}" if issuer.region else ""
        print(f"Đơn vị cấp: {issuer.name}{where}")
        print(f"  Địa chỉ định danh: {issuer.id}")
        for fp, use in issuer.fingerprints():
            print(f"  Dấu vân tay khóa ký {use}: {fp}")
        if change.previous is not None and not change.changes_anything:
            print("  (đã có trong danh sách tin cậy, không đổi khóa)")
        elif change.previous is not None:
            from kynangso.certify.jose import fingerprint

            for kid in change.added_kids:
                print(f"  + khóa mới {fingerprint(kid)}")
            for kid in change.removed_kids:
                print(f"  − bỏ khóa {fingerprint(kid)} (chứng nhận ký bằng khóa này sẽ không còn được công nhận)")
    if offer.source is not None:
        print(f"  Danh sách thu hồi sẽ được đọc lại từ thư mục: {offer.source}")
    question = "Anh/chị đã gọi số điện thoại chính thức của đơn vị cấp và đối chiếu đúng dấu vân tay ở trên?"
    if not _confirm(question, args.yes):
        print("Chưa thêm gì. Chỉ tin cậy sau khi đã đối chiếu dấu vân tay với đơn vị cấp (hoặc dùng --yes).")
        return 1
    _, notes = store.accept(offer)
    print(f"Đã tin cậy {len(changes)} đơn vị cấp. Danh sách tin cậy: {store.path}")
    for note in notes:
        print(f"  {note}")
    return 0


def _list(store: Any) -> int:
    from kynangso.certify.trust import when

    trust = store.load()
    entries = store.entries()
    if not entries:
        print(f"Chưa tin cậy đơn vị cấp nào ({store.path}). Thêm bằng: kynangso trust add TỆP")
        return 0
    for n, (entry, issuer) in enumerate(zip(entries, trust.issuers, strict=True), start=1):
        print(f"{n}. {issuer.name} — {issuer.id}")
        for fp, use in issuer.fingerprints():
            print(f"     khóa ký {use}: {fp}")
        status = f"bản công bố lúc {when(issuer.status.published_at)}" if issuer.status else "chưa có"
        print(f"     danh sách thu hồi: {status}")
        if entry.source:
            print(f"     đọc lại từ: {entry.source}")
        for note in issuer.status_notes:
            print(f"     lưu ý: {note}")
    return 0


def _remove(store: Any, args: argparse.Namespace) -> int:
    if len(args.items) != 1:
        print(
            "Lỗi: cần đúng một đơn vị: kynangso trust remove ĐỊA_CHỈ_ĐỊNH_DANH|DẤU_VÂN_TAY|SỐ_THỨ_TỰ", file=sys.stderr
        )
        return 2
    if not _confirm(f"Bỏ “{args.items[0]}” khỏi danh sách tin cậy?", args.yes):
        print("Chưa bỏ gì.")
        return 1
    entry = store.remove(args.items[0])
    print(f"Đã bỏ {entry.profile.get('name', entry.id)} ({entry.id}) khỏi danh sách tin cậy.")
    print("  Từ nay chứng nhận của đơn vị này hiện “KHÔNG RÕ ĐƠN VỊ CẤP” trên máy này.")
    return 0


def _update(store: Any, args: argparse.Namespace) -> int:
    from kynangso.certify.status import STATUS_FILE
    from kynangso.certify.trust import TrustError, when

    failed = 0
    for item in args.items:
        path = Path(item)
        path = path / STATUS_FILE if path.is_dir() else path
        try:
            issuer, status, kept = store.import_status(path.read_text(encoding="ascii", errors="replace"), str(path))
        except (TrustError, OSError) as exc:
            print(f"Lỗi: {exc}", file=sys.stderr)
            failed += 1
            continue
        state = "đã nhập" if kept else "không nhập: máy đã có bản này hoặc bản mới hơn"
        print(f"Danh sách thu hồi của {issuer.name}, công bố lúc {when(status.published_at)}: {state}.")
    if not args.items:
        for issuer in store.load().issuers:
            status = f"bản công bố lúc {when(issuer.status.published_at)}" if issuer.status else "chưa có"
            print(f"{issuer.name}: danh sách thu hồi {status}.")
            for note in issuer.status_notes:
                print(f"  Lưu ý: {note}")
    return 2 if failed else 0


def _bundle(args: argparse.Namespace) -> int:
    from kynangso.certify.truststore import write_bundle

    if not args.items or args.out is None:
        print("Lỗi: cần hồ sơ và tệp ra: kynangso trust bundle HỒ_SƠ… --out goi-ho-so.json", file=sys.stderr)
        return 2
    offer = write_bundle([Path(i) for i in args.items], args.out, args.publisher)
    print(f"Đã ghi gói {len(offer.profiles)} hồ sơ đơn vị cấp: {offer.path}")
    print(f"  Mã kiểm tra để đọc qua điện thoại cho nơi nhận: {offer.checksum}")
    print(f"  SHA-256: {offer.sha256}")
    return 0


def run(args: argparse.Namespace) -> int:
    from kynangso.certify.trust import TrustError
    from kynangso.certify.truststore import TrustStore, default_root

    try:
        if args.action == "bundle":
            return _bundle(args)
        store = TrustStore(default_root(args.workspace))
        actions = {
            "add": lambda: _add(store, args),
            "list": lambda: _list(store),
            "remove": lambda: _remove(store, args),
            "update": lambda: _update(store, args),
        }
        return actions[args.action]()
    except TrustError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
