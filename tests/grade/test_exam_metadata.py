"""The exam notebook's metadata.kynangso follows its versioned schema: what build writes passes, precheck refuses
a submission whose metadata was damaged, and any other nbgrader notebook is left alone."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from kynangso.exams.bank import default_bank_folder, load_bank
from kynangso.exams.build import build_all
from kynangso.grade import exam_metadata
from kynangso.grade.precheck import Unreadable, read_notebook


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    root = tmp_path_factory.mktemp("khoa-hoc")
    build_all(load_bank(default_bank_folder()), root)
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((root / "source").glob("*/*.ipynb"))}


def test_every_notebook_build_writes_follows_the_schema(built: dict[str, dict[str, Any]]) -> None:
    assert len(built) == 9
    for name, nb in built.items():
        assert nb["metadata"]["kynangso"] == {"exam": name, "schema_version": 2}
        assert exam_metadata.check(nb, name) == []
        assert any("answer" in c["metadata"].get("kynangso", {}) for c in nb["cells"]), name


def _submitted(tmp_path: Path, nb: dict[str, Any]) -> Path:
    path = tmp_path / "gov-1.ipynb"
    path.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    return path


def test_precheck_reads_a_well_formed_exam(built: dict[str, dict[str, Any]], tmp_path: Path) -> None:
    assert read_notebook(_submitted(tmp_path, built["gov-1"]))["metadata"]["kynangso"]["exam"] == "gov-1"


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        (lambda nb: nb["metadata"]["kynangso"].update(schema_version=9), "metadata.kynangso.schema_version: phải là 2"),
        (lambda nb: nb["metadata"]["kynangso"].pop("exam"), "metadata.kynangso: thiếu khóa bắt buộc"),
        (lambda nb: nb["metadata"]["kynangso"].update(exam="../../etc"), "metadata.kynangso.exam: giá trị"),
        (lambda nb: _answer_cell(nb)["metadata"]["kynangso"].update(answer=7), "metadata.kynangso.answer: sai kiểu"),
        (lambda nb: _answer_cell(nb)["metadata"]["kynangso"].update(diem=10), "metadata.kynangso: có khóa không"),
    ],
    ids=["future-version", "no-exam", "exam-path", "answer-not-text", "extra-key"],
)
def test_precheck_refuses_damaged_metadata_with_its_reason(
    built: dict[str, dict[str, Any]], tmp_path: Path, damage: Any, said: str
) -> None:
    nb = copy.deepcopy(built["gov-1"])
    damage(nb)
    with pytest.raises(Unreadable) as info:
        read_notebook(_submitted(tmp_path, nb))
    assert "Thông tin bài thi trong tệp bài làm bị sửa hoặc hỏng" in str(info.value) and said in str(info.value)


def test_another_nbgrader_notebook_is_not_checked(tmp_path: Path) -> None:
    nb = {"cells": [{"cell_type": "code", "source": "", "metadata": {"nbgrader": {}}}], "metadata": {}, "nbformat": 4}
    assert read_notebook(_submitted(tmp_path, nb)) == nb


def _answer_cell(nb: dict[str, Any]) -> dict[str, Any]:
    return next(c for c in nb["cells"] if "answer" in c["metadata"].get("kynangso", {}))
