"""The "Tiến độ của tôi" page: per-front progress and the next step, computed without a kernel."""

from __future__ import annotations

from pathlib import Path

import pytest

from kynangso.lessons import progress
from kynangso.lessons.catalogue import lessons
from kynangso.lessons.progress_view import FrontSummary, _next_step, page_html, render_html, show, summarize
from tests.support import REPO

CURRICULUM = REPO / "curriculum"


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KYNANGSO_HOME", str(tmp_path))
    return tmp_path


def test_nothing_studied_suggests_the_first_lesson() -> None:
    items = lessons(CURRICULUM)
    [orientation, *fronts] = summarize(items, progress.empty())
    assert orientation.front == "orientation" and orientation.finished == 0
    assert orientation.next_step.startswith(f"Học bài: “{items[0].title}”")
    assert [f.front for f in fronts] == ["gov", "econ", "society"]


def test_progress_moves_the_next_step_along() -> None:
    items = [i for i in lessons(CURRICULUM) if i.front == "orientation"]
    progress.record_lesson_finished(items[0].id)
    progress.record_lesson_opened(items[1].id)
    progress.record_selfcheck(items[1].id, "c1", False)
    progress.record_selfcheck(items[1].id, "c2", True)
    summary = summarize(items, progress.load(), {items[1].id: 5})[0]
    assert [s.state for s in summary.lessons[:3]] == ["da-xong", "dang-hoc", "chua-hoc"]
    assert summary.lessons[1].checks_right == 1 and summary.lessons[1].checks_total == 5
    assert summary.next_step.startswith(f"Học tiếp: “{items[1].title}”")
    progress.record_lesson_opened(items[3].id)
    progress.record_lesson_finished(items[1].id)
    # A lesson already begun is suggested before one not yet opened.
    assert summarize(items, progress.load())[0].next_step.startswith(f"Học tiếp: “{items[3].title}”")
    for item in items:
        progress.record_lesson_finished(item.id)
    done = summarize(items, progress.load())[0]
    assert "dvc-khai-sinh" in done.next_step  # the lessons' simulation is still to practise
    progress.record_simulation("dvc-khai-sinh", "huong-dan", completed=True, score=1.0)
    assert summarize(items, progress.load())[0].next_step.startswith("Anh/chị đã xong phần Định hướng")


def test_front_with_all_lessons_done_points_to_its_exam() -> None:
    from kynangso.lessons.catalogue import LessonInfo

    lesson = LessonInfo(
        Path("digital-government/01-x.ipynb"), "gov-01-x", "Bài X", "gov", 2, 10, 10, ("a b c d e",), (), (), ("nguồn",)
    )
    progress.record_lesson_finished("gov-01-x")
    gov = summarize([lesson], progress.load())[1]
    assert gov.next_step == "Sẵn sàng làm bài thi gov-2: hỏi giảng viên và mở thẻ “Assignments” để nhận đề."


def test_html_page_counts_per_front_and_escapes() -> None:
    items = lessons(CURRICULUM)
    progress.record_lesson_finished(items[0].id)
    text = page_html(CURRICULUM)
    assert f"Anh/chị đã học xong <b>1/{len(items)}</b> bài" in text
    assert "Việc nên làm tiếp:" in text and "Chính quyền số" in text
    assert "font-family" in text
    html_text = render_html(summarize(items, {"lessons": {}, "selfchecks": {}, "simulations": {}}))
    assert "<script" not in html_text


def test_a_front_with_nothing_yet_says_it_is_being_written() -> None:
    # Built by hand: which fronts are still empty depends on the content of the day.
    empty = FrontSummary("econ", "Kinh tế số")
    assert _next_step(empty) == "Phần này đang được biên soạn."


def test_show_builds_a_refreshable_widget() -> None:
    box = show(CURRICULUM)
    view, button = box.children
    assert "0/" in view.value
    progress.record_lesson_finished(lessons(CURRICULUM)[0].id)
    button.click()
    assert "1/" in view.value


def test_lessons_link_to_jupyterlab_under_the_hub_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUPYTERHUB_SERVICE_PREFIX", "/user/nguyen-van-an-1985/")
    text = page_html(CURRICULUM)
    assert "href='/user/nguyen-van-an-1985/lab/tree/curriculum/orientation/01-vai-tro-cua-to.ipynb'" in text


def test_simulations_of_each_front_come_from_the_scenario_files() -> None:
    from kynangso.lessons.progress_view import scenario_index

    index = scenario_index()
    assert index["dvc-khai-sinh"][0] == "gov" and index["nhan-dien-lua-dao"][0] == "society"
    items = lessons(CURRICULUM)
    gov = summarize(items, progress.load(), scenarios=index)[1]
    assert "dvc-khai-sinh" in gov.sims_todo
    if not gov.lessons:
        assert gov.next_step.startswith("Luyện tập mô phỏng: “")
    progress.record_simulation("dvc-khai-sinh", "luyen-tap", completed=True, score=0.9)
    gov = summarize(items, progress.load(), scenarios=index)[1]
    assert "dvc-khai-sinh" in gov.sims_done
    assert "Đã hoàn thành</span> — " + index["dvc-khai-sinh"][1] in page_html(CURRICULUM).replace("&quot;", '"')


def test_unreadable_scenario_file_is_skipped(tmp_path: Path) -> None:
    from kynangso.lessons.progress_view import scenario_index

    (tmp_path / "hong.toml").write_text("id = ", encoding="utf-8")
    (tmp_path / "tot.toml").write_text('front = "econ"\ntitle = "Mở gian hàng"\n', encoding="utf-8")
    assert scenario_index(tmp_path) == {"tot": ("econ", "Mở gian hàng")}
