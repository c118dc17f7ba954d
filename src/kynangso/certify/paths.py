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
        return "sqlite:///" + str((self.course / "gradebook.db").resolve())


def places(
    workspace: Path | None = None, policy: Path | None = None, course: Path | None = None, out: Path | None = None
) -> Places:
    ws = find_workspace(workspace)
    return Places(
        workspace=ws,
        policy=policy or ws.root / "grading" / "policy.toml",
        course=course or ws.course,
        out=out or ws.data / "certificates",
    )
