"""Grade open answers the way a trainer does: through Formgrader's own HTTP API on a real Jupyter server."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.support import free_port, running


class Formgrader:
    def __init__(self, base: str, token: str):
        self.base, self.token = base, token

    def call(self, method: str, path: str, body: Any = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(f"{self.base}{path}", data=data, method=method)
        req.add_header("Authorization", f"token {self.token}")
        with urllib.request.urlopen(req, timeout=60) as resp:
            text = resp.read().decode("utf-8")
        return json.loads(text) if text.startswith(("[", "{")) else text

    def grade_open_answer(self, exam: str, student: str, score: float | None, criteria_met: bool = True) -> str:
        """Type a manual score for the student's open answer (None: full marks), and for each of its required
        criteria full points (met) or 0; returns the Formgrader page of the submission."""
        submissions = self.call("GET", f"/formgrader/api/submitted_notebooks/{exam}/{exam}")
        sub = next(s for s in submissions if s["student"] == student)
        grades = self.call("GET", f"/formgrader/api/grades?submission_id={sub['id']}")
        for g in grades:
            if g["name"].startswith("open-"):
                points = g["max_score"] if score is None else score
            elif g["name"].startswith("tieu-chi-"):
                points = g["max_score"] if criteria_met else 0.0
            else:
                continue
            self.call("PUT", f"/formgrader/api/grade/{g['id']}", {"manual_score": points, "extra_credit": 0})
        return str(self.call("GET", f"/formgrader/submissions/{sub['id']}/"))


@contextlib.contextmanager
def formgrader(course: Path, log: Path) -> Iterator[Formgrader]:
    port, token = free_port(), "kynangso-test"
    cmd = [
        sys.executable,
        "-m",
        "jupyter_server",
        "--no-browser",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={course}",
        f"--IdentityProvider.token={token}",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    url = f"http://127.0.0.1:{port}"
    with running(cmd, f"{url}/formgrader/api/status?token={token}", env={"PATH": path}, cwd=course, log=log):
        yield Formgrader(url, token)
