"""Lessons: the lesson format (metadata schema, standard sections), self-checks, learner progress, syllabus and
handouts.

A lesson notebook needs only::

    from kynangso.lessons import start_lesson
    bai = start_lesson("orientation-01-vai-tro-cua-to")
    bai.tu_kiem_tra("c1")  # in a hidden cell whose metadata holds the question (docs/self-checks.md)

Importing this package is light: widgets load on first use.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from kynangso.lessons.answers import encode_answer, normalize_short

if TYPE_CHECKING:
    from kynangso.lessons.lesson import Lesson

__all__ = ["encode_answer", "normalize_short", "start_lesson"]


def start_lesson(lesson_id: str, notebook: str | Path | None = None) -> Lesson:
    from kynangso.lessons.lesson import start_lesson as _start

    return _start(lesson_id, notebook)


def __getattr__(name: str) -> Any:
    if name == "Lesson":
        from kynangso.lessons.lesson import Lesson

        return Lesson
    raise AttributeError(name)
