"""The folders of a submission: what identifies it, and the ``autograded/`` copy nbgrader's later steps read.

The autograded folder is laid out as ``nbgrader autograde`` lays it out — the learner's other files, then the
assignment's own files over them, the graded notebooks, every file read-only — and is replaced whole: it is
built beside its place and renamed in, so a grader killed mid-way never leaves a half-written one.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

# nbgrader's CourseDirectory.ignore default: files never copied between steps.
IGNORE = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]
MAX_FILES_BYTES = 64 * 1024 * 1024


def _ignored(name: str, patterns: list[str]) -> bool:
    return any(fnmatch.fnmatch(name, p) for p in patterns)


def files_of(folder: Path, patterns: list[str] | None = None, notebooks: bool = False) -> dict[str, Path]:
    """Relative path -> file, for the files nbgrader would copy (notebooks only when asked)."""
    patterns = IGNORE if patterns is None else patterns
    found: dict[str, Path] = {}
    if not folder.is_dir():
        return found
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not _ignored(d, patterns))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if _ignored(name, patterns) or path.is_symlink():
                continue
            if name.endswith(".ipynb") and not notebooks:
                continue
            found[path.relative_to(folder).as_posix()] = path
    return found


def submission_sha(folder: Path) -> str:
    """One digest of everything the learner submitted: a resubmission, even of one byte, is a new submission."""
    digest = hashlib.sha256()
    for rel, path in files_of(folder, notebooks=True).items():
        digest.update(rel.encode("utf-8") + b"\0")
        try:
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        except OSError:
            digest.update(b"?")
    return digest.hexdigest()


def support_files(submitted: Path, source: Path, patterns: list[str] | None = None) -> dict[str, Path]:
    """The files beside the notebooks in the autograded folder: the learner's, then the assignment's over them."""
    files = files_of(submitted, patterns)
    files.update(files_of(source, patterns))
    return files


def write_autograded(dest: Path, files: dict[str, Path], notebooks: dict[str, dict[str, Any]]) -> None:
    """Replace ``dest`` with ``files`` and the graded ``notebooks`` (name -> notebook data), all read-only."""
    tmp = dest.with_name(f".{dest.name}.dang-cham")
    _remove(tmp)
    tmp.mkdir(parents=True)
    for rel, path in files.items():
        target = tmp / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    for name, nb in notebooks.items():
        (tmp / f"{name}.ipynb").write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for dirpath, _, filenames in os.walk(tmp):
        for name in filenames:
            os.chmod(Path(dirpath) / name, 0o444)
    old = dest.with_name(f".{dest.name}.cu")
    _remove(old)
    if dest.exists():
        dest.rename(old)
    tmp.rename(dest)
    _remove(old)


def _remove(path: Path) -> None:
    if path.exists():
        shutil.rmtree(path)
