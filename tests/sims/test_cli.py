"""`kynangso sims list` and `kynangso sims replay`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kynangso.cli import main
from kynangso.sims import load_scenario
from kynangso.sims.solver import solve


def test_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sims", "list"]) == 0
    out = capsys.readouterr().out
    assert "dvc-khai-sinh" in out and "Chính quyền số · khoảng 15 phút" in out
    assert "Tổng cộng" in out


def test_list_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sims", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    by_id = {r["id"]: r for r in rows}
    assert by_id["nhan-dien-lua-dao"]["front"] == "society"
    assert set(by_id["dvc-khai-sinh"]) == {"id", "title", "front", "minutes", "teaches"}


def test_replay_prints_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "t.json"
    path.write_text(json.dumps(solve(load_scenario("dvc-khai-sinh"), 77)), encoding="utf-8")
    assert main(["sims", "replay", "dvc-khai-sinh", str(path), "--seed", "77"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["completed"] is True and out["score"] == 1.0 and out["seed"] == 77
    assert main(["sims", "replay", "dvc-khai-sinh", str(path), "--seed", "78"]) == 0
    assert json.loads(capsys.readouterr().out)["completed"] is False


def test_replay_errors_are_vietnamese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "hong.json"
    bad.write_text("{", encoding="utf-8")
    assert main(["sims", "replay", "dvc-khai-sinh", str(bad), "--seed", "1"]) == 2
    assert "Không chấm được: hong.json: không phải JSON hợp lệ" in capsys.readouterr().err
    assert main(["sims", "replay", "khong-co", str(bad), "--seed", "1"]) == 2
    assert "Không có mô phỏng 'khong-co'" in capsys.readouterr().err


def test_sims_without_subcommand_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sims"]) == 0
    assert "replay" in capsys.readouterr().out
