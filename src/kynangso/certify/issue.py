"""``kynangso certify``: issue a credential to every learner who reached a level, once, and publish the status.

Order of work, chosen so that a crash at any point is repaired by re-running: (1) decide and sign, (2) record in
the registry in ONE transaction, (3) write the files of every active credential that lacks them (PKCS#1 v1.5
and Ed25519 signatures are deterministic, so a re-written file is byte for byte the one a crash interrupted),
(4) publish the issuer profile and the status list.
"""

from __future__ import annotations

import json
import os
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from kynangso import atomic
from kynangso.certify import compact, jose
from kynangso.certify.credential import (
    LEVEL_MEANING,
    QD757,
    CredentialError,
    build_credential,
    check_name,
    credential_from_claims,
    new_serial,
    sign_credential,
)
from kynangso.certify.keys import KeyStore
from kynangso.certify.levels import Assessment, assess
from kynangso.certify.pdf import CertificateText, render
from kynangso.certify.policy import Policy
from kynangso.certify.registry import Record, Registry, now_iso
from kynangso.certify.status import STATUS_FILE, build_status_credential, list_id, sign_status
from kynangso.fronts import FRONTS, LEVELS

REGISTRY_FILE = "registry.sqlite"
PROFILE_FILE = "issuer.json"
PARALLEL_FROM = 200  # below this, starting worker processes costs more than it saves


@dataclass
class CertifyReport:
    issued: list[Record] = field(default_factory=list)
    superseded: list[tuple[str, str]] = field(default_factory=list)  # (old serial, new serial)
    skipped: list[str] = field(default_factory=list)  # Vietnamese notes
    repaired: list[str] = field(default_factory=list)  # serials whose files were (re)written


def certificate_text(policy: Policy, record: Record) -> CertificateText:
    def ts(value: str) -> datetime:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))

    return CertificateText(
        serial=record.serial,
        name=unicodedata.normalize("NFC", record.name),
        front_name=FRONTS[record.front].name,
        level=record.level,
        level_name=LEVELS[record.level].name,
        level_meaning=LEVEL_MEANING[record.level],
        alignment=f"Đối chiếu: {QD757['targetName']} · {LEVELS[record.level].digcomp}",
        issuer_name=policy.issuer.name,
        province=policy.issuer.province,
        signer_title=policy.issuer.signer_title,
        signer_name=policy.issuer.signer_name,
        valid_from=ts(record.valid_from),
        valid_until=ts(record.valid_until),
    )


@dataclass(frozen=True)
class QrSigner:
    kid: str
    key: ed25519.Ed25519PrivateKey

    @classmethod
    def of(cls, store: KeyStore) -> QrSigner:
        return cls(*store.qr_signing_key())


def qr_text(record: Record, qr: QrSigner) -> str:
    """The text of the certificate's QR code: the compact token of its credential."""
    credential = credential_from_claims(jose.split(record.jwt)[1])
    return compact.encode(compact.claims_of(credential, record.serial, record.jwt, record.name), qr.key, qr.kid)


def certificate_files(policy: Policy, record: Record, qr: QrSigner) -> dict[str, bytes]:
    """The three files of one credential: ``.jwt``, ``.json`` (decoded credential) and ``.pdf`` with its QR."""
    _, claims, _, _ = jose.split(record.jwt)
    credential = credential_from_claims(claims)
    token = qr_text(record, qr)
    return {
        ".jwt": (record.jwt + "\n").encode("ascii"),
        ".json": (json.dumps(credential, ensure_ascii=False, indent=2) + "\n").encode("utf-8"),
        ".pdf": render(certificate_text(policy, record), record.jwt, token),
    }


def write_certificate(out_dir: Path, policy: Policy, record: Record, qr: QrSigner) -> None:
    for suffix, data in certificate_files(policy, record, qr).items():
        atomic.write_bytes(out_dir / f"{record.serial}{suffix}", data)


@dataclass(frozen=True)
class Plan:
    """A credential decided on but not yet signed."""

    learner: str
    name: str
    front: str
    level: int
    serial: str
    status_index: int
    issued_at: datetime


