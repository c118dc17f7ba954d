"""Find, create and drive a course folder through nbgrader's own API (same code paths as its CLI)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from kynangso.course.config import COURSE_ID, ensure_course
from kynangso.course.locate import CourseError, read_config
from kynangso.fronts import all_exams


def is_course(folder: Path) -> bool:
    return (folder / "nbgrader_config.py").is_file() and (folder / "source").is_dir()


def init_course(
    root: Path,
    exchange: Path | None = None,
    bank: Path | None = None,
    course_id: str = COURSE_ID,
    db_url: str | None = None,
) -> Path:
    """A standard nbgrader course root with the nine exams built into ``source/`` and a gradebook listing them.

    ``db_url`` puts the gradebook on PostgreSQL (its database is created first when missing) instead of SQLite.
    Safe to re-run: existing configuration is kept; exams are rebuilt from the bank (unchanged files are not touched).
    """
    from kynangso.course.database import DatabaseError, ensure_database, normalize_url
    from kynangso.exams.bank import default_bank_folder, load_bank
    from kynangso.exams.build import build_all

    root = root.expanduser().resolve()
    # The shipped bank must hold all nine exams; a department's own bank may hold only those it gives.
    exams = load_bank(bank or default_bank_folder(), require_all=bank is None)
    if db_url is not None:
        try:
            db_url = normalize_url(db_url)
            ensure_database(db_url)
        except DatabaseError as exc:
            raise CourseError(str(exc)) from None
    ensure_course(root, exchange or root / "exchange", course_id, db_url=db_url)
    build_all(exams, root)
    with gradebook(root) as gb:
        for name in exams:
            gb.update_or_create_assignment(name)
    return root


def tools_on_path() -> None:
    from kynangso.toolpath import ensure_scripts_on_path

    ensure_scripts_on_path()


def gradebook(root: Path) -> Any:
    from nbgrader.api import Gradebook

    tools_on_path()

    cfg = read_config(root)
    return Gradebook(str(cfg.CourseDirectory.db_url), str(cfg.CourseDirectory.course_id))


def nbgrader_api(root: Path, **overrides: Any) -> Any:
    """nbgrader's own API on this course, configured exactly as its CLI would be from inside the folder."""
    from nbgrader.apps.api import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config

    tools_on_path()
    cfg = read_config(root)
    extra = Config()
    for key, value in overrides.items():
        section, _, name = key.partition(".")
        extra[section][name] = value
    cfg.merge(extra)
    coursedir = CourseDirectory(config=cfg)
    return NbGraderAPI(coursedir=coursedir, config=cfg)


def course_exams(root: Path) -> list[str]:
    """Every assignment of the course (a folder in ``source/``): the nine exams first in their order, then any
    other nbgrader assignment a trainer added."""
    folder = root / "source"
    found = {p.name for p in folder.iterdir() if p.is_dir() and any(p.glob("*.ipynb"))} if folder.is_dir() else set()
    ours = [name for name in all_exams() if name in found]
    return ours + sorted(found - set(ours))


def check(result: dict[str, Any], what: str) -> None:
    if not result.get("success"):
        detail = (result.get("error") or result.get("log") or "").strip().splitlines()[-5:]
        raise CourseError(f"{what} không thành công:\n" + "\n".join(detail))


def release(root: Path, exams: list[str]) -> list[str]:
    """Generate the student version of each exam (nbgrader generate_assignment) and release it to the exchange."""
    # Re-releasing replaces the copy in the exchange (a corrected exam), as `nbgrader release_assignment --force`.
    api = nbgrader_api(root, **{"ExchangeReleaseAssignment.force": True})
    done = []
    for name in exams:
        check(api.generate_assignment(name, force=True, create=True), f"Tạo bản phát cho học viên của {name}")
        check(api.release_assignment(name), f"Phát bài thi {name}")
        done.append(name)
    return done


def collect(root: Path, exams: list[str]) -> dict[str, list[str]]:
    """Collect submissions from the exchange into ``submitted/`` (nbgrader collect --update)."""
    api = nbgrader_api(root)
    found: dict[str, list[str]] = {}
    for name in exams:
        check(api.collect(name, update=True), f"Thu bài thi {name}")
        found[name] = submitted_students(root, name)
    return found


def submitted_students(root: Path, exam: str) -> list[str]:
    folder = root / "submitted"
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if (p / exam).is_dir())


def students(root: Path) -> list[str]:
    """Every learner the course knows: the gradebook's students and anyone who submitted."""
    with gradebook(root) as gb:
        known = {s.id for s in gb.students}
    submitted = root / "submitted"
    if submitted.is_dir():
        known |= {p.name for p in submitted.iterdir() if p.is_dir()}
    return sorted(known)


def private(path: Path) -> None:
    if os.name != "nt":
        os.chmod(path, 0o700)
