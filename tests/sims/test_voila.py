"""Every voila_apps notebook renders in a real Voilà server started by `kynangso sims serve`; Ctrl-C stops it."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import psutil
import pytest

from tests.sims.conftest import SimsServer
from tests.support import REPO, assert_all_gone, descendants, free_port, http_get, read_until, running, wait_http

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

NOTEBOOKS = sorted(p.name for p in (REPO / "voila_apps").glob("*.ipynb"))
ERROR = re.compile(
    r"Traceback \(most recent call last\)|There was an error when executing cell|show_tracebacks=True|Kernel died"
    r'|output_type\\?"\s*:\s*\\?"error'
)


def test_every_scenario_has_an_app_notebook() -> None:
    from kynangso.sims import list_scenarios

    assert "gallery.ipynb" in NOTEBOOKS
    for info in list_scenarios():
        assert f"{info.id}.ipynb" in NOTEBOOKS
        nb = nbformat.read(REPO / "voila_apps" / f"{info.id}.ipynb", as_version=4)
        assert len(nb.cells) <= 3


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_notebook_renders_without_error(sims_server: SimsServer, notebook: str) -> None:
    status, page = http_get(f"{sims_server.base}/voila/render/{notebook}", timeout=120)
    assert status == 200
    match = ERROR.search(page)
    assert match is None, f"{notebook}: {page[max(0, match.start() - 300) : match.end() + 300]}"


def test_gallery_links_every_scenario_relatively(sims_server: SimsServer) -> None:
    from kynangso.sims import list_scenarios

    _, page = http_get(f"{sims_server.base}/voila/render/gallery.ipynb", timeout=120)
    for info in list_scenarios():
        # Output is embedded as JSON in the page, so quotes are escaped.
        assert f'href=\\"{info.id}.ipynb\\"' in page


def test_apps_are_served_from_preheated_kernels(sims_server: SimsServer) -> None:
    assert http_get(f"{sims_server.base}/voila/render/nhan-dien-lua-dao.ipynb", timeout=120)[0] == 200
    log = sims_server.log.read_text(encoding="utf-8", errors="replace")
    assert "Using pre-heated kernel" in log and "for nhan-dien-lua-dao.ipynb" in log


def test_serve_prints_the_address_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    port = free_port()
    cmd = [sys.executable, "-m", "kynangso", "sims", "serve", "--port", str(port), "--pool-size", "0"]
    proc = subprocess.Popen(
        cmd,
        cwd=REPO,
        env={**os.environ, "KYNANGSO_HOME": str(tmp_path)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        # Ctrl-C only once the command itself said it is ready (its own check of the server may lag ours).
        said = read_until(proc, "Ctrl-C")
        wait_http(f"http://127.0.0.1:{port}/voila/render/gallery.ipynb", timeout=120, proc=proc)
        kids = descendants(proc.pid)
        assert any("voila" in " ".join(p.cmdline()) for p in kids)
        proc.send_signal(signal.SIGINT)
        rest, _ = proc.communicate(timeout=60)
        out = "\n".join(said) + "\n" + rest
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, out
    assert f"http://127.0.0.1:{port}/voila/render/gallery.ipynb" in out
    assert "Máy chủ mô phỏng đã sẵn sàng" in out and "Đã dừng máy chủ mô phỏng" in out
    assert_all_gone(kids)


def test_idle_kernels_are_culled(tmp_path: Path) -> None:
    from kynangso.sims.serve import voila_command

    port = free_port()
    cmd = voila_command(REPO / "voila_apps", port, "127.0.0.1", pool_size=0, cull_seconds=2)
    base = f"http://127.0.0.1:{port}"
    with running(cmd, f"{base}/", env={"KYNANGSO_HOME": str(tmp_path)}, log=tmp_path / "voila.log") as proc:
        # Watch while the page renders: on a busy machine the render can outlast the 2 s the kernel may idle.
        seen: list[int] = []
        rendering = threading.Event()

        def watch() -> None:
            while not rendering.is_set():
                seen.extend(p.pid for p in kernels(proc.pid))
                time.sleep(0.1)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        try:
            assert http_get(f"{base}/voila/render/gallery.ipynb", timeout=120)[0] == 200
        finally:
            rendering.set()
            watcher.join()
        assert seen, "rendering the gallery should have started a kernel"
        deadline = time.monotonic() + 60
        while kernels(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert not kernels(proc.pid), "an idle kernel was not culled"
    assert "Culling" in (tmp_path / "voila.log").read_text(encoding="utf-8", errors="replace")


def kernels(pid: int) -> list[psutil.Process]:
    out = []
    for p in descendants(pid):
        with contextlib.suppress(psutil.Error):
            if "ipykernel_launcher" in " ".join(p.cmdline()):
                out.append(p)
    return out
