"""Sign-in codes and login cards: stored hashed, shown once on the printed cards, reissued when printed again."""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.room.helpers import LEARNERS, RoomCourse


def cards(*argv: str) -> int:
    from kynangso.room.cli import configure_cards, run_cards

    parser = argparse.ArgumentParser()
    configure_cards(parser)
    return run_cards(parser.parse_args(list(argv)))


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_codes_are_stored_hashed_and_checked(tmp_path: Path) -> None:
    from kynangso.room.codes import CodeBook

    book = CodeBook(tmp_path)
    codes = book.issue(["nguyen-van-an-1985", "tran-thi-binh-1990"])
    trainer = book.issue_trainer()
    book.save()
    text = (tmp_path / "exam_room" / "codes.json").read_text()
    assert all(code not in text for code in [*codes.values(), trainer])
    assert (tmp_path / "exam_room" / "codes.json").stat().st_mode & 0o777 == 0o600
    again = CodeBook(tmp_path)
    code = codes["nguyen-van-an-1985"]
    assert again.check("nguyen-van-an-1985", code)
    assert again.check("nguyen-van-an-1985", f" {code[:3]}-{code[3:]} ")
    assert not again.check("tran-thi-binh-1990", code) or codes["tran-thi-binh-1990"] == code
    assert not again.check("khong-co-ai", code)
    assert again.check_trainer(trainer) and not again.check_trainer(code)


def test_a_codes_file_in_the_old_spelling_still_works_and_is_saved_in_the_new_one(tmp_path: Path) -> None:
    from kynangso.room.codes import CodeBook

    book = CodeBook(tmp_path)
    code = book.issue(["nguyen-van-an-1985"])["nguyen-van-an-1985"]
    book.save()
    path = tmp_path / "exam_room" / "codes.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data.pop("schema_version") == 1
    path.write_text(json.dumps({"format": 1, **data}), encoding="utf-8")  # as written before schema_version
    old = CodeBook(tmp_path)
    assert old.check("nguyen-van-an-1985", code)
    old.save()
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["schema_version"] == 1 and "format" not in saved


@pytest.mark.parametrize(
    ("content", "where"),
    [
        ("{not json", "không đọc được tệp mã dự thi"),
        ('{"schema_version": 2, "learners": {}}', "schema_version: cần giá trị 1"),
        ('{"format": 2, "learners": {}}', "schema_version: cần giá trị 1"),  # the old spelling, still read
        ('{"format": 1, "learners": []}', "learners: cần một bảng"),
        ('{"format": 1, "learners": {"an": {"salt": "00"}}}', "learners.an: cần hai khóa 'salt' và 'hash'"),
    ],
)
def test_a_broken_codes_file_is_named_with_its_key(tmp_path: Path, content: str, where: str) -> None:
    from kynangso.room.codes import CodeBook, CodesError

    path = tmp_path / "exam_room" / "codes.json"
    path.parent.mkdir()
    path.write_text(content)
    with pytest.raises(CodesError) as err:
        CodeBook(tmp_path)
    assert str(path) in str(err.value) and where in str(err.value)
    assert path.read_text() == content  # nothing lost


def test_throttle_doubles_the_wait_after_three_wrong_codes() -> None:
    from kynangso.room.codes import Throttle

    now = [100.0]
    t = Throttle(free=3, base=2.0, cap=10.0, forget=900.0, clock=lambda: now[0])
    assert [t.failed("an", "may"), t.failed("an", "may")] == [0.0, 0.0]
    assert t.failed("an", "may") == 2.0 and t.wait("an") == 2.0
    now[0] += 2.0
    assert t.wait("an", "may") == 0.0
    assert t.failed("an") == 4.0
    assert [t.failed("an") for _ in range(3)] == [8.0, 10.0, 10.0]  # capped
    t.succeeded("an")
    assert t.wait("an") == 0.0
    assert t.failed("may") == 4.0  # a right code for one learner does not clear the phone's count
    now[0] += 1000
    assert t.failed("may") == 0.0  # forgotten after a quiet quarter hour


def test_cards_cli_issues_codes_prints_cards_and_reprints(room_template: RoomCourse, tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "khoa-hoc"
    shutil.copytree(room_template.root, root)
    (root / "exam_room" / "codes.json").unlink()
    pdf = tmp_path / "the.pdf"
    assert cards("--course", str(root), "--out", str(pdf), "--dia-chi", "http://192.168.1.10:8870/") == 0
    assert pdf.stat().st_mode & 0o777 == 0o600
    text = pdf_text(pdf)
    assert text.count("THẺ DỰ THI · KỸ NĂNG SỐ") == len(LEARNERS)
    assert "Nguyễn Văn" in text and "http://192.168.1.10:8870/" in text
    pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+4$", pages, re.M)  # 32 cards, ten to an A4 page
    from kynangso.room.codes import CodeBook

    first = CodeBook(root)
    assert first.learners == {x[0] for x in LEARNERS} and first.has_trainer()
    assert "hoc-vien-05" in text
    old_hash = json.loads((root / "exam_room" / "codes.json").read_text())["learners"]["hoc-vien-05"]["hash"]
    # Nothing new to issue: the command says how to reprint, and changes nothing.
    assert cards("--course", str(root), "--out", str(tmp_path / "none.pdf")) == 0
    assert not (tmp_path / "none.pdf").exists()
    # Reprinting one card issues a new code: the old card stops working.
    again = tmp_path / "lai.pdf"
    assert cards("--course", str(root), "--out", str(again), "hoc-vien-05") == 0
    assert pdf_text(again).count("THẺ DỰ THI") == 1
    new = json.loads((root / "exam_room" / "codes.json").read_text())["learners"]
    assert new["hoc-vien-05"]["hash"] != old_hash
    assert new["hoc-vien-06"]["hash"] == json.loads(json.dumps(first.data))["learners"]["hoc-vien-06"]["hash"]


def test_cards_cli_refuses_an_unknown_learner(room_template: RoomCourse, capsys: pytest.CaptureFixture[str]) -> None:
    assert cards("--course", str(room_template.root), "--out", "/nonexistent/x.pdf", "khong-co-ai") == 1
    err = capsys.readouterr().err
    assert "gradebook.db" in err and "khong-co-ai" in err


def test_room_refuses_an_exam_that_was_not_released(room_template: RoomCourse, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kynangso.room", "room", "gov-1", "--course", str(room_template.root), "--port", "1"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "release/gov-1" in done.stderr and "kynangso exam release gov-1" in done.stderr


def test_cards_cli_with_an_empty_roster_or_an_unwritable_file_changes_nothing(
    room_template: RoomCourse, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    from kynangso.course.course import gradebook

    root = tmp_path / "khoa-hoc"
    shutil.copytree(room_template.root, root)
    codes = root / "exam_room" / "codes.json"
    before = codes.read_bytes()
    # The card file cannot be written: the learner keeps the old code (nobody would ever see a new one).
    assert cards("--course", str(root), "--out", str(tmp_path / "khong-co" / "the.pdf"), "hoc-vien-01") == 1
    assert "the.pdf: không ghi được tệp thẻ" in capsys.readouterr().err
    assert codes.read_bytes() == before
    with gradebook(root) as gb:
        for learner, _, _ in LEARNERS:
            gb.remove_student(learner)
    assert cards("--course", str(root), "--out", str(tmp_path / "the.pdf")) == 1
    assert "danh sách lớp chưa có học viên nào" in capsys.readouterr().err
    assert codes.read_bytes() == before and not (tmp_path / "the.pdf").exists()
