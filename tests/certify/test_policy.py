"""grading/policy.toml: the shipped defaults, and clear Vietnamese errors naming the file and the key."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from kynangso.certify.policy import PolicyError, load_policy
from tests.certify.conftest import POLICY


def test_shipped_policy_has_icdl_like_defaults() -> None:
    policy = load_policy(POLICY)
    assert policy.issuer.name.startswith("Sở Khoa học và Công nghệ")
    assert policy.fronts == ("gov", "econ", "society")
    assert [policy.levels[n].min_percent for n in (1, 2, 3)] == [75, 75, 75]
    assert [policy.levels[n].require_practical for n in (1, 2, 3)] == [False, True, True]
    assert [policy.levels[n].require_open for n in (1, 2, 3)] == [False, False, True]
    assert policy.validity_years == 3


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _mutated(tmp_path: Path, old: str, new: str) -> Path:
    text = POLICY.read_text(encoding="utf-8")
    assert old in text
    return _write(tmp_path, text.replace(old, new, 1))


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        (
            'name = "Sở Khoa học và Công nghệ tỉnh Thái Nguyên"',
            'name = "Sở Khoa học và Công nghệ tỉnh …"',
            "issuer.name",
        ),
        ('url = "https://kynangso.example/thai-nguyen"', 'url = "kynangso thai nguyen"', "issuer.url"),
        ("years = 3", "years = 0", "validity.years"),
        ("years = 3", 'years = "ba"', "validity.years"),
        ('certify = ["gov", "econ", "society"]', 'certify = ["gov", "health"]', "fronts.certify"),
        (
            '[levels.1]\n# Cơ bản: bài thi "<lĩnh vực>-1".\nmin_percent = 75',
            "[levels.1]\nmin_percent = 150",
            "levels.1.min_percent",
        ),
        ("require_open = true", "require_open = 1", "levels.3.require_open"),
        ("[levels.3]", "[levels.4]", "levels.4"),
    ],
)
def test_bad_policy_names_file_and_key(tmp_path: Path, old: str, new: str, key: str) -> None:
    path = _mutated(tmp_path, old, new)
    with pytest.raises(PolicyError) as err:
        load_policy(path)
    message = str(err.value)
    assert str(path) in message and f"“{key}”" in message, message


def test_missing_table_and_syntax_error_and_missing_file(tmp_path: Path) -> None:
    data = tomllib.loads(POLICY.read_text(encoding="utf-8"))
    assert "validity" in data
    with pytest.raises(PolicyError, match="“validity”"):
        load_policy(_mutated(tmp_path, "[validity]\n", "[validity_]\n"))
    with pytest.raises(PolicyError, match="sai cú pháp TOML"):
        load_policy(_write(tmp_path, "[issuer\nname = 1"))
    with pytest.raises(PolicyError, match="không tìm thấy"):
        load_policy(tmp_path / "khong-co.toml")