def new_record(policy: Policy, key: rsa.RSAPrivateKey, kid: str, plan: Plan) -> Record:
    credential = build_credential(
        policy,
        serial=plan.serial,
        learner=plan.learner,
        name=plan.name,
        front=plan.front,
        level=plan.level,
        issued_at=plan.issued_at,
        status_index=plan.status_index,
        status_list_id=list_id(policy.issuer.url),
    )
    return Record(
        serial=plan.serial,
        learner=plan.learner,
        name=credential["credentialSubject"]["identifier"][0]["identityHash"],
        front=plan.front,
        level=plan.level,
        status_index=plan.status_index,
        valid_from=credential["validFrom"],
        valid_until=credential["validUntil"],
        jwt=sign_credential(credential, key, kid),
    )


def unique_serial(taken: set[str]) -> str:
    serial = new_serial()
    while serial in taken:  # 31^7 serials: a collision is rare, but two certificates must never share one
        serial = new_serial()
    taken.add(serial)
    return serial


def issue_event(record: Record) -> tuple[str, str, dict[str, Any]]:
    return (
        "issue",
        record.serial,
        {
            "learner": record.learner,
            "name": record.name,
            "front": record.front,
            "level": record.level,
            "status_index": record.status_index,
            "valid_from": record.valid_from,
            "valid_until": record.valid_until,
            "jwt": record.jwt,
        },
    )


def publish(out_dir: Path, policy: Policy, store: KeyStore, registry: Registry) -> Path:
    """Write the public issuer profile and the signed status list beside the certificates."""
    kid, key = store.signing_key()
    store.write_profile(policy.issuer, out_dir / PROFILE_FILE)
    status = build_status_credential(policy.issuer.url, registry.records(), registry.head(), now_iso())
    path = out_dir / STATUS_FILE
    atomic.write_bytes(path, (sign_status(status, key, kid) + "\n").encode("ascii"))
    return path


def certify(
    gradebook_url: str,
    policy: Policy,
    store: KeyStore,
    out_dir: Path,
    now: datetime | None = None,
    workers: int | None = None,
    course: Path | None = None,
) -> CertifyReport:
    """Issue a certificate to every learner whose level (from the gradebook) is not yet certified."""
    store.signing_key()  # no key, no point reading the gradebook: say so first
    return issue(assess(gradebook_url, policy, course), policy, store, out_dir, now=now, workers=workers)


def issue(
    assessments: list[Assessment],
    policy: Policy,
    store: KeyStore,
    out_dir: Path,
    now: datetime | None = None,
    workers: int | None = None,
) -> CertifyReport:
    """Decide, sign and record the new credentials of ``assessments``, then write every missing file."""
    out_dir.mkdir(parents=True, exist_ok=True)
    store.signing_key()
    store.qr_signing_key()  # here, before any worker starts: an older keys folder gets its QR key exactly once
    now = now or datetime.now(UTC)
    report = CertifyReport()
    with Registry(out_dir / REGISTRY_FILE) as registry:
        records = registry.records()
        held: dict[tuple[str, str], list[Record]] = defaultdict(list)
        for r in records.values():
            held[(r.learner, r.front)].append(r)
        taken = set(records)
        index = registry.next_status_index()
        plans: list[Plan] = []
        supersedes: dict[str, list[str]] = {}  # new serial -> older serials it supersedes
        for a in assessments:
            if not a.level:
                continue
            mine = held[(a.learner, a.front)]
            if any(r.level >= a.level and r.status != "revoked" for r in mine):
                continue  # already holds this level or a higher one: nothing to issue twice
            revoked = [r for r in mine if r.level == a.level and r.status == "revoked"]
            if revoked:
                report.skipped.append(
                    f"{a.learner}: chứng nhận {revoked[0].serial} ({a.front}-{a.level}) đã bị thu hồi; không tự cấp lại."
                )
                continue
            try:
                name = check_name(a.learner, a.name)
            except CredentialError as exc:  # one bad name must not stop everyone else's certificates
                report.skipped.append(str(exc))
                continue
            plan = Plan(a.learner, name, a.front, a.level, unique_serial(taken), index, now)
            index += 1
            plans.append(plan)
            supersedes[plan.serial] = [o.serial for o in mine if o.status == "active" and o.level < a.level]
        with _Pool(out_dir, policy, store, workers, len(plans)) as pool:
            report.issued = pool.sign(plans)
            events: list[tuple[str, str, dict[str, Any]]] = []
            for record in report.issued:
                events.append(issue_event(record))
                for old in supersedes[record.serial]:
                    events.append(("supersede", old, {"by": record.serial}))
                    report.superseded.append((old, record.serial))
            if events:
                registry.append(events)  # ONE transaction, before any file is written
            missing = [
                r
                for r in registry.records().values()
                if not all((out_dir / f"{r.serial}{s}").exists() for s in (".jwt", ".json", ".pdf"))
            ]
            pool.write(missing)
        report.repaired = [r.serial for r in missing]
        publish(out_dir, policy, store, registry)
    return report


