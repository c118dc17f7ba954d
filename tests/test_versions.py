"""One spelling of the version key, ``schema_version``: committed files use it, old spellings still load."""

from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from pathlib import Path

import pytest

from kynangso.certify.policy import PolicyError, load_policy
from kynangso.sims.checker import ScenarioError
from kynangso.sims.schema import load_file
from tests.support import REPO

SCENARIOS = sorted((REPO / "src" / "kynangso" / "sims" / "scenarios").glob("*.toml"))
POLICY = REPO / "grading" / "policy.toml"


def test_every_committed_scenario_and_the_policy_spell_it_schema_version() -> None:
    assert len(SCENARIOS) >= 15
    for path in [*SCENARIOS, POLICY]:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        assert data.get("schema_version") == 1, path.name
        assert not {"schema", "version"} & set(data), path.name


def _scenario(tmp_path: Path, header: str) -> Path:
    source = SCENARIOS[0]
    text = re.sub(r"(?m)^schema_version = 1$", header, source.read_text(encoding="utf-8"), count=1)
    target = tmp_path / source.name
    target.write_text(text, encoding="utf-8")
    return target


def test_a_scenario_in_the_old_spelling_still_loads(tmp_path: Path) -> None:
    assert load_file(_scenario(tmp_path, "schema = 1")).id == SCENARIOS[0].stem


@pytest.mark.parametrize(
    ("header", "said"),
    [
        ("schema_version = 2", "schema_version: phiên bản định dạng không được hỗ trợ (chỉ có 1)"),
        ("schema = 2", "schema_version: phiên bản định dạng không được hỗ trợ (chỉ có 1)"),
        ("schema_version = 1\nschema = 2", "“schema_version” (1) và “schema” (2) khác nhau"),
    ],
    ids=["new-version", "old-spelling-new-version", "both-disagree"],
)
def test_a_scenario_of_another_version_is_refused(tmp_path: Path, header: str, said: str) -> None:
    with pytest.raises(ScenarioError) as info:
        load_file(_scenario(tmp_path, header))
    assert said in str(info.value)


def _policy(tmp_path: Path, header: str) -> Path:
    text = re.sub(r"(?m)^schema_version = 1$", header, POLICY.read_text(encoding="utf-8"), count=1)
    target = tmp_path / "policy.toml"
    target.write_text(text, encoding="utf-8")
    return target


def test_the_policy_in_the_old_spelling_still_loads(tmp_path: Path) -> None:
    old = load_policy(_policy(tmp_path, "version = 1"))
    assert replace(old, source="policy.toml") == replace(load_policy(POLICY), source="policy.toml")


@pytest.mark.parametrize(
    ("header", "said"),
    [
        ("schema_version = 2", "khóa “schema_version”: phải bằng 1 (đang là 2)."),
        ("version = 2", "khóa “schema_version”: phải bằng 1 (đang là 2)."),
        ("schema_version = 1\nversion = 2", "“schema_version” (1) và “version” (2) khác nhau"),
    ],
    ids=["new-version", "old-spelling-new-version", "both-disagree"],
)
def test_a_policy_of_another_version_is_refused(tmp_path: Path, header: str, said: str) -> None:
    with pytest.raises(PolicyError, match=re.escape(said)):
        load_policy(_policy(tmp_path, header))
