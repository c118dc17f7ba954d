"""The engine: the platform's own validation rules, the three modes, traps, scoring, restart, seeded data."""

from __future__ import annotations

import re

import pytest

from kynangso.sims import Session, UnknownAction, load_scenario
from kynangso.sims.engine import NEUTRAL, OPTION_REFUSED
from kynangso.sims.solver import right_value
from kynangso.sims.text import to_html

VNEID_PASSWORD = r"(?=.*[a-z])(?=.*[A-Z])(?=.*\d)(?=.*[^A-Za-z0-9]).{8,20}"


def at_login(mode: str = "luyen-tap", seed: int = 4) -> Session:
    s = Session(load_scenario("dvc-khai-sinh"), mode, seed)
    s.act("dang-nhap")
    s.act("vneid")
    assert s.screen_id == "dang-nhap-vneid"
    return s


def test_id_number_must_have_12_digits() -> None:
    s = at_login()
    fb = s.act("dang-nhap", {"cccd": "12345", "mat_khau": s.data["mat_khau"]})
    assert fb.kind == "invalid"
    assert fb.errors["cccd"] == "Số định danh cá nhân phải gồm đúng 12 chữ số."
    assert s.screen_id == "dang-nhap-vneid" and s.mistakes == 1


def test_password_policy_and_wrong_password() -> None:
    s = at_login()
    fb = s.act("dang-nhap", {"cccd": s.data["cccd"], "mat_khau": "matkhau123"})
    assert "chữ hoa, chữ thường, chữ số và ký tự đặc biệt" in fb.errors["mat_khau"]
    fb = s.act("dang-nhap", {"cccd": s.data["cccd"], "mat_khau": "Abcdef1!x"})
    assert fb.errors["mat_khau"] == "Số định danh cá nhân hoặc mật khẩu không đúng."
    s.act("dang-nhap", {"cccd": f" {s.data['cccd']} ", "mat_khau": s.data["mat_khau"]})
    assert s.screen_id == "otp-dang-nhap"


def test_otp_must_be_six_digits_and_match_the_sms() -> None:
    s = at_login()
    s.act("dang-nhap", {"cccd": s.data["cccd"], "mat_khau": s.data["mat_khau"]})
    assert s.data["otp"] in s.text(s.screen.notice)
    assert s.act("xac-nhan", {"otp": "12345"}).errors["otp"] == "Mã OTP gồm đúng 6 chữ số."
    wrong = "000000" if s.data["otp"] != "000000" else "111111"
    assert s.act("xac-nhan", {"otp": wrong}).errors["otp"] == "Mã OTP không đúng hoặc đã hết hạn."
    s.act("xac-nhan", {"otp": s.data["otp"]})
    assert s.screen_id == "da-dang-nhap"


@pytest.mark.parametrize("seed", range(40))
def test_generated_passwords_follow_the_vneid_policy(seed: int) -> None:
    data = Session(load_scenario("dvc-khai-sinh"), seed=seed).data
    assert re.fullmatch(VNEID_PASSWORD, data["mat_khau"])
    assert re.fullmatch(r"\d{12}", data["cccd"])
    assert re.fullmatch(r"\d{6}", data["otp"])
    assert data["xa"] != data["xa_khac"]


def test_trap_is_explained_in_practice_and_counted() -> None:
    s = at_login()
    s.act("dang-nhap", {"cccd": s.data["cccd"], "mat_khau": s.data["mat_khau"]})
    fb = s.act("doc-otp")
    assert fb.kind == "trap" and fb.trap == "doc-otp"
    assert "Tuyệt đối không đọc mã OTP" in fb.text
    assert s.traps_hit == ["doc-otp"] and s.trap_count == 1 and s.mistakes == 1
    s.act("doc-otp")
    assert s.traps_hit == ["doc-otp"] and s.trap_count == 2


def test_assessment_mode_gives_no_hint_and_no_explanation() -> None:
    s = at_login("kiem-tra")
    assert s.hint() is None
    s.act("dang-nhap", {"cccd": s.data["cccd"], "mat_khau": s.data["mat_khau"]})
    fb = s.act("doc-otp")
    assert fb.text == NEUTRAL and fb.title == "" and fb.trap is None
    assert s.traps_hit == ["doc-otp"]
    # The platform's own messages still show: a real site tells you the OTP has 6 digits.
    assert s.act("xac-nhan", {"otp": "1"}).errors["otp"] == "Mã OTP gồm đúng 6 chữ số."


@pytest.mark.parametrize("mode", ["luyen-tap", "kiem-tra"])
def test_a_wrong_option_is_explained_only_outside_an_exam(mode: str) -> None:
    # A decision case teaches through its option mistakes; in an exam that text would give the answer away.
    s = Session(load_scenario("hop-tac-xa-len-san"), mode, 6)
    s.act("dung-ten-htx")
    s.act("ong-tu-go")
    assert s.screen_id == "trang-san-pham"
    values = {f.id: right_value(f, s.data) for f in s.screen.fields}
    photos = next(f for f in s.screen.fields if f.id == "anh")
    values["anh"] = next(s.text(o.label) for o in photos.options if o.mistake)
    fb = s.act("duyet", values)
    assert fb.kind == "invalid" and s.screen_id == "trang-san-pham" and s.mistakes == 1
    if mode == "kiem-tra":
        assert fb.errors == {"anh": OPTION_REFUSED} and "đồng ý" not in fb.text
    else:
        assert "im lặng không phải là đồng ý" in fb.errors["anh"]


