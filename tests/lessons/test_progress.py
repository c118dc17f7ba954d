"""Learner progress: what is recorded, and that a crash or a corrupt file never loses or breaks anything."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kynangso.lessons import progress


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KYNANGSO_HOME", str(tmp_path))
    return tmp_path


def test_records_lessons_selfchecks_and_simulations(home: Path) -> None:
    assert progress.load() == progress.empty()
    progress.record_lesson_opened("gov-01-x")
    progress.record_lesson_opened("gov-01-x")
    progress.record_selfcheck("gov-01-x", "c1", False)
    progress.record_selfcheck("gov-01-x", "c1", True)
    progress.record_simulation("dvc-khai-sinh", "luyen-tap", completed=True, score=0.8)
    progress.record_simulation("dvc-khai-sinh", "luyen-tap", completed=False, score=0.5)
    progress.record_lesson_finished("gov-01-x")
    data = progress.load()
    assert progress.progress_path() == home / "progress.json"
    lesson = data["lessons"]["gov-01-x"]
    assert lesson["times_opened"] == 2 and "finished" in lesson
    check = data["selfchecks"]["gov-01-x"]["c1"]
    assert check["attempts"] == 2 and check["correct"] and not check["first_try_correct"]
    sim = data["simulations"]["dvc-khai-sinh"]["luyen-tap"]
    assert sim["completed"] and sim["best_score"] == 0.8 and sim["last_score"] == 0.5 and sim["attempts"] == 2
    # The file is plain UTF-8 JSON a trainer can read.
    assert json.loads((home / "progress.json").read_text(encoding="utf-8")) == data


def test_default_location_is_the_user_data_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    from platformdirs import user_data_dir

    monkeypatch.delenv("KYNANGSO_HOME")
    assert progress.progress_path() == Path(user_data_dir("kynangso", appauthor=False)) / "progress.json"


@pytest.mark.parametrize("content", [b'{"lessons": {', b"\xff\xfe garbage", b"[1, 2]", b'{"schema_version": 99}'])
def test_corrupt_file_is_backed_up_and_progress_starts_fresh(home: Path, content: bytes) -> None:
    (home / "progress.json").write_bytes(content)
    progress.record_lesson_opened("orientation-01-vai-tro-cua-to")
    backups = list(home.glob("progress.json.hong-*"))
    assert len(backups) == 1 and backups[0].read_bytes() == content
    assert list(progress.load()["lessons"]) == ["orientation-01-vai-tro-cua-to"]


def test_unwritable_folder_does_not_break_a_lesson(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = home / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("KYNANGSO_HOME", str(blocker / "sub"))
    progress.record_selfcheck("l", "c1", True)  # logs a warning, raises nothing
    assert progress.load() == progress.empty()


WRITER = """
import sys
from kynangso.lessons import progress
i = 0
while True:
    progress.record_selfcheck("bai", f"c{i % 50}", i % 2 == 0)
    i += 1
    if i == 3:
        print("ready", flush=True)
"""


@pytest.mark.slow
def test_killed_writer_never_leaves_a_broken_file(home: Path) -> None:
    """SIGKILL a process in the middle of a stream of writes, many times: the file is always whole."""
    env = {**os.environ, "KYNANGSO_HOME": str(home)}
    attempts_seen = []
    for round_ in range(12):
        proc = subprocess.Popen([sys.executable, "-c", WRITER], env=env, stdout=subprocess.PIPE)
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == b"ready"
        time.sleep(0.01 * (round_ % 5))  # vary where in a write the kill lands
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        data = json.loads((home / "progress.json").read_text(encoding="utf-8"))
        assert data["schema_version"] == 1
        attempts_seen.append(sum(c["attempts"] for c in data["selfchecks"]["bai"].values()))
    assert attempts_seen == sorted(attempts_seen) and attempts_seen[-1] >= 12 * 3
    assert not list(home.glob("progress.json.hong-*")), "a kill must never look like corruption"
    leftovers = [p for p in home.iterdir() if p.name.endswith(".tmp")]
    # A kill between write and rename leaves a temp file, never a broken progress.json; the next write tidies it.
    assert len(leftovers) <= 1


@pytest.mark.slow
def test_two_kernels_writing_at_once_lose_nothing(home: Path) -> None:
    code = "from kynangso.lessons import progress\nfor i in range(60): progress.record_selfcheck('bai', 'c1', True)"
    env = {**os.environ, "KYNANGSO_HOME": str(home)}
    procs = [subprocess.Popen([sys.executable, "-c", code], env=env) for _ in range(2)]
    assert [p.wait(60) for p in procs] == [0, 0]
    assert progress.load()["selfchecks"]["bai"]["c1"]["attempts"] == 120
