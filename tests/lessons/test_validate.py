"""Every lesson validates; each kind of mistake gets a Vietnamese message naming the file and the key."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kynangso.lessons.answers import encode_answer
from kynangso.lessons.catalogue import notebook_paths
from kynangso.lessons.validate import check_lesson, check_many, known_scenarios
from tests.support import REPO

CURRICULUM = REPO / "curriculum"
LESSONS = notebook_paths(CURRICULUM)
GOOD = CURRICULUM / "orientation" / "01-vai-tro-cua-to.ipynb"


def test_there_are_at_least_four_orientation_lessons() -> None:
    assert len(notebook_paths(CURRICULUM / "orientation")) >= 4


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: str(p.relative_to(REPO)))
def test_every_lesson_is_valid(path: Path) -> None:
    assert [str(p) for p in check_lesson(path)] == []


def test_lessons_have_unique_ids() -> None:
    assert [str(p) for p in check_many(LESSONS)] == []


def test_scenarios_are_read_from_the_scenario_files() -> None:
    assert {p.stem for p in (REPO / "src/kynangso/sims/scenarios").glob("*.toml")} == known_scenarios()


def _variant(tmp_path: Path, change: Any, name: str = "01-vai-tro-cua-to.ipynb") -> Path:
    raw = json.loads(GOOD.read_text(encoding="utf-8"))
    raw = copy.deepcopy(raw)
    change(raw)
    folder = tmp_path / "orientation"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    return path


def _meta(**changes: Any) -> Any:
    def change(raw: dict) -> None:
        for key, value in changes.items():
            if value is None:
                del raw["metadata"]["kynangso"][key]
            else:
                raw["metadata"]["kynangso"][key] = value

    return change


def _messages(path: Path) -> list[str]:
    return [str(p) for p in check_lesson(path, scenarios={"dvc-khai-sinh"})]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (_meta(level=4), "metadata.kynangso.level: không được quá 3 (đang là 4)"),
        (_meta(level="1"), "metadata.kynangso.level: phải là số nguyên"),
        (_meta(front="kinh-te"), "metadata.kynangso.front: phải là một trong 'orientation', 'gov', 'econ', 'society'"),
        (_meta(objectives=None), "metadata.kynangso: thiếu trường 'objectives'"),
        (_meta(objectives=[]), "metadata.kynangso.objectives: cần ít nhất 1 mục"),
        (_meta(minutes_teaching=0), "metadata.kynangso.minutes_teaching: phải từ 1 trở lên"),
        (_meta(levle=2), "trường không có trong định dạng: 'levle' (gõ nhầm tên?)"),
        (_meta(id="orientation-01-khac"), "metadata.kynangso.id: phải là 'orientation-01-vai-tro-cua-to'"),
        (_meta(id="Bài 1"), "metadata.kynangso.id: chỉ dùng chữ thường không dấu"),
        (_meta(title="Tên khác"), "metadata.kynangso.title: khác tiêu đề của bài"),
        (_meta(simulations=["khong-co"]), "metadata.kynangso.simulations[0]: không có mô phỏng 'khong-co'"),
        (_meta(schema_version=2), "metadata.kynangso.schema_version: phải bằng 1"),
        (_meta(title="Tổ co\u0302ng nghệ"), "chữ chưa chuẩn hóa Unicode NFC"),
    ],
)
def test_metadata_mistakes(tmp_path: Path, change: Any, expected: str) -> None:
    path = _variant(tmp_path, change)
    messages = _messages(path)
    assert any(m.startswith(f"{path}: ") and expected in m for m in messages), messages


def test_missing_metadata(tmp_path: Path) -> None:
    path = _variant(tmp_path, lambda raw: raw["metadata"].pop("kynangso"))
    assert f"{path}: metadata.kynangso: thiếu thông tin bài học (xem docs/lesson-format.md)" in _messages(path)


def _cells_with(raw: dict, needle: str) -> list[dict]:
    return [c for c in raw["cells"] if needle in "".join(c["source"])]


def test_missing_section(tmp_path: Path) -> None:
    def drop(raw: dict) -> None:
        raw["cells"].remove(_cells_with(raw, "## An toàn")[0])

    path = _variant(tmp_path, drop)
    assert f"{path}: mục '## An toàn': thiếu mục này (mỗi bài có đủ 9 mục chuẩn, đúng thứ tự)" in _messages(path)


def test_sections_out_of_order(tmp_path: Path) -> None:
    def swap(raw: dict) -> None:
        a, b = _cells_with(raw, "## Lỗi thường gặp")[0], _cells_with(raw, "## An toàn")[0]
        i, j = raw["cells"].index(a), raw["cells"].index(b)
        raw["cells"][i], raw["cells"][j] = b, a

    path = _variant(tmp_path, swap)
    assert f"{path}: mục '## An toàn': đứng sai thứ tự: phải đặt sau '## Lỗi thường gặp'" in _messages(path)


def test_start_lesson_with_another_id(tmp_path: Path) -> None:
    def change(raw: dict) -> None:
        cell = _cells_with(raw, "start_lesson(")[0]
        cell["source"] = 'from kynangso.lessons import start_lesson\nbai = start_lesson("orientation-02-x")'

    path = _variant(tmp_path, change)
    assert any(
        "start_lesson('orientation-02-x') khác mã bài 'orientation-01-vai-tro-cua-to'" in m for m in _messages(path)
    )


def _with_code(tmp_path: Path, source: str) -> list[str]:
    def change(raw: dict) -> None:
        raw["cells"].append(
            {
                "cell_type": "code",
                "id": "extra",
                "metadata": {},
                "execution_count": None,
                "outputs": [],
                "source": source,
            }
        )

    return _messages(_variant(tmp_path, change))


def test_answer_written_in_plain_text(tmp_path: Path) -> None:
    messages = _with_code(tmp_path, 'bai.single_choice("x1", "?", ["A", "B"], key="A")')
    assert any("câu 'x1': 'key' phải là khóa 'kns1-…'" in m for m in messages), messages


def test_key_that_matches_no_option(tmp_path: Path) -> None:
    key = encode_answer("x1", "C")
    messages = _with_code(tmp_path, f'bai.single_choice("x1", "?", ["A", "B"], key="{key}")')
    assert any("câu 'x1': khóa đáp án không khớp phương án nào" in m for m in messages), messages


def test_order_written_in_the_right_order_gives_the_answer_away(tmp_path: Path) -> None:
    key = encode_answer("x2", ["a", "b", "c"], "order")
    messages = _with_code(tmp_path, f'bai.order_steps("x2", "?", ["a", "b", "c"], key="{key}")')
    assert any("câu 'x2': thứ tự viết trong bài đang chính là đáp án" in m for m in messages), messages
    key_ok = encode_answer("x3", ["a", "b", "c"], "order")
    assert not any(
        "x3" in m for m in _with_code(tmp_path, f'bai.order_steps("x3", "?", ["b", "a", "c"], key="{key_ok}")')
    )


def test_duplicate_check_id(tmp_path: Path) -> None:
    key = encode_answer("c1", True, "true_false")
    messages = _with_code(tmp_path, f'bai.true_false("c1", "?", key="{key}")')
    assert any("tự kiểm tra: mã câu tự kiểm tra 'c1' bị dùng hai lần" in m for m in messages), messages


def test_not_json(tmp_path: Path) -> None:
    path = tmp_path / "orientation" / "05-hong.ipynb"
    path.parent.mkdir()
    path.write_text('{"cells": [', encoding="utf-8")
    [message] = _messages(path)
    assert message.startswith(f"{path}: tệp: không phải JSON hợp lệ (dòng 1")


def test_cli_validate(tmp_path: Path) -> None:
    bad = _variant(tmp_path, _meta(level=7))
    run = [sys.executable, "-m", "kynangso", "lessons", "validate"]
    ok = subprocess.run([*run, str(GOOD)], capture_output=True, text=True, cwd=REPO)
    assert ok.returncode == 0 and "Tất cả 1 bài học đều hợp lệ." in ok.stdout
    failed = subprocess.run([*run, str(bad.parent)], capture_output=True, text=True, cwd=REPO)
    assert failed.returncode == 1
    assert f"{bad}: metadata.kynangso.level: không được quá 3 (đang là 7)" in failed.stderr
    missing = subprocess.run([*run, str(tmp_path / "khong-co.ipynb")], capture_output=True, text=True, cwd=REPO)
    assert missing.returncode == 2 and "khong-co.ipynb: không có tệp hoặc thư mục này" in missing.stderr


def test_worked_example_in_the_docs_is_a_valid_lesson(tmp_path: Path) -> None:
    """docs/lesson-format.md §6 says its example validates: build the notebook from the doc and check."""
    import re

    doc = (REPO / "docs" / "lesson-format.md").read_text(encoding="utf-8")
    example = doc[doc.index("## 6. Ví dụ hoàn chỉnh") :]
    meta = json.loads(re.search(r"```json\n(.*?)\n```", example, re.S).group(1))  # type: ignore[union-attr]
    cells = []
    for _fence, kind, body in re.findall(r"(````|```)(markdown|python)\n(.*?)\n\1", example, re.S):
        cell_type = "markdown" if kind == "markdown" else "code"
        cell = {"cell_type": cell_type, "id": f"c{len(cells)}", "metadata": {}, "source": body}
        if cell_type == "code":
            cell.update(execution_count=None, outputs=[])
        cells.append(cell)
    nb = {"cells": cells, "metadata": {"kynangso": meta}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "digital-society" / "01-khong-dua-otp.ipynb"
    path.parent.mkdir()
    path.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    assert [str(p) for p in check_lesson(path, scenarios={"nhan-dien-lua-dao"})] == []


def test_two_lessons_with_one_id(tmp_path: Path) -> None:
    first = _variant(tmp_path, lambda raw: None)
    second = tmp_path / "khac" / first.name
    second.parent.mkdir()
    second.write_bytes(first.read_bytes())
    messages = [str(p) for p in check_many([first, second], scenarios=set())]
    assert f"{second}: metadata.kynangso.id: trùng mã với {first}" in messages


def test_self_checks_built_from_variables_are_not_guessed_at(tmp_path: Path) -> None:
    source = 'dap_an = "kns1-000000000000000000000000"\nbai.single_choice("x9", "?", ["A", "B"], key=dap_an)'
    assert not any("x9" in m for m in _with_code(tmp_path, source))


@pytest.mark.parametrize("path", notebook_paths(CURRICULUM / "orientation"), ids=lambda p: p.stem)
def test_orientation_lessons_have_self_checks_and_a_safety_note(path: Path) -> None:
    from kynangso.lessons import notebook as nbmod
    from kynangso.lessons.progress_view import _CHECK_CALL

    nb = nbmod.read(path)
    checks = sum(len(_CHECK_CALL.findall(src)) for _, src in nb.code_sources())
    assert checks >= 4, f"{path.name}: only {checks} self-checks"
    safety = nb.sections["An toàn"]
    assert "OTP" in safety and "mật khẩu" in safety
    # Today's structure: no district level, the provincial Sở Khoa học và Công nghệ.
    text = "\n".join(nb.sections.values())
    assert "Sở Thông tin và Truyền thông" not in text or "hợp nhất" in text
