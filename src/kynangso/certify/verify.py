"""Offline verification of a certificate: VC-JWT, decoded JSON, PDF, or a photo of its QR code.

Trust comes only from a folder the verifier already holds (``issuer.json`` with the issuer's public keys,
``status-list.jwt``, optionally ``registry.sqlite``), never from the certificate itself. The verdict is one of
valid / expired / revoked / forged / unverifiable, each with its reasons in Vietnamese.
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

from kynangso.certify import jose
from kynangso.certify.credential import credential_from_claims
from kynangso.certify.pdf import attached_jwts
from kynangso.certify.qr import QR_TYP, decode_image, jwt_digest
from kynangso.certify.registry import Record, Registry
from kynangso.certify.status import STATUS_FILE, StatusList
from kynangso.fronts import FRONTS, LEVELS, parse_exam_name

LABELS = {
    "valid": "HỢP LỆ",
    "expired": "HẾT HẠN",
    "revoked": "ĐÃ THU HỒI",
    "forged": "GIẢ MẠO",
    "unverifiable": "KHÔNG KIỂM TRA ĐƯỢC",
}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".bmp", ".gif", ".tif", ".tiff"}


class TrustError(RuntimeError):
    """The trusted issuer material is missing or damaged (Vietnamese message naming the file)."""


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
        ):
            if value:
                out.append(f"  {key}: {value}")
        out += [f"  Lưu ý: {n}" for n in self.notes]
        if self.ok:
            out.append("  Hãy đối chiếu họ tên, lĩnh vực và cấp độ in trên giấy với thông tin trên.")
        return out


@dataclass
class Trust:
    issuer_id: str
    issuer_name: str
    keys: dict[str, Any]  # kid -> RSA public key
    status: StatusList | None
    registry_problem: str | None = None
    records: dict[str, Record] = field(default_factory=dict)
    folder: Path | None = None


def load_trust(folder: Path) -> Trust:
    """Read and check the trusted material in ``folder``; raises TrustError when it cannot be trusted."""
    profile_path = folder / "issuer.json"
    try:
        profile = json.loads(profile_path.read_text(encoding="utf-8"))
        keys = {str(k["kid"]): jose.jwk_to_public_key(k) for k in profile["jwks"]["keys"]}
        issuer_id, issuer_name = str(profile["id"]), str(profile.get("name", profile["id"]))
    except FileNotFoundError:
        raise TrustError(f"{profile_path}: không có hồ sơ đơn vị cấp (khóa công khai) để đối chiếu.") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise TrustError(f"{profile_path}: hồ sơ đơn vị cấp bị hỏng ({exc}).") from None
    trust = Trust(issuer_id=issuer_id, issuer_name=issuer_name, keys=keys, status=None, folder=folder)
    status_path = folder / STATUS_FILE
    if status_path.is_file():
        try:
            header, claims, signing_input, signature = jose.split(status_path.read_text(encoding="ascii"))
            key = keys.get(str(header.get("kid")))
            if header.get("alg") != jose.ALG or key is None or not jose.verify_signature(signing_input, signature, key):
                raise TrustError(f"{status_path}: chữ ký của danh sách thu hồi không hợp lệ — tệp đã bị sửa.")
            if claims.get("issuer") != issuer_id:
                raise TrustError(f"{status_path}: danh sách thu hồi không phải của {issuer_name}.")
            trust.status = StatusList.from_claims(claims)
        except (jose.JoseError, UnicodeDecodeError, KeyError, ValueError, OSError) as exc:
            if isinstance(exc, TrustError):
                raise
            raise TrustError(f"{status_path}: danh sách thu hồi bị hỏng ({exc}).") from None
    registry_path = folder / "registry.sqlite"
    if registry_path.is_file():
        with Registry(registry_path) as registry:
            trust.registry_problem = registry.check_chain()
            head_ok = trust.status is None or registry.hash_at(trust.status.head_seq) == trust.status.head_hash
            if trust.registry_problem is None and trust.status is not None and trust.status.head_seq and not head_ok:
                trust.registry_problem = "chuỗi băm không khớp với bản đã công bố trong danh sách thu hồi"
            trust.records = registry.records()
    return trust


def _date(ts: int | str) -> str:
    if isinstance(ts, str):
        return datetime.fromisoformat(ts.replace("Z", "+00:00")).astimezone(UTC).strftime("%d/%m/%Y")
    return datetime.fromtimestamp(ts, UTC).strftime("%d/%m/%Y")


def _timestamp(value: str) -> int:
    return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp())


def _achievement_label(code: str) -> str:
    parsed = parse_exam_name(code)
    if not parsed:
        return code
    front, level = parsed
    return f"{FRONTS[front].name} — Cấp độ {level}: {LEVELS[level].name}"


def _check_signature(token: str, trust: Trust) -> tuple[Verdict | None, dict[str, Any], dict[str, Any]]:
    try:
        header, claims, signing_input, signature = jose.split(token)
    except jose.JoseError:
        return Verdict("forged", ["Mã chứng nhận bị hỏng hoặc đã bị sửa: không đọc được cấu trúc JWT."]), {}, {}
    if header.get("alg") != jose.ALG:
        return Verdict("forged", [f"Thuật toán ký “{header.get('alg')}” không được chấp nhận (chỉ RS256)."]), {}, {}
    key = trust.keys.get(str(header.get("kid")))
    if key is None:
        return Verdict("forged", [f"Được ký bằng một khóa không thuộc {trust.issuer_name}."]), {}, {}
    if not jose.verify_signature(signing_input, signature, key):
        return Verdict("forged", ["Chữ ký số không khớp với nội dung: chứng nhận đã bị sửa hoặc bị làm giả."]), {}, {}
    return None, header, claims


def _finish(v: Verdict, trust: Trust, serial: str, index: int, nbf: int, exp: int | None, now: datetime) -> Verdict:
    """Status, registry and time checks shared by credentials and QR tokens."""
    if trust.registry_problem:
        v.status = "unverifiable"
        v.reasons.append(f"Sổ đăng ký chứng nhận bị sửa: {trust.registry_problem}.")
        return v
    if trust.status is None:
        v.status = "unverifiable"
        v.reasons.append("Không có danh sách thu hồi (status-list.jwt) để biết chứng nhận còn hiệu lực hay không.")
        return v
    if trust.status.is_revoked(index):
        v.status = "revoked"
        info = trust.status.revoked.get(serial, {})
        v.reasons.append(f"{trust.issuer_name} đã thu hồi chứng nhận này. Lý do: {info.get('reason') or 'không ghi'}.")
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
    if serial in trust.status.superseded:
        v.notes.append(f"Người này đã được cấp chứng nhận cấp cao hơn, số hiệu {trust.status.superseded[serial]}.")
    v.status = "valid"
    v.reasons.append(f"Chữ ký số đúng của {trust.issuer_name}; chứng nhận chưa bị thu hồi và còn hạn.")
    return v


def verify_jwt(token: str, trust: Trust, now: datetime | None = None) -> Verdict:
    """Verify a VC-JWT credential or a QR token."""
    now = now or datetime.now(UTC)
    bad, header, claims = _check_signature(token, trust)
    if bad is not None:
        return bad
    if header.get("typ") == QR_TYP:
        return _verify_qr_claims(claims, trust, now)
    try:
        credential = credential_from_claims(claims)
        issuer = credential["issuer"]
        subject = credential["credentialSubject"]
        achievement = subject["achievement"]
        serial = str(credential["id"]).rsplit("/", 1)[-1]
        consistent = (
            claims["iss"] == issuer["id"] == trust.issuer_id
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
        issuer=str(issuer.get("name", "")),
        valid_from=_date(str(credential["validFrom"])),
        valid_until=_date(str(credential["validUntil"])) if "validUntil" in credential else "",
    )
    if trust.status is not None and status_list != trust.status.id:
        v.status = "unverifiable"
        v.reasons.append("Chứng nhận trỏ tới một danh sách thu hồi khác với danh sách đang có.")
        return v
    return _finish(v, trust, serial, index, int(claims["nbf"]), claims.get("exp"), now)


def _verify_qr_claims(claims: dict[str, Any], trust: Trust, now: datetime) -> Verdict:
    try:
        serial, name, code = str(claims["s"]), str(claims["n"]), str(claims["c"])
        index, nbf, exp, digest = int(claims["i"]), int(claims["nbf"]), int(claims["exp"]), str(claims["h"])
    except (KeyError, TypeError, ValueError):
        return Verdict("forged", ["Mã QR thiếu thông tin bắt buộc."])
    v = Verdict(
        "valid",
        serial=serial,
        name=name,
        achievement=_achievement_label(code),
        issuer=trust.issuer_name,
        valid_from=_date(nbf),
        valid_until=_date(exp),
    )
    record = trust.records.get(serial)
    if record is not None and jwt_digest(record.jwt) != digest:
        return Verdict("forged", ["Mã QR không khớp với chứng nhận đã ghi trong sổ đăng ký."], serial=serial)
    return _finish(v, trust, serial, index, nbf, exp, now)


def _jwt_for_json(path: Path, credential: dict[str, Any], trust: Trust) -> str | None:
    serial = str(credential.get("id", "")).rsplit("/", 1)[-1]
    sibling = path.with_suffix(".jwt")
    if sibling.is_file():
        return sibling.read_text(encoding="ascii", errors="replace").strip()
    record = trust.records.get(serial)
    return record.jwt if record else None


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


def verify_file(path: Path, trust: Trust, now: datetime | None = None) -> Verdict:
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
        if verdict.status != "forged":
            _, claims, _, _ = jose.split(token)
            if credential_from_claims(claims) != credential:
                return Verdict(
                    "forged", ["Nội dung tệp JSON khác với bản đã ký: tệp đã bị sửa."], serial=verdict.serial
                )
        return verdict
    return verify_jwt(text, trust, now)
