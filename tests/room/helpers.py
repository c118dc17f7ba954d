"""Test helpers for the exam room: a course with learners and codes, an HTTP client that keeps its cookies."""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.support import free_port, running

EXAMS = ("econ-3", "gov-3")
FAMILIES = ["Nguyễn Văn", "Trần Thị", "Lê Văn", "Phạm Thị", "Hoàng Văn", "Vũ Thị", "Đặng Văn", "Bùi Thị"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Hà", "Hùng", "Lan", "Minh"]
LEARNERS = [(f"hoc-vien-{i:02d}", FAMILIES[i % len(FAMILIES)], GIVEN[(i * 3) % len(GIVEN)]) for i in range(1, 33)]


@dataclass
class RoomCourse:
    root: Path
    codes: dict[str, str]
    trainer: str


@dataclass
class Server:
    url: str
    course: RoomCourse

    def client(self) -> Client:
        return Client(self.url)


class Client:
    """One phone: its own cookies, the room's JSON API, and the time every request took."""

    def __init__(self, url: str):
        self.url = url
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.times: list[float] = []

    def call(self, path: str, body: dict[str, Any] | None = None, header: bool = True) -> tuple[int, dict[str, Any]]:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method="GET" if body is None else "POST")
        req.add_header("Content-Type", "application/json")
        if header:
            req.add_header("X-Phong-Thi", "1")
        start = time.perf_counter()
        try:
            with self.opener.open(req, timeout=60) as resp:
                status, raw = resp.status, resp.read()
        except urllib.error.HTTPError as exc:
            status, raw = exc.code, exc.read()
        self.times.append(time.perf_counter() - start)
        try:
            return status, json.loads(raw or b"{}")
        except ValueError:
            return status, {"raw": raw.decode("utf-8", "replace")}

    def sign_in(self, learner: str, code: str) -> tuple[int, dict[str, Any]]:
        return self.call("/api/dang-nhap", {"learner": learner, "code": code})


def keys(course: Path, exam: str) -> dict[str, Any]:
    from kynangso.demo.learners import answer_keys

    return answer_keys(course, exam)


def right_answers(course: Path, exam: str, learner: str) -> dict[str, Any]:
    """Question id -> the right answer in the form the room's API takes, for this learner's variants."""
    from kynangso.demo.learners import answers

    return answers(course, exam, learner)


def wrong_answer(kind: str, right: Any, size: int) -> Any:
    from kynangso.demo.learners import wrong_answer as wrong

    return wrong(kind, right)


def solve_practical(exam: str, qid: str, scenario: str, learner: str) -> list[tuple[int, dict[str, Any]]]:
    """The right run of a practical task as the page presses it: (button position, field values) per step."""
    from kynangso.exams.variants import practical_seed
    from kynangso.sims import Session, load_scenario
    from kynangso.sims.solver import solve

    sc = load_scenario(scenario)
    seed = practical_seed(exam, qid, learner)
    entries = solve(sc, seed)
    assert entries is not None, f"no solution for {scenario}"
    session = Session(sc, "kiem-tra", seed)
    presses = []
    for entry in entries:
        ids = [a.id for a in session.visible_actions()]
        presses.append((ids.index(entry["action"]), dict(entry.get("values", {}))))
        session.act(entry["action"], entry.get("values"))
    assert session.completed
    return presses


def total_points(course: Path, exam: str, kinds: tuple[str, ...]) -> float:
    return sum(float(e["points"]) for e in keys(course, exam).values() if e["type"] in kinds)


def make_course(root: Path) -> RoomCourse:
    """A course at ``root``: the two exams released, 32 learners on the roster, every code issued."""
    from kynangso.course.course import gradebook, init_course, release
    from kynangso.room.codes import CodeBook

    root = init_course(root)
    release(root, list(EXAMS))
    with gradebook(root) as gb:
        for learner, family, given in LEARNERS:
            gb.update_or_create_student(learner, last_name=family, first_name=given)
    book = CodeBook(root)
    codes = book.issue([x[0] for x in LEARNERS])
    trainer = book.issue_trainer()
    book.save()
    return RoomCourse(root, codes, trainer)


@contextlib.contextmanager
def room_server(course: RoomCourse, log: Path) -> Iterator[Server]:
    """The room on a free port with econ-3 and gov-3 open; wrong-code waits short enough to test."""
    port = free_port()
    cmd = [
        sys.executable, "-m", "kynangso.room", "room", *EXAMS,
        "--course", str(course.root), "--port", str(port), "--ip", "127.0.0.1", "--cho-sai", "1",
    ]  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    with running(cmd, url + "/", log=log, timeout=60):
        yield Server(url, course)
