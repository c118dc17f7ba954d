"""Signing in: the right code lets a learner in, a wrong one is refused, repeated wrong codes are slowed down."""

from __future__ import annotations

import argparse
import re
import subprocess
import time
from pathlib import Path

import pytest

from tests.room.helpers import LEARNERS, Server

pytestmark = pytest.mark.e2e


def cards(*argv: str) -> int:
    from kynangso.room.cli import configure_cards, run_cards

    parser = argparse.ArgumentParser()
    configure_cards(parser)
    return run_cards(parser.parse_args(list(argv)))


def card_code(pdf: Path, learner: str) -> str:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    lines = text.splitlines()
    row = next(i for i, line in enumerate(lines) if learner in line)
    match = re.search(r"Mã dự thi:\s+(\d{3} \d{3})", "\n".join(lines[row : row + 4]))
    assert match, text
    return match.group(1)


def name_of(learner: str) -> str:
    return next(f"{family} {given}" for lid, family, given in LEARNERS if lid == learner)


def wrong(code: str) -> str:
    return "".join(str((int(c) + 1) % 10) for c in code)


def test_right_code_signs_in_and_wrong_code_is_refused(server: Server) -> None:
    learner, code = "hoc-vien-01", server.course.codes["hoc-vien-01"]
    phone = server.client()
    status, body = phone.sign_in(learner, wrong(code))
    assert status == 403
    assert body["error"].startswith("Mã học viên hoặc mã dự thi chưa đúng")
    assert phone.call("/api/toi")[0] == 401
    # Spaces as printed on the card ("123 456") are accepted.
    status, body = phone.sign_in(learner, f"{code[:3]} {code[3:]}")
    assert status == 200, body
    assert body["name"] == name_of(learner) == "Trần Thị Dũng"
    status, me = phone.call("/api/toi")
    assert status == 200
    assert [x["exam"] for x in me["exams"]] == ["econ-3", "gov-3"]
    # An unknown learner id gets the same answer as a wrong code.
    assert phone.sign_in("khong-co-ai", code)[0] == 403


def test_repeated_wrong_codes_are_slowed_down_per_learner(server: Server) -> None:
    learner, code = "hoc-vien-02", server.course.codes["hoc-vien-02"]
    attacker = server.client()
    for _ in range(2):
        assert attacker.sign_in(learner, wrong(code))[0] == 403
    status, body = attacker.sign_in(learner, wrong(code))
    assert status == 403 and body["wait"] == pytest.approx(1.0)
    # Now even the right code is not checked until the wait is over, from any phone.
    status, body = server.client().sign_in(learner, code)
    assert status == 429
    assert "chờ" in body["error"]
    time.sleep(body["wait"] + 0.1)  # the throttle's own wait (1 s in this server), not a race
    assert attacker.sign_in(learner, wrong(code))[0] == 403
    status, body = attacker.sign_in(learner, code)
    assert status == 429 and body["wait"] > 1.0  # the wait doubles after each further wrong code
    time.sleep(body["wait"] + 0.1)
    assert server.client().sign_in(learner, code)[0] == 200


def test_one_phone_guessing_many_learners_is_slowed_down(server: Server) -> None:
    phone = server.client()
    for i in range(3, 6):
        learner = f"hoc-vien-{i:02d}"
        assert phone.sign_in(learner, wrong(server.course.codes[learner]))[0] == 403
    learner = "hoc-vien-06"
    assert phone.sign_in(learner, server.course.codes[learner])[0] == 429


def test_posts_without_the_page_header_are_refused(server: Server) -> None:
    learner = "hoc-vien-07"
    status, _ = server.client().call("/api/dang-nhap", {"learner": learner, "code": "x"}, header=False)
    assert status == 403


def test_trainer_page_needs_the_trainer_code(server: Server) -> None:
    trainer = server.client()
    assert trainer.call("/api/giam-thi/trang-thai")[0] == 401
    assert trainer.call("/api/giam-thi/dang-nhap", {"code": wrong(server.course.trainer)})[0] == 403
    # A learner's cookie is not a trainer's.
    learner = server.client()
    assert learner.sign_in("hoc-vien-08", server.course.codes["hoc-vien-08"])[0] == 200
    assert learner.call("/api/giam-thi/trang-thai")[0] == 401
    assert trainer.call("/api/giam-thi/dang-nhap", {"code": server.course.trainer})[0] == 200
    status, data = trainer.call("/api/giam-thi/trang-thai")
    assert status == 200
    row = next(x for x in data["learners"] if x["learner"] == "hoc-vien-08")
    assert row["online"] is True and row["name"] == name_of("hoc-vien-08")
    assert {x["exam"]: x["open"] for x in data["exams"]} == {"econ-3": True, "gov-3": True}


def test_cards_printed_while_the_room_runs_work_at_once(server: Server, tmp_path: Path) -> None:
    from kynangso.course.course import gradebook
    from kynangso.room.codes import CodeBook

    root = server.course.root
    with gradebook(root) as gb:
        gb.update_or_create_student("le-thi-hoa-1978", last_name="Lê Thị", first_name="Hoa")
    old = server.course.codes["hoc-vien-09"]
    before = CodeBook(root).data["learners"]
    assert cards("--course", str(root), "--out", str(tmp_path / "moi.pdf")) == 0
    assert cards("--course", str(root), "--out", str(tmp_path / "lai.pdf"), "hoc-vien-09") == 0
    after = CodeBook(root).data["learners"]
    assert set(after) - set(before) == {"le-thi-hoa-1978"}
    # The new codes are only on the cards: read them back from the PDFs, as the learners would.
    new_code = card_code(tmp_path / "moi.pdf", "le-thi-hoa-1978")
    reissued = card_code(tmp_path / "lai.pdf", "hoc-vien-09")
    status, body = server.client().sign_in("le-thi-hoa-1978", new_code)
    assert status == 200 and body["name"] == "Lê Thị Hoa"
    assert server.client().sign_in("hoc-vien-09", old)[0] == 403  # the old card no longer works
    assert server.client().sign_in("hoc-vien-09", reissued)[0] == 200
