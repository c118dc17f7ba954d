"""curriculum/README.md is generated from the lessons' metadata, reproducibly, and kept in sync."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from kynangso.lessons import syllabus
from kynangso.lessons.catalogue import lessons
from tests.support import REPO

CURRICULUM = REPO / "curriculum"


def test_committed_syllabus_is_up_to_date() -> None:
    assert syllabus.is_current(CURRICULUM), (
        "curriculum/README.md is out of date: run `kynangso lessons syllabus` and commit the result"
    )


def test_syllabus_lists_every_lesson_with_level_minutes_platforms_and_simulations() -> None:
    text = (CURRICULUM / "README.md").read_text(encoding="utf-8")
    items = lessons(CURRICULUM)
    # Every lesson notebook appears, none dropped for unreadable metadata (validate reports those).
    assert len(items) == len(list(CURRICULUM.rglob("[0-9][0-9]-*.ipynb")))
    for info in items:
        row = next(line for line in text.splitlines() if line.startswith(f"| [{info.title}]({info.path.as_posix()})"))
        assert f"| {info.minutes_teaching} | {info.minutes_practice} |" in row
        assert f"| {info.level} · " in row
        for sim in info.simulations:
            assert f"`{sim}`" in row
        for platform in info.platforms:
            assert platform in row
    for exam in ("gov-1", "econ-2", "society-3"):
        assert f"`{exam}`" in text
    assert "757/QĐ-BKHCN" in text and "DigComp 2.2" in text


def test_syllabus_shows_prerequisites_by_linked_title() -> None:
    text = (CURRICULUM / "README.md").read_text(encoding="utf-8")
    assert "| Cần học trước |" in text
    items = lessons(CURRICULUM)
    by_id = {info.id: info for info in items}
    assert any(info.requires for info in items)
    for info in items:
        row = next(line for line in text.splitlines() if line.startswith(f"| [{info.title}]({info.path.as_posix()})"))
        needs = row.split(" | ")[4]
        if not info.requires:
            assert needs == "—"
        for req in info.requires:
            assert f"[{by_id[req].title}]({by_id[req].path.as_posix()})" in needs


def _generated_elsewhere(curriculum: Path, seed: str, cwd: Path) -> bytes:
    code = "import sys; from pathlib import Path; from kynangso.lessons import syllabus; "
    code += "sys.stdout.buffer.write(syllabus.generate(Path(sys.argv[1])).encode('utf-8'))"
    env = {**os.environ, "PYTHONHASHSEED": seed, "LC_ALL": "C", "TZ": "Pacific/Kiritimati"}
    res = subprocess.run([sys.executable, "-c", code, str(curriculum)], capture_output=True, cwd=cwd, env=env)
    assert res.returncode == 0, res.stderr.decode()[-2000:]
    return res.stdout


def test_generation_is_byte_for_byte_reproducible(tmp_path: Path) -> None:
    # Two fresh interpreters with different hash seeds, locale, time zone and working folder, one of them on a copy
    # whose files were written in reverse order with other timestamps: the bytes must still be the committed ones.
    copy = tmp_path / "ban-sao" / "curriculum"
    for source in sorted(CURRICULUM.rglob("*"), reverse=True):
        if source.is_file():
            target = copy / source.relative_to(CURRICULUM)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
    committed = (CURRICULUM / "README.md").read_bytes()
    assert _generated_elsewhere(CURRICULUM, "1", REPO) == committed
    assert _generated_elsewhere(copy, "4242", tmp_path) == committed


def test_check_fails_when_a_lesson_changes_and_write_fixes_it(tmp_path: Path) -> None:
    copy = tmp_path / "curriculum"
    shutil.copytree(CURRICULUM, copy)
    lesson = copy / "orientation" / "02-dien-thoai-co-ban.ipynb"
    raw = json.loads(lesson.read_text(encoding="utf-8"))
    raw["metadata"]["kynangso"]["minutes_practice"] = 45
    lesson.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    cmd = [sys.executable, "-m", "kynangso", "lessons", "syllabus", "--curriculum", str(copy)]
    stale = subprocess.run([*cmd, "--check"], capture_output=True, text=True)
    assert stale.returncode == 1 and "chưa cập nhật" in stale.stderr
    wrote = subprocess.run(cmd, capture_output=True, text=True)
    assert wrote.returncode == 0 and "Đã ghi" in wrote.stdout
    assert "| 30 | 45 |" in (copy / "README.md").read_text(encoding="utf-8")
    again = subprocess.run(cmd, capture_output=True, text=True)
    assert "không thay đổi" in again.stdout
    assert subprocess.run([*cmd, "--check"], capture_output=True).returncode == 0
