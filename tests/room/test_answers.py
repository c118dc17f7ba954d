"""Answering over the room's API: autosave, resume, form checks, open/closed exams, time limits, submissions."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tests.room.helpers import Client, RoomCourse, Server, right_answers, room_server, solve_practical

pytestmark = pytest.mark.e2e


def signed_in(server: Server, learner: str) -> Client:
    phone = server.client()
    status, body = phone.sign_in(learner, server.course.codes[learner])
    assert status == 200, body
    return phone


def questions(phone: Client, exam: str) -> list[dict]:
    status, data = phone.call(f"/api/bai/{exam}")
    assert status == 200, data
    return data["paper"]["questions"]


def test_answers_are_saved_at_once_and_a_new_sign_in_resumes(shared_server: Server) -> None:
    learner = "hoc-vien-10"
    phone = signed_in(shared_server, learner)
    qs = questions(phone, "econ-3")
    single = next(q for q in qs if q["type"] == "single")
    numeric = next(q for q in qs if q["type"] == "numeric")
    status, body = phone.call("/api/bai/econ-3/tra-loi", {"question": single["id"], "value": "B", "current": 3})
    assert status == 200 and body == {"ok": True, "answered": 1, "total": len(qs)}
    assert phone.call("/api/bai/econ-3/tra-loi", {"question": numeric["id"], "value": "2.400.000"})[0] == 200
    # On disk at once, before any submission.
    saved = json.loads((shared_server.course.root / "exam_room" / "answers" / learner / "econ-3.json").read_text())
    assert saved["answers"] == {single["id"]: "B", numeric["id"]: "2.400.000"}
    # Another phone (or the same one after its battery died) signs in and finds everything where it was.
    other = signed_in(shared_server, learner)
    status, data = other.call("/api/bai/econ-3")
    assert data["answers"] == {single["id"]: "B", numeric["id"]: "2.400.000"}
    assert data["current"] == 3
    # Clearing an answer is a change too.
    assert other.call("/api/bai/econ-3/tra-loi", {"question": single["id"], "value": None})[1]["answered"] == 1


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("single", "Z", "Hãy chọn một trong các đáp án."),
        ("single", ["A"], "Hãy chọn một trong các đáp án."),
        ("multiple", "A", "Hãy chọn trong các đáp án."),
        ("order", [1, 1, 2, 3], "Thứ tự các bước không hợp lệ; anh/chị hãy tải lại trang."),
        ("numeric", "một trăm", "Hãy nhập một con số, viết liền, ví dụ 150000."),
        ("open", "x" * 9000, "Câu trả lời dài quá 8000 ký tự."),
    ],
)
def test_badly_formed_answers_are_refused_and_nothing_is_lost(
    shared_server: Server, kind: str, value: object, message: str
) -> None:
    phone = signed_in(shared_server, "hoc-vien-11")
    q = next(q for q in questions(phone, "econ-3") if q["type"] == kind)
    status, body = phone.call("/api/bai/econ-3/tra-loi", {"question": q["id"], "value": value})
    assert (status, body["error"]) == (422, message)
    assert phone.call("/api/bai/econ-3/tra-loi", {"question": "khong-co", "value": "A"})[0] == 400
    assert phone.call("/api/bai/econ-3/tra-loi", [1, 2])[0] == 400  # type: ignore[arg-type]


def test_submission_is_a_standard_nbgrader_submission_and_resubmission_keeps_history(shared_server: Server) -> None:
    learner, root = "hoc-vien-12", shared_server.course.root
    phone = signed_in(shared_server, learner)
    qs = questions(phone, "gov-3")
    right = right_answers(root, "gov-3", learner)
    for q in qs:
        if q["id"] in right:
            assert phone.call("/api/bai/gov-3/tra-loi", {"question": q["id"], "value": right[q["id"]]})[0] == 200
    opened = next(q for q in qs if q["type"] == "open")
    text = "Bà con cần giữ kín mã OTP; tôi hướng dẫn từng bước trên VNeID."
    assert phone.call("/api/bai/gov-3/tra-loi", {"question": opened["id"], "value": text})[0] == 200
    status, first = phone.call("/api/bai/gov-3/nop", {})
    assert status == 200 and len(first["receipt"]) == 9
    folder = root / "submitted" / learner / "gov-3"
    assert sorted(p.name for p in folder.iterdir()) == ["de-thi.json", "gov-3.ipynb", "timestamp.txt"]
    stamp = (folder / "timestamp.txt").read_text()
    from datetime import datetime

    assert datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S.%f %Z")  # nbgrader's own format
    nb = json.loads((folder / "gov-3.ipynb").read_text())
    sources = ["".join(c["source"]) for c in nb["cells"]]
    short = next(q for q in qs if q["type"] == "short")
    assert any(s.endswith(f"tra_loi_{short['number']} = {right[short['id']]!r}") for s in sources)
    assert any(text in s for s in sources)
    from kynangso.grade.exam import ExamKit, grade_exam

    graded = grade_exam(ExamKit(root, "gov-3"), nb, learner, folder)
    assert graded.flags == []  # every locked and graded cell as released, every answer a plain literal
    # Change one answer and hand in again: the new one replaces the old, which goes to the history whole.
    assert phone.call("/api/bai/gov-3/tra-loi", {"question": short["id"], "value": "đổi ý"})[0] == 200
    status, second = phone.call("/api/bai/gov-3/nop", {})
    assert status == 200 and second["receipt"] != first["receipt"]
    history = list((root / "exam_room" / "history" / learner / "gov-3").iterdir())
    assert len(history) == 1 and (history[0] / "timestamp.txt").read_text() == stamp
    assert "đổi ý" in (folder / "gov-3.ipynb").read_text()
    assert "đổi ý" not in (history[0] / "gov-3.ipynb").read_text()
    status, me = phone.call("/api/toi")
    assert next(x for x in me["exams"] if x["exam"] == "gov-3")["receipt"] == second["receipt"]


def test_closing_an_exam_hands_in_papers_and_refuses_new_answers(server: Server) -> None:
    learner = "hoc-vien-13"
    phone = signed_in(server, learner)
    q = questions(phone, "gov-3")[0]
    assert phone.call("/api/bai/gov-3/tra-loi", {"question": q["id"], "value": "A"})[0] == 200
    trainer = server.client()
    assert trainer.call("/api/giam-thi/dang-nhap", {"code": server.course.trainer})[0] == 200
    status, body = trainer.call("/api/giam-thi/bai/gov-3", {"open": False})
    assert status == 200 and body["handed_in"] == [learner]
    assert (server.course.root / "submitted" / learner / "gov-3" / "gov-3.ipynb").is_file()
    status, body = phone.call("/api/bai/gov-3/tra-loi", {"question": q["id"], "value": "B"})
    assert status == 403 and "chưa mở hoặc đã đóng" in body["error"]
    assert [x["exam"] for x in phone.call("/api/toi")[1]["exams"]] == ["econ-3"]
    # Reopen with a time limit: the clock starts for each learner when they first open the paper.
    status, body = trainer.call("/api/giam-thi/bai/gov-3", {"open": True, "minutes": 0})
    assert status == 422 and "từ 1 đến 600" in body["error"]
    assert trainer.call("/api/giam-thi/bai/gov-3", {"open": True, "minutes": 1})[0] == 200
    late = signed_in(server, "hoc-vien-14")
    status, data = late.call("/api/bai/gov-3")
    assert 55 < data["remaining"] <= 60
    assert trainer.call("/api/giam-thi/bai/khong-co-1", {"open": True})[0] == 404


def test_answers_after_the_time_limit_are_refused_but_the_paper_can_be_handed_in(shared_server: Server) -> None:
    learner, root = "hoc-vien-15", shared_server.course.root
    # A paper saved by an earlier run of the room, started an hour ago with a 30-minute limit: the room reads it
    # from disk the first time this learner shows up.
    now = time.time()
    paper = {
        "format": 1, "learner": learner, "exam": "econ-3", "started": now - 3600, "deadline": now - 1800,
        "answers": {}, "practical": {}, "current": 1, "submissions": [],
    }  # fmt: skip
    path = root / "exam_room" / "answers" / learner / "econ-3.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(paper))
    phone = signed_in(shared_server, learner)
    status, data = phone.call("/api/bai/econ-3")
    assert data["remaining"] == 0
    q = data["paper"]["questions"][2]
    status, body = phone.call("/api/bai/econ-3/tra-loi", {"question": q["id"], "value": "A"})
    assert status == 409 and body["error"].startswith("Đã hết giờ làm bài")
    assert phone.call("/api/bai/econ-3/nop", {})[0] == 200
    assert (root / "submitted" / learner / "econ-3" / "econ-3.ipynb").is_file()


def test_a_restarted_room_keeps_answers_practical_runs_and_sign_ins(course: RoomCourse, tmp_path: Path) -> None:
    learner = "hoc-vien-17"
    with room_server(course, tmp_path / "1.log") as srv:
        phone = signed_in(srv, learner)
        qs = questions(phone, "econ-3")
        single = next(q for q in qs if q["type"] == "single")
        sim = next(q for q in qs if q["type"] == "practical")
        assert phone.call("/api/bai/econ-3/tra-loi", {"question": single["id"], "value": "C", "current": 8})[0] == 200
        presses = solve_practical("econ-3", sim["id"], sim["scenario"], learner)
        url = f"/api/bai/econ-3/thuc-hanh/{sim['id']}"
        for index, values in presses[:2]:
            view = phone.call(url)[1]
            assert phone.call(url, {"action": str(index), "turn": view["turn"], "values": values})[0] == 200
        before = phone.call(url)[1]
    with room_server(course, tmp_path / "2.log") as srv:
        # The same phone, cookie and all: still signed in, everything where it was.
        phone.url = srv.url
        status, data = phone.call("/api/bai/econ-3")
        assert status == 200
        assert data["answers"] == {single["id"]: "C"} and data["current"] == 8
        after = phone.call(url)[1]
        assert (after["turn"], after["screen_id"]) == (before["turn"], before["screen_id"])
        for index, values in presses[2:]:
            view = phone.call(url)[1]
            assert phone.call(url, {"action": str(index), "turn": view["turn"], "values": values})[0] == 200
        assert phone.call(url)[1]["completed"] is True
        # A page drawn before the last step cannot press a button of a screen it no longer shows.
        stale = phone.call(url, {"action": "0", "turn": 0, "values": {}})[1]
        assert stale["turn"] == after["turn"] + len(presses) - 2
