"""The build tools for the static site, pinned and installed on first use into a folder of their own.

JupyterLite's lock addon needs ``pyodide-lock``, which needs Python 3.12 or newer; the project itself runs on
3.11. So the tools get their own virtual environment made with the first Python >= 3.12 found (``$KYNANGSO_SITE_PYTHON``,
``python3.13``/``python3.12`` on PATH, pyenv's versions, or ``uv python find``). The Pyodide core comes from the
npm package ``pyodide`` at exactly the version the kernel was built for, fetched with ``npm pack``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path

# One JupyterLite stack, known to work offline together: change these three together, then run the site tests.
REQUIREMENTS = [
    "jupyterlite-core[contents]==0.8.6",
    "jupyterlite-pyodide-kernel[lock]==0.8.6",
    "jupyterlab_widgets>=3.0.15,<4",  # the widget manager's lab extension, matching ipywidgets 8.1
]
PYTHON_ENV = "KYNANGSO_SITE_PYTHON"
MIN_PYTHON = (3, 12)
# Files of the npm package that a page loads; the rest (consoles, type stubs, source maps) only cost space.
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "package.json")


class ToolError(RuntimeError):
    """Why the build tools could not be set up, in Vietnamese, with what to do."""


@dataclass(frozen=True)
class Tools:
    python: Path  # the tool environment's interpreter
    pyodide: Path  # the Pyodide core folder, lock emptied
    pyodide_version: str

    @property
    def jupyter(self) -> list[str]:
        return [str(self.python), "-m", "jupyter"]


def _version_of(python: str) -> tuple[int, int] | None:
    try:
        out = subprocess.run(
            [python, "-c", "import sys; print(*sys.version_info[:2])"], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    parts = out.stdout.split()
    if out.returncode != 0 or len(parts) != 2:
        return None  # a pyenv shim for a version that is not selected, say
    return int(parts[0]), int(parts[1])


def candidates() -> list[str]:
    found = [os.environ[PYTHON_ENV]] if os.environ.get(PYTHON_ENV) else []
    found.append(sys.executable)
    for name in ("python3.14", "python3.13", "python3.12"):
        if shutil.which(name):
            found.append(str(shutil.which(name)))
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    if pyenv.is_dir():
        found += [str(p) for p in sorted(pyenv.glob("3.1[2-9]*/bin/python3"), reverse=True)]
    if shutil.which("uv"):
        out = subprocess.run(["uv", "python", "find", ">=3.12"], capture_output=True, text=True, check=False)
        if out.returncode == 0 and out.stdout.strip():
            found.append(out.stdout.strip())
    return found


def find_python() -> str:
    for python in candidates():
        version = _version_of(python)
        if version and version >= MIN_PYTHON:
            return python
    raise ToolError(
        "Cần Python 3.12 trở lên để dựng trang học ngoại tuyến (công cụ pyodide-lock đòi hỏi). "
        f"Cài python3.13 (Debian 13: apt-get install python3.13-venv) hoặc chỉ đường bằng biến {PYTHON_ENV}."
    )


def _stamp(env: Path) -> Path:
    return env / ".kynangso-requirements.json"


def ensure_env(env: Path, log: Path) -> Path:
    """The tool environment's interpreter, (re)installed when the pinned requirements changed."""
    python = env / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    wanted = json.dumps(REQUIREMENTS)
    if python.exists() and _stamp(env).exists() and _stamp(env).read_text(encoding="utf-8") == wanted:
        return python
    base = find_python()
    print(f"Đang cài công cụ dựng trang (một lần, vài phút) bằng {base}…", flush=True)
    shutil.rmtree(env, ignore_errors=True)
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        for cmd in ([base, "-m", "venv", str(env)], [str(python), "-m", "pip", "install", "--quiet", *REQUIREMENTS]):
            if subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, check=False).returncode != 0:
                raise ToolError(f"Không cài được công cụ dựng trang; xem nhật ký {log}")
    _stamp(env).write_text(wanted, encoding="utf-8")
    return python


def kernel_pyodide_version(python: Path) -> str:
    out = subprocess.run(
        [str(python), "-c", "from jupyterlite_pyodide_kernel.constants import PYODIDE_VERSION as v; print(v)"],
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def ensure_pyodide(cache: Path, version: str, log: Path) -> Path:
    """The Pyodide core at ``version``, its lock's package list emptied.

    The lock that ships with the core lists several hundred packages on a CDN; emptied, it makes the lock addon
    resolve every package the kernel needs into local wheels instead, so the page never reaches for the CDN.
    """
    folder = cache / f"pyodide-{version}"
    if (folder / "pyodide-lock.json").is_file():
        return folder
    npm = shutil.which("npm")
    if npm is None:
        raise ToolError("Cần npm (Node.js) để tải lõi Pyodide: cài gói nodejs và npm.")
    cache.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        done = subprocess.run(
            [npm, "pack", f"pyodide@{version}", "--pack-destination", str(cache)],
            stdout=subprocess.PIPE,
            stderr=out,
            text=True,
            check=False,
        )
    if done.returncode != 0:
        raise ToolError(f"Không tải được gói npm pyodide@{version}; xem nhật ký {log}")
    tgz = cache / done.stdout.strip().splitlines()[-1]
    tmp = cache / f".pyodide-{version}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    with tarfile.open(tgz) as tar:
        for name in (*PYODIDE_FILES, "pyodide-lock.json"):
            member = tar.getmember(f"package/{name}")
            source = tar.extractfile(member)
            assert source is not None
            (tmp / name).write_bytes(source.read())
    lock = json.loads((tmp / "pyodide-lock.json").read_text(encoding="utf-8"))
    lock["packages"] = {}
    (tmp / "pyodide-lock.json").write_text(json.dumps(lock, indent=1), encoding="utf-8")
    shutil.rmtree(folder, ignore_errors=True)
    tmp.rename(folder)
    tgz.unlink()
    return folder


def ensure_tools(cache: Path) -> Tools:
    log = cache / "tools.log"
    python = ensure_env(cache / "env", log)
    version = kernel_pyodide_version(python)
    return Tools(python, ensure_pyodide(cache, version, log), version)
