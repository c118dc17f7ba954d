"""The built site in a phone-sized Chromium served by a plain static server, every request off loopback refused:
a self-check in a lesson is answered and saved in the browser, then a simulation starts and takes a step."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from kynangso.sims import load_scenario
from kynangso.sims.solver import solve
from tests.sims.test_browser import fill
from tests.support import PHONE, free_port, running

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.slow]
KERNEL_TIMEOUT = 240_000  # a first kernel start on a busy 2-core machine
LESSON = "bai-hoc/orientation/02-dien-thoai-co-ban.ipynb"
SCENARIO = "dvc-khai-sinh"
MAX_MB = 60


def test_site_is_complete_and_small(site: Path) -> None:
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    print(f"site size: {size / 2**20:.1f} MB")
    assert size < MAX_MB * 2**20
    marker = json.loads((site / "kns-site.json").read_text(encoding="utf-8"))
    assert LESSON in marker["pages"] and f"mo-phong/{SCENARIO}.ipynb" in marker["pages"]
    lock = json.loads((site / "static" / "pyodide-lock" / "pyodide-lock.json").read_text(encoding="utf-8"))
    for name, pkg in lock["packages"].items():
        assert "://" not in pkg["file_name"], f"{name} would be fetched from {pkg['file_name']}"
        assert (site / "static" / "pyodide-lock" / pkg["file_name"]).resolve().is_file(), name
    assert {"kynangso", "ipywidgets", "micropip", "pyodide-kernel"} <= set(lock["packages"])
    settings = json.loads((site / "jupyter-lite.json").read_text(encoding="utf-8"))["jupyter-config-data"]
    kernel = settings["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]
    assert kernel["disablePyPIFallback"] is True and kernel["pyodideUrl"].startswith("./static/pyodide/")
    lesson = json.loads((site / "files" / LESSON).read_text(encoding="utf-8"))
    assert not any("Ghi chú cho giảng viên" in "".join(c["source"]) for c in lesson["cells"])


def wait_ready(page: Any) -> None:
    page.wait_for_selector("body[data-kns-ready]", timeout=KERNEL_TIMEOUT)
    assert page.get_attribute("body", "data-kns-ready") == "1", page.inner_text("#kns-status")


def test_lesson_and_simulation_work_with_the_network_off(
    site: Path, chromium: Any, output_dir: Path, tmp_path: Path
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    refused: list[str] = []
    cmd = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(site)]
    with running(cmd, base, log=tmp_path / "http.log"):
        context = chromium.new_context(viewport=PHONE)

        def only_loopback(route: Any) -> None:
            url = route.request.url
            if url.startswith(base) or url.startswith(("data:", "blob:")):
                route.continue_()
            else:
                refused.append(url)
                route.abort()

        context.route("**/*", only_loopback)
        try:
            page = context.new_page()
            page.goto(base)
            page.screenshot(path=str(output_dir / "0-home.png"), full_page=True)
            t0 = time.perf_counter()
            page.click("a:has-text('Chiếc điện thoại thông minh đầu tiên')")
            wait_ready(page)
            check = page.locator(".kns-check").filter(has_text="Zalo")
            check.locator("button:text-is('Sai')").click()
            check.locator("button:has-text('Kiểm tra đáp án')").click()
            check.locator("text=Đúng rồi!").wait_for(timeout=30_000)
            first_widget = time.perf_counter() - t0
            check.scroll_into_view_if_needed()
            page.screenshot(path=str(output_dir / "1-self-check.png"))
            # Saved in the browser: the home page shows it after leaving the lesson.
            page.click("#kns-bar a")
            page.wait_for_function(
                "document.querySelector('[data-key=\"orientation-02-dien-thoai-co-ban\"] .state').textContent"
                ".includes('1/1 câu tự kiểm tra đã làm đúng')",
                timeout=30_000,
            )
            page.screenshot(path=str(output_dir / "2-home-progress.png"), full_page=True)

            scenario = load_scenario(SCENARIO)
            page.click(f"[data-key='{SCENARIO}'] a")
            wait_ready(page)
            page.wait_for_selector(f".kns-screen-{scenario.start}", timeout=60_000)
            seed = int(page.inner_text(".kns-foot").rsplit(":", 1)[1])
            entry = solve(scenario, seed)[0]
            fill(page, SCENARIO, entry["screen"], entry.get("values", {}))
            page.click(f".kns-screen-{entry['screen']} .kns-action-{entry['action']}")
            page.wait_for_selector(f".kns-screen-{solve(scenario, seed)[1]['screen']}", timeout=60_000)
            page.screenshot(path=str(output_dir / "3-simulation.png"))
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"] + 1
        finally:
            context.close()
    print(f"time to the first working widget (fresh browser, first open): {first_widget:.1f} s")
    (output_dir / "figures.json").write_text(json.dumps({"first_widget_s": first_widget}), encoding="utf-8")
    assert refused == [], f"the page asked the internet for: {refused}"
