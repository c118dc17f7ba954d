"""What the site makes of a notebook and of our package, without building a site."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from kynangso.site.content import BOOTSTRAP, SITE_TAG, browser_wheel, learner_notebook


def cell(kind: str, source: str, **metadata: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"cell_type": kind, "metadata": metadata, "source": source}
    if kind == "code":
        out |= {"outputs": [{"output_type": "stream", "name": "stdout", "text": "x"}], "execution_count": 3}
    return out


def test_trainer_cells_leave_and_code_folds_in_both_lesson_formats() -> None:
    nb = {
        "cells": [
            cell("markdown", "# Bài"),
            cell("code", 'bai = start_lesson("x")'),
            cell("markdown", "Mẹo chia nhóm cho giảng viên", tags=["trainer"]),  # new format
            cell("markdown", "## Ghi chú cho giảng viên\n\n- Thời gian: 30 phút"),  # current format
            cell("code", "show_contents('..')"),
            cell("code", "bai.finish()", kynangso={"selfcheck": {"id": "c1"}}),
        ],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
        "nbformat": 4,
        "nbformat_minor": 4,
    }
    out = learner_notebook(nb)
    sources = ["".join(c["source"]) for c in out["cells"]]
    assert sources[0] == BOOTSTRAP and SITE_TAG in out["cells"][0]["metadata"]["tags"]
    assert not any("giảng viên" in s for s in sources)
    assert "#kns-home" in sources[3] and out["cells"][3]["cell_type"] == "markdown"
    code = [c for c in out["cells"] if c["cell_type"] == "code"]
    assert all(c["metadata"]["jupyter"]["source_hidden"] and not c["outputs"] for c in code)
    assert code[-1]["metadata"]["kynangso"] == {"selfcheck": {"id": "c1"}}  # self-check definitions travel
    assert out["metadata"]["kernelspec"]["name"] == "python"
    assert len({c["id"] for c in out["cells"]}) == len(out["cells"])
    assert nb["cells"][1]["outputs"], "the original is left alone"


def test_browser_wheel_has_no_dependencies_and_no_fonts(tmp_path: Path) -> None:
    wheel = browser_wheel(tmp_path)
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        metadata = zf.read("kynangso-0.1.0.dist-info/METADATA").decode()
    assert "Requires-Dist" not in metadata
    assert "kynangso/site/browser.py" in names and "kynangso/sims/scenarios/dvc-khai-sinh.toml" in names
    assert not any(n.endswith(".ttf") or "/_content/" in n or n.endswith(".pyc") for n in names)
    assert browser_wheel(tmp_path).read_bytes() == wheel.read_bytes()  # the same sources, the same bytes
