"""`kynangso lessons new` writes a complete v2 skeleton whose only problems are its TODOs; `kynangso lessons check`
adds, updates, lists and removes self-checks without hand-editing JSON, hashing answers and shuffling steps."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import nbformat
import pytest

from kynangso.lessons import answers
from kynangso.lessons.selfcheck import Spec
from kynangso.lessons.validate import check_lesson
from tests.support import REPO

TODO = "còn chữ TODO của bài mẫu: hãy viết nội dung thật"


def kynangso(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kynangso", *args], capture_output=True, text=True, cwd=cwd)


@pytest.fixture
def curriculum(tmp_path: Path) -> Path:
    folder = tmp_path / "curriculum"
    (folder / "orientation").mkdir(parents=True)
    for name in ("00-bat-dau.ipynb", "orientation/04-huong-dan-nguoi-lon.ipynb"):
        (folder / name).write_bytes((REPO / "curriculum" / name).read_bytes())
    return folder


@pytest.fixture
def new(curriculum: Path) -> Path:
    run = kynangso(
        "lessons", "new", "society", "01-khong-dua-otp", "--title", "Không đưa mã OTP cho ai", "--level", "1",
        "--requires", "orientation-04-huong-dan-nguoi-lon", "--curriculum", str(curriculum),
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    path = curriculum / "digital-society" / "01-khong-dua-otp.ipynb"
    assert f"Đã tạo {path}" in run.stdout
    return path


def _raw(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _checks(path: Path) -> dict[str, tuple[int, dict]]:
    return {
        c["metadata"]["kynangso"]["self_check"]["id"]: (i, c)
        for i, c in enumerate(_raw(path)["cells"])
        if "self_check" in c.get("metadata", {}).get("kynangso", {})
    }


def test_new_lesson_has_only_todo_problems(new: Path) -> None:
    problems = check_lesson(new)
    assert problems and {p.message for p in problems} == {TODO}
    assert {p.key for p in problems} >= {"metadata.kynangso.questions[0]", "metadata.kynangso.key_points[1]"}
    assert any(p.key.startswith("ô ") and "Ghi nhớ" in p.key for p in problems)


def test_new_lesson_is_a_clean_notebook(new: Path) -> None:
    text = new.read_text(encoding="utf-8")
    nbformat.validate(nbformat.reads(text, as_version=nbformat.NO_CONVERT))
    assert unicodedata.is_normalized("NFC", text)
    raw = json.loads(text)
    assert all(c.get("outputs", []) == [] and c.get("execution_count") is None for c in raw["cells"])
    meta = raw["metadata"]["kynangso"]
    assert meta["schema_version"] == 2 and meta["id"] == "society-01-khong-dua-otp"
    assert meta["requires"] == ["orientation-04-huong-dan-nguoi-lon"]
    intro = "".join(raw["cells"][2]["source"])
    assert (
        "**Cần học trước:** [Cách hướng dẫn người lớn dùng công nghệ](../orientation/04-huong-dan-nguoi-lon.ipynb)"
        in intro
    )
    assert raw["cells"][-1]["metadata"]["tags"] == ["trainer"]


def test_a_written_skeleton_is_a_valid_lesson(new: Path) -> None:
    """Replace every TODO with text: nothing else was missing."""
    text = new.read_text(encoding="utf-8")
    written = re.sub(r"TODO: ([^\"\\\n]*)", lambda m: "Nội dung " + m.group(1), text).replace("TODO", "Việc cụ thể")
    new.write_text(written, encoding="utf-8")
    assert [str(p) for p in check_lesson(new)] == []


def test_new_refuses_to_overwrite_or_to_guess(new: Path, curriculum: Path) -> None:
    before = new.read_bytes()
    again = kynangso("lessons", "new", "society", "01-khong-dua-otp", "--title", "Bài khác", "--level", "2",
                     "--curriculum", str(curriculum))  # fmt: skip
    assert again.returncode == 2 and "đã có bài này; không ghi đè" in again.stderr and new.read_bytes() == before
    unknown = kynangso("lessons", "new", "gov", "02-x", "--title", "Bài X", "--level", "1", "--requires",
                       "gov-09-khong-co", "--curriculum", str(curriculum))  # fmt: skip
    assert unknown.returncode == 2 and "--requires: không có bài nào mã 'gov-09-khong-co'" in unknown.stderr
    bad = kynangso(
        "lessons", "new", "gov", "Bai 2", "--title", "Bài X", "--level", "1", "--curriculum", str(curriculum)
    )
    assert bad.returncode == 2 and "phải là hai chữ số" in bad.stderr
    front = kynangso(
        "lessons", "new", "kinh-te", "02-x", "--title", "Bài X", "--level", "1", "--curriculum", str(curriculum)
    )
    assert front.returncode == 2 and "không có mặt trận 'kinh-te'" in front.stderr
    assert not (curriculum / "digital-government").exists()


def test_front_may_be_given_by_its_folder(curriculum: Path) -> None:
    run = kynangso("lessons", "new", "digital-economy", "01-ban-hang", "--title", "Bán hàng trên mạng", "--level",
                   "2", "--curriculum", str(curriculum))  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert (
        _raw(curriculum / "digital-economy" / "01-ban-hang.ipynb")["metadata"]["kynangso"]["id"] == "econ-01-ban-hang"
    )


CHECKS = [
    ("c2", ["--kind", "single", "--option", "Đọc mã OTP", "--option", "Tắt máy, tự gọi số chính thức", "--answer", "2"],
     "Tắt máy, tự gọi số chính thức"),
    ("c3", ["--kind", "multiple", "--option", "156", "--option", "113", "--option", "Số lạ vừa gọi", "--answer", "1,2"],
     ["156", "113"]),
    ("c4", ["--kind", "true-false", "--answer", "sai"], False),
    ("c5", ["--kind", "order", "--step", "Không đọc mã", "--step", "Tắt máy", "--step", "Gọi số chính thức"],
     ["Không đọc mã", "Tắt máy", "Gọi số chính thức"]),
    ("c6", ["--kind", "matching", "--pair", "156=Báo cuộc gọi lừa đảo", "--pair", "5656=Nhắn tin báo lừa đảo",
            "--extra", "Tra cứu điểm thi"], {"156": "Báo cuộc gọi lừa đảo", "5656": "Nhắn tin báo lừa đảo"}),
    ("c7", ["--kind", "short", "--answer", "ba phút", "--no-accents"], "ba phut"),
]  # fmt: skip


@pytest.mark.parametrize(("check_id", "args", "right"), CHECKS, ids=[c[0] for c in CHECKS])
def test_check_adds_a_hidden_self_check_with_a_hashed_answer(
    new: Path, check_id: str, args: list, right: object
) -> None:
    question, explanation = f"Câu hỏi {check_id} về mã OTP?", f"Lời giải thích riêng của câu {check_id}."
    run = kynangso("lessons", "check", str(new), "--id", check_id, *args, "--question", question,
                   "--explanation", explanation)  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert f"Đã thêm câu '{check_id}'" in run.stdout
    index, cell = _checks(new)[check_id]
    assert cell["metadata"]["jupyter"] == {"source_hidden": True} and cell["metadata"]["tags"] == ["self-check"]
    assert "".join(cell["source"]) == f'bai.tu_kiem_tra("{check_id}")'
    spec = Spec.from_dict(cell["metadata"]["kynangso"]["self_check"])
    assert spec.question == question and spec.explanation == explanation
    assert answers.grade(check_id, spec.kind, right, spec.keys or spec.key, spec.accents)
    # The stored order never gives the answer away, and the answer is nowhere in the file as text.
    if spec.kind == "order":
        assert list(spec.steps) != right and sorted(spec.steps) == sorted(right)  # type: ignore[arg-type]
    if spec.kind == "matching":
        assert dict(zip(spec.left, spec.right, strict=False)) != right and "Tra cứu điểm thi" in spec.right
    if spec.kind == "short":
        assert "ba phút" not in new.read_text(encoding="utf-8")
    # It sits at the end of "Tự kiểm tra", after the skeleton's question.
    assert index == _checks(new)["c1"][0] + 1
    assert not [p for p in check_lesson(new) if p.message != TODO]


def test_check_updates_in_place_lists_and_removes(new: Path) -> None:
    first = kynangso("lessons", "check", str(new), "--id", "c1", "--kind", "true-false", "--question",
                     "Ngân hàng có thể xin mã OTP qua điện thoại.", "--answer", "sai", "--explanation",
                     "Ngân hàng không bao giờ xin OTP.")  # fmt: skip
    assert first.returncode == 0 and "Đã sửa câu 'c1'" in first.stdout
    index, cell = _checks(new)["c1"]
    assert index == 8 and cell["id"].endswith("-08")  # same place, same cell id
    assert cell["metadata"]["kynangso"]["self_check"]["question"] == "Ngân hàng có thể xin mã OTP qua điện thoại."
    kynangso("lessons", "check", str(new), "--id", "c2", "--kind", "short", "--question", "Số báo lừa đảo?",
             "--answer", "156", "--explanation", "Gọi 156.")  # fmt: skip
    listed = kynangso("lessons", "check", str(new))
    assert listed.returncode == 0
    assert "c1\ttrue_false\tNgân hàng có thể xin mã OTP qua điện thoại." in listed.stdout
    assert "c2\tshort\tSố báo lừa đảo?" in listed.stdout and "2 câu tự kiểm tra" in listed.stdout
    removed = kynangso("lessons", "check", str(new), "--id", "c2", "--remove")
    assert removed.returncode == 0 and list(_checks(new)) == ["c1"]
    assert not [p for p in check_lesson(new) if p.message != TODO and "c1" in p.key]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["--kind", "single", "--option", "A b", "--option", "C d", "--answer", "3"],
            "ghi số thứ tự của phương án (1 đến 2)",
        ),
        (["--kind", "single", "--option", "A b", "--answer", "1"], "cần ít nhất 2 mục"),
        (["--kind", "true-false", "--answer", "có lẽ"], "câu đúng/sai cần --answer dung hoặc --answer sai"),
        (["--kind", "order", "--step", "Chỉ một bước"], "ít nhất 2 bước"),
        (["--kind", "matching", "--pair", "Zalo"], "mỗi --pair viết dạng 'vế trái=vế phải'"),
        (["--kind", "short"], "câu loại 'short' cần --answer"),
    ],
)
def test_check_refuses_what_it_cannot_encode(new: Path, args: list, expected: str) -> None:
    before = new.read_bytes()
    run = kynangso("lessons", "check", str(new), "--id", "c9", *args, "--question", "Câu hỏi thử?",
                   "--explanation", "Giải thích thử.")  # fmt: skip
    assert run.returncode in (1, 2) and expected in run.stderr, run.stderr
    if run.returncode == 2:
        assert new.read_bytes() == before


def test_check_needs_question_and_explanation_and_a_self_check_section(new: Path, tmp_path: Path) -> None:
    run = kynangso("lessons", "check", str(new), "--id", "c9", "--kind", "true-false", "--answer", "sai")
    assert run.returncode == 2 and "cần --question, --explanation" in run.stderr
    raw = _raw(new)
    raw["cells"] = [c for c in raw["cells"] if "## Tự kiểm tra" not in "".join(c["source"])]
    broken = tmp_path / "khong-co-muc.ipynb"
    broken.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    run = kynangso("lessons", "check", str(broken), "--id", "c9", "--kind", "true-false", "--answer", "sai",
                   "--question", "Câu thử?", "--explanation", "Giải thích.")  # fmt: skip
    assert run.returncode == 2 and "không thấy mục '## Tự kiểm tra'" in run.stderr


def test_help_is_in_vietnamese() -> None:
    new_help = kynangso("lessons", "new", "--help").stdout
    check_help = kynangso("lessons", "check", "--help").stdout
    assert "Tạo một bài học mới theo định dạng v2" in new_help and "Cách dùng:" in new_help
    assert "Thêm, sửa hoặc xóa một câu tự kiểm tra" in check_help and "--remove" in check_help
