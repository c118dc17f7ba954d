"""The ipywidgets view, driven without a kernel: set values, click buttons, read the HTML it draws."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from kynangso.sims import embed, replay
from kynangso.sims.solver import solve
from kynangso.sims.view import SimApp


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KYNANGSO_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    return tmp_path / "home"


def click_through(app: SimApp, entries: list[dict[str, Any]]) -> None:
    for e in entries:
        if e["type"] == "restart":
            app.tools["restart"].click()
            continue
        assert app.session.screen_id == e["screen"]
        for fid, value in e.get("values", {}).items():
            app.fields[fid].value = value
        app.buttons[e["action"]].click()


def html_of(app: SimApp) -> str:
    return "".join(getattr(c, "value", "") for c in (app.progress, app.screen_html, app.feedback, app.persona))


@pytest.mark.parametrize("scenario_id", ["dvc-khai-sinh", "nhan-dien-lua-dao", "thanh-toan-vietqr"])
def test_click_to_the_goal_records_progress(scenario_id: str, home: Path) -> None:
    app = embed(scenario_id, mode="luyen-tap", seed=17)
    assert isinstance(app, SimApp)
    entries = solve(app.scenario, 17)
    assert entries
    click_through(app, entries)
    assert app.session.completed
    assert "Kết quả" in app.feedback.value and "Điểm: 100/100" in app.feedback.value
    assert all(b.disabled for b in app.buttons.values())
    progress = json.loads((home / "progress.json").read_text(encoding="utf-8"))
    assert progress["simulations"][scenario_id]["luyen-tap"]["completed"] is True


def test_screen_is_drawn_like_the_site_with_the_learners_data() -> None:
    app = embed("dvc-khai-sinh", seed=5)
    assert "https://dichvucong.gov.vn" in app.chrome.value
    assert "Cổng Dịch vụ công quốc gia" in app.screen_html.value
    assert app.session.data["cccd"] in app.persona.value
    assert "kns-web" in app.device._dom_classes
    for text in (app.head.value, app.screen_html.value, app.persona.value, app.intro.value):
        assert unicodedata.is_normalized("NFC", text)
    app.buttons["dang-nhap"].click()
    app.buttons["vneid"].click()
    app.buttons["quet-qr"].click()
    app.buttons["mo-vneid"].click()
    assert "kns-app" in app.device._dom_classes and "kns-web" not in app.device._dom_classes


def test_field_errors_show_next_to_the_field() -> None:
    app = embed("dvc-khai-sinh", seed=5)
    app.buttons["dang-nhap"].click()
    app.buttons["vneid"].click()
    app.fields["cccd"].value = "123"
    app.fields["mat_khau"].value = app.session.data["mat_khau"]
    app.buttons["dang-nhap"].click()
    assert "12 chữ số" in app.errors["cccd"].value
    assert app.errors["mat_khau"].value == ""
    assert "kns-fb-invalid" in app.feedback.value


def test_guided_mode_highlights_the_next_action_and_explains_it() -> None:
    app = embed("dvc-khai-sinh", mode="huong-dan", seed=5)
    assert "kns-next" in app.buttons["dang-nhap"]._dom_classes
    assert "kns-next" not in app.buttons["dang-ky"]._dom_classes
    assert "Hướng dẫn" in app.feedback.value
    app.buttons["dang-nhap"].click()
    app.buttons["vneid"].click()
    assert "kns-guide" in app.fields["cccd"]._dom_classes
    assert app.session.data["cccd"] in app.feedback.value


def test_practice_mode_hints_on_request_and_explains_traps() -> None:
    app = embed("nhan-dien-lua-dao", seed=5)
    assert "Hướng dẫn" not in app.feedback.value
    app.buttons["mo-ngan-hang"].click()
    app.tools["hint"].click()
    assert "Gợi ý" in app.feedback.value and app.session.data["tong_dai"] in app.feedback.value
    app.buttons["doc-otp"].click()
    assert "kns-fb-trap" in app.feedback.value and "Không bao giờ chia sẻ mã OTP" in app.feedback.value


def test_assessment_writes_the_transcript_after_every_action(tmp_path: Path) -> None:
    app = embed("nhan-dien-lua-dao", mode="kiem-tra", seed=8)
    assert app.tools["hint"].layout.display == "none" and "mode" not in app.tools
    path = tmp_path / "nhan-dien-lua-dao.transcript.json"
    assert not path.exists()
    app.buttons["mo-dau-tu"].click()
    assert len(json.loads(path.read_text(encoding="utf-8"))["entries"]) == 1
    app.buttons["nap-thu"].click()
    assert "Đã ghi nhận" in app.feedback.value and "Lãi vài chục" not in app.feedback.value
    app.tools["restart"].click()
    entries = solve(app.scenario, 8)
    assert entries
    click_through(app, entries)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["scenario"] == "nhan-dien-lua-dao" and doc["seed"] == 8 and doc["mode"] == "kiem-tra"
    assert {"type": "restart"} in doc["entries"]
    graded = replay("nhan-dien-lua-dao", path, 8)
    assert graded.to_dict() == doc["result"]
    assert graded.completed and graded.traps_hit == ["dau-tu-lai-cao"] and graded.score == 0.75
    assert "Bài làm đã được lưu" in app.feedback.value
    assert not list(tmp_path.glob(".*.tmp"))


def test_explicit_transcript_path(tmp_path: Path) -> None:
    target = tmp_path / "bai-thi" / "gov-2-thuc-hanh.json"
    app = embed("dvc-khai-sinh", mode="kiem-tra", seed=1, transcript_path=target)
    app.buttons["dang-ky"].click()
    assert json.loads(target.read_text(encoding="utf-8"))["entries"][0]["action"] == "dang-ky"


def test_mode_switch_keeps_the_citizen_and_starts_over() -> None:
    app = embed("dvc-khai-sinh", mode="luyen-tap", seed=3)
    cccd = app.session.data["cccd"]
    app.buttons["dang-nhap"].click()
    app.tools["mode"].value = "huong-dan"
    assert app.session.mode == "huong-dan" and app.session.screen_id == "trang-chu"
    assert app.session.data["cccd"] == cccd
    assert "Hướng dẫn" in app.head.value


def test_restart_and_progress_bar() -> None:
    app = embed("nhan-dien-lua-dao", seed=3)
    app.buttons["mo-thong-bao-xa"].click()
    app.buttons["tin-that"].click()
    assert "Đã xử lý 1/9 việc" in app.progress.value
    assert app.buttons["mo-thong-bao-xa"].disabled and app.buttons["mo-thong-bao-xa"].description.startswith("✓")
    app.tools["restart"].click()
    assert "Đã xử lý 0/9 việc" in app.progress.value and not app.buttons["mo-thong-bao-xa"].disabled


def test_bad_arguments() -> None:
    from kynangso.sims import UnknownScenario

    with pytest.raises(UnknownScenario, match="Không có mô phỏng 'khong-co'"):
        embed("khong-co")
    with pytest.raises(ValueError, match="chế độ"):
        embed("dvc-khai-sinh", mode="thi")


def test_a_transcript_that_cannot_be_written_is_reported(tmp_path: Path) -> None:
    blocker = tmp_path / "khong-phai-thu-muc"
    blocker.write_text("x", encoding="utf-8")
    app = embed("dvc-khai-sinh", mode="kiem-tra", seed=1, transcript_path=blocker / "bai.json")
    app.buttons["dang-nhap"].click()
    assert "Chưa lưu được bài làm" in app.feedback.value and "giám thị" in app.feedback.value
    assert app.session.screen_id == "chon-tai-khoan"  # the learner's work goes on; nothing is lost in memory
