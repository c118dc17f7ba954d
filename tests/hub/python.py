"""A Python every account on the machine can run, for the hub tests.

The hub runs each person's server under their own system account with the hub's own Python. A Python installed
the usual way (/usr, /opt, a venv in a shared folder) is readable by all; this machine's lives under /root
(pyenv), which other accounts cannot enter. Then the tests build a small bridge: a venv on Debian's python3 of the
same minor version whose site folder points at the project's .venv (the same compiled packages), with the
Jupyter data and config folders linked and every console script re-pointed at it.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import sysconfig
from pathlib import Path

from tests.support import REPO

BRIDGE = REPO / ".venv" / "hub-python"
VERSION = f"{sys.version_info.major}.{sys.version_info.minor}"


def readable_by_all(path: Path) -> bool:
    path = path.resolve()
    for folder in path.parents:
        if not folder.stat().st_mode & stat.S_IXOTH:
            return False
    return bool(path.stat().st_mode & stat.S_IROTH and path.stat().st_mode & stat.S_IXOTH)


def shared_python() -> Path:
    """The interpreter the hub tests run JupyterHub with (its folder's scripts first on PATH)."""
    if readable_by_all(Path(sys.executable)) and readable_by_all(Path(sysconfig.get_path("stdlib"))):
        return Path(sys.executable)
    base = Path(f"/usr/bin/python{VERSION}")
    if not base.exists():
        raise RuntimeError(f"{sys.executable} is private and there is no {base} to share the packages with")
    python = BRIDGE / "bin" / "python"
    if not python.exists():
        subprocess.run([str(base), "-m", "venv", "--without-pip", str(BRIDGE)], check=True)
    site = Path(sysconfig.get_path("purelib"))
    bridge_site = BRIDGE / "lib" / f"python{VERSION}" / "site-packages"
    # addsitedir, not a plain path line: the project's editable install is itself a .pth file in that folder.
    (bridge_site / "kynangso-shared.pth").write_text(f"import site; site.addsitedir({str(site)!r})\n")
    venv = Path(sys.prefix)
    for name in ("share", "etc"):
        link = BRIDGE / name
        if not link.exists():
            link.symlink_to(venv / name)
    for script in (venv / "bin").iterdir():
        target = BRIDGE / "bin" / script.name
        if target.exists() or not script.is_file():
            continue
        try:
            first, rest = script.read_text(encoding="utf-8").split("\n", 1)
        except (UnicodeDecodeError, ValueError):
            continue
        if first.startswith("#!") and first[2:].strip().startswith(str(venv / "bin" / "python")):
            target.write_text(f"#!{python}\n{rest}", encoding="utf-8")
            os.chmod(target, 0o755)
    for folder in (BRIDGE, *BRIDGE.rglob("*")):
        if folder.is_dir() and not folder.is_symlink():
            os.chmod(folder, 0o755)
    return python


def node_tool(name: str) -> Path | None:
    """A program from the npm packages `make hub-tools` installs (configurable-http-proxy), or from PATH."""
    local = REPO / ".venv" / "node" / "node_modules" / ".bin" / name
    if local.exists():
        return local
    found = shutil.which(name)
    return Path(found) if found else None
