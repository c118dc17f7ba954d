"""Transcripts: the forms replay accepts, and a clear Vietnamese error for every malformed one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kynangso.sims import TranscriptError, load_scenario, replay
from kynangso.sims.solver import solve

SID = "nhan-dien-lua-dao"


def solution(seed: int = 2) -> list[dict]:
    t = solve(load_scenario(SID), seed)
    assert t is not None
    return t


def test_list_file_and_json_text_give_the_same_result(tmp_path: Path) -> None:
    entries = solution()
    doc = {"format": 1, "scenario": SID, "seed": 999, "entries": entries, "result": {"score": 0.0}}
    path = tmp_path / f"{SID}.transcript.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    as_list = replay(SID, entries, 2).to_dict()
    assert as_list == replay(SID, path, 2).to_dict() == replay(SID, str(path), 2).to_dict()
    assert as_list == replay(load_scenario(SID), json.dumps(entries), 2).to_dict()
    # The file's own seed and result are not trusted: only the grader's seed counts.
    assert replay(SID, path, 999).completed is False


def test_restart_entries_keep_earlier_mistakes() -> None:
    entries = [
        {"type": "action", "screen": "hop-thu", "action": "mo-dau-tu"},
        {"type": "action", "screen": "dau-tu", "action": "nap-thu"},
        {"type": "restart"},
        *solution(),
    ]
    r = replay(SID, entries, 2)
    assert r.completed and r.traps_hit == ["dau-tu-lai-cao"] and r.mistakes == 1 and r.score == 0.75


def test_a_transcript_that_goes_astray_stops() -> None:
    entries = solution()
    entries[3] = {**entries[3], "screen": "khong-co"}
    r = replay(SID, entries, 2)
    assert not r.completed and r.steps == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{không phải json", "không phải JSON hợp lệ (dòng 1"),
        ('{"format": 1, "scenario": "dvc-khai-sinh", "entries": []}', "bản ghi này của mô phỏng 'dvc-khai-sinh'"),
        ('{"format": 7, "entries": []}', "format: phiên bản 7 không được hỗ trợ"),
        ('{"format": 1}', "thiếu khóa 'entries'"),
        ('{"entries": 3}', "entries: phải là một danh sách thao tác"),
        ('[{"type": "action", "screen": "hop-thu"}]', "mục 1: thiếu khóa 'action'"),
        ('[{"type": "restart"}, {"type": "nhay"}]', "mục 2: type: phải là 'action' hoặc 'restart'"),
        ('[{"type": "action", "screen": "a", "action": "b", "values": {"x": 1}}]', "mục 1: values:"),
        ("[1]", "mục 1: phải là một đối tượng JSON"),
    ],
)
def test_malformed_transcripts(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bai-lam.transcript.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TranscriptError) as info:
        replay(SID, path, 1)
    assert str(info.value).startswith("bai-lam.transcript.json: ")
    assert message in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(TranscriptError, match="không tìm thấy tệp ghi thao tác"):
        replay(SID, tmp_path / "khong-co.json", 1)
