"""The trust store of one workspace: the issuer profiles an officer checked and accepted, and the newest status
list of each.

Layout (``<workspace>/.kynangso/trust``)::

    issuers.json        {"version": 1, "issuers": [{"profile": {...}, "source": folder | null, "added", "updated"}]}
    status/<tag>.jwt    the newest verified status list of each issuer (tag: sha256 of the issuer id)

An offer to trust is a file the officer was given: an ``issuer.json`` (alone, or in the issuer's certificates
folder, which then becomes where newer status lists are read), or a bundle a department publishes with the
profiles of several provinces (``KyNangSoTrustBundle``). Its checksum is printed, to compare over the phone.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kynangso import atomic
from kynangso.certify import jose
from kynangso.certify.status import STATUS_FILE, StatusList
from kynangso.certify.trust import (
    Issuer,
    Trust,
    TrustError,
    attach_registry,
    issuer_from_profile,
    newer,
    read_status,
    when,
)

ISSUERS_FILE = "issuers.json"
PROFILE_FILE = "issuer.json"
REGISTRY_FILE = "registry.sqlite"
BUNDLE_TYPE = "KyNangSoTrustBundle"


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def default_root(workspace: Path | None = None) -> Path:
    """``<workspace>/.kynangso/trust``: of ``--workspace`` or ``$KYNANGSO_WORKSPACE`` as given (a verifier's folder
    needs no lessons laid out in it), else of the workspace every command finds."""
    from kynangso.workspace import DATA_DIR_NAME, DEFAULT_WORKSPACE_ENV, find_workspace

    if workspace is None and os.environ.get(DEFAULT_WORKSPACE_ENV):
        workspace = Path(os.environ[DEFAULT_WORKSPACE_ENV])
    if workspace is not None:
        return workspace.expanduser().resolve() / DATA_DIR_NAME / "trust"
    return find_workspace().data / "trust"


def checksum_text(digest: str) -> str:
    """The first 16 hex digits of a SHA-256, grouped like a key fingerprint, to read over the phone."""
    return jose.fingerprint(bytes.fromhex(digest))


@dataclass
class Offer:
    """What a file offers to trust."""

    path: Path
    sha256: str
    profiles: list[dict[str, Any]]
    status_tokens: list[str] = field(default_factory=list)
    source: Path | None = None  # the issuer's folder, where newer status lists will be read
    publisher: str = ""

    @property
    def checksum(self) -> str:
        return checksum_text(self.sha256)


def read_offer(path: Path) -> Offer:
    """An issuer profile, an issuer's certificates folder, or a bundle; raises TrustError (Vietnamese)."""
    path = path.expanduser().resolve()
    if path.is_dir():
        path = path / PROFILE_FILE
    try:
        raw = path.read_bytes()
        data = json.loads(raw.decode("utf-8"))
    except FileNotFoundError:
        raise TrustError(f"{path}: không tìm thấy tệp hồ sơ đơn vị cấp.") from None
    except (UnicodeDecodeError, json.JSONDecodeError, OSError) as exc:
        raise TrustError(f"{path}: tệp hỏng, không đọc được ({exc}).") from None
    digest = hashlib.sha256(raw).hexdigest()
    if isinstance(data, dict) and data.get("type") == BUNDLE_TYPE:
        profiles, tokens = data.get("issuers"), data.get("statusLists", [])
        if not isinstance(profiles, list) or not profiles or not isinstance(tokens, list):
            raise TrustError(f"{path}: gói hồ sơ không có danh sách “issuers”.")
        return Offer(path, digest, profiles, [str(t) for t in tokens], None, str(data.get("publisher", "")))
    if not isinstance(data, dict):
        raise TrustError(f"{path}: không phải hồ sơ đơn vị cấp.")
    status = path.parent / STATUS_FILE
    tokens = [status.read_text(encoding="ascii", errors="replace")] if status.is_file() else []
    return Offer(path, digest, [data], tokens, path.parent)


