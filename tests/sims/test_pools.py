"""`sims serve --pool-for APP=N`: a class opening one app at once finds N kernels already running it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support import descendants, free_port, http_get, running

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def kernel_count(pid: int) -> int:
    return sum("ipykernel_launcher" in " ".join(p.cmdline()) for p in descendants(pid))


def test_pool_for_one_app(tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "voila.log"
    cmd = [
        sys.executable, "-m", "kynangso", "sims", "serve", "--port", str(port),
        "--pool-size", "0", "--pool-for", "dvc-khai-sinh=3",
    ]  # fmt: skip
    env = {"KYNANGSO_HOME": str(tmp_path), "KYNANGSO_SIMS_LOG": str(log)}
    with running(cmd, f"http://127.0.0.1:{port}/", env=env) as proc:
        deadline = time.monotonic() + 240
        while "dvc-khai-sinh.ipynb is filled with 3 kernel(s)" not in log.read_text(errors="replace"):
            assert time.monotonic() < deadline, log.read_text(errors="replace")[-2000:]
            time.sleep(0.5)
        assert kernel_count(proc.pid) == 3  # the other apps keep none (--pool-size 0)
        status, _ = http_get(f"http://127.0.0.1:{port}/voila/render/dvc-khai-sinh.ipynb", timeout=120)
        assert status == 200
        assert "Using pre-heated kernel" in log.read_text(errors="replace")


def test_pool_for_an_unknown_app_is_refused(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kynangso", "sims", "serve", "--pool-for", "khong-co=3"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "KYNANGSO_HOME": str(tmp_path)},
    )
    assert done.returncode == 2 and "khong-co" in done.stderr
