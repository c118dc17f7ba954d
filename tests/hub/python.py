"""A Python every account on the machine can run, for the hub tests.

The hub runs each person's server under their own system account with the hub's own Python. A Python installed
the usual way (/usr, /opt, a venv in a shared folder) is readable by all; this machine's lives under /root
(pyenv), which other accounts cannot enter. Then the tests copy that very interpreter (binary, libpython and the
standard library, not its site-packages) into .venv and build a small venv on it whose site folder points at the
project's .venv (the same packages), with the Jupyter data and config folders linked and every console script
re-pointed at it. A different patch release will not do: CPython 3.11.2's `re` cannot compile soupsieve's patterns.
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
BASE_COPY = REPO / ".venv" / "hub-python-base"
VERSION = f"{sys.version_info.major}.{sys.version_info.minor}"


def readable_by_all(path: Path) -> bool:
    path = path.resolve()
    for folder in path.parents:
        if not folder.stat().st_mode & stat.S_IXOTH:
            return False
    return bool(path.stat().st_mode & stat.S_IROTH and path.stat().st_mode & stat.S_IXOTH)


def _private_base_copy() -> tuple[Path, Path]:
    """A copy of this very CPython (binary, libpython, standard library without its site-packages) in a folder
    every account can read: the same patch release, so the project's compiled packages and .pyc files fit."""
    src = Path(sys.base_prefix)
    dest = BASE_COPY
    binary = dest / "bin" / f"python{VERSION}"
    if not binary.exists():
        shutil.rmtree(dest, ignore_errors=True)
        (dest / "bin").mkdir(parents=True)
        stdlib = Path(sysconfig.get_path("stdlib"))
        shutil.copytree(
            stdlib,
            dest / "lib" / stdlib.name,
            ignore=shutil.ignore_patterns("site-packages", "test", "__pycache__"),
            symlinks=True,
        )
        for lib in (src / "lib").glob("libpython*.so*"):
            shutil.copy2(lib, dest / "lib" / lib.name, follow_symlinks=False)
        shutil.copy2(src / "bin" / f"python{VERSION}", binary)
    return binary, dest / "lib"


def library_path() -> str:
    """LD_LIBRARY_PATH for the copied interpreter (empty when the project's own Python is shared already)."""
    return str(BASE_COPY / "lib") if BASE_COPY.exists() and (BRIDGE / "bin" / "python").exists() else ""


def shared_python() -> Path:
    """The interpreter the hub tests run JupyterHub with (its folder's scripts first on PATH; set
    LD_LIBRARY_PATH to ``library_path()``)."""
    if readable_by_all(Path(sys.executable)) and readable_by_all(Path(sysconfig.get_path("stdlib"))):
        return Path(sys.executable)
    base, libdir = _private_base_copy()
    env = {**os.environ, "LD_LIBRARY_PATH": str(libdir)}
    python = BRIDGE / "bin" / "python"
    if not python.exists():
        subprocess.run([str(base), "-m", "venv", "--without-pip", str(BRIDGE)], check=True, env=env)
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
    for folder in (BASE_COPY, BRIDGE, *BASE_COPY.rglob("*"), *BRIDGE.rglob("*")):
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
