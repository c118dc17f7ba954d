"""The "Kiểm tra chứng nhận" Voilà app: its logic without a kernel, then a real Voilà server and real Chromium, where
a forged credential that brings its own issuer profile is refused."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kynangso.certify.app import check_upload, verdict_html, verifier
from tests.certify.conftest import FORGER_NAME, FORGER_URL, World, make_world
from tests.support import PHONE, REPO, free_port, http_get, running

APP = REPO / "voila_apps" / "kiem-tra-chung-nhan.ipynb"


def test_upload_logic_gives_vietnamese_verdicts(world: World) -> None:
    store = world.trust_store().root
    pdf = world.files(".pdf")[0]
    ok = check_upload("chung-nhan.pdf", pdf.read_bytes(), store)
    assert ok.status == "valid"
    page = verdict_html(ok)
    assert "HỢP LỆ" in page and "kns-valid" in page and ok.name in page
    bad = check_upload("gia.jwt", b"eyJhbGciOiJSUzI1NiJ9.e30.AAAA", store)
    assert bad.status == "forged" and "GIẢ MẠO" in verdict_html(bad)
    empty = check_upload("x.pdf", pdf.read_bytes(), world.root / "khong-co")
    assert empty.status == "unverifiable" and "kynangso trust add" in empty.reasons[0]


def test_widget_reacts_to_an_upload(world: World) -> None:
    app = verifier(world.trust_store().root)
    _, upload, result = app.children
    pdf = world.files(".pdf")[0]
    upload.value = (
        {
            "name": pdf.name,
            "type": "application/pdf",
            "size": pdf.stat().st_size,
            "content": memoryview(pdf.read_bytes()),
            "last_modified": datetime.now(UTC),
        },
    )
    assert "HỢP LỆ" in result.value and pdf.stem in result.value


def _voila(port: int, world: World, tmp: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "voila",
        str(APP),
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--ServerApp.port_retries=0",
    ]


def _upload(page, path: Path) -> None:  # type: ignore[no-untyped-def]
    # ipywidgets' FileUpload keeps its <input type=file> out of the DOM and clicks it from the button.
    with page.expect_file_chooser(timeout=30_000) as chooser:
        page.locator("button", has_text="Chọn tệp hoặc ảnh").click()
    chooser.value.set_files(str(path))


@pytest.mark.e2e
@pytest.mark.browser
def test_app_in_real_voila_and_chromium(world: World, tmp_path: Path, chromium, output_dir: Path) -> None:  # type: ignore[no-untyped-def]
    port = free_port()
    verifier_ws = world.trust_store().root.parents[1]  # <workspace>/.kynangso/trust
    # A forger's own "department": another key, issuer id and name, with its own issuer.json and status list.
    forged_out = make_world(tmp_path / "ke-gia-mao", FORGER_URL, FORGER_NAME).out
    assert (forged_out / "issuer.json").is_file() and (forged_out / "status-list.jwt").is_file()
    env = {"KYNANGSO_WORKSPACE": str(verifier_ws), "KYNANGSO_HOME": str(tmp_path)}
    url = f"http://127.0.0.1:{port}/"
    with running(_voila(port, world, tmp_path), url, env=env, cwd=APP.parent, log=output_dir / "voila.log"):
        status, body = http_get(url)
        assert status == 200
        assert "application/vnd.jupyter.widget-view+json" in body  # the app's widget was rendered
        for sign_of_error in ("Traceback", "application/vnd.jupyter.stderr", '"ename"', "jp-OutputArea-error"):
            assert sign_of_error not in body, sign_of_error
        page = chromium.new_page(viewport=PHONE)
        try:
            page.goto(url, timeout=90_000)
            page.get_by_text("Kiểm tra chứng nhận Kỹ Năng Số").wait_for(timeout=90_000)
            _upload(page, world.files(".pdf")[0])
            page.get_by_text("HỢP LỆ").wait_for(timeout=60_000)
            assert page.get_by_text(world.files(".pdf")[0].stem).count() >= 1
            page.screenshot(path=str(output_dir / "hop-le.png"), full_page=True)
            forged = tmp_path / "gia.jwt"
            text = world.files(".jwt")[0].read_text(encoding="ascii").strip()
            forged.write_text(text[:-5] + ("A" if text[-5] != "A" else "B") + text[-4:], encoding="ascii")
            _upload(page, forged)
            page.get_by_text("GIẢ MẠO").wait_for(timeout=60_000)
            page.screenshot(path=str(output_dir / "gia-mao.png"), full_page=True)
            _upload(page, sorted(forged_out.glob("KNS-*.pdf"))[0])
            page.get_by_text("KHÔNG RÕ ĐƠN VỊ CẤP").wait_for(timeout=60_000)
            verdict = page.locator(".kns-verdict").inner_text()
            assert "HỢP LỆ" not in verdict and "Dấu vân tay khóa ký" in verdict
            assert FORGER_NAME in verdict  # named only as its unverified claim
            page.screenshot(path=str(output_dir / "khong-ro-don-vi-cap.png"), full_page=True)
        finally:
            page.close()
