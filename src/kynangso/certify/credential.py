"""Open Badges 3.0 OpenBadgeCredentials (W3C VC 2.0 data model) and their VC-JWT form (RS256).

The JWT payload is the credential itself plus the registered claims OB 3.0 asks for: ``iss`` (issuer id),
``jti`` (credential id), ``sub`` (subject id), ``nbf`` (validFrom) and ``exp`` (validUntil).
"""

from __future__ import annotations

import re
import secrets
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric import rsa

from kynangso.certify import compact, jose
from kynangso.certify.charset import printable
from kynangso.certify.keys import OB_CONTEXT
from kynangso.certify.policy import Policy
from kynangso.fronts import FRONTS, LEVELS, exam_name

# Serial numbers are read aloud over the phone and typed by commune officers: no 0/O, 1/I/L, no lower case.
SERIAL_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
SERIAL_RE = re.compile(rf"^KNS-[{SERIAL_ALPHABET}]{{4}}-[{SERIAL_ALPHABET}]{{4}}$")
# A national ID (CMND 9 digits, CCCD 12 digits) must never be printed or signed on a certificate.
NATIONAL_ID_RE = re.compile(r"(?<!\d)(\d{9}|\d{12})(?!\d)")

QD757 = {
    "type": ["Alignment"],
    "targetName": "Khung kiến thức, kỹ năng số cơ bản (QĐ 757/QĐ-BKHCN, 29/04/2025)",
    "targetUrl": "urn:vn:qd:757-qd-bkhcn:2025",
    "targetFramework": "QĐ 757/QĐ-BKHCN",
    "targetDescription": "Khung kiến thức, kỹ năng số cơ bản v1.0 của Bộ Khoa học và Công nghệ, dành cho người dân.",
}
DIGCOMP_URL = "https://publications.jrc.ec.europa.eu/repository/handle/JRC128415"
FRONT_SKILLS = {
    "gov": "dùng dịch vụ công trực tuyến, tài khoản định danh điện tử VNeID và phản ánh hiện trường",
    "econ": "bán hàng trên sàn thương mại điện tử, thanh toán không dùng tiền mặt và giao dịch an toàn",
    "society": "dùng ứng dụng y tế, bảo hiểm xã hội, nhận diện lừa đảo trực tuyến và giữ an toàn thông tin",
}
LEVEL_MEANING = {
    1: "làm được các việc thường gặp khi có người hướng dẫn",
    2: "tự làm được các việc rõ ràng, không cần người hướng dẫn",
    3: "hướng dẫn lại được bà con tự làm trên điện thoại của chính họ",
}


class CredentialError(ValueError):
    """A credential that must not be issued (Vietnamese message)."""


def check_serial(serial: str) -> bool:
    """True when the serial is well formed and its last character is the right check character."""
    if not SERIAL_RE.match(serial):
        return False
    body = serial.replace("KNS-", "").replace("-", "")
    return _check_char(body[:-1]) == body[-1]


def _check_char(body: str) -> str:
    # Weighted sum modulo a prime alphabet size catches every single-character typo and adjacent swap.
    total = sum((i + 1) * SERIAL_ALPHABET.index(c) for i, c in enumerate(body))
    return SERIAL_ALPHABET[total % len(SERIAL_ALPHABET)]


def new_serial() -> str:
    body = "".join(secrets.choice(SERIAL_ALPHABET) for _ in range(7))
    body += _check_char(body)
    return f"KNS-{body[:4]}-{body[4:]}"


def iso(ts: datetime) -> str:
    return ts.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def add_years(ts: datetime, years: int) -> datetime:
    try:
        return ts.replace(year=ts.year + years)
    except ValueError:  # 29 February
        return ts.replace(year=ts.year + years, day=28)


