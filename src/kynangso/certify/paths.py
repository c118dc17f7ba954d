"""Where certification files live by default; every command can override each path."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kynangso.workspace import Workspace, find_workspace


@dataclass(frozen=True)
class Places:
    workspace: Workspace
    policy: Path
    course: Path
    out: Path

    @property
    def gradebook_url(self) -> str:
        """The course's own gradebook, as its nbgrader config says (SQLite by default, PostgreSQL on a hub)."""
        from kynangso.course.locate import course_settings

        if (self.course / "nbgrader_config.py").is_file():
            return course_settings(self.course)["db_url"]
        return "sqlite:///" + str((self.course / "gradebook.db").resolve())


def places(
    workspace: Path | None = None, policy: Path | None = None, course: Path | None = None, out: Path | None = None
) -> Places:
    ws = find_workspace(workspace)
    return Places(
        workspace=ws,
        policy=policy or ws.root / "grading" / "policy.toml",
        course=course or _course_here() or ws.course,
        out=out or ws.data / "certificates",
    )


def _course_here() -> Path | None:
    """The course folder the command runs in, like every other course command; None outside one."""
    from kynangso.course.locate import CourseNotFound, find_course

    try:
        return find_course()
    except CourseNotFound:
        return None
