"""Offline verification of a certificate: VC-JWT, decoded JSON, PDF, or a photo of its QR code.

Trust comes only from the trust store (see :mod:`.truststore`), never from the certificate or anything that came
with it. The verdict is one of valid / expired / revoked / forged / untrusted / unverifiable, each with its reasons
in Vietnamese. "untrusted" means a signature by a key no trusted issuer holds: it is never reported as valid, and
its fingerprint is shown so the officer can ask the issuer.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kynangso.certify import compact, jose
from kynangso.certify.credential import credential_from_claims
from kynangso.certify.pdf import attached_jwts
from kynangso.certify.qr import decode_image
from kynangso.certify.trust import VN_TIME, Issuer, Trust, when
from kynangso.fronts import FRONTS, LEVELS, parse_exam_name

LABELS = {
    "valid": "HỢP LỆ",
    "expired": "HẾT HẠN",
    "revoked": "ĐÃ THU HỒI",
    "forged": "GIẢ MẠO",
    "untrusted": "KHÔNG RÕ ĐƠN VỊ CẤP",
    "unverifiable": "KHÔNG KIỂM TRA ĐƯỢC",
}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".bmp", ".gif", ".tif", ".tiff"}
PROFILE_FILE = "issuer.json"


@dataclass
class Verdict:
    status: str
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    serial: str = ""
    name: str = ""
    achievement: str = ""
    issuer: str = ""
    valid_from: str = ""
    valid_until: str = ""
    fingerprint: str = ""  # of the signing key, when no trusted issuer holds it

    @property
    def ok(self) -> bool:
        return self.status == "valid"

    @property
    def label(self) -> str:
        return LABELS[self.status]

    def lines(self) -> list[str]:
        out = [f"Kết quả: {self.label}"]
        out += [f"  Lý do: {r}" for r in self.reasons]
        for key, value in (
            ("Số hiệu", self.serial),
            ("Người được cấp", self.name),
            ("Chứng nhận", self.achievement),
            ("Đơn vị cấp", self.issuer),
            ("Hiệu lực từ", self.valid_from),
            ("Hiệu lực đến", self.valid_until),
            ("Dấu vân tay khóa ký", self.fingerprint),
        ):
            if value:
                out.append(f"  {key}: {value}")
        out += [f"  Lưu ý: {n}" for n in self.notes]
        if self.ok:
            out.append("  Hãy đối chiếu họ tên, lĩnh vực và cấp độ in trên giấy với thông tin trên.")
        return out


def _date(ts: int | str) -> str:
    """The date in Vietnam time, as printed on the paper certificate."""
    if isinstance(ts, str):
        return datetime.fromisoformat(ts.replace("Z", "+00:00")).astimezone(VN_TIME).strftime("%d/%m/%Y")
    return datetime.fromtimestamp(ts, VN_TIME).strftime("%d/%m/%Y")


def _timestamp(value: str) -> int:
    return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp())


def _achievement_label(code: str) -> str:
    parsed = parse_exam_name(code)
    if not parsed:
        return code
    front, level = parsed
    return f"{FRONTS[front].name} — Cấp độ {level}: {LEVELS[level].name}"


def untrusted(fingerprint: str, claimed: str = "") -> Verdict:
    reasons = [
        f"Chứng nhận được ký bằng khóa {fingerprint}, không thuộc đơn vị cấp nào mà máy này tin cậy. "
        "Không công nhận chứng nhận này cho đến khi xác minh được đơn vị cấp."
    ]
    if claimed:
        reasons.append(f"Chứng nhận tự ghi đơn vị cấp là “{claimed}”; điều đó chưa được xác minh.")
    notes = [
        "Nếu anh/chị cần tin một đơn vị cấp mới: gọi số điện thoại chính thức của đơn vị đó để đối chiếu dấu vân tay, "
        "rồi chạy “kynangso trust add” với hồ sơ đơn vị cấp do Sở gửi."
    ]
    return Verdict("untrusted", reasons, notes, fingerprint=fingerprint)


def _finish(v: Verdict, issuer: Issuer, serial: str, index: int, nbf: int, exp: int | None, now: datetime) -> Verdict:
    """Status, registry and time checks shared by credentials and QR tokens."""
    if issuer.registry_problem:
        v.status = "unverifiable"
        v.reasons.append(f"Sổ đăng ký chứng nhận bị sửa: {issuer.registry_problem}.")
        return v
    v.notes += issuer.status_notes
    status = issuer.status
    if status is None:
        v.status = "unverifiable"
        v.reasons.append(
            f"Máy này chưa có danh sách thu hồi (status-list.jwt) của {issuer.name} để biết chứng nhận còn hiệu lực "
            "hay không; hãy nhập bản mới nhất bằng “kynangso trust update TỆP”."
        )
        return v
    v.notes.append(f"Danh sách thu hồi dùng để kiểm tra: bản công bố lúc {when(status.published_at)}.")
    if status.is_revoked(index):
        v.status = "revoked"
        info = status.revoked.get(serial, {})
        v.reasons.append(f"{issuer.name} đã thu hồi chứng nhận này. Lý do: {info.get('reason') or 'không ghi'}.")
        return v
    t = now.timestamp()
    if t < nbf:
        v.status = "unverifiable"
        v.reasons.append(f"Chứng nhận chưa đến ngày có hiệu lực ({_date(nbf)}); kiểm tra lại ngày giờ của máy.")
        return v
    if exp is not None and t >= exp:
        v.status = "expired"
        v.reasons.append(f"Chứng nhận đã hết hạn ngày {_date(exp)}.")
        return v
    if serial in status.superseded:
        v.notes.insert(0, f"Người này đã được cấp chứng nhận cấp cao hơn, số hiệu {status.superseded[serial]}.")
    v.status = "valid"
    v.reasons.append(f"Chữ ký số đúng của {issuer.name}; chứng nhận chưa bị thu hồi và còn hạn.")
    return v


def _claimed_issuer(claims: dict[str, Any]) -> tuple[str, str]:
    issuer = claims.get("issuer")
    if isinstance(issuer, dict):
        return str(issuer.get("id", claims.get("iss", ""))), str(issuer.get("name", ""))
    return str(claims.get("iss", issuer or "")), ""


def verify_jwt(token: str, trust: Trust, now: datetime | None = None) -> Verdict:
    """Verify a VC-JWT credential, or a QR text (compact token)."""
    now = now or datetime.now(UTC)
    if compact.is_compact(token):
        return verify_compact(token, trust, now)
    try:
        header, claims, signing_input, signature = jose.split(token)
    except jose.JoseError:
        return Verdict("forged", ["Mã chứng nhận bị hỏng hoặc đã bị sửa: không đọc được cấu trúc JWT."])
    if header.get("alg") != jose.ALG:
        return Verdict("forged", [f"Thuật toán ký “{header.get('alg')}” không được chấp nhận (chỉ RS256)."])
    kid = str(header.get("kid"))
    issuer = trust.by_kid(kid)
    if issuer is None:
        claimed_id, claimed_name = _claimed_issuer(claims)
        known = trust.by_id(claimed_id)
        try:
            thumbprint = jose.b64u_decode(str(header.get("kid", "")))
        except jose.JoseError:
            thumbprint = b""
        if len(thumbprint) != 32:  # every key id is a SHA-256 thumbprint: no kid, no key, nothing to trust
            return Verdict("forged", ["Mã chứng nhận không ghi khóa ký hợp lệ."])
        fp = jose.fingerprint(thumbprint)
        if known is not None:
            return Verdict(
                "forged",
                [
                    f"Chứng nhận ghi là của {known.name} nhưng được ký bằng một khóa không thuộc {known.name}.",
                    f"Nếu {known.name} vừa đổi khóa ký, hãy xin hồ sơ issuer.json mới và đối chiếu dấu vân tay "
                    f"{fp} qua số điện thoại chính thức trước khi tin.",
                ],
                fingerprint=fp,
            )
        return untrusted(fp, claimed_name or claimed_id)
    if not jose.verify_signature(signing_input, signature, issuer.keys[kid]):
        return Verdict("forged", ["Chữ ký số không khớp với nội dung: chứng nhận đã bị sửa hoặc bị làm giả."])
    try:
        credential = credential_from_claims(claims)
        issuer_claim = credential["issuer"]
        subject = credential["credentialSubject"]
        achievement = subject["achievement"]
        serial = str(credential["id"]).rsplit("/", 1)[-1]
        consistent = (
            claims["iss"] == issuer_claim["id"] == issuer.id
            and claims["jti"] == credential["id"]
            and claims["sub"] == subject["id"]
            and "OpenBadgeCredential" in credential["type"]
            and int(claims["nbf"]) == _timestamp(str(credential["validFrom"]))
            and claims.get("exp") == (_timestamp(str(credential["validUntil"])) if "validUntil" in credential else None)
        )
        index = int(credential["credentialStatus"]["statusListIndex"])
        status_list = credential["credentialStatus"]["statusListCredential"]
    except (KeyError, TypeError, ValueError):
        return Verdict("forged", ["Nội dung chứng nhận thiếu thông tin bắt buộc."])
    if not consistent:
        return Verdict("forged", ["Nội dung chứng nhận không nhất quán với đơn vị cấp hoặc số hiệu."])
    v = Verdict(
        "valid",
        serial=serial,
        name=str(subject.get("identifier", [{}])[0].get("identityHash", "")),
        achievement=_achievement_label(str(achievement.get("humanCode", ""))),
        issuer=issuer.name,
        valid_from=_date(str(credential["validFrom"])),
        valid_until=_date(str(credential["validUntil"])) if "validUntil" in credential else "",
    )
    if issuer.status is not None and status_list != issuer.status.id:
        v.status = "unverifiable"
        v.reasons.append("Chứng nhận trỏ tới một danh sách thu hồi khác với danh sách đang có.")
        return v
    return _finish(v, issuer, serial, index, int(claims["nbf"]), claims.get("exp"), now)


def verify_compact(text: str, trust: Trust, now: datetime | None = None) -> Verdict:
    """Verify the compact token of a certificate's QR code, offline, against the trust store."""
    now = now or datetime.now(UTC)
    try:
        token = compact.decode(text)
    except compact.CompactError:
        return Verdict("forged", ["Mã QR bị hỏng hoặc đã bị sửa: không đọc được mã chứng nhận."])
    found = trust.by_qr_kid(token.kid)
    if found is None:
        return untrusted(jose.fingerprint(token.kid))
    issuer, key = found
    if not compact.verify(token, key):
        return Verdict("forged", ["Chữ ký số của mã QR không khớp với nội dung: mã đã bị sửa hoặc bị làm giả."])
    c = token.claims
    v = Verdict(
        "valid",
        serial=c.serial,
        name=c.name,
        achievement=_achievement_label(c.code),
        issuer=issuer.name,
        valid_from=_date(c.nbf),
        valid_until=_date(c.exp),
    )
    record = issuer.records.get(c.serial)
    if record is not None and compact.jwt_digest(record.jwt) != c.digest:
        return Verdict("forged", ["Mã QR không khớp với chứng nhận đã ghi trong sổ đăng ký."], serial=c.serial)
    return _finish(v, issuer, c.serial, c.index, c.nbf, c.exp, now)


