"""What the room keeps on disk under ``<course>/exam_room/``: which exams are open, and each learner's answers.

Every change is written at once (write, then rename), so a server restart, a dropped connection or a phone that
runs flat loses nothing: the learner signs in again and finds every answer where they left it.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from kynangso import atomic
from kynangso.room import ROOM_DIR
from kynangso.room.paper import RoomError

FORMAT = 1


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RoomError(f"{path}: không đọc được ({exc})") from None


class Store:
    def __init__(self, course: Path):
        self.root = course / ROOM_DIR
        self.room_path = self.root / "room.json"
        self.room: dict[str, Any] = {"schema_version": FORMAT, "open": {}}
        if self.room_path.exists():
            data = read_json(self.room_path)
            if not isinstance(data, dict) or not isinstance(data.get("open"), dict):
                raise RoomError(f"{self.room_path}: open: cần một bảng bài thi → thời gian làm bài")
            self.room = data
        self._papers: dict[tuple[str, str], dict[str, Any]] = {}

    # --- open exams ----------------------------------------------------------------------------------------------
    def open_exams(self) -> dict[str, Any]:
        return dict(self.room["open"])

    def set_open(self, exam: str, is_open: bool, minutes: int | None = None) -> None:
        if is_open:
            self.room["open"][exam] = {"minutes": minutes, "opened": time.time()}
        else:
            self.room["open"].pop(exam, None)
        atomic.write_json(self.room_path, self.room, parents=True, sort_keys=True)

    # --- learners' answers ---------------------------------------------------------------------------------------
    def _path(self, learner: str, exam: str) -> Path:
        return self.root / "answers" / learner / f"{exam}.json"

    def state(self, learner: str, exam: str) -> dict[str, Any]:
        key = (learner, exam)
        if key not in self._papers:
            path = self._path(learner, exam)
            if path.exists():
                data = read_json(path)
                if not isinstance(data, dict) or not isinstance(data.get("answers"), dict):
                    raise RoomError(f"{path}: answers: cần một bảng câu hỏi → câu trả lời")
            else:
                data = {
                    "schema_version": FORMAT,
                    "learner": learner,
                    "exam": exam,
                    "started": None,
                    "answers": {},
                    "practical": {},
                    "current": 1,
                    "submissions": [],
                }
            self._papers[key] = data
        return self._papers[key]

    def save(self, learner: str, exam: str) -> None:
        data = self._papers[(learner, exam)]
        data["updated"] = time.time()
        atomic.write_json(self._path(learner, exam), data, parents=True, sort_keys=True)

    def known_states(self) -> list[dict[str, Any]]:
        """Every learner's paper, from disk and memory (for the trainer page)."""
        folder = self.root / "answers"
        if folder.is_dir():
            for path in folder.glob("*/*.json"):
                self.state(path.parent.name, path.stem)
        return list(self._papers.values())
