"""The append-only certificate registry: one SQLite table of events, each row hashing the one before it.

Events are ``issue`` (a new credential), ``supersede`` (a higher level replaced it) and ``revoke``. Nothing is
ever updated or deleted (SQLite triggers refuse it); the state of a credential is derived from its events.
``hash = sha256(prev_hash | seq | at | kind | serial | data)``, so editing, inserting or deleting any row breaks
the chain from that row on; the signed status list also carries the head of the chain (see ``status.py``), so
even a full rewrite of the chain is detected.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

GENESIS = "0" * 64
KINDS = ("issue", "supersede", "revoke")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('issue', 'supersede', 'revoke')),
    serial TEXT NOT NULL,
    data TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_serial ON events (serial);
CREATE TRIGGER IF NOT EXISTS events_no_update BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'registry is append-only'); END;
CREATE TRIGGER IF NOT EXISTS events_no_delete BEFORE DELETE ON events
    BEGIN SELECT RAISE(ABORT, 'registry is append-only'); END;
"""


class RegistryError(RuntimeError):
    """A registry that cannot be used (Vietnamese message naming the file)."""


@dataclass
class Record:
    """The current state of one credential, derived from its events."""

    serial: str
    learner: str
    name: str
    front: str
    level: int
    status_index: int
    valid_from: str
    valid_until: str
    jwt: str
    status: str = "active"  # active | superseded | revoked
    superseded_by: str | None = None
    revoked_reason: str | None = None
    revoked_at: str | None = None


def _canonical(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def row_hash(prev_hash: str, seq: int, at: str, kind: str, serial: str, data: str) -> str:
    text = "|".join((prev_hash, str(seq), at, kind, serial, data))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class Registry:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(self.path)
            self.db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise RegistryError(f"{self.path}: không mở được sổ đăng ký chứng nhận ({exc}).") from None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Registry:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def head(self) -> tuple[int, str]:
        row = self.db.execute("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1").fetchone()
        return (int(row[0]), str(row[1])) if row else (0, GENESIS)

    def append(self, events: Iterable[tuple[str, str, dict[str, Any]]], at: str | None = None) -> int:
        """Append (kind, serial, data) events in ONE transaction; returns the new head seq."""
        at = at or now_iso()
        with self.db:  # one transaction: a crash leaves either all of these events or none
            seq, prev = self.head()
            for kind, serial, data in events:
                if kind not in KINDS:
                    raise ValueError(kind)
                seq += 1
                text = _canonical(data)
                digest = row_hash(prev, seq, at, kind, serial, text)
                self.db.execute(
                    "INSERT INTO events (seq, at, kind, serial, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (seq, at, kind, serial, text, prev, digest),
                )
                prev = digest
        return seq

    def check_chain(self) -> str | None:
        """None when every row hashes its predecessor; else a Vietnamese description of the first broken row."""
        prev = GENESIS
        rows = self.db.execute("SELECT seq, at, kind, serial, data, prev_hash, hash FROM events ORDER BY seq")
        for expected_seq, (seq, at, kind, serial, data, prev_hash, digest) in enumerate(rows, start=1):
            if seq != expected_seq:
                return f"thiếu dòng số {expected_seq} (có ai đó đã xóa dòng)"
            if prev_hash != prev or row_hash(prev, seq, at, kind, serial, data) != digest:
                return f"dòng số {seq} ({kind} {serial}) đã bị sửa"
            prev = digest
        return None

    def hash_at(self, seq: int) -> str | None:
        row = self.db.execute("SELECT hash FROM events WHERE seq = ?", (seq,)).fetchone()
        return str(row[0]) if row else None

    def records(self) -> dict[str, Record]:
        out: dict[str, Record] = {}
        for at, kind, serial, data in self.db.execute("SELECT at, kind, serial, data FROM events ORDER BY seq"):
            d = json.loads(data)
            if kind == "issue":
                out[serial] = Record(
                    serial=serial,
                    learner=d["learner"],
                    name=d["name"],
                    front=d["front"],
                    level=int(d["level"]),
                    status_index=int(d["status_index"]),
                    valid_from=d["valid_from"],
                    valid_until=d["valid_until"],
                    jwt=d["jwt"],
                )
            elif serial in out and kind == "supersede":
                if out[serial].status == "active":
                    out[serial].status = "superseded"
                out[serial].superseded_by = d["by"]
            elif serial in out and kind == "revoke":
                out[serial].status = "revoked"
                out[serial].revoked_reason = d["reason"]
                out[serial].revoked_at = at
        return out

    def next_status_index(self) -> int:
        row = self.db.execute("SELECT COUNT(*) FROM events WHERE kind = 'issue'").fetchone()
        return int(row[0])
