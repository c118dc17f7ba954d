"""The lessons of a curriculum folder, in teaching order: front, then level, then file name."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kynangso.fronts import FRONTS
from kynangso.lessons import notebook as nbmod
from kynangso.lessons.notebook import FRONT_ORDER, NotebookError

# Folders of curriculum/ that hold no lessons.
NOT_LESSONS = ("trainer-kit", ".ipynb_checkpoints")
FRONT_FOLDERS: dict[str, str] = {"orientation": "orientation", **{f.id: f.folder for f in FRONTS.values()}}


@dataclass(frozen=True)
class LessonInfo:
    path: Path  # relative to the curriculum folder, POSIX style in output
    id: str
    title: str
    front: str
    level: int
    minutes_teaching: int
    minutes_practice: int
    objectives: tuple[str, ...]
    platforms: tuple[str, ...]
    simulations: tuple[str, ...]
    sources: tuple[str, ...]
    questions: tuple[str, ...] = ()
    key_points: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()

    @classmethod
    def from_meta(cls, path: Path, meta: dict[str, Any]) -> LessonInfo:
        return cls(
            path=path,
            id=str(meta["id"]),
            title=str(meta["title"]),
            front=str(meta["front"]),
            level=int(meta["level"]),
            minutes_teaching=int(meta["minutes_teaching"]),
            minutes_practice=int(meta["minutes_practice"]),
            objectives=tuple(meta["objectives"]),
            questions=tuple(meta.get("questions", ())),
            key_points=tuple(meta.get("key_points", ())),
            requires=tuple(meta.get("requires", ())),
            platforms=tuple(meta["platforms"]),
            simulations=tuple(meta["simulations"]),
            sources=tuple(meta["sources"]),
        )

    @property
    def sort_key(self) -> tuple[int, int, str]:
        front = FRONT_ORDER.index(self.front) if self.front in FRONT_ORDER else len(FRONT_ORDER)
        return (front, self.level, self.path.as_posix())


def notebook_paths(curriculum: Path) -> list[Path]:
    """Every notebook that may be a lesson (absolute paths, sorted)."""
    found = []
    for path in sorted(curriculum.rglob("*.ipynb")):
        rel = path.relative_to(curriculum)
        if any(part in NOT_LESSONS or part.startswith(".") for part in rel.parts):
            continue
        found.append(path)
    return found


def lessons(curriculum: Path) -> list[LessonInfo]:
    """Lessons with readable metadata, in teaching order; run ``validate`` first to hear about the others."""
    result = []
    for path in notebook_paths(curriculum):
        try:
            meta = nbmod.read(path).meta
        except NotebookError:
            continue
        if meta is None:
            continue
        try:
            result.append(LessonInfo.from_meta(path.relative_to(curriculum), meta))
        except (KeyError, TypeError, ValueError):
            continue
    return sorted(result, key=lambda info: info.sort_key)


def curriculum_root(path: Path) -> Path:
    """The curriculum folder a lesson belongs to: the nearest folder named curriculum, else the folder above its
    front folder (a copy of a few lessons elsewhere), else its own folder."""
    here = path.resolve().parent
    for folder in (here, *here.parents):
        if folder.name == "curriculum":
            return folder
    return here.parent if here.name in FRONT_FOLDERS.values() else here


def lesson_titles(curriculum: Path) -> dict[str, str]:
    """Lesson id -> title for every notebook under a curriculum folder that has both (valid or not)."""
    found: dict[str, str] = {}
    for path in notebook_paths(curriculum):
        try:
            meta = nbmod.read(path).meta
        except NotebookError:
            continue
        if meta and isinstance(meta.get("id"), str):
            found.setdefault(meta["id"], nbmod.nfc(str(meta.get("title", meta["id"]))))
    return found


def find_curriculum(start: Path | None = None) -> Path | None:
    """The curriculum folder next to where a notebook runs (voila_apps/ → ../curriculum), else the workspace's."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "curriculum").is_dir():
            return folder / "curriculum"
        if folder.name == "curriculum" and folder.is_dir():
            return folder
    from kynangso.workspace import checkout_root

    root = checkout_root()
    return root / "curriculum" if root else None
