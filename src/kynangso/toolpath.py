"""Find the programs installed beside this Python even when its virtual environment is not activated.

nbgrader creates a gradebook by running ``alembic`` and grades with kernels found by name; a trainer who runs
``.venv/bin/kynangso`` (or ``kynangso.exe`` from a pip install) has not put that folder on PATH.
"""

from __future__ import annotations

import os
import sysconfig


def ensure_scripts_on_path() -> None:
    scripts = sysconfig.get_path("scripts")
    parts = os.environ.get("PATH", "").split(os.pathsep)
    if scripts and scripts not in parts:
        os.environ["PATH"] = os.pathsep.join([scripts, *parts])
