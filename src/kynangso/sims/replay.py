"""Replay a transcript against a fresh session: how an exam's practical task is graded.

The file's own claims (its seed, its result) are ignored: only the recorded actions are played, under the seed
the grader gives. A transcript copied from someone with another seed therefore stops at the first typed value
that came from their data.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from kynangso.sims.engine import ReplayResult, Session, UnknownAction
from kynangso.sims.model import Scenario

FORMAT = 1
# A real transcript is a few kilobytes. Bounds keep a hand-made one from making the grader work for minutes.
MAX_BYTES = 2_000_000
MAX_ENTRIES = 5_000
MAX_VALUE = 4_000


class TranscriptError(ValueError):
    """A transcript that cannot be read; the message (Vietnamese) names the file and the entry."""


def _read(transcript: str | os.PathLike[str]) -> tuple[Any, str]:
    if isinstance(transcript, str) and transcript.lstrip()[:1] in ("{", "["):
        text, name = transcript, "bản ghi thao tác"
    else:
        path = Path(transcript)
        name = path.name
        try:
            if path.stat().st_size > MAX_BYTES:
                raise TranscriptError(f"{path}: tệp ghi thao tác quá lớn ({path.stat().st_size} byte)")
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise TranscriptError(f"{path}: không tìm thấy tệp ghi thao tác") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise TranscriptError(f"{path}: không đọc được tệp ghi thao tác ({exc})") from None
    try:
        return json.loads(text), name
    except json.JSONDecodeError as exc:
        raise TranscriptError(f"{name}: không phải JSON hợp lệ (dòng {exc.lineno}, cột {exc.colno})") from None


def entries(transcript: list[dict[str, Any]] | str | os.PathLike[str], scenario_id: str) -> list[dict[str, Any]]:
    """The checked list of entries of a transcript given as a list, a JSON text or a file path."""
    name = "bản ghi thao tác"
    raw: Any = transcript
    if not isinstance(transcript, list):
        raw, name = _read(transcript)
    if isinstance(raw, dict):
        if raw.get("scenario", scenario_id) != scenario_id:
            raise TranscriptError(
                f"{name}: scenario: bản ghi này của mô phỏng '{raw.get('scenario')}', không phải '{scenario_id}'"
            )
        if raw.get("format", FORMAT) != FORMAT:
            raise TranscriptError(f"{name}: format: phiên bản {raw.get('format')!r} không được hỗ trợ")
        if "entries" not in raw:
            raise TranscriptError(f"{name}: thiếu khóa 'entries' (danh sách thao tác)")
        raw = raw["entries"]
    if not isinstance(raw, list):
        raise TranscriptError(f"{name}: entries: phải là một danh sách thao tác")
    if len(raw) > MAX_ENTRIES:
        raise TranscriptError(f"{name}: entries: quá nhiều thao tác ({len(raw)})")
    for i, entry in enumerate(raw, 1):
        where = f"{name}: mục {i}"
        if not isinstance(entry, dict):
            raise TranscriptError(f"{where}: phải là một đối tượng JSON")
        kind = entry.get("type")
        if kind == "restart":
            continue
        if kind != "action":
            raise TranscriptError(f"{where}: type: phải là 'action' hoặc 'restart'")
        for key in ("screen", "action"):
            if not isinstance(entry.get(key), str):
                raise TranscriptError(f"{where}: thiếu khóa '{key}' (chuỗi)")
        values = entry.get("values", {})
        if not isinstance(values, dict) or not all(isinstance(v, str | bool) for v in values.values()):
            raise TranscriptError(f"{where}: values: phải là bảng tên ô → giá trị (chuỗi hoặc true/false)")
        if any(isinstance(v, str) and len(v) > MAX_VALUE for v in values.values()):
            raise TranscriptError(f"{where}: values: một giá trị dài quá {MAX_VALUE} ký tự")
    return raw


def replay(
    scenario: Scenario | str,
    transcript: list[dict[str, Any]] | str | os.PathLike[str],
    seed: int,
) -> ReplayResult:
    from kynangso.sims import load_scenario

    sc = load_scenario(scenario) if isinstance(scenario, str) else scenario
    session = Session(sc, "kiem-tra", seed)
    for entry in entries(transcript, sc.id):
        if entry["type"] == "restart":
            session.restart()
            continue
        if session.completed or entry["screen"] != session.screen_id:
            break  # finished, or the recorded run went somewhere this seed's run did not
        try:
            session.act(entry["action"], entry.get("values"))
        except UnknownAction:
            break
    return session.result()


def transcript_document(session: Session) -> dict[str, Any]:
    """What the view writes next to the notebook in assessment mode."""
    return {
        "format": FORMAT,
        "scenario": session.scenario.id,
        "seed": session.seed,
        "mode": session.mode,
        "entries": session.transcript,
        "result": session.result().to_dict(),
    }