def _jwt_for_json(path: Path, credential: dict[str, Any], trust: Trust) -> str | None:
    serial = str(credential.get("id", "")).rsplit("/", 1)[-1]
    sibling = path.with_suffix(".jwt")
    if sibling.is_file():
        return sibling.read_text(encoding="ascii", errors="replace").strip()
    for issuer in trust.issuers:
        record = issuer.records.get(serial)
        if record is not None:
            return record.jwt
    return None


def _pdf_qr_texts(path: Path) -> list[str]:
    if not shutil.which("pdftoppm"):
        return []
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", str(path), f"{tmp}/p"],
            check=False,
            capture_output=True,
            timeout=60,
        )
        pages = sorted(Path(tmp).glob("p*.png"))
        return decode_image(pages[0]) if pages else []


def _explain(verdict: Verdict, path: Path, trust: Trust) -> Verdict:
    """A forger sends their own issuer.json along: say plainly that it counts for nothing."""
    if verdict.status == "untrusted" and not trust.issuers:
        verdict.notes.insert(0, "Danh sách đơn vị tin cậy của máy này đang trống.")
    sidecar = path.parent / PROFILE_FILE
    if verdict.status in ("untrusted", "forged") and sidecar.is_file():
        try:
            name = str(json.loads(sidecar.read_text(encoding="utf-8")).get("name", ""))
        except (ValueError, OSError, AttributeError):
            name = ""
        claim = f" (tự xưng là “{name}”)" if name else ""
        verdict.notes.insert(
            0,
            f"Tệp {sidecar.name} nằm cạnh chứng nhận{claim} không được dùng để kiểm tra: hồ sơ đi kèm một chứng nhận "
            "không bao giờ được tin tự động.",
        )
    return verdict