_WORKER: dict[str, Any] = {}


def _worker_init(out_dir: Path, policy: Policy, keys_root: Path) -> None:
    store = KeyStore(keys_root)
    kid, key = store.signing_key()
    _WORKER.update(out_dir=out_dir, policy=policy, kid=kid, key=key, qr=QrSigner.of(store))


def _worker_sign(plans: list[Plan]) -> list[Record]:
    return [new_record(_WORKER["policy"], _WORKER["key"], _WORKER["kid"], plan) for plan in plans]


def _worker_write(records: list[Record]) -> int:
    for record in records:
        write_certificate(_WORKER["out_dir"], _WORKER["policy"], record, _WORKER["qr"])
    return len(records)


class _Pool:
    """Signing and file writing, shared out to one process per core when there are many certificates."""

    def __init__(self, out_dir: Path, policy: Policy, store: KeyStore, workers: int | None, size: int) -> None:
        self.workers = workers or os.cpu_count() or 1
        self.args = (out_dir, policy, store.root)
        self.parallel = self.workers > 1 and size >= PARALLEL_FROM
        self.executor: Any = None

    def __enter__(self) -> _Pool:
        _worker_init(*self.args)  # this process works too when the job is small
        if self.parallel:
            from concurrent.futures import ProcessPoolExecutor

            self.executor = ProcessPoolExecutor(self.workers, initializer=_worker_init, initargs=self.args)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.executor is not None:
            self.executor.shutdown()

    def _batches(self, items: list[Any]) -> list[list[Any]]:
        chunk = max(1, min(250, len(items) // (self.workers * 4)))
        return [items[i : i + chunk] for i in range(0, len(items), chunk)]

    def sign(self, plans: list[Plan]) -> list[Record]:
        if self.executor is None or len(plans) < PARALLEL_FROM:
            return _worker_sign(plans)
        return [record for batch in self.executor.map(_worker_sign, self._batches(plans)) for record in batch]

    def write(self, records: list[Record]) -> None:
        if self.executor is None or len(records) < PARALLEL_FROM:
            _worker_write(records)
            return
        done = sum(self.executor.map(_worker_write, self._batches(records)))
        if done != len(records):
            raise RuntimeError(f"wrote {done} of {len(records)} certificates")


def revoke(out_dir: Path, policy: Policy, store: KeyStore, serial: str, reason: str) -> Record:
    """Record a revocation and republish the status list. Raises LookupError / ValueError (Vietnamese)."""
    reason = unicodedata.normalize("NFC", reason).strip()
    if not reason:
        raise ValueError("Cần ghi lý do thu hồi (--reason).")
    path = out_dir / REGISTRY_FILE
    if not path.is_file():
        raise LookupError(f"{path}: chưa có sổ đăng ký chứng nhận ở thư mục này.")
    with Registry(path) as registry:
        broken = registry.check_chain()
        if broken:
            raise ValueError(f"{path}: sổ đăng ký bị sửa ({broken}); không ghi thêm vào một sổ đã hỏng.")
        record = registry.records().get(serial)
        if record is None:
            raise LookupError(f"{path}: không có chứng nhận số hiệu “{serial}”.")
        if record.status == "revoked":
            return record  # idempotent: revoking twice records nothing new
        registry.append([("revoke", serial, {"reason": reason})])
        publish(out_dir, policy, store, registry)
        return registry.records()[serial]
