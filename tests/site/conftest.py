"""One real `kynangso site build` per test session (it installs the pinned JupyterLite tools on first use)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import REPO


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "trang-hoc"
    # The tools and the Pyodide core are kept in the checkout's data folder between runs (minutes to install).
    env = {**os.environ, "KYNANGSO_SITE_CACHE": str(REPO / ".kynangso" / "site-build")}
    done = subprocess.run(
        [sys.executable, "-m", "kynangso", "site", "build", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Đã dựng trang" in done.stdout
    return out
