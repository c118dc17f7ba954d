"""Every validator reports the same Problem(file, key, message), read from real files."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from kynangso.certify.policy import PolicyError, load_policy
from kynangso.course.roster import check
from kynangso.lessons.validate import check_lesson
from kynangso.problems import Problem
from kynangso.sims.checker import ScenarioError
from kynangso.sims.schema import load_file


def test_how_a_problem_reads() -> None:
    assert (
        str(Problem(Path("bai.ipynb"), "metadata.kynangso.title", "thiếu"))
        == "bai.ipynb: metadata.kynangso.title: thiếu"
    )
    assert str(Problem("kich-ban.toml", "", "tệp hỏng")) == "kich-ban.toml: tệp hỏng"
    assert str(Problem("", "Dòng 3, cột “Vai trò”", "không rõ")) == "Dòng 3, cột “Vai trò”: không rõ"


def test_a_lesson_without_metadata(tmp_path: Path) -> None:
    path = tmp_path / "01-bai-moi.ipynb"
    nb = {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(nb), encoding="utf-8")
    found = check_lesson(path, scenarios=set(), titles={})
    assert found[0] == Problem(path, "metadata.kynangso", "thiếu thông tin bài học (xem docs/lesson-format.md)")


def test_a_scenario_with_a_broken_toml_and_one_with_a_wrong_key(tmp_path: Path) -> None:
    broken = tmp_path / "hong.toml"
    broken.write_text('id = "hong"\nid = "lap"\n', encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_file(broken)
    (problem,) = info.value.problems
    assert isinstance(problem, Problem) and problem.file == "hong.toml" and problem.key == ""
    assert problem.message.startswith("lỗi cú pháp TOML (có thể một khóa bị lặp lại)")
    wrong = tmp_path / "sai-khoa.toml"
    wrong.write_text('id = "sai-khoa"\nkhong_co = 1\n', encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_file(wrong)
    assert Problem("sai-khoa.toml", "khong_co", info.value.problems[0].message) in info.value.problems
    assert all(isinstance(p, Problem) and p.file == "sai-khoa.toml" for p in info.value.problems)
    assert str(info.value) == "\n".join(map(str, info.value.problems))


def test_a_roster_row_names_its_row_and_column() -> None:
    row = {
        "_row": 4,
        "name": "Nguyễn Văn An",
        "birth_date": "05/03/1985",
        "phone": "0912 345 678",
        "province": "Hà Nội",
        "ward": "Xã Phú Cát",
        "village": "Thôn Đông",
        "role": "trưởng thôn",
    }
    (problem,) = check([row], today=date(2026, 1, 1)).problems
    assert problem.file == "" and problem.key == "Dòng 4, cột “Vai trò”"
    assert str(problem).startswith("Dòng 4, cột “Vai trò”: vai trò “trưởng thôn” không rõ")


def test_the_policy_names_the_file_and_the_key(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text("version = 1\n[issuer]\nname = 'Sở KH&CN'\n", encoding="utf-8")
    with pytest.raises(PolicyError) as info:
        load_policy(path)
    assert info.value.problem.key == "khóa “issuer.province”" and info.value.problem.message == "bị thiếu."
    assert str(info.value) == str(info.value.problem)
    with pytest.raises(PolicyError) as info:
        load_policy(tmp_path / "khong-co.toml")
    assert info.value.problem == Problem(
        tmp_path / "khong-co.toml", "", "không tìm thấy tệp chính sách cấp chứng nhận."
    )
