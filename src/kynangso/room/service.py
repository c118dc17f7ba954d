"""What every request of the room shares: the course, codes, open exams, papers and practical runs.

All of it lives on the server's one event loop, so handlers never race on it; only slow work (checking a code,
writing a submission) goes to a thread, behind a lock per paper.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import time
from pathlib import Path
from typing import Any

from kynangso.room import ROOM_DIR
from kynangso.room.codes import CodeBook, Throttle
from kynangso.room.paper import RoomError, is_answered, paper, released, takes_answer
from kynangso.room.practical import Practical
from kynangso.room.store import Store
from kynangso.room.submit import write_submission


def _names(course: Path) -> dict[str, str]:
    """Learner id -> full name, from the gradebook's students (the course roster)."""
    from kynangso.course.course import gradebook

    with gradebook(course) as gb:
        return {s.id: " ".join(x for x in (s.last_name, s.first_name) if x) or s.id for s in gb.students}


def cookie_secret(course: Path) -> str:
    """A cookie secret kept with the room, so signed-in phones stay signed in when the server restarts."""
    path = course / ROOM_DIR / "cookie-secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    return path.read_text().strip()


class Room:
    """Everything the handlers share; all of it runs on the server's one event loop."""

    def __init__(self, course: Path, open_exams: list[str] | None = None, throttle: Throttle | None = None):
        self.course = course
        # Scratch folders of submissions cut short by a crash: never renamed into submitted/, safe to drop.
        shutil.rmtree(course / ROOM_DIR / "tmp", ignore_errors=True)
        self.codes = CodeBook(course)
        self._codes_stamp = self.codes.path.stat().st_mtime_ns if self.codes.path.exists() else 0
        self.store = Store(course)
        self.available = released(course)
        self.names = _names(course)
        self.throttle = throttle or Throttle()
        self.seen: dict[str, dict[str, Any]] = {}
        self.papers: dict[tuple[str, str], dict[str, Any]] = {}
        self.practicals: dict[tuple[str, str, str], Practical] = {}
        self.locks: dict[tuple[str, str], asyncio.Lock] = {}
        if open_exams is not None:
            for exam in self.store.open_exams():
                if exam not in open_exams:
                    self.store.set_open(exam, False)
            for exam in open_exams:
                self.check_exam(exam)
                if exam not in self.store.open_exams():
                    self.store.set_open(exam, True)

    def refresh_codes(self) -> None:
        """Pick up codes issued by ``kynangso exam cards`` while the room is running."""
        path = self.codes.path
        stamp = path.stat().st_mtime_ns if path.exists() else 0
        if stamp != self._codes_stamp:
            self.codes = CodeBook(self.course)
            self.names = _names(self.course)
            self._codes_stamp = stamp

    def check_exam(self, exam: str) -> None:
        if exam not in self.available:
            shown = ", ".join(self.available) or "chưa có bài nào"
            raise RoomError(
                f"{self.course / 'release' / exam}: bài thi {exam} chưa được phát (đã phát: {shown}); "
                f"chạy “kynangso exam release {exam}” trước"
            )

    def paper(self, learner: str, exam: str) -> dict[str, Any]:
        key = (learner, exam)
        if key not in self.papers:
            self.papers[key] = paper(self.course, exam, learner)
        return self.papers[key]

    def practical(self, learner: str, exam: str, question: dict[str, Any]) -> Practical:
        key = (learner, exam, question["id"])
        if key not in self.practicals:
            saved = self.store.state(learner, exam)["practical"].get(question["id"], {})
            self.practicals[key] = Practical(exam, question, learner, list(saved.get("entries", [])))
        return self.practicals[key]

    def progress(self, learner: str, exam: str) -> tuple[int, int]:
        state = self.store.state(learner, exam)
        questions = self.paper(learner, exam)["questions"]
        done = sum(is_answered(q, state["answers"], state["practical"]) for q in questions)
        return done, len(questions)

    def remaining(self, state: dict[str, Any]) -> float | None:
        deadline = state.get("deadline")
        return None if deadline is None else max(0.0, deadline - time.time())

    def start(self, learner: str, exam: str) -> dict[str, Any]:
        state = self.store.state(learner, exam)
        if state.get("started") is None:
            state["started"] = time.time()
            minutes = self.store.open_exams().get(exam, {}).get("minutes")
            state["deadline"] = state["started"] + 60 * minutes if minutes else None
            self.store.save(learner, exam)
        return state

    async def submit(self, learner: str, exam: str) -> dict[str, str]:
        lock = self.locks.setdefault((learner, exam), asyncio.Lock())
        async with lock:
            state = self.store.state(learner, exam)
            paper_ = self.paper(learner, exam)
            transcripts = {
                q["id"]: self.practical(learner, exam, q).document()
                for q in paper_["questions"]
                if not takes_answer(q) and state["practical"].get(q["id"], {}).get("entries")
            }
            loop = asyncio.get_running_loop()
            done = await loop.run_in_executor(
                None, write_submission, self.course, exam, learner, paper_, dict(state["answers"]), transcripts
            )
            record = {"at": time.time(), "receipt": done["receipt"], "timestamp": done["timestamp"]}
            if done["history"] and state["submissions"]:
                state["submissions"][-1]["history"] = done["history"]
            state["submissions"].append(record)
            state["dirty"] = False
            self.store.save(learner, exam)
            return done

    async def close(self, exam: str) -> list[str]:
        """Close an exam; hand in, as they stand, the papers of learners who answered and did not submit since."""
        self.store.set_open(exam, False)
        handed = []
        for state in list(self.store.known_states()):
            if state["exam"] == exam and state.get("dirty") and state["learner"] in self.codes.learners:
                await self.submit(state["learner"], exam)
                handed.append(state["learner"])
        return handed
