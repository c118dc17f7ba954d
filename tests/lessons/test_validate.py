"""Every lesson validates (format v2); each kind of mistake in the metadata or the lesson's shape gets a
Vietnamese message naming the file and the key, section or cell."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kynangso.lessons.catalogue import lesson_titles, notebook_paths
from kynangso.lessons.notebook import SECTIONS
from kynangso.lessons.validate import check_lesson, check_many, known_scenarios
from tests.lessons.model import CURRICULUM, MODEL, cell_with, messages, meta, source, variant
from tests.support import REPO

LESSONS = notebook_paths(CURRICULUM)


def test_there_are_at_least_four_orientation_lessons() -> None:
    assert len(notebook_paths(CURRICULUM / "orientation")) >= 4


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: str(p.relative_to(REPO)))
def test_every_lesson_is_valid(path: Path) -> None:
    assert [str(p) for p in check_lesson(path)] == []


def test_every_lesson_is_on_format_2_and_the_model_uses_each_part() -> None:
    for path in LESSONS:
        assert json.loads(path.read_text(encoding="utf-8"))["metadata"]["kynangso"]["schema_version"] == 2
    model = json.loads(MODEL.read_text(encoding="utf-8"))["metadata"]["kynangso"]
    assert model["requires"] and model["questions"] and len(model["key_points"]) >= 2


def test_lessons_have_unique_ids_and_no_circular_prerequisites() -> None:
    assert [str(p) for p in check_many(LESSONS)] == []


def test_scenarios_are_read_from_the_scenario_files() -> None:
    assert {p.stem for p in (REPO / "src/kynangso/sims/scenarios").glob("*.toml")} == known_scenarios()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (meta(level=4), "metadata.kynangso.level: không được quá 3 (đang là 4)"),
        (meta(level="1"), "metadata.kynangso.level: phải là số nguyên"),
        (meta(front="kinh-te"), "metadata.kynangso.front: phải là một trong 'orientation', 'gov', 'econ', 'society'"),
        (meta(objectives=None), "metadata.kynangso: thiếu trường 'objectives'"),
        (meta(objectives=[]), "metadata.kynangso.objectives: cần ít nhất 1 mục"),
        (meta(minutes_teaching=0), "metadata.kynangso.minutes_teaching: phải từ 1 trở lên"),
        (meta(levle=2), "trường không có trong định dạng: 'levle' (gõ nhầm tên?)"),
        (meta(id="orientation-01-khac"), "metadata.kynangso.id: phải là 'orientation-01-vai-tro-cua-to'"),
        (meta(id="Bài 1"), "metadata.kynangso.id: chỉ dùng chữ thường không dấu"),
        (meta(title="Tên khác"), "metadata.kynangso.title: khác tiêu đề của bài"),
        (meta(simulations=["khong-co"]), "metadata.kynangso.simulations[0]: không có mô phỏng 'khong-co'"),
        (meta(schema_version=3), "metadata.kynangso.schema_version: phải bằng 2"),
        (meta(title="Tổ co\u0302ng nghệ"), "chữ chưa chuẩn hóa Unicode NFC"),
        (meta(questions=None), "metadata.kynangso: thiếu trường 'questions'"),
        (meta(questions=[]), "metadata.kynangso.questions: cần ít nhất 1 mục"),
        (meta(questions=[f"Câu hỏi số {n}?" for n in range(6)]), "metadata.kynangso.questions: tối đa 5 mục"),
        (meta(key_points=None), "metadata.kynangso: thiếu trường 'key_points'"),
        (meta(key_points=["Chỉ một điều."]), "metadata.kynangso.key_points: cần ít nhất 2 mục"),
        (meta(requires=None), "metadata.kynangso: thiếu trường 'requires'"),
        (
            meta(requires=["orientation-09-khong-co"]),
            "metadata.kynangso.requires[0]: không có bài nào mã 'orientation-09-khong-co' trong giáo trình",
        ),
        (
            meta(requires=["orientation-01-vai-tro-cua-to"]),
            "metadata.kynangso.requires[0]: bài không thể cần học trước",
        ),
        (meta(requires="orientation-00-bat-dau"), "metadata.kynangso.requires: phải là danh sách"),
    ],
)
def test_metadata_mistakes(tmp_path: Path, change: Any, expected: str) -> None:
    path = variant(tmp_path, change)
    found = messages(path)
    assert any(m.startswith(f"{path}: ") and expected in m for m in found), found


def test_format_1_is_refused_with_one_clear_message(tmp_path: Path) -> None:
    path = variant(tmp_path, meta(schema_version=1, questions=None, key_points=None, requires=None))
    [message] = messages(path)
    assert message.startswith(f"{path}: metadata.kynangso.schema_version: bài đang ở định dạng cũ (phiên bản 1)")
    assert "docs/lesson-format.md" in message


def test_missing_metadata(tmp_path: Path) -> None:
    path = variant(tmp_path, lambda raw: raw["metadata"].pop("kynangso"))
    assert f"{path}: metadata.kynangso: thiếu thông tin bài học (xem docs/lesson-format.md)" in messages(path)


@pytest.mark.parametrize("section", ["Câu hỏi chính", "An toàn", "Ghi nhớ"])
def test_missing_section(tmp_path: Path, section: str) -> None:
    path = variant(tmp_path, lambda raw: raw["cells"].remove(cell_with(raw, f"## {section}")))
    expected = f"{path}: mục '## {section}': thiếu mục này (mỗi bài có đủ {len(SECTIONS)} mục chuẩn, đúng thứ tự)"
    assert expected in messages(path)


def test_sections_out_of_order(tmp_path: Path) -> None:
    def swap(raw: dict) -> None:
        a, b = cell_with(raw, "## Lỗi thường gặp"), cell_with(raw, "## An toàn")
        i, j = raw["cells"].index(a), raw["cells"].index(b)
        raw["cells"][i], raw["cells"][j] = b, a

    path = variant(tmp_path, swap)
    assert f"{path}: mục '## An toàn': đứng sai thứ tự: phải đặt sau '## Lỗi thường gặp'" in messages(path)


def test_a_level_2_heading_that_is_not_a_standard_section(tmp_path: Path) -> None:
    path = variant(tmp_path, lambda raw: _append(raw, "## Kiến thức", "\n\n## Thêm một mục\n\nChữ."))
    assert any("mục '## Thêm một mục': không phải mục chuẩn" in m for m in messages(path))


def _append(raw: dict, needle: str, text: str) -> None:
    cell = cell_with(raw, needle)
    cell["source"] = source(cell) + text


def _replace(raw: dict, needle: str, old: str, new: str) -> None:
    cell = cell_with(raw, needle)
    assert old in source(cell)
    cell["source"] = source(cell).replace(old, new)


def test_key_points_must_be_listed_exactly_in_ghi_nho(tmp_path: Path) -> None:
    path = variant(
        tmp_path, lambda raw: raw["metadata"]["kynangso"]["key_points"].append("Một điều chưa viết vào bài.")
    )
    assert any(
        m.startswith(f"{path}: mục '## Ghi nhớ': danh sách có 5 ý, còn metadata.kynangso.key_points có 6 ý")
        for m in messages(path)
    ), messages(path)
    path = variant(tmp_path, lambda raw: _replace(raw, "## Ghi nhớ", "ba mặt trận", "hai mặt trận"))
    assert any(
        m.startswith(f"{path}: mục '## Ghi nhớ': ý thứ 2 khác metadata.kynangso.key_points[1]") for m in messages(path)
    ), messages(path)


def test_questions_must_be_listed_exactly_in_cau_hoi_chinh(tmp_path: Path) -> None:
    path = variant(tmp_path, lambda raw: _replace(raw, "## Câu hỏi chính", "do ai lập ra?", "ai lập ra?"))
    assert any(
        m.startswith(f"{path}: mục '## Câu hỏi chính': ý thứ 1 khác metadata.kynangso.questions[0]")
        for m in messages(path)
    ), messages(path)


def test_prerequisites_are_named_by_title_in_cau_hoi_chinh(tmp_path: Path) -> None:
    key = "mục '## Câu hỏi chính'"
    no_line = variant(tmp_path, lambda raw: _replace(raw, "## Câu hỏi chính", "**Cần học trước:**", "Xem thêm:"))
    assert any(f"{key}: thiếu dòng 'Cần học trước: …' nêu tên các bài “Bắt đầu" in m for m in messages(no_line))
    wrong = variant(tmp_path, lambda raw: _replace(raw, "## Câu hỏi chính", "[Bắt đầu: cách", "[Mở đầu: cách"))
    assert any(f"{key}: dòng 'Cần học trước:' chưa nêu tên bài “Bắt đầu" in m for m in messages(wrong))
    extra = variant(tmp_path, meta(requires=[]))
    assert any(f"{key}: có dòng 'Cần học trước:' nhưng metadata.kynangso.requires rỗng" in m for m in messages(extra))


def test_trainer_notes_are_tagged_and_nothing_else_is(tmp_path: Path) -> None:
    untagged = variant(tmp_path, lambda raw: cell_with(raw, "## Ghi chú cho giảng viên").update(metadata={}))
    assert any(
        "(mục '## Ghi chú cho giảng viên'): ô ghi chú giảng viên phải gắn thẻ (tag) 'trainer'" in m
        for m in messages(untagged)
    ), messages(untagged)

    def more_notes(raw: dict) -> None:
        raw["cells"].append({"cell_type": "markdown", "id": "them", "metadata": {}, "source": "Thêm một ghi chú."})

    second = variant(tmp_path, more_notes)
    assert any(f"ô {len(json.loads(second.read_text())['cells'])} (mục '## Ghi chú" in m for m in messages(second))

    stray = variant(tmp_path, lambda raw: cell_with(raw, "## An toàn").update(metadata={"tags": ["trainer"]}))
    assert any(
        "(mục '## An toàn'): chỉ các ô của mục '## Ghi chú cho giảng viên' được gắn thẻ 'trainer'" in m
        for m in messages(stray)
    ), messages(stray)


def test_code_after_the_trainer_notes_is_refused(tmp_path: Path) -> None:
    def finish_last(raw: dict) -> None:
        finish = cell_with(raw, "bai.finish()")
        raw["cells"].remove(finish)
        raw["cells"].append(finish)

    path = variant(tmp_path, finish_last)
    assert any("ghi chú giảng viên chỉ gồm ô markdown" in m for m in messages(path)), messages(path)


def test_trainer_heading_sharing_a_cell_with_the_key_points(tmp_path: Path) -> None:
    def merge(raw: dict) -> None:
        notes = cell_with(raw, "## Ghi chú cho giảng viên")
        raw["cells"].remove(cell_with(raw, "bai.finish()"))
        ghi_nho = cell_with(raw, "## Ghi nhớ")
        ghi_nho["source"] = source(ghi_nho) + "\n\n" + source(notes)
        raw["cells"].remove(notes)

    found = messages(variant(tmp_path, merge))
    assert any("tiêu đề ghi chú giảng viên phải mở đầu một ô riêng" in m for m in found), found


def test_start_lesson_with_another_id(tmp_path: Path) -> None:
    def change(raw: dict) -> None:
        cell_with(raw, "start_lesson(")["source"] = 'from kynangso.lessons import start_lesson\nbai = start_lesson("x")'

    path = variant(tmp_path, change)
    assert any("start_lesson('x') khác mã bài 'orientation-01-vai-tro-cua-to'" in m for m in messages(path))


def test_not_json(tmp_path: Path) -> None:
    path = tmp_path / "orientation" / "05-hong.ipynb"
    path.parent.mkdir()
    path.write_text('{"cells": [', encoding="utf-8")
    [message] = messages(path)
    assert message.startswith(f"{path}: tệp: không phải JSON hợp lệ (dòng 1")


def test_cli_validate(tmp_path: Path) -> None:
    bad = variant(tmp_path, meta(level=7))
    run = [sys.executable, "-m", "kynangso", "lessons", "validate"]
    ok = subprocess.run([*run, str(MODEL)], capture_output=True, text=True, cwd=REPO)
    assert ok.returncode == 0 and "Tất cả 1 bài học đều hợp lệ." in ok.stdout
    failed = subprocess.run([*run, str(bad.parent)], capture_output=True, text=True, cwd=REPO)
    assert failed.returncode == 1
    assert f"{bad}: metadata.kynangso.level: không được quá 3 (đang là 7)" in failed.stderr
    missing = subprocess.run([*run, str(tmp_path / "khong-co.ipynb")], capture_output=True, text=True, cwd=REPO)
    assert missing.returncode == 2 and "khong-co.ipynb: không có tệp hoặc thư mục này" in missing.stderr


def test_worked_example_in_the_docs_is_a_valid_lesson(tmp_path: Path) -> None:
    """docs/lesson-format.md §8 says its example validates: build the notebook from the doc and check."""
    doc = (REPO / "docs" / "lesson-format.md").read_text(encoding="utf-8")
    example = doc[doc.index("## 8. Ví dụ hoàn chỉnh") :]
    blocks = re.findall(r"^(````|```)(markdown trainer|markdown|python|json)\n(.*?)\n\1$", example, re.S | re.M)
    meta_block, *cell_blocks = [(kind, body) for _fence, kind, body in blocks]
    assert meta_block[0] == "json"
    cells: list[dict[str, Any]] = []
    for kind, body in cell_blocks:
        if kind == "json":
            cells.append(json.loads(body))
            continue
        cell: dict[str, Any] = {"cell_type": "code" if kind == "python" else "markdown", "id": f"c{len(cells)}"}
        cell.update(metadata={"tags": ["trainer"]} if kind == "markdown trainer" else {}, source=body)
        if kind == "python":
            cell.update(execution_count=None, outputs=[])
        cells.append(cell)
    nb = {"cells": cells, "metadata": {"kynangso": json.loads(meta_block[1])}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "digital-society" / "01-khong-dua-otp.ipynb"
    path.parent.mkdir()
    path.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    assert sum(1 for c in cells if "self-check" in c.get("metadata", {}).get("tags", [])) == 2
    found = check_lesson(path, scenarios={"nhan-dien-lua-dao"}, titles=lesson_titles(CURRICULUM))
    assert [str(p) for p in found] == []


def test_two_lessons_with_one_id(tmp_path: Path) -> None:
    first = variant(tmp_path)
    second = tmp_path / "khac" / first.name
    second.parent.mkdir()
    second.write_bytes(first.read_bytes())
    found = [str(p) for p in check_many([first, second], scenarios=set())]
    assert f"{second}: metadata.kynangso.id: trùng mã với {first}" in found


def test_prerequisites_that_go_round_in_a_circle(tmp_path: Path) -> None:
    lesson = variant(tmp_path)
    start = lesson.parents[1] / "00-bat-dau.ipynb"
    raw = json.loads(start.read_text(encoding="utf-8"))
    raw["metadata"]["kynangso"]["requires"] = ["orientation-01-vai-tro-cua-to"]
    raw["cells"][2]["source"] = "".join(raw["cells"][2]["source"]) + (
        "\n\n**Cần học trước:** Tổ công nghệ số cộng đồng: vai trò và nhiệm vụ."
    )
    start.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    found = [str(p) for p in check_many([start, lesson], scenarios={"dvc-khai-sinh"})]
    cycle = "orientation-00-bat-dau → orientation-01-vai-tro-cua-to → orientation-00-bat-dau"
    assert found == [f"{start}: metadata.kynangso.requires: các bài cần học trước nhau thành vòng: {cycle}"]


@pytest.mark.parametrize("path", notebook_paths(CURRICULUM / "orientation"), ids=lambda p: p.stem)
def test_orientation_lessons_have_self_checks_and_a_safety_note(path: Path) -> None:
    from kynangso.lessons import notebook as nbmod
    from kynangso.lessons.selfcheck import check_cells

    nb = nbmod.read(path)
    checks = sum(1 for found in check_cells(nb.cells) if found.data)
    assert checks >= 4, f"{path.name}: only {checks} self-checks"
    safety = nb.sections["An toàn"]
    assert "OTP" in safety and "mật khẩu" in safety
    # Today's structure: no district level, the provincial Sở Khoa học và Công nghệ.
    text = "\n".join(nb.sections.values())
    assert "Sở Thông tin và Truyền thông" not in text or "hợp nhất" in text
