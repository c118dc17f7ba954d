"""Real Chromium clicks a whole scenario to its goal in the Voilà app, at phone and desktop size."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kynangso.sims import Session, load_scenario
from kynangso.sims.solver import solve
from tests.sims.conftest import SimsServer
from tests.support import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.e2e, pytest.mark.slow]

TIMEOUT = 60_000
# The screen whose filled-in form is worth a screenshot.
FORM_SCREEN = {
    "dvc-khai-sinh": "to-khai",
    "nhan-dien-lua-dao": "ngan-hang-5656",
    "thanh-toan-vietqr": "chuyen-lon",
    "so-suc-khoe-vneid": "dang-nhap",
    "vneid-kich-hoat": "mat-khau",
    "mo-gian-hang": "ten-mo-ta",
}


def fill(page: Any, scenario_id: str, screen_id: str, values: dict[str, Any]) -> None:
    fields = {f.id: f for f in load_scenario(scenario_id).screens[screen_id].fields}
    for fid, value in values.items():
        box = f".kns-field-{fid}"
        kind = fields[fid].kind
        if kind == "select":
            page.select_option(f"{box} select", label=value)
        elif kind == "file":
            page.click(f"{box} button:text-is('{value}')")
        elif kind == "checkbox":
            page.check(f"{box} input[type=checkbox]")
        elif kind == "textarea":
            page.fill(f"{box} textarea", value)
        else:
            page.fill(f"{box} input", value)


@pytest.mark.parametrize(
    ("scenario_id", "size"),
    [
        ("dvc-khai-sinh", PHONE),
        ("dvc-khai-sinh", DESKTOP),
        ("nhan-dien-lua-dao", PHONE),
        ("thanh-toan-vietqr", PHONE),
        ("so-suc-khoe-vneid", PHONE),
        ("vneid-kich-hoat", PHONE),
        ("mo-gian-hang", PHONE),
    ],
    ids=[
        "dvc-khai-sinh-phone",
        "dvc-khai-sinh-desktop",
        "nhan-dien-lua-dao-phone",
        "thanh-toan-vietqr-phone",
        "so-suc-khoe-vneid-phone",
        "vneid-kich-hoat-phone",
        "mo-gian-hang-phone",
    ],
)
def test_click_a_scenario_to_the_goal(
    sims_server: SimsServer, chromium: Any, output_dir: Path, scenario_id: str, size: dict[str, int]
) -> None:
    name = "phone" if size == PHONE else "desktop"
    scenario = load_scenario(scenario_id)
    page = chromium.new_page(viewport=size)
    try:
        page.goto(f"{sims_server.base}/voila/render/gallery.ipynb", timeout=TIMEOUT)
        link = f"a.kns-open[href='{scenario_id}.ipynb']"
        page.wait_for_selector(link, timeout=TIMEOUT)
        page.screenshot(path=str(output_dir / f"{name}-0-gallery.png"), full_page=True)
        page.click(link)
        page.wait_for_selector(f".kns-screen-{scenario.start}", timeout=TIMEOUT)
        seed = int(page.inner_text(".kns-foot").rsplit(":", 1)[1])
        data = Session(scenario, seed=seed).data
        persona = page.inner_text(".kns-persona")
        assert data[next(k for k in ("cccd", "tong_dai", "stk_chu") if k in data)] in persona
        page.locator(".kns-device").scroll_into_view_if_needed()
        page.screenshot(path=str(output_dir / f"{name}-1-start.png"), full_page=True)
        entries = solve(scenario, seed)
        assert entries
        for i, entry in enumerate(entries):
            fill(page, scenario_id, entry["screen"], entry.get("values", {}))
            if entry["screen"] == FORM_SCREEN[scenario_id]:
                page.locator(
                    f".kns-screen-{entry['screen']} .kns-action-{entry['action']}"
                ).scroll_into_view_if_needed()
                page.screenshot(path=str(output_dir / f"{name}-2-form.png"), full_page=True)
            button = page.locator(f".kns-screen-{entry['screen']} .kns-action-{entry['action']}")
            box = button.bounding_box()
            assert box is not None and box["height"] >= 44, "touch targets must be at least 44 px high"
            assert box["x"] >= 0 and box["x"] + box["width"] <= size["width"] + 1, "button overflows the screen"
            button.click()
            after = entries[i + 1]["screen"] if i + 1 < len(entries) else None
            page.wait_for_selector(f".kns-screen-{after}" if after else ".kns-completed", timeout=TIMEOUT)
        page.wait_for_selector(".kns-fb-done", timeout=TIMEOUT)
        text = page.inner_text(".kns-sim")
        assert "Hoàn thành!" in text and "Điểm: 100/100" in text
        page.locator(".kns-fb-done").first.scroll_into_view_if_needed()
        page.screenshot(path=str(output_dir / f"{name}-3-goal.png"), full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= size["width"] + 1, f"page is {width}px wide at {size['width']}px"
    finally:
        page.close()