def verify_file(path: Path, trust: Trust, now: datetime | None = None) -> Verdict:
    return _explain(_verify_file(path, trust, now), path, trust)


def _verify_file(path: Path, trust: Trust, now: datetime | None) -> Verdict:
    suffix = path.suffix.lower()
    try:
        if suffix in IMAGE_SUFFIXES:
            texts = decode_image(path)
            if not texts:
                return Verdict(
                    "unverifiable", ["Không tìm thấy mã QR trong ảnh; chụp lại gần hơn, đủ sáng, không bị lóa."]
                )
            return verify_jwt(texts[0], trust, now)
        data = path.read_bytes()
    except FileNotFoundError:
        return Verdict("unverifiable", [f"{path}: không tìm thấy tệp."])
    except OSError as exc:
        return Verdict("unverifiable", [f"{path}: không đọc được tệp ({exc})."])
    if suffix == ".pdf" or data.startswith(b"%PDF"):
        tokens = attached_jwts(data)
        if tokens:
            return verify_jwt(tokens[0], trust, now)
        texts = _pdf_qr_texts(path)
        if texts:
            return verify_jwt(texts[0], trust, now)
        return Verdict(
            "forged", ["Tệp PDF không mang chứng nhận số đã ký (không có tệp đính kèm .jwt, không có mã QR)."]
        )
    text = data.decode("utf-8", errors="replace").strip()
    if suffix == ".json" or text.startswith("{"):
        try:
            credential = json.loads(text)
        except json.JSONDecodeError:
            return Verdict("forged", ["Tệp JSON bị hỏng, không đọc được."])
        if not isinstance(credential, dict):
            return Verdict("forged", ["Tệp JSON không phải một chứng nhận."])
        token = _jwt_for_json(path, credential, trust)
        if token is None:
            return Verdict(
                "unverifiable",
                ["Tệp JSON không mang chữ ký; hãy kiểm tra tệp .jwt hoặc .pdf đi kèm (hoặc dùng máy có sổ đăng ký)."],
            )
        verdict = verify_jwt(token, trust, now)
        if verdict.status not in ("forged", "untrusted"):
            _, claims, _, _ = jose.split(token)
            if credential_from_claims(claims) != credential:
                return Verdict(
                    "forged", ["Nội dung tệp JSON khác với bản đã ký: tệp đã bị sửa."], serial=verdict.serial
                )
        return verdict
    return verify_jwt(text, trust, now)