def test_practice_hint_names_the_learners_data() -> None:
    s = at_login("luyen-tap")
    hint = s.hint()
    assert hint is not None and s.data["cccd"] in hint and s.hints_used == 1


def test_guided_mode_points_at_the_next_action() -> None:
    s = Session(load_scenario("dvc-khai-sinh"), "huong-dan", 2)
    assert s.next_action() == "dang-nhap"
    s.act("dang-nhap")
    assert s.next_action() == "vneid"


def test_option_mistake_and_option_trap() -> None:
    s = Session(load_scenario("dvc-khai-sinh"), "luyen-tap", 9)
    for a in ("dang-nhap", "vneid", "quet-qr", "mo-vneid", "quet"):
        s.act(a)
    s.act("xac-nhan", {"passcode": s.data["passcode"]})
    s.act("tim", {"tu_khoa": "Khai sinh cho con"})
    assert s.screen_id == "ket-qua-tim"
    fb = s.act("mot-phan")
    assert fb.kind == "trap" and "toàn trình" in fb.text and s.screen_id == "ket-qua-tim"
    s.act("lien-thong")
    wrong = s.text("UBND xã {xa_khac}, tỉnh {tinh}")
    fb = s.act("nop-truc-tuyen", {"co_quan": wrong})
    assert fb.kind == "invalid" and s.data["xa"] in fb.errors["co_quan"]


def test_unknown_action_is_refused() -> None:
    s = Session(load_scenario("dvc-khai-sinh"))
    with pytest.raises(UnknownAction):
        s.act("khong-co")
    assert s.steps == 0 and s.transcript == []


def test_done_items_cannot_be_opened_again() -> None:
    s = Session(load_scenario("nhan-dien-lua-dao"), "luyen-tap", 3)
    s.act("mo-nguoi-than")
    fb = s.act("goi-so-quen")
    assert fb.kind == "ok" and "giả" in fb.text
    assert s.is_done(s.screen.action("mo-nguoi-than"))  # type: ignore[arg-type]
    with pytest.raises(UnknownAction):
        s.act("mo-nguoi-than")
    assert s.progress() == (1, 9)


def test_5656_syntax() -> None:
    s = Session(load_scenario("nhan-dien-lua-dao"), "luyen-tap", 3)
    s.act("mo-link-khoa")
    s.act("khong-bam")
    number = s.data["so_sms_lua"]
    assert "Sai cú pháp" in s.act("gui", {"noi_dung": f"{number} lua dao"}).errors["noi_dung"]
    fb = s.act("gui", {"noi_dung": f"V {number} gia mao ngan hang"})
    assert "bắt đầu bằng S" in fb.errors["noi_dung"]
    s.act("gui", {"noi_dung": f"s  {number}   gia mao ngan hang gui link"})
    assert s.screen_id == "hop-thu" and "link-khoa" in s.flags


def test_score_counts_mistakes_and_traps() -> None:
    from kynangso.sims.solver import solve

    sc = load_scenario("nhan-dien-lua-dao")
    s = Session(sc, "kiem-tra", 5)
    s.act("mo-vneid-gia")
    s.act("nop-le-phi")  # trap
    s.act("cup-may")
    s.act("goi-lai")  # mistake
    s.act("goi-156")
    rest = solve(sc, 5)
    assert rest is not None
    for e in rest:
        if e["action"] in ("mo-vneid-gia", "cup-may", "goi-156"):
            continue
        s.act(e["action"], e.get("values"))
    r = s.result()
    assert r.completed and r.mistakes == 2 and r.traps_hit == ["le-phi-cap-nhat"]
    assert r.score == pytest.approx(1 - 0.1 - 0.25)


def test_restart_keeps_mistakes_only_in_assessment() -> None:
    s = at_login("kiem-tra")
    s.act("dang-nhap", {"cccd": "1", "mat_khau": "x"})
    s.restart()
    assert s.screen_id == "trang-chu" and s.mistakes == 1 and s.transcript[-1] == {"type": "restart"}
    p = at_login("luyen-tap")
    p.act("dang-nhap", {"cccd": "1", "mat_khau": "x"})
    p.restart()
    assert p.mistakes == 0 and p.transcript == []


def test_bad_mode_is_a_vietnamese_error() -> None:
    with pytest.raises(ValueError, match="chế độ 'exam' không có"):
        Session(load_scenario("dvc-khai-sinh"), "exam")


def test_markup_is_escaped() -> None:
    assert to_html("**A** <script>") == "<p><b>A</b> &lt;script&gt;</p>"
    assert to_html("- a\n- b") == "<ul><li>a</li><li>b</li></ul>"
