"""A learner takes a whole exam on a phone-sized Chromium; nbgrader then grades it to the exact expected score.

Everything the browser receives is kept and searched for any part of the answer keys.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.room.helpers import Server, keys, right_answers, solve_practical, wrong_answer
from tests.support import DESKTOP, PHONE

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.slow]
EXAM = "econ-3"
LEARNER = "hoc-vien-21"
SENT_FIELDS = {"number", "id", "type", "points", "text", "choices", "steps", "unit", "scenario"}


def wait_saved(page: Any) -> None:
    page.wait_for_function(
        "document.getElementById('save') && document.getElementById('save').textContent === 'Đã lưu ✓'", timeout=10_000
    )


def answer(page: Any, q: dict[str, Any], value: Any) -> None:
    kind = q["type"]
    if kind == "single":
        page.click(f'.choice[data-letter="{value}"]')
        page.wait_for_selector(f'.choice[data-letter="{value}"][aria-pressed="true"]', timeout=10_000)
    elif kind == "multiple":
        for letter in value:
            page.click(f'.choice[data-letter="{letter}"]')
            page.wait_for_selector(f'.choice[data-letter="{letter}"][aria-pressed="true"]', timeout=10_000)
    elif kind == "order":
        for i, n in enumerate(value):
            for _ in range(len(value)):  # bounded: an item climbs at most len - 1 places
                shown = [int(x) for x in page.eval_on_selector_all(".steps li", "els => els.map(e => e.dataset.n)")]
                j = shown.index(n)
                if j == i:
                    break
                page.click(f".steps li:nth-child({j + 1}) .up")
                page.wait_for_selector(f'.steps li:nth-child({j}) [class="text"]', timeout=10_000)
                page.wait_for_function(
                    f"document.querySelector('.steps li:nth-child({j})').dataset.n === '{n}'", timeout=10_000
                )
    else:
        page.fill("[data-input]", str(value))
        page.locator("[data-input]").blur()
    wait_saved(page)


def practical(page: Any, q: dict[str, Any]) -> None:
    page.wait_for_selector("#sim[data-turn]", timeout=15_000)
    for turn, (index, values) in enumerate(solve_practical(EXAM, q["id"], q["scenario"], LEARNER)):
        page.wait_for_selector(f'#sim[data-turn="{turn}"] [data-action="{index}"]', timeout=10_000)
        for field, value in values.items():
            node = page.locator(f'#sim [data-field="{field}"]')
            tag = node.evaluate("n => n.tagName + ':' + (n.type || '')")
            if tag.startswith("SELECT"):
                node.select_option(value)
            elif tag == "INPUT:checkbox":
                if value:
                    node.check()
            elif tag.startswith("DIV"):
                if value:
                    page.click(f'#sim [data-field="{field}"] button[data-option="{value}"]')
            else:
                node.fill(value)
        page.click(f'#sim [data-action="{index}"]')
    page.wait_for_selector(".sim-done", timeout=10_000)


def forbidden_texts(course: Path) -> list[str]:
    found = ["answer_keys", "BEGIN HIDDEN", "tolerance", "explanation", "rubric", "cham("]
    for entry in keys(course, EXAM).values():
        if len(entry.get("explanation", "")) > 15:
            found.append(entry["explanation"])
        found += [r["criterion"] for r in entry.get("rubric", [])]
    return found


def test_whole_exam_on_a_phone_then_autograde(server: Server, chromium: Any, output_dir: Path) -> None:
    from kynangso.grade import status as st
    from kynangso.grade.runner import grade

    root = server.course.root
    right = right_answers(root, EXAM, LEARNER)
    entries = keys(root, EXAM)
    received: list[tuple[str, str]] = []
    context = chromium.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()

    def keep(resp: Any) -> None:
        try:
            received.append((resp.url, resp.body().decode("utf-8", "replace")))
        except Exception:  # a redirect or an aborted request has no body
            received.append((resp.url, ""))

    page.on("response", keep)
    try:
        page.goto(server.url + "/")
        page.fill("#learner", LEARNER)
        page.fill("#code", "000000" if server.course.codes[LEARNER] != "000000" else "111111")
        page.click("#sign-in")
        page.wait_for_selector("#error:has-text('chưa đúng')", timeout=10_000)
        page.fill("#code", server.course.codes[LEARNER])
        page.click("#sign-in")
        page.click(f'.exam[data-exam="{EXAM}"] button', timeout=10_000)
        page.wait_for_selector(".question", timeout=10_000)
        questions = json.loads(next(b for u, b in received if u.endswith(f"/api/bai/{EXAM}")))["paper"]["questions"]
        expected, wrong_done, text = 0.0, False, "Tôi hướng dẫn hộ kinh doanh lập gian hàng, giữ kín mã OTP."
        for q in questions:
            page.wait_for_selector(f'.question[data-qid="{q["id"]}"]', timeout=10_000)
            if q["number"] == 1:
                page.screenshot(path=str(output_dir / "cau-1.png"), full_page=True)
            if q["type"] == "practical":
                practical(page, q)
                page.screenshot(path=str(output_dir / "thuc-hanh.png"), full_page=True)
                expected += float(entries[q["id"]]["points"])
            elif q["type"] == "open":
                answer(page, q, text)
            else:
                value = right[q["id"]]
                if q["type"] == "single" and not wrong_done:
                    value, wrong_done = wrong_answer("single", value, len(q["choices"])), True
                else:
                    expected += float(entries[q["id"]]["points"])
                answer(page, q, value)
            if q["number"] == 4:
                # The connection drops or the page is reloaded: the learner is back on the same question.
                page.reload()
                page.wait_for_selector(f'.question[data-qid="{q["id"]}"]', timeout=10_000)
                assert page.inner_text("#answered") == f"Đã trả lời 4/{len(questions)} câu"
                page.click('.numbers button[aria-label="Câu 1"]')
                first = questions[0]["id"]
                page.wait_for_selector(f'.question[data-qid="{first}"] .choice[aria-pressed="true"]', timeout=10_000)
                page.click('.numbers button[aria-label="Câu 4"]')
                page.wait_for_selector(f'.question[data-qid="{q["id"]}"] .choice[aria-pressed="true"]', timeout=10_000)
            page.click("#review" if q is questions[-1] else "#next")
        assert wrong_done
        page.wait_for_selector("#submit", timeout=10_000)
        assert "Anh/chị đã trả lời tất cả các câu." in page.inner_text("main")
        page.click("#submit")
        page.wait_for_selector("#receipt", timeout=15_000)
        receipt = page.inner_text("#receipt")
        assert re.fullmatch(r"[A-Z2-7]{4}-[A-Z2-7]{4}", receipt)
        page.screenshot(path=str(output_dir / "bien-nhan.png"), full_page=True)
        # Usable at 390 px: nothing wider than the screen, type large enough for older eyes.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert float(page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")) >= 18
        # The trainer's page, on the laptop: the learner is shown as having handed in.
        desk = chromium.new_context(viewport=DESKTOP)
        try:
            trainer = desk.new_page()
            trainer.on("response", keep)
            trainer.goto(server.url + "/giam-thi")
            trainer.fill("#trainer-code", server.course.trainer)
            trainer.click("#trainer-sign-in")
            trainer.wait_for_selector(f'tr[data-learner="{LEARNER}"] .state:has-text("Đã nộp")', timeout=10_000)
            trainer.screenshot(path=str(output_dir / "giam-thi.png"), full_page=True)
        finally:
            desk.close()
    finally:
        context.close()

    # What the browser received: the learner's own paper with public fields only, and no trace of any key.
    for url, body in received:
        if url.endswith(f"/api/bai/{EXAM}"):
            for q in json.loads(body)["paper"]["questions"]:
                assert set(q) <= SENT_FIELDS, q
        for text in forbidden_texts(root):
            assert text not in body, (url, text)
    assert any("/thuc-hanh/" in u for u, _ in received)

    [record] = grade(root, [EXAM], [LEARNER])
    assert record.status == st.NEEDS_MANUAL, record.reason
    assert record.score == pytest.approx(expected)
    status = json.loads((root / "exam_room" / "answers" / LEARNER / f"{EXAM}.json").read_text(encoding="utf-8"))
    assert status["submissions"][-1]["receipt"] == receipt


def test_answers_given_while_the_wifi_is_down_are_saved_when_it_comes_back(server: Server, chromium: Any) -> None:
    learner = "hoc-vien-22"
    context = chromium.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(server.url + "/")
        page.fill("#learner", learner)
        page.fill("#code", server.course.codes[learner])
        page.click("#sign-in")
        page.click('.exam[data-exam="gov-3"] button', timeout=10_000)
        page.wait_for_selector(".question", timeout=10_000)
        qid = page.get_attribute(".question", "data-qid")
        context.set_offline(True)
        page.click('.choice[data-letter="C"]')
        page.wait_for_selector("#save:has-text('Mất kết nối')", timeout=10_000)
        saved = server.course.root / "exam_room" / "answers" / learner / "gov-3.json"
        assert json.loads(saved.read_text(encoding="utf-8"))["answers"] == {}
        context.set_offline(False)
        wait_saved(page)
        assert json.loads(saved.read_text(encoding="utf-8"))["answers"] == {qid: "C"}
    finally:
        context.close()
