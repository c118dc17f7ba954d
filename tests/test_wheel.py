"""A pip install (a trainer's Windows laptop) has no checkout: the wheel carries the content and
`kynangso start` lays it out into the user's own folder."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.support import REPO


@pytest.mark.slow
def test_wheel_carries_the_content_and_lays_it_out(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            str(REPO),
            "-w",
            str(tmp_path / "dist"),
        ],
        check=True,
        timeout=300,
        capture_output=True,
    )
    (wheel,) = (tmp_path / "dist").glob("kynangso-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "kynangso/_content/curriculum/00-bat-dau.ipynb",
        "kynangso/_content/voila_apps/gallery.ipynb",
        "kynangso/_content/grading/policy.toml",
        "kynangso/_content/grading/question_bank/gov-1.toml",
        "kynangso/assets/fonts/DejaVuSans.ttf",
        "kynangso/lessons/lesson.schema.json",
        "kynangso/sims/scenarios/dvc-khai-sinh.toml",
        "kynangso/room/static/index.html",
    ):
        assert needed in names, needed
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    home = tmp_path / "home"
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from kynangso.workspace import find_workspace; print(find_workspace().root)"
    )
    # Run outside the checkout, with the unpacked wheel first on the path, as an installed package would be.
    env = {**os.environ, "HOME": str(home), "PYTHONPATH": ""}
    env.pop("KYNANGSO_WORKSPACE", None)
    res = subprocess.run(
        [sys.executable, "-c", code, str(site)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    root = Path(res.stdout.strip())
    assert root == home / "KyNangSo"
    assert (root / "curriculum" / "00-bat-dau.ipynb").is_file()
    assert (root / "voila_apps" / "gallery.ipynb").is_file()
    # A learner's edit survives the next start: content is laid out once, never over existing files.
    lesson = root / "curriculum" / "00-bat-dau.ipynb"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("Bắt đầu", "Bắt đầu (ghi chú của tôi)"), "utf-8")
    subprocess.run(
        [sys.executable, "-c", code, str(site)], cwd=tmp_path, env=env, check=True, timeout=120, capture_output=True
    )
    assert "ghi chú của tôi" in lesson.read_text(encoding="utf-8")
