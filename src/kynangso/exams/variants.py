"""Which version of each question a learner gets, and who the learner is.

Everything is a pure function of (exam, question id, learner id), so the learner's notebook (at answer time) and
the autograder (later, elsewhere) agree without storing anything.

Who is the learner?
- at autograde time nbgrader runs the notebook in ``autograded/<student>/<exam>/``: the folder names the learner,
  exactly as nbgrader filed the submission (fetch/submit, collect or zip_collect);
- at answer time the notebook runs in the learner's own Jupyter server: ``KYNANGSO_LEARNER`` if the deployment
  sets it, otherwise the same rule nbgrader's ``submit`` uses to name the submission (the operating-system user,
  or ``JUPYTERHUB_USER`` when the server runs as the generic ``jovyan`` user of a JupyterHub container).
"""

from __future__ import annotations

import getpass
import hashlib
import os
import re
from pathlib import Path

LEARNER_ENV = "KYNANGSO_LEARNER"
LEARNER_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
GRADING_STEPS = ("autograded", "submitted")


def _digest(*parts: str) -> int:
    return int.from_bytes(hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()[:8], "big")


def variant_index(exam: str, question: str, learner: str, count: int) -> int:
    if count <= 0:
        raise ValueError("a question needs at least one variant")
    return _digest("variant", exam, question, learner) % count


def practical_seed(exam: str, question: str, learner: str) -> int:
    """The simulation seed of a learner's practical task; a transcript made under another seed fails replay."""
    return _digest("seed", exam, question, learner) % (2**31 - 1)


def display_order(exam: str, question: str, variant: int, size: int) -> list[int]:
    """A fixed shuffle of the steps of an "order" question (indices into the steps in their correct order)."""
    return sorted(range(size), key=lambda i: _digest("order", exam, question, str(variant), str(i)))


def learner_from_path(folder: Path, exam: str) -> str | None:
    """The student id when ``folder`` is ``<course>/{autograded,submitted}/<student>/<exam>``."""
    parts = folder.resolve().parts
    if len(parts) >= 3 and parts[-1] == exam and parts[-3] in GRADING_STEPS:
        return parts[-2]
    return None


def current_learner(exam: str, folder: Path | None = None) -> str:
    """The learner whose exam this kernel is running (see the module docstring)."""
    found = learner_from_path(folder or Path.cwd(), exam)
    if found:
        return found
    explicit = os.environ.get(LEARNER_ENV, "").strip()
    if explicit:
        return explicit
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = ""
    if user == "jovyan":
        user = os.environ.get("JUPYTERHUB_USER", user)
    return user or "hoc-vien"