def write_bundle(profile_files: list[Path], out: Path, publisher: str) -> Offer:
    """One file with several issuers' profiles (and their status lists when beside them), for a department to send."""
    profiles, tokens = [], []
    for f in profile_files:
        offer = read_offer(f)
        for profile in offer.profiles:
            issuer_from_profile(profile, str(offer.path))  # refuse to bundle what could not be trusted
        profiles += offer.profiles
        tokens += [t.strip() for t in offer.status_tokens]
    bundle = {
        "type": BUNDLE_TYPE,
        "version": 1,
        "publisher": publisher,
        "created": _now(),
        "issuers": profiles,
        "statusLists": tokens,
    }
    atomic.write_json(out, bundle, parents=True, indent=2)
    return read_offer(out)


@dataclass
class Entry:
    profile: dict[str, Any]
    source: str | None
    added: str
    updated: str

    @property
    def id(self) -> str:
        return str(self.profile["id"])


@dataclass
class Change:
    """What accepting one profile does: a new issuer, or new/removed keys of one already trusted."""

    issuer: Issuer
    previous: Entry | None
    added_kids: list[str]
    removed_kids: list[str]

    @property
    def changes_anything(self) -> bool:
        return self.previous is None or bool(self.added_kids or self.removed_kids)


class TrustStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def path(self) -> Path:
        return self.root / ISSUERS_FILE

    def status_path(self, issuer_id: str) -> Path:
        return self.root / "status" / f"{hashlib.sha256(issuer_id.encode('utf-8')).hexdigest()[:16]}.jwt"

    def entries(self) -> list[Entry]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return [Entry(e["profile"], e.get("source"), e["added"], e["updated"]) for e in data["issuers"]]
        except FileNotFoundError:
            return []
        except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError) as exc:
            raise TrustError(f"{self.path}: danh sách đơn vị tin cậy bị hỏng ({exc}).") from None

    def _save(self, entries: list[Entry]) -> None:
        data = {"version": 1, "issuers": [e.__dict__ for e in entries]}
        atomic.write_json(self.path, data, parents=True, indent=2)

    def preview(self, profile: dict[str, Any], where: str) -> Change:
        """What :meth:`add` would do; raises TrustError when the profile cannot be trusted here."""
        issuer = issuer_from_profile(profile, where)
        entries = self.entries()
        for other in entries:
            if other.id == issuer.id:
                continue
            shared = set(issuer.keys) & {str(k["kid"]) for k in other.profile["jwks"]["keys"]}
            if shared:
                name = other.profile.get("name", other.id)
                fp = jose.fingerprint(sorted(shared)[0])
                raise TrustError(
                    f"{where}: khóa {fp} đã thuộc về “{name}” ({other.id}); không tin cùng một khóa cho hai đơn vị."
                )
        previous = next((e for e in entries if e.id == issuer.id), None)
        before = {str(k["kid"]) for k in previous.profile["jwks"]["keys"]} if previous else set()
        return Change(issuer, previous, sorted(set(issuer.keys) - before), sorted(before - set(issuer.keys)))

    def add(self, profile: dict[str, Any], source: Path | None, where: str) -> Change:
        change = self.preview(profile, where)
        now = _now()
        entries = [e for e in self.entries() if e.id != change.issuer.id]
        previous = change.previous
        kept_source = str(source) if source else (previous.source if previous else None)
        entries.append(Entry(profile, kept_source, previous.added if previous else now, now))
        self._save(entries)
        return change

    def accept(self, offer: Offer) -> tuple[list[Change], list[str]]:
        """Trust every profile of ``offer`` and keep the status lists it carries; (changes, Vietnamese notes).
        All or nothing: every profile is checked, against the store and against each other, before any is added."""
        owners: dict[str, str] = {}
        for change in (self.preview(profile, str(offer.path)) for profile in offer.profiles):
            for kid in change.issuer.keys:
                if owners.setdefault(kid, change.issuer.id) != change.issuer.id:
                    raise TrustError(f"{offer.path}: hai hồ sơ trong tệp dùng chung khóa {jose.fingerprint(kid)}.")
        changes = [self.add(profile, offer.source, str(offer.path)) for profile in offer.profiles]
        notes = []
        for token in offer.status_tokens:
            try:
                issuer, status, kept = self.import_status(token, str(offer.path))
            except TrustError as exc:
                notes.append(f"Bỏ qua một danh sách thu hồi: {exc}")
                continue
            state = "đã nhập" if kept else "máy đã có bản này hoặc bản mới hơn"
            notes.append(f"Danh sách thu hồi của {issuer.name}, công bố lúc {when(status.published_at)}: {state}.")
        return changes, notes

    def remove(self, selector: str) -> Entry:
        """Remove by issuer id, by a key fingerprint, or by its number in ``kynangso trust list``."""
        entries = self.entries()
        wanted = selector.strip()
        plain = wanted.replace("-", "").replace(" ", "").upper()

        def matches(i: int, e: Entry) -> bool:
            if wanted == e.id or wanted == str(i + 1):
                return True
            fps = {jose.fingerprint(str(k["kid"])).replace("-", "") for k in e.profile["jwks"]["keys"]}
            return len(plain) >= 8 and any(fp.startswith(plain) for fp in fps)

        found = [e for i, e in enumerate(entries) if matches(i, e)]
        if len(found) != 1:
            what = "không có đơn vị nào" if not found else "có nhiều đơn vị"
            raise TrustError(
                f"{self.path}: {what} khớp với “{selector}” (dùng địa chỉ định danh hoặc dấu vân tay khóa)."
            )
        self._save([e for e in entries if e is not found[0]])
        self.status_path(found[0].id).unlink(missing_ok=True)
        return found[0]

    def import_status(self, token: str, where: str) -> tuple[Issuer, StatusList, bool]:
        """Keep ``token`` as its issuer's status list when it is genuine and newer; (issuer, list, kept?)."""
        token = token.strip()
        try:
            kid = str(jose.split(token)[0].get("kid"))
        except jose.JoseError:
            raise TrustError(f"{where}: không phải danh sách thu hồi (tệp status-list.jwt).") from None
        trust = self.load(refresh=False)
        issuer = trust.by_kid(kid)
        if issuer is None:
            raise TrustError(
                f"{where}: danh sách thu hồi được ký bằng khóa {jose.fingerprint(kid)} của một đơn vị chưa được tin cậy trên máy này."
            )
        status = read_status(token, issuer, where)
        if not newer(status, issuer.status):
            return issuer, status, False
        atomic.write_text(self.status_path(issuer.id), token + "\n", parents=True)
        return issuer, status, True

    def load(self, refresh: bool = True) -> Trust:
        """Every trusted issuer with its newest genuine status list (read again from its folder when it has one)."""
        trust = Trust()
        for entry in self.entries():
            issuer = issuer_from_profile(entry.profile, str(self.path))
            stored = self.status_path(entry.id)
            if stored.is_file():
                try:
                    issuer.status = read_status(
                        stored.read_text(encoding="ascii", errors="replace"), issuer, str(stored)
                    )
                    issuer.status_from = str(stored)
                except TrustError as exc:
                    issuer.status_notes.append(str(exc))
            if refresh and entry.source:
                self._refresh(issuer, Path(entry.source), stored)
            trust.issuers.append(issuer)
        return trust

    def _refresh(self, issuer: Issuer, folder: Path, stored: Path) -> None:
        path = folder / STATUS_FILE
        try:
            token = path.read_text(encoding="ascii", errors="replace").strip()
        except OSError:
            last = f"bản cập nhật lúc {when(issuer.status.published_at)}" if issuer.status else "chưa có bản nào"
            issuer.status_notes.append(f"Không đọc được danh sách thu hồi mới tại {folder}; máy này đang dùng {last}.")
            return
        try:
            status = read_status(token, issuer, str(path))
        except TrustError as exc:
            issuer.status_notes.append(str(exc))
            return
        if newer(status, issuer.status):
            atomic.write_text(stored, token + "\n", parents=True)
            issuer.status, issuer.status_from = status, str(path)
        if (folder / REGISTRY_FILE).is_file():
            attach_registry(issuer, folder / REGISTRY_FILE)
