"""One real `kynangso sims serve` (standalone Voilà, preheated kernels) shared by the Voilà and browser tests."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support import free_port, running


@dataclass(frozen=True)
class SimsServer:
    base: str
    log: Path


@pytest.fixture(scope="package")
def sims_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimsServer]:
    home = tmp_path_factory.mktemp("kynangso-home")
    logs = tmp_path_factory.mktemp("logs")
    port = free_port()
    cmd = [sys.executable, "-m", "kynangso", "sims", "serve", "--port", str(port), "--pool-size", "1"]
    base = f"http://127.0.0.1:{port}"
    # `sims serve` keeps Voilà's own log beside the workspace; point it at the test's folder instead.
    with running(cmd, f"{base}/", env={"KYNANGSO_HOME": str(home), "KYNANGSO_SIMS_LOG": str(logs / "voila.log")}):
        yield SimsServer(base, logs / "voila.log")
