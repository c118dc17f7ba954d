"""Signing in on a phone: the card's QR fills in the learner id (never the code), a typed id is forgiving, and the
lobby shows only what it means to show."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.room.helpers import RoomCourse, Server
from tests.room.test_sign_in import card_code, cards
from tests.support import PHONE

pytestmark = pytest.mark.e2e
ADDRESS = "http://192.168.1.10:8870/"


def test_card_qr_opens_the_room_with_the_id_and_never_the_code(room_template: RoomCourse, tmp_path: Path) -> None:
    from kynangso.certify.qr import decode_image
    from kynangso.course.course import gradebook

    root = tmp_path / "khoa-hoc"
    shutil.copytree(room_template.root, root)
    with gradebook(root) as gb:
        gb.update_or_create_student("nguyen-thi-hang-1990", last_name="Nguyễn Thị", first_name="Hằng")
    pdf = tmp_path / "the.pdf"
    assert cards("--course", str(root), "--out", str(pdf), "--dia-chi", ADDRESS, "nguyen-thi-hang-1990") == 0
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "trang")], check=True
    )
    found = decode_image(next(tmp_path.glob("trang*.png")))
    assert found == [f"{ADDRESS}?hv=nguyen-thi-hang-1990"]
    code = card_code(pdf, "nguyen-thi-hang-1990").replace(" ", "")
    assert code not in found[0]


@pytest.mark.parametrize("typed", ["HOC-VIEN-11", "  hoc vien 11 ", "Học Viên 11", "hoc_vien_11."])
def test_a_typed_id_is_forgiving(shared_server: Server, typed: str) -> None:
    code = shared_server.course.codes["hoc-vien-11"]
    status, body = shared_server.client().sign_in(typed, code)
    assert status == 200, body
    assert body["learner"] == "hoc-vien-11"


@pytest.mark.browser
def test_qr_link_on_a_phone_needs_only_the_code(shared_server: Server, chromium: Any, output_dir: Path) -> None:
    from kynangso.room.cards import sign_in_url

    learner = "hoc-vien-12"
    context = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(sign_in_url(shared_server.url + "/", learner))
        page.wait_for_selector("#learner", timeout=10_000)
        assert page.input_value("#learner") == learner
        assert page.evaluate("document.activeElement.id") == "code"
        page.screenshot(path=str(output_dir / "dang-nhap-qr.png"))
        page.fill("#code", shared_server.course.codes[learner])
        page.click("#sign-in")
        page.wait_for_selector(".exam", timeout=10_000)
        lobby = page.inner_text("#app")
        assert lobby.startswith("Chào anh/chị ")
        assert "null" not in lobby and "undefined" not in lobby
        page.screenshot(path=str(output_dir / "sanh.png"), full_page=True)
        # Another learner's QR on the same phone does not carry on as the first one.
        page.goto(sign_in_url(shared_server.url + "/", "hoc-vien-13"))
        page.wait_for_selector("#learner", timeout=10_000)
        assert page.input_value("#learner") == "hoc-vien-13"
    finally:
        context.close()
