"""The department dashboard in a real Voilà server and a real Chromium at phone size."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.support import PHONE, REPO, free_port, http_get, running, voila_text

pytestmark = pytest.mark.e2e
APP = REPO / "voila_apps" / "bang-dieu-khien.ipynb"


@pytest.fixture(scope="module")
def dashboard(course: Path, tmp_path_factory: pytest.TempPathFactory) -> object:
    port = free_port()
    log = tmp_path_factory.mktemp("voila") / "voila.log"
    cmd = [sys.executable, "-m", "voila", str(APP), "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1"]
    with running(cmd, f"http://127.0.0.1:{port}/", env={"KYNANGSO_COURSE": str(course)}, log=log):
        yield f"http://127.0.0.1:{port}/"


def test_dashboard_renders_the_cohort(dashboard: str) -> None:
    status, page = http_get(dashboard)
    assert status == 200
    body = voila_text(page)
    assert "There was an error" not in body and "Traceback" not in body
    assert "Bảng điều khiển của Sở" in body
    # The figures live in widgets, drawn by the browser from the kernel: the browser test reads them.
    assert "application/vnd.jupyter.widget-view+json" in body
    assert "Chưa có khóa học" not in body and "Chưa đọc được" not in body


@pytest.mark.browser
def test_dashboard_filters_by_commune_on_a_phone(dashboard: str, chromium: object, output_dir: Path) -> None:
    page = chromium.new_page(viewport=PHONE)  # type: ignore[attr-defined]
    try:
        page.goto(dashboard, timeout=120_000)
        page.wait_for_selector("text=Độ phủ theo xã", timeout=120_000)
        page.screenshot(path=str(output_dir / "dashboard-all.png"), full_page=True)
        cards = page.locator(".kns-card").all_inner_texts()
        assert any(c.startswith("6") and "Thành viên" in c for c in cards), cards
        page.select_option("select", label="Phường Lào Cai")
        page.get_by_role("button", name="Cập nhật").click()
        page.wait_for_function(
            "() => [...document.querySelectorAll('.kns-card')].some(c => c.innerText.startsWith('3'))", timeout=60_000
        )
        text = page.inner_text("body")
        assert "Xã Phú Cát" not in text.split("Độ phủ theo xã", 1)[1]
        page.screenshot(path=str(output_dir / "dashboard-lao-cai.png"), full_page=True)
    finally:
        page.close()
