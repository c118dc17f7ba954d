"""The learner copy of a lesson for the reader, and the table of contents, built from the real curriculum."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kynangso.lessons.catalogue import lessons
from kynangso.lessons.learner import TRAINER_HEADING, for_trainers
from kynangso.lessons.notebook import cell_source
from kynangso.reader.pages import Shelf, index_html, reader_notebook, relink
from tests.support import REPO

CURRICULUM = REPO / "curriculum"
SHELF = Shelf(CURRICULUM)


def _load(rel: Path) -> dict:  # type: ignore[type-arg]
    return json.loads((CURRICULUM / rel).read_text(encoding="utf-8"))


@pytest.mark.parametrize("info", SHELF.items, ids=lambda i: i.id)
def test_learner_copy_keeps_the_lesson_and_drops_trainer_notes(info) -> None:  # type: ignore[no-untyped-def]
    nb = _load(info.path)
    place = SHELF.place(info.id)
    assert place is not None
    out = reader_notebook(nb, place, SHELF, "/p/")
    texts = [cell_source(c) for c in out["cells"]]
    trainer = [cell_source(c) for c in nb["cells"] if for_trainers(c)]
    assert trainer, "every lesson has trainer notes (format v2)"
    assert not any(t in texts for t in trainer)
    assert not any(TRAINER_HEADING.search(t) for t in texts)
    # Every code cell of the learner copy is folded and starts without outputs; self-check definitions travel.
    code = [c for c in out["cells"] if c["cell_type"] == "code"]
    assert code and all(c["metadata"]["jupyter"]["source_hidden"] and c["outputs"] == [] for c in code)
    kept_checks = [c["metadata"]["kynangso"] for c in code if "kynangso" in c["metadata"]]
    original_checks = [c["metadata"]["kynangso"] for c in nb["cells"] if "kynangso" in c.get("metadata", {})]
    assert kept_checks == original_checks
    # A bar back to the contents first, the neighbours last.
    assert "kns-bar" in texts[0] and "/p/kynangso/bai-hoc/'" in texts[0]
    assert "kns-nav" in texts[-1]
    if place.next:
        assert f"/p/kynangso/bai-hoc/{place.next.id}'" in texts[-1]
    if place.previous:
        assert f"/p/kynangso/bai-hoc/{place.previous.id}'" in texts[-1]
    assert len({c["id"] for c in out["cells"]}) == len(out["cells"])
    assert nb == _load(info.path), "the original is left alone"


def test_neighbours_stay_within_the_front_in_teaching_order() -> None:
    order = lessons(CURRICULUM)
    for front in {i.front for i in order}:
        same = [i for i in order if i.front == front]
        for k, info in enumerate(same):
            place = SHELF.place(info.id)
            assert place is not None and (place.number, place.total) == (k + 1, len(same))
            assert place.previous == (same[k - 1] if k else None)
            assert place.next == (same[k + 1] if k + 1 < len(same) else None)
    assert SHELF.place("khong-co-bai-nay") is None


def test_links_between_lesson_notebooks_lead_to_reader_pages() -> None:
    info = SHELF.get("gov-02-dang-nhap-dich-vu-cong")
    assert info is not None
    text = (
        "Xem [bài VNeID](01-vneid.ipynb), [bắt đầu](../00-bat-dau.ipynb#muc-luc), "
        "[người lớn](../orientation/04-huong-dan-nguoi-lon.ipynb), [ảnh](anh.png), "
        "[không có](99-khong-co.ipynb) và [web](https://example.org/a.ipynb)."
    )
    out = relink(text, info, SHELF, "/")
    assert "[bài VNeID](/kynangso/bai-hoc/gov-01-vneid)" in out
    assert "[bắt đầu](/kynangso/bai-hoc/orientation-00-bat-dau#muc-luc)" in out
    assert "[người lớn](/kynangso/bai-hoc/orientation-04-huong-dan-nguoi-lon)" in out
    assert "[ảnh](anh.png)" in out and "[không có](99-khong-co.ipynb)" in out
    assert "(https://example.org/a.ipynb)" in out


def test_the_map_cell_of_the_first_lesson_becomes_links_to_the_contents() -> None:
    info = SHELF.get("orientation-00-bat-dau")
    assert info is not None
    place = SHELF.place(info.id)
    assert place is not None
    out = reader_notebook(_load(info.path), place, SHELF, "/")
    texts = [cell_source(c) for c in out["cells"]]
    assert not any("show_contents(" in t for t in texts)
    assert any("[Mở mục lục bài học](/kynangso/bai-hoc/)" in t for t in texts)


def test_index_lists_every_lesson_by_front() -> None:
    page = index_html(SHELF, "/")
    for info in SHELF.items:
        assert f"href='/kynangso/bai-hoc/{info.id}'" in page
    positions = [page.index(f"<h2>{name}</h2>") for name in ("Định hướng", "Chính quyền số", "Kinh tế số", "Xã hội số")]
    assert positions == sorted(positions)


def test_gallery_cards_link_to_the_reader_pages_of_their_lessons() -> None:
    from kynangso.sims.gallery import gallery_html

    page = gallery_html("/", CURRICULUM)
    for info in SHELF.items:
        for _sid in info.simulations:
            assert f'href="/kynangso/bai-hoc/{info.id}"' in page
    assert 'href="/kynangso/bai-hoc/"' in page
    # Without a reader (kynangso sims serve), no link leads to one.
    assert "bai-hoc" not in gallery_html(None, CURRICULUM)


def test_progress_page_links_lessons_to_the_reader_when_there_is_one() -> None:
    from kynangso.lessons.progress_view import render_html, summarize

    summaries = summarize(SHELF.items, {"lessons": {}, "selfchecks": {}, "simulations": {}})
    with_reader = render_html(summaries, "/u/", reader=True)
    without = render_html(summaries, "/u/")
    for info in SHELF.items:
        assert f"href='/u/kynangso/bai-hoc/{info.id}'" in with_reader
        assert f"href='/u/lab/tree/curriculum/{info.path.as_posix()}'" in without


def test_the_server_rereads_the_catalogue_when_a_lesson_file_changes(tmp_path: Path) -> None:
    import shutil

    from kynangso.reader.handlers import Shelves

    for info in SHELF.items[:2]:
        (tmp_path / "curriculum" / info.path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(CURRICULUM / info.path, tmp_path / "curriculum" / info.path)
    shelves = Shelves(tmp_path)
    first = shelves.current()
    assert [i.id for i in first.items] == [i.id for i in SHELF.items[:2]]
    assert shelves.current() is first  # nothing changed: the same shelf
    path = tmp_path / "curriculum" / SHELF.items[1].path
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["metadata"]["kynangso"]["title"] = "Tên bài mới"
    path.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    again = shelves.current()
    assert again is not first and again.items[1].title == "Tên bài mới"
