"""Where the served content and the local data live.

In a checkout the workspace is the checkout itself. After ``pip install kynangso`` (a trainer's Windows laptop)
there is no checkout, so the content shipped inside the package is laid out once into a folder of the user's;
files the user has edited there are never overwritten.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

CONTENT_DIRS = ("curriculum", "voila_apps", "grading")
DATA_DIR_NAME = ".kynangso"
DEFAULT_WORKSPACE_ENV = "KYNANGSO_WORKSPACE"


@dataclass(frozen=True)
class Workspace:
    root: Path

    @property
    def data(self) -> Path:
        return self.root / DATA_DIR_NAME

    @property
    def course(self) -> Path:
        return self.data / "course"

    @property
    def exchange(self) -> Path:
        return self.data / "exchange"

    @property
    def jupyter_config(self) -> Path:
        return self.data / "jupyter"

    @property
    def curriculum(self) -> Path:
        return self.root / "curriculum"

    @property
    def voila_apps(self) -> Path:
        return self.root / "voila_apps"


def _is_content_root(path: Path) -> bool:
    return (path / "curriculum").is_dir() and (path / "voila_apps").is_dir()


def checkout_root() -> Path | None:
    """The source checkout this package runs from (an editable install), if any."""
    candidate = Path(__file__).resolve().parents[2]
    return candidate if _is_content_root(candidate) and (candidate / "pyproject.toml").is_file() else None


def bundled_content() -> Path | None:
    candidate = Path(__file__).resolve().parent / "_content"
    return candidate if candidate.is_dir() else None


def lay_out(target: Path, source: Path, names: tuple[str, ...] = CONTENT_DIRS) -> None:
    """Copy bundled content into ``target`` without touching files that already exist there."""
    for name in names:
        src = source / name
        if not src.is_dir():
            continue
        for path in src.rglob("*"):
            dest = target / name / path.relative_to(src)
            if path.is_dir():
                dest.mkdir(parents=True, exist_ok=True)
            elif not dest.exists():
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, dest)


def find_workspace(explicit: Path | None = None) -> Workspace:
    """The workspace to serve: an explicit folder, the current checkout, or the user's own copy of the content."""
    if explicit is None and os.environ.get(DEFAULT_WORKSPACE_ENV):
        explicit = Path(os.environ[DEFAULT_WORKSPACE_ENV])
    if explicit is None:
        here = Path.cwd().resolve()
        for folder in (here, *here.parents):
            if _is_content_root(folder) and (folder / "pyproject.toml").is_file():
                return Workspace(folder)
        root = checkout_root()
        if root is not None:
            return Workspace(root)
        explicit = Path.home() / "KyNangSo"
    explicit = explicit.expanduser().resolve()
    if not _is_content_root(explicit):
        source = checkout_root() or bundled_content()
        if source is None:
            raise FileNotFoundError(f"Không tìm thấy nội dung bài học để đặt vào {explicit}.")
        lay_out(explicit, source)
    return Workspace(explicit)
