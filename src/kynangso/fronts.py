"""The three fronts and three levels every part of the system speaks of.

Identifiers are short ASCII words used in file and exam names; the Vietnamese names are what people see.
Exam (nbgrader assignment) names are ``<front>-<level>``, e.g. ``gov-2``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Front:
    id: str
    folder: str
    name: str


@dataclass(frozen=True)
class Level:
    number: int
    name: str
    digcomp: str


FRONTS: dict[str, Front] = {
    "gov": Front("gov", "digital-government", "Chính quyền số"),
    "econ": Front("econ", "digital-economy", "Kinh tế số"),
    "society": Front("society", "digital-society", "Xã hội số"),
}

LEVELS: dict[int, Level] = {
    1: Level(1, "Cơ bản", "DigComp 2.2 Foundation (1–2)"),
    2: Level(2, "Thành thạo", "DigComp 2.2 Intermediate (3–4)"),
    3: Level(3, "Hướng dẫn viên", "DigComp 2.2 Advanced (5–6)"),
}


def exam_name(front: str, level: int) -> str:
    if front not in FRONTS or level not in LEVELS:
        raise ValueError(f"unknown front/level: {front!r}, {level!r}")
    return f"{front}-{level}"


def parse_exam_name(name: str) -> tuple[str, int] | None:
    front, _, level = name.rpartition("-")
    if front in FRONTS and level.isdigit() and int(level) in LEVELS:
        return front, int(level)
    return None


def all_exams() -> list[str]:
    return [exam_name(f, lv) for f in FRONTS for lv in LEVELS]
