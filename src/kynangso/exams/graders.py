"""The hidden half of every exam test cell: grade an answer against the learner's own variant.

Only hidden test regions call these functions, and only while nbgrader autogrades: the keys live in
``<course>/answer_keys/<exam>.json`` (written by the build, never released), and the learner is the one named by the
folder nbgrader grades in. A wrong answer returns 0 points rather than raising, so no traceback, message or output
can carry any part of the key.
"""

from __future__ import annotations

import json
import os
import warnings
from functools import lru_cache
from pathlib import Path
from typing import Any

from kynangso.exams import qtypes
from kynangso.exams.build import KEYS_DIR
from kynangso.exams.variants import current_learner, practical_seed, variant_index

COURSE_ENV = "KYNANGSO_COURSE"


class KeysNotFound(RuntimeError):
    pass


def find_keys(exam: str, start: Path | None = None) -> Path:
    """``answer_keys/<exam>.json`` of the course: ``KYNANGSO_COURSE``, else the nearest folder above ``start``."""
    name = f"{exam}.json"
    explicit = os.environ.get(COURSE_ENV)
    if explicit and (Path(explicit) / KEYS_DIR / name).is_file():
        return Path(explicit) / KEYS_DIR / name
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / KEYS_DIR / name
        if candidate.is_file():
            return candidate
    raise KeysNotFound("Không tìm thấy đáp án của bài thi: chỉ máy chấm của khóa học mới chấm được bài này.")


@lru_cache(maxsize=16)
def _load(path: str) -> dict[str, Any]:
    with open(path, encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


def _entry(exam: str, question: str) -> dict[str, Any]:
    entry: dict[str, Any] = _load(str(find_keys(exam)))["questions"][question]
    return entry


def transcript_name(question: str) -> str:
    return f"{question}.transcript.json"


def score_answer(exam: str, question: str, entry: dict[str, Any], learner: str, answer: Any) -> float:
    """Points earned by ``answer`` for this learner's variant (0 or the question's points)."""
    key = entry["keys"][variant_index(exam, question, learner, int(entry["variants"]))]
    ok = qtypes.get(entry["type"]).is_correct(answer, key["answer"], float(key.get("tolerance", 0.0)))
    return float(entry["points"]) if ok else 0.0


def replay_practical(exam: str, question: str, entry: dict[str, Any], learner: str, path: Path) -> Any:
    """The replay of the learner's transcript under the learner's own seed, or None when it does not replay."""
    with warnings.catch_warnings():
        # Anything written to stderr in a test cell makes nbgrader give 0 points.
        warnings.simplefilter("ignore")
        from kynangso import sims  # type: ignore[attr-defined,unused-ignore]

        try:
            return sims.replay(entry["scenario"], path, seed=practical_seed(exam, question, learner))
        except sims.TranscriptError:
            return None


def practical_points(entry: dict[str, Any], result: Any) -> float:
    if result is None or not result.completed:
        return 0.0
    return round(float(entry["points"]) * max(0.0, min(1.0, float(result.score))), 2)


def cham(exam: str, question: str, answer: Any) -> float:
    """Points earned by ``answer`` (0 or the question's points)."""
    return score_answer(exam, question, _entry(exam, question), current_learner(exam), answer)


def cham_thuc_hanh(exam: str, question: str, folder: Path | None = None) -> float:
    """Points earned by the practical task: the learner's transcript replayed under the learner's own seed."""
    entry = _entry(exam, question)
    folder = folder or Path.cwd()
    path = folder / transcript_name(question)
    if not path.is_file():
        return 0.0
    learner = current_learner(exam, folder)
    return practical_points(entry, replay_practical(exam, question, entry, learner, path))
