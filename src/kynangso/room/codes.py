"""Sign-in codes: short per-learner codes, stored only as salted scrypt hashes, and a throttle on wrong codes.

A code is shown once, when it is made (on the printed login card); the file keeps only ``salt`` and ``hash``.
Printing cards again therefore issues new codes, and the old card stops working (see docs/exam-room.md).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kynangso import atomic
from kynangso.room import ROOM_DIR
from kynangso.versions import VersionKeyConflict, schema_version

CODES_FILE = "codes.json"
FORMAT = 1
LEARNER_DIGITS = 6
TRAINER_DIGITS = 8
# scrypt cost: ~30 ms per check here, slow enough to make a stolen file costly, fast enough for 30 sign-ins.
SCRYPT = {"n": 2**14, "r": 8, "p": 1}
TRAINER = "__giam_thi__"


class CodesError(RuntimeError):
    """A problem with the codes file, explained in Vietnamese (names the file and the key)."""


def codes_path(course: Path) -> Path:
    return course / ROOM_DIR / CODES_FILE


def new_code(digits: int) -> str:
    return "".join(secrets.choice("0123456789") for _ in range(digits))


def normalize(code: str) -> str:
    """What the learner typed, without spaces or dashes (cards print codes in groups of three)."""
    return "".join(ch for ch in str(code) if ch.isdigit())


def _hash(code: str, salt: bytes) -> bytes:
    return hashlib.scrypt(normalize(code).encode(), salt=salt, dklen=32, maxmem=64 * 1024 * 1024, **SCRYPT)


def _entry(code: str) -> dict[str, Any]:
    salt = secrets.token_bytes(16)
    return {
        "salt": salt.hex(),
        "hash": _hash(code, salt).hex(),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def learner_key(typed: str) -> str:
    """The learner id as the roster writes it, from what a phone keyboard gave: capitals, spaces, diacritics and
    stray punctuation do not matter ("Nguyễn Thị Hằng 1990" → "nguyen-thi-hang-1990")."""
    from kynangso.course.roster import slug

    return slug(str(typed))


def group(code: str) -> str:
    return " ".join(code[i : i + 3] for i in range(0, len(code), 3))


class CodeBook:
    """The codes file of one course: ``{"schema_version": 1, "kdf": {...}, "learners": {id: entry}, "trainer": …}``
    (files written before read with their old key ``format``)."""

    def __init__(self, course: Path):
        self.path = codes_path(course)
        self.data: dict[str, Any] = {"schema_version": FORMAT, "kdf": {"name": "scrypt", **SCRYPT}, "learners": {}}
        if self.path.exists():
            self._load()

    def _load(self) -> None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CodesError(f"{self.path}: không đọc được tệp mã dự thi ({exc})") from None
        try:
            version = schema_version(data, "format", None) if isinstance(data, dict) else None
        except VersionKeyConflict as exc:
            raise CodesError(f"{self.path}: {exc}") from None
        if version != FORMAT:
            raise CodesError(f"{self.path}: schema_version: cần giá trị {FORMAT}")
        data.pop("format", None)
        data["schema_version"] = FORMAT
        learners = data.get("learners")
        if not isinstance(learners, dict):
            raise CodesError(f"{self.path}: learners: cần một bảng mã học viên → mã đã băm")
        for key, entry in [*learners.items(), *([(TRAINER, data["trainer"])] if "trainer" in data else [])]:
            if not (
                isinstance(entry, dict) and isinstance(entry.get("salt"), str) and isinstance(entry.get("hash"), str)
            ):
                where = "trainer" if key == TRAINER else f"learners.{key}"
                raise CodesError(f"{self.path}: {where}: cần hai khóa 'salt' và 'hash'")
        self.data = data

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if os.name != "nt":
            os.chmod(self.path.parent, 0o700)
        atomic.write_json(self.path, self.data, mode=0o600, sort_keys=True)

    @property
    def learners(self) -> set[str]:
        return set(self.data["learners"])

    def has_trainer(self) -> bool:
        return "trainer" in self.data

    def issue(self, learners: list[str]) -> dict[str, str]:
        """New codes for these learners (replacing any earlier code); returns them in clear, once."""
        made = {}
        for learner in learners:
            code = new_code(LEARNER_DIGITS)
            self.data["learners"][learner] = _entry(code)
            made[learner] = code
        return made

    def issue_trainer(self) -> str:
        code = new_code(TRAINER_DIGITS)
        self.data["trainer"] = _entry(code)
        return code

    def check(self, learner: str, code: str) -> bool:
        entry = self.data["trainer"] if learner == TRAINER else self.data["learners"].get(learner)
        if entry is None:
            # Spend the same time as a real check, so timing does not tell which learner ids exist.
            _hash(code, b"0" * 16)
            return False
        return hmac.compare_digest(_hash(code, bytes.fromhex(entry["salt"])), bytes.fromhex(entry["hash"]))

    def check_trainer(self, code: str) -> bool:
        return self.has_trainer() and self.check(TRAINER, code)


@dataclass
class _Failures:
    count: int = 0
    until: float = 0.0
    last: float = 0.0


@dataclass
class Throttle:
    """Wrong codes slow sign-in down, per learner id and per client address.

    After ``free`` wrong codes in a row, each further attempt must wait ``base * 2**k`` seconds (capped at
    ``cap``) before it is even checked. A right code clears the learner's count only: a client cannot reset its
    own count by signing in as itself between guesses; a client's count is forgotten after ``forget`` seconds
    without a wrong code. ``wait()`` says how long is left.
    """

    free: int = 3
    base: float = 2.0
    cap: float = 300.0
    forget: float = 900.0
    clock: Any = time.monotonic
    _seen: dict[str, _Failures] = field(default_factory=dict)

    def wait(self, *keys: str) -> float:
        now = self.clock()
        return max([0.0, *(self._seen[k].until - now for k in keys if k in self._seen)])

    def failed(self, *keys: str) -> float:
        now = self.clock()
        longest = 0.0
        for key in keys:
            f = self._seen.setdefault(key, _Failures())
            if now - f.last > self.forget:
                f.count = 0
            f.count += 1
            f.last = now
            if f.count >= self.free:
                delay = min(self.cap, self.base * 2 ** (f.count - self.free))
                f.until = now + delay
                longest = max(longest, delay)
        return longest

    def succeeded(self, learner_key: str) -> None:
        self._seen.pop(learner_key, None)
