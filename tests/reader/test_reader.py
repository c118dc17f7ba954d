"""`kynangso start` serves every lesson as a clean page for a phone, checked in real Chromium at 390×844.

One server (the real command, on a fresh workspace) and one browser for the whole file; pages open one after
another. Each lesson page: no code, no trainer notes, large proportional text, its self-checks and simulations
drawn, previous/next within its front; one self-check answered and its record read from the progress store; the
gallery and "Tiến độ của tôi" lead to the reader.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
import pytest

from kynangso.lessons.catalogue import LessonInfo, lessons
from kynangso.lessons.learner import for_trainers
from kynangso.lessons.notebook import cell_source
from kynangso.lessons.selfcheck import check_cells
from kynangso.sims import load_scenario
from kynangso.sims.solver import solve
from tests.lessons.model import answer_the_model_self_check
from tests.sims.test_browser import fill
from tests.support import PHONE, REPO, descendants, http_get, kynangso_start, read_until

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.slow]
TIMEOUT_MS = 120_000
LESSONS = lessons(REPO / "curriculum")


@dataclass
class Reader:
    base: str
    token: str
    home: Path
    output: Path

    def url(self, path: str) -> str:
        return f"{self.base}/{path}?token={self.token}"


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reader]:
    workspace = tmp_path_factory.mktemp("workspace")
    home = workspace / "home"
    output = REPO / "test-output" / "reader"
    output.mkdir(parents=True, exist_ok=True)
    proc = kynangso_start(workspace, home)
    try:
        lines = read_until(proc, "Ctrl-C")
        line = next((ln for ln in lines if "Bài học trên điện thoại" in ln), None)
        assert line is not None, lines  # kynangso start prints the reader's address
        match = re.search(r"(http://127\.0\.0\.1:\d+)/kynangso/bai-hoc/\?token=(\w+)", line)
        assert match, line
        yield Reader(match.group(1), match.group(2), home, output)
    finally:
        kids = descendants(proc.pid)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGINT)  # as a trainer's Ctrl-C
        try:
            proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
        for p in kids:
            with contextlib.suppress(psutil.NoSuchProcess):
                p.kill()


@pytest.fixture(scope="module")
def page(chromium: Any, reader: Reader) -> Iterator[Any]:
    """One phone-sized tab for the file: the token is sent once, the session cookie does the rest."""
    tab = chromium.new_page(viewport=PHONE)
    try:
        tab.goto(reader.url("kynangso/bai-hoc/"), timeout=TIMEOUT_MS)
        yield tab
    finally:
        tab.close()


def _notebook(info: LessonInfo) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((REPO / "curriculum" / info.path).read_text(encoding="utf-8"))
    return data


def _neighbours(info: LessonInfo) -> tuple[LessonInfo | None, LessonInfo | None]:
    same = [i for i in LESSONS if i.front == info.front]
    k = same.index(info)
    return (same[k - 1] if k else None), (same[k + 1] if k + 1 < len(same) else None)


def _plain_lines(source: str) -> list[str]:
    """Lines of a cell as a page would show them (Markdown marks removed), long enough to be telling."""
    out = []
    for line in source.splitlines():
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line)
        text = re.sub(r"[*_`#>|]+", "", text).strip(" -:\t")
        text = re.sub(r"^\d+[.)]\s*", "", text).strip()
        if len(text) >= 24:
            out.append(re.sub(r"\s+", " ", text))
    return out


def _open(page: Any, reader: Reader, lesson_id: str) -> None:
    page.goto(reader.url(f"kynangso/bai-hoc/{lesson_id}"), timeout=TIMEOUT_MS)
    # The footer is the last cell: Voilà sends it once every cell above has run.
    page.locator(".kns-nav").wait_for(timeout=TIMEOUT_MS)


def test_the_contents_page_lists_every_lesson(page: Any, reader: Reader) -> None:
    page.goto(reader.url("kynangso/bai-hoc/"), timeout=TIMEOUT_MS)
    hrefs = page.locator(".kns-index li a").evaluate_all("els => els.map(a => a.getAttribute('href'))")
    assert hrefs == [f"/kynangso/bai-hoc/{i.id}" for i in LESSONS]
    page.screenshot(path=str(reader.output / "muc-luc.png"), full_page=True)


def test_an_unknown_lesson_gets_a_page_back_to_the_contents(reader: Reader) -> None:
    status, body = http_get(reader.url("kynangso/bai-hoc/khong-co-bai-nay"))
    assert status == 404
    assert "Không tìm thấy bài “khong-co-bai-nay”" in body and "/kynangso/bai-hoc/" in body


@pytest.mark.parametrize("info", LESSONS, ids=lambda i: i.id)
def test_lesson_renders_as_a_clean_page(page: Any, reader: Reader, info: LessonInfo) -> None:
    _open(page, reader, info.id)
    nb = _notebook(info)
    checks = [c for c in check_cells(nb["cells"]) if isinstance(c.data, dict)]
    sims = [c for c in nb["cells"] if c["cell_type"] == "code" and ".simulation(" in cell_source(c)]
    # Widgets are drawn by the page's JavaScript once the kernel has made them.
    if checks:
        page.locator(".kns-check").nth(len(checks) - 1).wait_for(timeout=TIMEOUT_MS)
    if sims:
        page.locator(".kns-sim").first.wait_for(timeout=TIMEOUT_MS)
    assert page.locator(".kns-check").count() == len(checks)
    assert page.locator(".kns-sim").count() == len(sims)
    # The whole lesson, top to bottom: JPEG keeps 27 pages of ~20 000 px to a few MB.
    page.screenshot(path=str(reader.output / f"{info.id}.jpg"), full_page=True, type="jpeg", quality=70)

    text = page.inner_text("body")
    assert info.title in text
    assert page.title().startswith(info.title)
    # What the page holds, shown or hidden (a hidden line is one a learner's "view source" still reads).
    everything = re.sub(r"[ \t]+", " ", page.locator("body").text_content() or "")
    # No code: neither the editors nor any line of a code cell's source.
    assert page.locator(".jp-CodeCell .jp-InputArea, .CodeMirror, .cm-editor").count() == 0
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            for line in cell_source(cell).splitlines():
                assert len(line.strip()) < 8 or line.strip() not in everything, line
    # No trainer notes, not even hidden ones: none of their lines in the page (but those quoting the learners' part).
    assert page.locator(".celltag_trainer").count() == 0
    learners = " ".join(" ".join(_plain_lines(cell_source(c))) for c in nb["cells"] if not for_trainers(c))
    for cell in nb["cells"]:
        if for_trainers(cell):
            for line in _plain_lines(cell_source(cell)):
                assert line in learners or line not in everything, line
    assert "Ghi chú cho giảng viên" not in page.locator("h1, h2, h3").all_inner_texts()
    # Large proportional text, and nothing said in a monospace output area.
    sizes = page.locator(".jp-RenderedMarkdown p, .jp-RenderedMarkdown li").evaluate_all(
        "els => els.map(e => [parseFloat(getComputedStyle(e).fontSize), getComputedStyle(e).fontFamily])"
    )
    assert sizes and min(size for size, _ in sizes) >= 18, sizes[:3]
    assert not any("mono" in family.lower() for _, family in sizes)
    streams = page.locator(".jp-OutputArea-output pre").all_inner_texts()
    assert not any(s.strip() for s in streams), streams
    # The lesson's first cell has recorded the visit, as in JupyterLab.
    data = json.loads((reader.home / "progress.json").read_text(encoding="utf-8"))
    assert data["lessons"][info.id]["times_opened"] >= 1
    # Previous and next stay within the front, in teaching order.
    before, after = _neighbours(info)
    prev_link, next_link = page.locator(".kns-nav a[rel=prev]"), page.locator(".kns-nav a[rel=next]")
    assert prev_link.count() == (1 if before else 0) and next_link.count() == (1 if after else 0)
    if before:
        assert prev_link.get_attribute("href") == f"/kynangso/bai-hoc/{before.id}"
        assert before.title in prev_link.inner_text()
    if after:
        assert next_link.get_attribute("href") == f"/kynangso/bai-hoc/{after.id}"
        assert after.title in next_link.inner_text()
    assert page.locator(".kns-bar a.kns-home").get_attribute("href") == "/kynangso/bai-hoc/"


def test_a_self_check_answers_and_records_progress(page: Any, reader: Reader) -> None:
    lesson = "orientation-01-vai-tro-cua-to"
    _open(page, reader, lesson)
    answer_the_model_self_check(page, reader.output / "tu-kiem-tra.png", TIMEOUT_MS)

    data = json.loads((reader.home / "progress.json").read_text(encoding="utf-8"))
    assert data["selfchecks"][lesson]["c2"]["correct"] is True
    assert data["lessons"][lesson]["times_opened"] >= 1
    assert "finished" not in data["lessons"][lesson]
    # Finishing is the learner's own button, as in JupyterLab.
    page.get_by_role("button", name="Tôi đã học xong bài này").click()
    page.get_by_text("Chúc mừng anh/chị đã học xong bài này!").wait_for(timeout=TIMEOUT_MS)
    data = json.loads((reader.home / "progress.json").read_text(encoding="utf-8"))
    assert data["lessons"][lesson]["finished"]


def test_a_simulation_in_a_lesson_runs_to_its_goal(page: Any, reader: Reader) -> None:
    lesson, scenario_id = "gov-01-vneid", "vneid-kich-hoat"
    scenario = load_scenario(scenario_id)
    _open(page, reader, lesson)
    page.locator(f".kns-screen-{scenario.start}").wait_for(timeout=TIMEOUT_MS)
    seed = int(page.inner_text(".kns-foot").rsplit(":", 1)[1])
    entries = solve(scenario, seed)
    assert entries
    for i, entry in enumerate(entries):
        fill(page, scenario_id, entry["screen"], entry.get("values", {}))
        page.locator(f".kns-screen-{entry['screen']} .kns-action-{entry['action']}").click()
        after = entries[i + 1]["screen"] if i + 1 < len(entries) else None
        page.locator(f".kns-screen-{after}" if after else ".kns-completed").first.wait_for(timeout=TIMEOUT_MS)
    page.locator(".kns-fb-done").first.wait_for(timeout=TIMEOUT_MS)
    page.locator(".kns-fb-done").first.scroll_into_view_if_needed()
    page.screenshot(path=str(reader.output / "mo-phong.png"))
    data = json.loads((reader.home / "progress.json").read_text(encoding="utf-8"))
    assert data["simulations"][scenario_id]["huong-dan"]["completed"] is True


def _kernels(reader: Reader) -> set[str]:
    with urllib.request.urlopen(reader.url("api/kernels"), timeout=30) as resp:
        return {k["id"] for k in json.loads(resp.read())}


def _wait_stopped(reader: Reader, mine: set[str], what: str) -> None:
    deadline = time.monotonic() + 30
    while mine & _kernels(reader) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not mine & _kernels(reader), f"{what}'s kernel is still running after the learner left"


def test_leaving_a_lesson_stops_its_kernel(page: Any, reader: Reader) -> None:
    page.goto(reader.url("kynangso/bai-hoc/"), timeout=TIMEOUT_MS)
    before = _kernels(reader)
    _open(page, reader, LESSONS[1].id)
    mine = _kernels(reader) - before
    assert len(mine) == 1
    page.goto(reader.url("kynangso/bai-hoc/"), timeout=TIMEOUT_MS)
    _wait_stopped(reader, mine, "the lesson")


def test_voila_pages_opened_from_the_reader_stop_their_kernels_too(chromium: Any, reader: Reader) -> None:
    tab = chromium.new_page(viewport=PHONE)  # a new phone: it comes in through the reader's contents page
    try:
        tab.goto(reader.url("kynangso/bai-hoc/"), timeout=TIMEOUT_MS)
        before = _kernels(reader)
        tab.goto(f"{reader.base}/voila/render/voila_apps/tien-do.ipynb", timeout=TIMEOUT_MS)
        tab.get_by_text("Việc nên làm tiếp:").wait_for(timeout=TIMEOUT_MS)
        mine = _kernels(reader) - before
        assert len(mine) == 1
        tab.goto(f"{reader.base}/kynangso/bai-hoc/", timeout=TIMEOUT_MS)
        _wait_stopped(reader, mine, "the progress page")
    finally:
        tab.close()


def test_a_phone_that_opens_the_printed_gallery_address_stops_its_simulation_kernels(
    chromium: Any, reader: Reader
) -> None:
    tab = chromium.new_page(viewport=PHONE)  # a new phone, straight to the simulations' address kynangso start gives
    try:
        before = _kernels(reader)
        tab.goto(reader.url("kynangso/mo-phong/"), timeout=TIMEOUT_MS)
        tab.wait_for_url(re.compile(r"/voila/render/voila_apps/gallery\.ipynb"), timeout=TIMEOUT_MS)
        tab.locator("a.kns-open").first.wait_for(timeout=TIMEOUT_MS)
        mine = _kernels(reader) - before
        assert len(mine) == 1
        tab.goto(f"{reader.base}/kynangso/bai-hoc/", timeout=TIMEOUT_MS)
        _wait_stopped(reader, mine, "the gallery")
    finally:
        tab.close()


def test_next_link_opens_the_next_lesson(page: Any, reader: Reader) -> None:
    first = LESSONS[0]
    _, after = _neighbours(first)
    assert after is not None
    _open(page, reader, first.id)
    page.locator(".kns-nav a[rel=next]").click()
    page.wait_for_url(re.compile(rf"/kynangso/bai-hoc/{after.id}$"), timeout=TIMEOUT_MS)
    page.locator(".kns-nav").wait_for(timeout=TIMEOUT_MS)
    assert after.title in page.inner_text("h1")


def test_gallery_links_each_simulation_to_the_lessons_that_use_it(page: Any, reader: Reader) -> None:
    page.goto(reader.url("voila/render/voila_apps/gallery.ipynb"), timeout=TIMEOUT_MS)
    page.locator("a.kns-open").first.wait_for(timeout=TIMEOUT_MS)
    page.screenshot(path=str(reader.output / "thu-vien.png"), full_page=True)
    hrefs = set(page.locator(".kns-lessons a").evaluate_all("els => els.map(a => a.getAttribute('href'))"))
    using = {i.id for i in LESSONS if i.simulations}
    assert hrefs == {f"/kynangso/bai-hoc/{lid}" for lid in using}
    page.locator(".kns-lessons a").first.click()
    page.locator(".kns-nav").wait_for(timeout=TIMEOUT_MS)
    assert "/kynangso/bai-hoc/" in page.url


def test_progress_page_links_every_lesson_to_the_reader(page: Any, reader: Reader) -> None:
    page.goto(reader.url("voila/render/voila_apps/tien-do.ipynb"), timeout=TIMEOUT_MS)
    page.get_by_text("Việc nên làm tiếp:").wait_for(timeout=TIMEOUT_MS)
    page.screenshot(path=str(reader.output / "tien-do.png"), full_page=True)
    hrefs = page.locator("a[href*='bai-hoc']").evaluate_all("els => els.map(a => a.getAttribute('href'))")
    assert sorted(hrefs) == sorted(f"/kynangso/bai-hoc/{i.id}" for i in LESSONS)
    assert page.locator("a[href*='/lab/tree/']").count() == 0
