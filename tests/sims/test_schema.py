"""An author's mistakes in a scenario file are reported with the file name and the key path."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kynangso.sims import load_scenario
from kynangso.sims.schema import ScenarioError, load_file
from tests.support import REPO

BASE = """
schema = 1
id = "mau"
title = "Mô phỏng mẫu"
front = "gov"
minutes = 5
teaches = "Đăng nhập"
intro = "Chào {ten}."
start = "dang-nhap"

[goal]
screen = "xong"

[data]
ten = { kind = "name" }
cccd = { kind = "digits", length = 12 }

[skins.web]
kind = "web"
name = "Trang mẫu"

[traps.doc-otp]
title = "Đọc OTP"
explain = "Không đọc OTP cho ai."

[screens.dang-nhap]
skin = "web"
title = "Đăng nhập"
hint = "Gõ {cccd}."

[screens.dang-nhap.fields.cccd]
label = "Số định danh"
pattern = '\\d{12}'
error = "Phải có 12 chữ số."
expect = "{cccd}"

[[screens.dang-nhap.actions]]
id = "vao"
label = "Đăng nhập"
submit = true
goto = "xong"

[[screens.dang-nhap.actions]]
id = "doc"
label = "Đọc mã cho người gọi"
trap = "doc-otp"

[screens.xong]
skin = "web"
title = "Xong"
hint = "Hết."
"""


def write(tmp_path: Path, text: str, name: str = "mau") -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> str:
    with pytest.raises(ScenarioError) as info:
        load_file(write(tmp_path, text))
    return str(info.value)


def test_base_is_valid(tmp_path: Path) -> None:
    s = load_file(write(tmp_path, BASE))
    assert s.start == "dang-nhap"
    assert [f.id for f in s.screens["dang-nhap"].fields] == ["cccd"]


def test_unknown_transition_target(tmp_path: Path) -> None:
    msg = problems(tmp_path, BASE.replace('goto = "xong"', 'goto = "khong-co"'))
    assert "mau.toml: screens.dang-nhap.actions[1].goto: màn hình đích 'khong-co' không có trong [screens]" in msg


def test_missing_goal(tmp_path: Path) -> None:
    msg = problems(tmp_path, BASE.replace('[goal]\nscreen = "xong"\n', ""))
    assert "mau.toml: goal: thiếu khóa bắt buộc" in msg


def test_empty_goal(tmp_path: Path) -> None:
    msg = problems(tmp_path, BASE.replace('screen = "xong"', 'message = "Xong"'))
    assert "mau.toml: goal: cần screen" in msg


def test_duplicate_action_ids(tmp_path: Path) -> None:
    msg = problems(tmp_path, BASE.replace('id = "doc"', 'id = "vao"'))
    assert "mau.toml: screens.dang-nhap.actions[2].id: mã 'vao' bị trùng trong màn hình này" in msg


def test_duplicate_toml_key_names_the_line(tmp_path: Path) -> None:
    msg = problems(tmp_path, BASE.replace('title = "Xong"', 'title = "Xong"\ntitle = "Lại"'))
    assert msg.startswith("mau.toml: lỗi cú pháp TOML")
    assert re.search(r"line \d+", msg)


def test_bad_regex(tmp_path: Path) -> None:
    msg = problems(tmp_path, BASE.replace("pattern = '\\d{12}'", "pattern = '(\\d{12}'"))
    assert "mau.toml: screens.dang-nhap.fields.cccd.pattern: biểu thức chính quy (regex) không hợp lệ" in msg


def test_unknown_key(tmp_path: Path) -> None:
    msg = problems(tmp_path, BASE.replace('label = "Số định danh"', 'label = "Số định danh"\ncolour = "đỏ"'))
    assert "mau.toml: screens.dang-nhap.fields.cccd.colour: khóa không được hỗ trợ" in msg


def test_unknown_placeholder(tmp_path: Path) -> None:
    msg = problems(tmp_path, BASE.replace('hint = "Hết."', 'hint = "Mã {ma_ho_so}."'))
    assert "mau.toml: screens.xong.hint: chỗ trống {ma_ho_so} không có trong [data]" in msg


def test_unknown_trap_and_unused_trap(tmp_path: Path) -> None:
    msg = problems(tmp_path, BASE.replace('trap = "doc-otp"', 'trap = "doc-mat-khau"'))
    assert "mau.toml: screens.dang-nhap.actions[2].trap: bẫy 'doc-mat-khau' không có trong [traps]" in msg
    assert "mau.toml: traps.doc-otp: bẫy này không được nút hay lựa chọn nào dùng" in msg


def test_unreachable_screen_and_dead_end(tmp_path: Path) -> None:
    extra = '\n[screens.lac]\nskin = "web"\ntitle = "Lạc"\nhint = "?"\n'
    msg = problems(tmp_path, BASE + extra)
    assert "mau.toml: screens.lac: không có đường nào dẫn tới màn hình này" in msg
    assert "mau.toml: screens.lac.actions: màn hình này không có nút nào" in msg


def test_pattern_needs_an_error_message(tmp_path: Path) -> None:
    msg = problems(tmp_path, BASE.replace('error = "Phải có 12 chữ số."\n', ""))
    assert "mau.toml: screens.dang-nhap.fields.cccd.error: ô có pattern cần câu báo lỗi" in msg


def test_select_expect_must_be_an_option(tmp_path: Path) -> None:
    field = '[screens.dang-nhap.fields.xa]\nlabel = "Xã"\nkind = "select"\noptions = ["A", "B"]\nexpect = "C"\n\n'
    msg = problems(tmp_path, BASE.replace("[[screens.dang-nhap.actions]]", field + "[[screens.dang-nhap.actions]]", 1))
    assert "mau.toml: screens.dang-nhap.fields.xa.expect: phải là một trong các lựa chọn" in msg


def test_id_must_match_file_name_and_front_must_exist(tmp_path: Path) -> None:
    text = BASE.replace('front = "gov"', 'front = "kinh-te"')
    with pytest.raises(ScenarioError) as info:
        load_file(write(tmp_path, text, name="khac"))
    msg = str(info.value)
    assert "khac.toml: id: phải trùng tên tệp ('khac')" in msg
    assert "khac.toml: front: mặt trận 'kinh-te' không có" in msg


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = BASE.replace('goto = "xong"', 'goto = "khong-co"').replace("pattern = '\\d{12}'", "pattern = '('")
    with pytest.raises(ScenarioError) as info:
        load_file(write(tmp_path, text))
    assert len(info.value.problems) >= 2


def test_nfd_text_is_normalised(tmp_path: Path) -> None:
    import unicodedata

    s = load_file(write(tmp_path, unicodedata.normalize("NFD", BASE)))
    assert s.title == unicodedata.normalize("NFC", "Mô phỏng mẫu")


def test_shipped_scenarios_are_valid() -> None:
    for path in sorted((REPO / "src/kynangso/sims/scenarios").glob("*.toml")):
        assert load_scenario(path.stem).id == path.stem


def test_worked_example_in_the_docs_is_valid(tmp_path: Path) -> None:
    doc = (REPO / "docs/scenario-format.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", doc, flags=re.S)
    assert blocks, "docs/scenario-format.md has no ```toml example"
    example = blocks[0]
    sid = re.search(r'^id = "([^"]+)"', example, flags=re.M)
    assert sid
    s = load_file(write(tmp_path, example, name=sid.group(1)))
    from kynangso.sims.solver import solve

    assert solve(s, 1) is not None
