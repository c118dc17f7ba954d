"""Handouts: one A4 page per lesson whose text layer holds the Vietnamese exactly, and that renders well."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from kynangso.lessons.catalogue import lessons, notebook_paths
from kynangso.lessons.handouts import Handout, render
from kynangso.lessons.handouts_trainer import CUT, TrainerHandout, blocks
from kynangso.lessons.handouts_trainer import render as render_trainer
from tests.support import REPO

CURRICULUM = REPO / "curriculum"


def _text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8")


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("**", "")).strip()


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def handouts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("phieu")
    run = subprocess.run(
        [sys.executable, "-m", "kynangso", "lessons", "handouts", "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert run.returncode == 0, run.stderr
    return out


def test_one_single_page_pdf_per_lesson(handouts: Path) -> None:
    expected = {f"{info.id}.pdf" for info in lessons(CURRICULUM)}
    assert {p.name for p in handouts.glob("*.pdf")} == expected
    assert all(_pages(p) == 1 for p in handouts.glob("*.pdf"))
    assert "A4" in subprocess.run(["pdfinfo", str(next(handouts.glob("*.pdf")))], capture_output=True, text=True).stdout


@pytest.mark.parametrize("path", notebook_paths(CURRICULUM), ids=lambda p: p.stem)
def test_pdftotext_round_trip_is_exact_nfc(handouts: Path, path: Path) -> None:
    h = Handout(path)
    text = _text(handouts / f"{h.id}.pdf")
    assert unicodedata.is_normalized("NFC", text)
    flat = _flat(text)
    # A very long lesson loses its last steps and safety points to fit one page; the first ones always stay.
    for expected in [h.title, *h.objectives, *h.steps[:3], *h.safety[:2]]:
        assert _flat(expected) in flat
    assert "PHIẾU HƯỚNG DẪN · KỸ NĂNG SỐ" in text


@pytest.mark.parametrize("path", notebook_paths(CURRICULUM), ids=lambda p: p.stem)
def test_learner_handout_carries_the_key_points_and_no_trainer_notes(handouts: Path, path: Path) -> None:
    h = Handout(path)
    assert h.key_points, "every lesson has key points (metadata key_points)"
    flat = _flat(_text(handouts / f"{h.id}.pdf"))
    assert "Ghi nhớ" in flat
    # Key points give way last: on today's lessons all of them are printed.
    for point in h.key_points:
        assert _flat(point) in flat
    trainer = TrainerHandout(path)
    assert "Ghi chú cho giảng viên" not in flat
    assert _flat(trainer.notes[0].text) not in flat


def test_page_renders_with_accents(handouts: Path, output_dir: Path) -> None:
    """Render a page to PNG for a person to look at (test-output/…); check it is a full, non-blank A4 page."""
    from PIL import Image

    pdf = handouts / "orientation-02-dien-thoai-co-ban.pdf"
    subprocess.run(["pdftoppm", "-png", "-r", "100", "-singlefile", str(pdf), str(output_dir / "phieu")], check=True)
    image = Image.open(output_dir / "phieu.png").convert("L")
    assert image.size == (827, 1170)  # A4 at 100 dpi
    dark = sum(1 for px in image.getdata() if px < 128)
    assert dark > 20_000  # text, the band and headings are there


def test_a_long_lesson_still_fits_on_one_page(tmp_path: Path) -> None:
    source = CURRICULUM / "orientation" / "02-dien-thoai-co-ban.ipynb"
    raw = json.loads(source.read_text(encoding="utf-8"))
    cell = next(c for c in raw["cells"] if "## Từng bước" in "".join(c["source"]))
    cell["source"] = "## Từng bước\n\n" + "\n".join(
        f"{n}. Bước thứ {n}: bấm vào nút **“Tiếp tục”** rồi đọc kỹ màn hình trước khi làm gì tiếp theo."
        for n in range(1, 41)
    )
    path = tmp_path / "02-dien-thoai-co-ban.ipynb"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "x.pdf"
    out.write_bytes(render(path))
    assert _pages(out) == 1
    assert "Bước thứ 1: bấm vào nút" in _flat(_text(out))


def test_invalid_lesson_is_reported_and_others_still_printed(tmp_path: Path) -> None:
    folder = tmp_path / "orientation"
    shutil.copytree(CURRICULUM / "orientation", folder)
    bad = folder / "01-vai-tro-cua-to.ipynb"
    raw = json.loads(bad.read_text(encoding="utf-8"))
    del raw["metadata"]["kynangso"]["title"]
    bad.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out"
    run = subprocess.run(
        [sys.executable, "-m", "kynangso", "lessons", "handouts", "--out", str(out), str(folder)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1
    assert f"{bad}: metadata.kynangso: thiếu trường 'title'" in run.stderr
    assert len(list(out.glob("*.pdf"))) == len(list(folder.glob("*.ipynb"))) - 1


def test_same_lesson_same_pdf() -> None:
    path = CURRICULUM / "orientation" / "01-vai-tro-cua-to.ipynb"
    assert render(path) == render(path)


def test_out_that_is_a_file_is_refused_and_left_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from kynangso.cli import main

    target = tmp_path / "phieu"
    target.write_text("ghi chú của giảng viên", encoding="utf-8")
    assert main(["lessons", "handouts", "--out", str(target)]) == 2
    assert f"{target}: đã có một tệp tên này" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "ghi chú của giảng viên"


@pytest.fixture(scope="module")
def trainer_handouts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("phieu-giang-vien")
    run = subprocess.run(
        [sys.executable, "-m", "kynangso", "lessons", "handouts", "--trainer", "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert run.returncode == 0, run.stderr
    assert f"Xong: {len(lessons(CURRICULUM))} phiếu giảng viên" in run.stdout
    return out


def test_one_single_page_a4_trainer_pdf_per_lesson(trainer_handouts: Path) -> None:
    expected = {f"{info.id}-giang-vien.pdf" for info in lessons(CURRICULUM)}
    assert {p.name for p in trainer_handouts.glob("*.pdf")} == expected
    assert all(_pages(p) == 1 for p in trainer_handouts.glob("*.pdf"))
    info = subprocess.run(["pdfinfo", str(next(trainer_handouts.glob("*.pdf")))], capture_output=True, text=True)
    assert "A4" in info.stdout


@pytest.mark.parametrize("info", lessons(CURRICULUM), ids=lambda i: i.id)
def test_trainer_handout_has_timing_prerequisites_and_the_trainer_notes(trainer_handouts: Path, info: Any) -> None:
    text = _text(trainer_handouts / f"{info.id}-giang-vien.pdf")
    assert unicodedata.is_normalized("NFC", text)
    flat = _flat(text)
    assert "PHIẾU GIẢNG VIÊN · KỸ NĂNG SỐ" in text and _flat(info.title) in flat
    total = info.minutes_teaching + info.minutes_practice
    assert f"{info.minutes_teaching} phút giảng + {info.minutes_practice} phút thực hành = {total} phút" in flat
    titles = {i.id: i.title for i in lessons(CURRICULUM)}
    for req in info.requires:
        assert _flat(f"{titles[req]} ({req})") in flat
    if not info.requires:
        assert "Cần học trước: không cần bài nào" in flat
    notes = TrainerHandout(CURRICULUM / info.path).notes
    assert notes, "every lesson has trainer notes"
    # The notes are what the page is for: on today's lessons every one of them is printed, uncut.
    for block in notes:
        assert _flat(block.text) in flat
    assert _flat(CUT) not in flat


def test_trainer_notes_are_read_as_headings_items_nested_items_and_paragraphs() -> None:
    found = blocks(
        "## Ghi chú cho giảng viên\n\n- **Thời gian:** 30 phút,\n  rồi 20 phút thực hành.\n\n"
        "**Điều học viên hay nhầm:**\n\n- Tưởng \\*998# là mã thật.\n  - Mã thật do nhà mạng\n    công bố.\n\n"
        "### Sau buổi học\n\nHỏi lại cả lớp.\nGhi lại."
    )
    assert [(b.kind, b.text) for b in found] == [
        ("item", "**Thời gian:** 30 phút, rồi 20 phút thực hành."),
        ("paragraph", "**Điều học viên hay nhầm:**"),
        ("item", "Tưởng *998# là mã thật."),
        ("subitem", "Mã thật do nhà mạng công bố."),
        ("heading", "Sau buổi học"),
        ("paragraph", "Hỏi lại cả lớp. Ghi lại."),
    ]


def test_long_trainer_notes_still_fit_on_one_page_and_say_where_the_rest_is(tmp_path: Path) -> None:
    source = CURRICULUM / "digital-government" / "01-vneid.ipynb"
    raw = json.loads(source.read_text(encoding="utf-8"))
    cell = next(c for c in raw["cells"] if "trainer" in c.get("metadata", {}).get("tags", []))
    cell["source"] = "## Ghi chú cho giảng viên\n\n" + "\n".join(
        f"- Ghi chú số {n}: nhắc học viên tự bấm trên máy của mình, giảng viên chỉ nói, không cầm máy làm thay."
        for n in range(1, 61)
    )
    path = tmp_path / "01-vneid.ipynb"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "x.pdf"
    out.write_bytes(render_trainer(path))
    assert _pages(out) == 1
    flat = _flat(_text(out))
    assert "Ghi chú số 1: nhắc học viên" in flat and "Ghi chú số 60:" not in flat
    assert _flat(CUT) in flat


def test_same_lesson_same_trainer_pdf() -> None:
    path = CURRICULUM / "orientation" / "04-huong-dan-nguoi-lon.ipynb"
    assert render_trainer(path) == render_trainer(path)
