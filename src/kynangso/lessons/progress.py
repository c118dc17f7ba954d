"""Learner progress for people studying alone: lessons opened and finished, self-checks, simulations.

One small JSON file, ``$KYNANGSO_HOME/progress.json`` (else the user's data folder). Every write is a
read-modify-write under a lock file, and lands with temp file + fsync + ``os.replace``, so a crash (a killed
kernel, a phone's browser closing the tab mid-save) leaves either the old or the new file, never half of one.
A file that cannot be read is kept aside as a backup and progress starts fresh: a self-check must never fail
because of it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kynangso import atomic

SCHEMA_VERSION = 1
FILE_NAME = "progress.json"
HOME_ENV = "KYNANGSO_HOME"
LOCK_TIMEOUT = 10.0
# Called with the file's path after each save. The offline site (kynangso.site.browser) adds one that copies the
# browser's in-memory folder to IndexedDB; elsewhere the list stays empty.
SAVED: list[Callable[[Path], None]] = []

log = logging.getLogger(__name__)


def data_home() -> Path:
    """The learner's own folder for Kỹ Năng Số data."""
    env = os.environ.get(HOME_ENV)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("kynangso", appauthor=False))


def progress_path() -> Path:
    return data_home() / FILE_NAME


def empty() -> dict[str, Any]:
    return {"schema_version": SCHEMA_VERSION, "lessons": {}, "selfchecks": {}, "simulations": {}}


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _well_formed(data: object) -> bool:
    if not isinstance(data, dict) or data.get("schema_version") != SCHEMA_VERSION:
        return False
    return all(isinstance(data.get(key), dict) for key in ("lessons", "selfchecks", "simulations"))


def _back_up(path: Path) -> Path:
    """Keep an unreadable file for a trainer to look at; never overwrite an earlier backup."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    for n in range(1000):
        backup = path.with_name(f"{path.name}.hong-{stamp}{'-' + str(n) if n else ''}")
        if not backup.exists():
            os.replace(path, backup)
            return backup
    raise OSError(f"too many backups of {path}")


def _read(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return empty()
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        data = None
    if _well_formed(data):
        assert isinstance(data, dict)
        return data
    backup = _back_up(path)
    log.warning("Tệp tiến độ %s bị hỏng; đã lưu bản sao ở %s và bắt đầu lại từ đầu.", path, backup)
    return empty()


def load() -> dict[str, Any]:
    """The learner's progress; an empty record when there is none or the file was unreadable."""
    path = progress_path()
    try:
        with _locked(path):
            return _read(path)
    except OSError as exc:
        log.warning("Không đọc được tiến độ ở %s: %s", path, exc)
        return empty()


def _remove_stale_temp_files(path: Path) -> None:
    """Temp files left by a writer killed before its rename; under the lock no other write is under way."""
    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        with contextlib.suppress(OSError):
            stale.unlink()


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock between kernels of the same learner (several lessons open at once)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # Windows: one learner rarely saves from two kernels in the same second
        fcntl = None  # type: ignore[assignment]
    if fcntl is None or not hasattr(fcntl, "flock"):  # also Pyodide (the offline site): one kernel per tab
        yield
        return
    with open(path.with_name(path.name + ".lock"), "a+b") as lock:
        deadline = time.monotonic() + LOCK_TIMEOUT
        while True:
            try:
                fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"could not lock {path}") from None
                time.sleep(0.01)
        try:
            yield
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def update(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    """Apply ``change`` to the stored progress and save it atomically; returns the new record.

    Saving must not break a lesson: when the folder cannot be written, the learner is told in the log and the
    lesson goes on.
    """
    path = progress_path()
    try:
        with _locked(path):
            _remove_stale_temp_files(path)
            data = _read(path)
            change(data)
            atomic.write_json(path, data, sort_keys=True)
        for hook in SAVED:
            hook(path)
        return data
    except OSError as exc:
        log.warning("Không lưu được tiến độ vào %s: %s", path, exc)
        data = empty()
        change(data)
        return data


def record_lesson_opened(lesson_id: str) -> None:
    def change(data: dict[str, Any]) -> None:
        entry = data["lessons"].setdefault(lesson_id, {})
        entry.setdefault("first_opened", _now())
        entry["last_opened"] = _now()
        entry["times_opened"] = int(entry.get("times_opened", 0)) + 1

    update(change)


def record_lesson_finished(lesson_id: str) -> None:
    def change(data: dict[str, Any]) -> None:
        entry = data["lessons"].setdefault(lesson_id, {})
        entry.setdefault("first_opened", _now())
        entry.setdefault("finished", _now())

    update(change)


def record_selfcheck(lesson_id: str, check_id: str, correct: bool) -> None:
    def change(data: dict[str, Any]) -> None:
        entry = data["selfchecks"].setdefault(lesson_id, {}).setdefault(check_id, {})
        entry["attempts"] = int(entry.get("attempts", 0)) + 1
        entry["correct"] = bool(correct)
        entry["ever_correct"] = bool(entry.get("ever_correct", False) or correct)
        entry.setdefault("first_try_correct", bool(correct))
        entry["last"] = _now()

    update(change)


def record_simulation(scenario_id: str, mode: str, completed: bool, score: float) -> None:
    def change(data: dict[str, Any]) -> None:
        entry = data["simulations"].setdefault(scenario_id, {}).setdefault(mode, {})
        entry["attempts"] = int(entry.get("attempts", 0)) + 1
        entry["completed"] = bool(entry.get("completed", False) or completed)
        entry["best_score"] = max(float(entry.get("best_score", 0.0)), float(score))
        entry["last_score"] = float(score)
        entry["last"] = _now()

    update(change)