def subject_id(issuer_url: str, learner: str) -> str:
    """A stable, opaque subject id: no name, birth year or ID number leaks from the learner id."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{issuer_url}/learners/{learner}')}"


def achievement_name(front: str, level: int) -> str:
    return f"Kỹ năng số — {FRONTS[front].name} — Cấp độ {level}: {LEVELS[level].name}"


def criteria_narrative(policy: Policy, front: str, level: int) -> str:
    rule = policy.levels[level]
    parts = [
        f"Đạt từ {rule.min_percent:g}% tổng điểm bài thi “{exam_name(front, level)}” "
        f"({FRONTS[front].name}, cấp độ {LEVELS[level].name}) của chương trình Kỹ Năng Số"
    ]
    if rule.require_practical:
        parts.append(f"hoàn thành bài thực hành trên mô phỏng, đạt từ {rule.practical_pass_percent:g}% điểm phần này")
    if rule.require_open:
        parts.append(
            f"trả lời câu hỏi mở về cách hướng dẫn lại bà con, được giảng viên chấm đạt từ {rule.open_pass_percent:g}%"
        )
    return "; ".join(parts) + "."


def achievement(policy: Policy, front: str, level: int, issuer: dict[str, Any]) -> dict[str, Any]:
    digcomp = LEVELS[level].digcomp
    return {
        "id": f"{policy.issuer.url}/achievements/{exam_name(front, level)}",
        "type": ["Achievement"],
        "achievementType": "Certificate",
        "name": achievement_name(front, level),
        "description": (
            f"Người được chứng nhận {LEVEL_MEANING[level]} trong lĩnh vực {FRONTS[front].name.lower()}: "
            f"{FRONT_SKILLS[front]}."
        ),
        "criteria": {"narrative": criteria_narrative(policy, front, level)},
        "alignment": [
            QD757,
            {
                "type": ["Alignment"],
                "targetName": digcomp,
                "targetUrl": DIGCOMP_URL,
                "targetFramework": "DigComp 2.2",
                "targetDescription": f"Khung năng lực số châu Âu DigComp 2.2, mức {digcomp.split(' ', 2)[2]}.",
            },
        ],
        "humanCode": exam_name(front, level),
        "inLanguage": "vi",
        "creator": issuer,
    }


@dataclass(frozen=True)
class Issued:
    serial: str
    credential: dict[str, Any]
    jwt: str


def check_name(learner: str, name: str) -> str:
    """The name as it will be printed (NFC); raises CredentialError when it must not be printed."""
    name = unicodedata.normalize("NFC", name).strip()
    if NATIONAL_ID_RE.search(name):
        raise CredentialError(
            f"Học viên “{learner}”: tên có dãy số giống số CCCD/CMND; không in số định danh lên chứng nhận."
        )
    if not name or not printable(name):
        raise CredentialError(f"Học viên “{learner}”: tên “{name}” trống hoặc có ký tự không in được lên chứng nhận.")
    if not compact.fits(name):
        raise CredentialError(
            f"Học viên “{learner}”: tên “{name}” quá dài để mã QR trên giấy còn dễ đọc; hãy viết gọn."
        )
    return name


def build_credential(
    policy: Policy,
    *,
    serial: str,
    learner: str,
    name: str,
    front: str,
    level: int,
    issued_at: datetime,
    status_index: int,
    status_list_id: str,
) -> dict[str, Any]:
    name = check_name(learner, name)
    valid_from = issued_at.astimezone(UTC).replace(microsecond=0)
    issuer = {
        "id": policy.issuer.url,
        "type": ["Profile"],
        "name": policy.issuer.name,
        "url": policy.issuer.url,
        "address": {"type": ["Address"], "addressRegion": policy.issuer.province, "addressCountry": "Việt Nam"},
    }
    credential: dict[str, Any] = {
        "@context": list(OB_CONTEXT),
        "id": f"{policy.issuer.url}/credentials/{serial}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"Chứng nhận {achievement_name(front, level)}",
        "issuer": issuer,
        "validFrom": iso(valid_from),
        "validUntil": iso(add_years(valid_from, policy.validity_years)),
        "credentialSubject": {
            "id": subject_id(policy.issuer.url, learner),
            "type": ["AchievementSubject"],
            "identifier": [{"type": "IdentityObject", "identityHash": name, "identityType": "name", "hashed": False}],
            "achievement": achievement(policy, front, level, issuer),
        },
        "credentialStatus": {
            "id": f"{status_list_id}#{status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(status_index),
            "statusListCredential": status_list_id,
        },
    }
    return credential


def jwt_claims(credential: dict[str, Any]) -> dict[str, Any]:
    def ts(value: str) -> int:
        return int(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp())

    claims = {
        **credential,
        "iss": credential["issuer"]["id"],
        "jti": credential["id"],
        "sub": credential["credentialSubject"]["id"],
        "nbf": ts(credential["validFrom"]),
    }
    if "validUntil" in credential:
        claims["exp"] = ts(credential["validUntil"])
    return claims


REGISTERED_CLAIMS = ("iss", "jti", "sub", "nbf", "exp", "iat")


def credential_from_claims(claims: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in claims.items() if k not in REGISTERED_CLAIMS}


def sign_credential(credential: dict[str, Any], key: rsa.RSAPrivateKey, kid: str) -> str:
    return jose.sign(jwt_claims(credential), key, kid)
