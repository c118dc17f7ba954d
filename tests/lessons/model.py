"""The model lesson (orientation 01) copied into a scratch curriculum, changed one way per test."""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kynangso.lessons.validate import check_lesson
from tests.support import REPO

CURRICULUM = REPO / "curriculum"
MODEL = CURRICULUM / "orientation" / "01-vai-tro-cua-to.ipynb"
Change = Callable[[dict[str, Any]], None]


def variant(tmp_path: Path, change: Change | None = None, name: str = "01-vai-tro-cua-to.ipynb") -> Path:
    """A copy of the model lesson in tmp_path/curriculum/orientation/, with its prerequisite next to it."""
    curriculum = tmp_path / "curriculum"
    (curriculum / "orientation").mkdir(parents=True, exist_ok=True)
    shutil.copy(CURRICULUM / "00-bat-dau.ipynb", curriculum / "00-bat-dau.ipynb")
    raw = copy.deepcopy(json.loads(MODEL.read_text(encoding="utf-8")))
    if change is not None:
        change(raw)
    path = curriculum / "orientation" / name
    path.write_text(json.dumps(raw, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def messages(path: Path) -> list[str]:
    return [str(p) for p in check_lesson(path, scenarios={"dvc-khai-sinh"})]


def source(cell: dict[str, Any]) -> str:
    src = cell["source"]
    return "".join(src) if isinstance(src, list) else str(src)


def cell_with(raw: dict[str, Any], needle: str) -> dict[str, Any]:
    return next(c for c in raw["cells"] if needle in source(c))


def check_cell(raw: dict[str, Any], check_id: str) -> dict[str, Any]:
    return next(
        c for c in raw["cells"] if c.get("metadata", {}).get("kynangso", {}).get("self_check", {}).get("id") == check_id
    )


def definition(raw: dict[str, Any], check_id: str) -> dict[str, Any]:
    found: dict[str, Any] = check_cell(raw, check_id)["metadata"]["kynangso"]["self_check"]
    return found


def append_to(raw: dict[str, Any], needle: str, text: str) -> None:
    cell = cell_with(raw, needle)
    cell["source"] = source(cell) + text


def meta(**changes: Any) -> Change:
    def change(raw: dict[str, Any]) -> None:
        for key, value in changes.items():
            if value is None:
                del raw["metadata"]["kynangso"][key]
            else:
                raw["metadata"]["kynangso"][key] = value

    return change


def answer_the_model_self_check(page: Any, screenshot: Path, timeout_ms: float) -> None:
    """On a page showing the model lesson: answer its first self-check right (the thumb-sized button), see the
    feedback, and keep a screenshot of it."""
    check = page.locator(".kns-check").filter(has_text="báo cáo qua Ủy ban nhân dân huyện")
    sai = check.get_by_role("button", name="Sai", exact=True)
    sai.wait_for(timeout=timeout_ms)
    box = sai.bounding_box()
    assert box is not None and box["height"] >= 44  # big enough for a thumb
    sai.click()
    check.get_by_role("button", name="Kiểm tra đáp án").click()
    check.get_by_text("Đúng rồi!").wait_for(timeout=timeout_ms)
    check.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot))
