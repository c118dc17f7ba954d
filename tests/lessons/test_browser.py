"""In a real Voilà server and a real Chromium at phone size: a lesson's self-check works with a thumb, the answer
is recorded, the trainer notes are hidden from the learner, and the "Tiến độ của tôi" page shows the progress."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.lessons.model import answer_the_model_self_check
from tests.support import PHONE, REPO, free_port, running

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.slow]
TIMEOUT_MS = 90_000


def test_selfcheck_and_progress_page_on_a_phone(chromium, tmp_path: Path, output_dir: Path) -> None:  # type: ignore[no-untyped-def]
    home = tmp_path / "home"
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "voila",
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--ServerApp.port_retries=0",
        str(REPO),
    ]
    base = f"http://127.0.0.1:{port}"
    with running(cmd, f"{base}/", env={"KYNANGSO_HOME": str(home)}, log=output_dir / "voila.log"):
        page = chromium.new_page(viewport=PHONE)
        try:
            page.goto(f"{base}/voila/render/curriculum/orientation/01-vai-tro-cua-to.ipynb", timeout=TIMEOUT_MS)
            answer_the_model_self_check(page, output_dir / "tu-kiem-tra.png", TIMEOUT_MS)
            # The reader view shows the key points and hides the trainer notes (cells tagged "trainer").
            assert page.get_by_role("heading", name="Ghi nhớ").is_visible()
            notes = page.locator(".celltag_trainer")
            assert notes.count() == 1 and "Ghi chú cho giảng viên" in notes.inner_text() and not notes.is_visible()
            assert page.get_by_role("heading", name="Ghi chú cho giảng viên").count() == 0
            # The self-check cells' code never shows; their explanation only after an answer.
            assert page.get_by_text('bai.tu_kiem_tra("c1")').count() == 0
            assert page.get_by_text("Nghị định 55/2025 là về việc hợp nhất bộ").count() == 0

            data = json.loads((home / "progress.json").read_text(encoding="utf-8"))
            assert data["selfchecks"]["orientation-01-vai-tro-cua-to"]["c2"]["correct"] is True

            # Put-the-steps-in-order, by tapping the steps one after another.
            page.goto(f"{base}/voila/render/curriculum/orientation/02-dien-thoai-co-ban.ipynb", timeout=TIMEOUT_MS)
            order = page.locator(".kns-check").filter(has_text="Sắp xếp các bước cài một ứng dụng")
            steps = [
                "Mở CH Play",
                "Gõ tên ứng dụng vào ô tìm kiếm",
                "Xem tên nhà phát triển, số lượt tải, đánh giá",
                "Bấm “Cài đặt”",
                "Mở ứng dụng, đọc kỹ rồi mới cho phép các quyền",
            ]
            for step in steps:
                order.get_by_role("button", name=step, exact=True).click(timeout=TIMEOUT_MS)
            order.get_by_role("button", name="Kiểm tra đáp án").click()
            order.get_by_text("Đúng rồi!").wait_for(timeout=TIMEOUT_MS)
            order.scroll_into_view_if_needed()
            page.screenshot(path=str(output_dir / "sap-xep.png"))

            page.goto(f"{base}/voila/render/voila_apps/tien-do.ipynb", timeout=TIMEOUT_MS)
            page.get_by_text("Việc nên làm tiếp:").wait_for(timeout=TIMEOUT_MS)
            assert page.get_by_text("tự kiểm tra đúng 1/6").count() == 1  # lesson 01
            assert page.get_by_text("tự kiểm tra đúng 1/5").count() == 1  # lesson 02
            assert page.get_by_text("Đang học").count() >= 1
            page.screenshot(path=str(output_dir / "tien-do.png"), full_page=True)
        finally:
            page.close()
