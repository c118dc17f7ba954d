"""`make start` / `kynangso start`: one server with lessons, the Voilà gallery and Formgrader; Ctrl-C stops it all."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import subprocess
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import pytest

from kynangso.fronts import all_exams
from tests.support import DESKTOP, PHONE, REPO, assert_all_gone, descendants, free_port, read_until

pytestmark = pytest.mark.e2e

ERROR_MARKERS = ("Traceback (most recent call last)", "There was an error when executing cell", "Kernel died")


@dataclass
class Hub:
    proc: subprocess.Popen[str]
    urls: dict[str, str]
    output: list[str] = field(default_factory=list)
    workspace: Path = Path()


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    workspace = tmp_path_factory.mktemp("workspace")
    port = free_port()
    env = {**os.environ, "KYNANGSO_WORKSPACE": str(workspace), "KYNANGSO_HOME": str(workspace / "home")}
    # Exactly what a trainer types; Makefile stamps make it skip the install when .venv is up to date.
    proc = subprocess.Popen(
        ["make", "-s", "start", f"PORT={port}", "START_ARGS=--no-browser"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        start_new_session=True,
    )
    try:
        lines = read_until(proc, "Ctrl-C")
        urls = {}
        for key, label in (("lab", "Bài học"), ("gallery", "Mô phỏng"), ("formgrader", "Chấm thi")):
            match = next(re.search(r"(http://\S+)", line) for line in lines if label in line)
            assert match, lines
            urls[key] = match.group(1)
        yield Hub(proc, urls, lines, workspace)
    finally:
        if proc.poll() is None:
            for p in descendants(proc.pid):
                p.kill()
            proc.kill()
        proc.wait(30)


def _get(url: str) -> tuple[int, str]:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    with opener.open(url, timeout=120) as resp:
        return resp.status, resp.read().decode("utf-8", "replace")


def test_prints_the_addresses_in_vietnamese(hub: Hub) -> None:
    text = "\n".join(hub.output)
    assert "Kỹ Năng Số đã sẵn sàng" in text
    assert "/lab/tree/curriculum" in hub.urls["lab"]
    # The simulations' address sets the _xsrf cookie, then opens Voilà's gallery (tests/reader for why).
    assert "/kynangso/mo-phong/" in hub.urls["gallery"]
    assert hub.urls["formgrader"].split("?")[0].endswith("/formgrader")


def test_embedded_course_uses_sqlite_and_local_exchange(hub: Hub) -> None:
    data = hub.workspace / ".kynangso"
    config = (data / "course" / "nbgrader_config.py").read_text(encoding="utf-8")
    assert "sqlite:///" in config and "Exchange.root" in config
    assert (data / "exchange").is_dir()
    # Formgrader has the nine exams to release from the first start.
    assert sorted(p.name for p in (data / "course" / "source").iterdir()) == sorted(all_exams())


@pytest.mark.parametrize("key", ["lab", "gallery", "formgrader"])
def test_serves_page_without_error(hub: Hub, key: str) -> None:
    status, body = _get(hub.urls[key])
    assert status == 200
    for marker in ERROR_MARKERS:
        assert marker not in body, f"{key}: {marker}"
    if key == "formgrader":
        assert "nbgrader" in body.lower()
    if key == "gallery":
        assert "voila" in body.lower()


@pytest.mark.browser
@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_gallery_renders_in_chromium(hub: Hub, chromium: object, output_dir: Path, size: dict[str, int]) -> None:
    page = chromium.new_page(viewport=size)  # type: ignore[attr-defined]
    try:
        page.goto(hub.urls["gallery"], timeout=120_000)
        # Voilà renders cell outputs once the kernel has run them; the gallery's links to simulations appear then.
        page.wait_for_selector("a[href$='.ipynb']", timeout=120_000)
        page.screenshot(path=str(output_dir / "gallery.png"), full_page=True)
        text = page.inner_text("body")
        assert "Mô phỏng" in text or "mô phỏng" in text
        for marker in ERROR_MARKERS:
            assert marker not in text
    finally:
        page.close()


def test_ctrl_c_stops_the_server_and_every_child(hub: Hub) -> None:
    # Runs last in this module: it stops the shared server, as a trainer pressing Ctrl-C would.
    children = descendants(hub.proc.pid)
    assert any("jupyter" in " ".join(p.cmdline()) or "jupyterlab" in " ".join(p.cmdline()) for p in children)
    _get(hub.urls["gallery"])  # leaves a Voilà kernel running, which must be stopped too
    kids_with_kernels = descendants(hub.proc.pid)
    # Ctrl-C in a terminal signals the whole foreground process group (make and kynangso).
    os.killpg(hub.proc.pid, signal.SIGINT)
    rest, _ = hub.proc.communicate(timeout=60)
    assert "Đã dừng máy chủ" in rest, rest
    assert_all_gone([p for p in kids_with_kernels if _alive(p)])


def _alive(p: psutil.Process) -> bool:
    try:
        return p.is_running() and p.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
