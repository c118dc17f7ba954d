"""Lessons: the lesson format (metadata schema, standard sections), self-checks, learner progress, syllabus and
handouts.

A lesson notebook needs only::

    from kynangso.lessons import start_lesson
    bai = start_lesson("orientation-01-vai-tro-cua-to")
    bai.single_choice("c1", "Câu hỏi?", ["A", "B"], key="kns1-…", explanation="Vì …")

Importing this package is light: widgets load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kynangso.lessons.answers import encode_answer, normalize_short

if TYPE_CHECKING:
    from kynangso.lessons.lesson import Lesson

__all__ = ["encode_answer", "normalize_short", "start_lesson"]


def start_lesson(lesson_id: str) -> Lesson:
    from kynangso.lessons.lesson import start_lesson as _start

    return _start(lesson_id)


def __getattr__(name: str) -> Any:
    if name == "Lesson":
        from kynangso.lessons.lesson import Lesson

        return Lesson
    raise AttributeError(name)
