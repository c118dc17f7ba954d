"""What the reader shows, without a server: the learner copy of a lesson with its header and footer, and the table
of contents. Pure functions of the curriculum; ``handlers`` serves them.

The copy starts from ``kynangso.lessons.learner`` (trainer notes out, code folded). On top of that, for a page
of its own: links between lesson notebooks become links between reader pages, the "map of the workspace" cell of
the first lesson becomes a link to the table of contents, a first cell carries the reader's CSS and a bar back
to the contents, and a last one the previous/next lessons of the same front (teaching order from the catalogue).
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any

from kynangso.lessons.catalogue import LessonInfo, lessons
from kynangso.lessons.learner import Cell, learner_cells, markdown, number_cells
from kynangso.lessons.notebook import FRONT_NAMES, FRONT_ORDER, cell_source
from kynangso.reader import GALLERY, index_url, lesson_url

READER_TAG = "kns-reader"
# A Markdown link to a notebook: ](target.ipynb) or ](target.ipynb#part "title")
_NOTEBOOK_LINK = re.compile(r"\]\((?P<target>[^)\s#]+\.ipynb)(?P<rest>[^)]*)\)")


@cache
def css() -> str:
    return resources.files("kynangso.reader").joinpath("static/reader.css").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Place:
    """Where a lesson stands in its front."""

    info: LessonInfo
    number: int  # 1-based, within the front
    total: int
    previous: LessonInfo | None
    next: LessonInfo | None

    @property
    def front_name(self) -> str:
        return FRONT_NAMES.get(self.info.front, self.info.front)


class Shelf:
    """The lessons of a curriculum folder, in teaching order, with their neighbours."""

    def __init__(self, curriculum: Path) -> None:
        self.curriculum = curriculum
        self.items = lessons(curriculum)
        self._by_id = {i.id: i for i in self.items}
        self._by_path = {i.path.as_posix(): i for i in self.items}

    def fronts(self) -> list[tuple[str, list[LessonInfo]]]:
        known = [f for f in FRONT_ORDER if any(i.front == f for i in self.items)]
        others = sorted({i.front for i in self.items} - set(FRONT_ORDER))
        return [(f, [i for i in self.items if i.front == f]) for f in known + others]

    def get(self, lesson_id: str) -> LessonInfo | None:
        return self._by_id.get(lesson_id)

    def at(self, rel: PurePosixPath) -> LessonInfo | None:
        return self._by_path.get(rel.as_posix())

    def place(self, lesson_id: str) -> Place | None:
        info = self._by_id.get(lesson_id)
        if info is None:
            return None
        same = [i for i in self.items if i.front == info.front]
        k = same.index(info)
        return Place(info, k + 1, len(same), same[k - 1] if k else None, same[k + 1] if k + 1 < len(same) else None)


def _resolve(base: PurePosixPath, target: str) -> PurePosixPath | None:
    """A relative link from a lesson's folder, as a path inside the curriculum (None when it leaves it)."""
    parts: list[str] = list(base.parts)
    for part in PurePosixPath(target).parts:
        if part == "..":
            if not parts:
                return None
            parts.pop()
        elif part != ".":
            parts.append(part)
    return PurePosixPath(*parts) if parts else None


def relink(text: str, info: LessonInfo, shelf: Shelf, prefix: str) -> str:
    """Links to other lesson notebooks lead to their reader pages; other links are left as written."""
    folder = PurePosixPath(info.path.as_posix()).parent

    def swap(m: re.Match[str]) -> str:
        target = m.group("target")
        if "://" in target or target.startswith("/"):
            return m.group(0)
        rel = _resolve(folder, target)
        other = shelf.at(rel) if rel is not None else None
        return f"]({lesson_url(other.id, prefix)}{m.group('rest')})" if other else m.group(0)

    return _NOTEBOOK_LINK.sub(swap, text)


def _contents_cell(prefix: str) -> Cell:
    return markdown(
        f"**[Mở mục lục bài học]({index_url(prefix)})** · **[Mở thư viện mô phỏng]({prefix}{GALLERY})**",
        tags=[READER_TAG],
    )


def _html_cell(body: str) -> Cell:
    # One block of HTML in a Markdown cell reaches the page as written (a raw cell would be sanitised).
    return markdown(re.sub(r"\n\s*", " ", body).strip(), tags=[READER_TAG])


def header_cell(place: Place, prefix: str) -> Cell:
    e = html.escape
    where = f"{place.front_name} · bài {place.number}/{place.total}"
    return _html_cell(
        f"<div class='kns-bar'><style>{css()}</style>"
        f"<a class='kns-home' href='{e(index_url(prefix))}'>← Mục lục</a>"
        f"<span class='kns-where'>{e(where)}</span></div>"
        f"<script>document.title = {_js_string(place.info.title + ' · Kỹ Năng Số')};</script>"
    )


def _js_string(text: str) -> str:
    # Inside <script>, "</" would end the element early.
    return json.dumps(text, ensure_ascii=False).replace("</", "<\\/")


def footer_cell(place: Place, prefix: str) -> Cell:
    e = html.escape
    links = []
    if place.previous:
        links.append(
            f"<a rel='prev' class='kns-prev' href='{e(lesson_url(place.previous.id, prefix))}'>"
            f"← Bài trước: {e(place.previous.title)}</a>"
        )
    if place.next:
        links.append(
            f"<a rel='next' class='kns-next' href='{e(lesson_url(place.next.id, prefix))}'>"
            f"Bài tiếp theo: {e(place.next.title)} →</a>"
        )
    else:
        links.append(f"<div class='kns-end'>Đây là bài cuối của phần {e(place.front_name)}.</div>")
    links.append(f"<a class='kns-home' href='{e(index_url(prefix))}'>Về mục lục bài học</a>")
    return _html_cell(f"<nav class='kns-nav' aria-label='Chuyển bài'>{''.join(links)}</nav>")


def reader_notebook(nb: dict[str, Any], place: Place, shelf: Shelf, prefix: str = "/") -> dict[str, Any]:
    """The learner copy of a lesson for its reader page (the original is left alone)."""
    cells = learner_cells(nb.get("cells", []), {"show_contents(": lambda _c: _contents_cell(prefix)})
    for cell in cells:
        if cell.get("cell_type") == "markdown":
            cell["source"] = relink(cell_source(cell), place.info, shelf, prefix)
    cells = [header_cell(place, prefix), *cells, footer_cell(place, prefix)]
    number_cells(cells, "kns-reader")
    out = {k: v for k, v in nb.items() if k != "cells"}
    out["cells"] = cells
    out["nbformat"], out["nbformat_minor"] = 4, max(5, int(nb.get("nbformat_minor", 5)))
    return out


def index_html(shelf: Shelf, prefix: str = "/") -> str:
    """The table of contents: every lesson by front, each a large link to its reader page."""
    e = html.escape
    parts = [
        "<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        f"<title>Bài học · Kỹ Năng Số</title><style>{css()}</style></head><body>",
        "<main class='kns-index'><h1>Bài học Kỹ Năng Số</h1>",
        "<p>Chọn một bài để đọc trên điện thoại. Bài học tự lưu tiến độ khi anh/chị làm phần tự kiểm tra.</p>",
        f"<p><a href='{e(prefix + GALLERY)}'>Thư viện mô phỏng</a> · "
        f"<a href='{e(prefix)}voila/render/voila_apps/tien-do.ipynb'>Tiến độ của tôi</a></p>",
    ]
    for front, items in shelf.fronts():
        parts.append(f"<h2>{e(FRONT_NAMES.get(front, front))}</h2><ol>")
        for n, info in enumerate(items, 1):
            minutes = info.minutes_teaching + info.minutes_practice
            parts.append(
                f"<li><a href='{e(lesson_url(info.id, prefix))}'>{n}. {e(info.title)}"
                f"<span class='kns-meta'>cấp độ {info.level} · khoảng {minutes} phút</span></a></li>"
            )
        parts.append("</ol>")
    if not shelf.items:
        parts.append("<p>Chưa có bài học nào trong thư mục curriculum.</p>")
    parts.append("</main></body></html>")
    return "".join(parts)


def not_found_html(lesson_id: str, prefix: str = "/") -> str:
    e = html.escape
    return (
        "<!DOCTYPE html><html lang='vi'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>Không có bài này · Kỹ Năng Số</title><style>{css()}</style></head><body><main class='kns-index'>"
        f"<h1>Không tìm thấy bài “{e(lesson_id)}”</h1>"
        "<p>Có thể địa chỉ bị gõ sai hoặc bài đã đổi tên.</p>"
        f"<p><a href='{e(index_url(prefix))}'>Xem danh sách bài học</a></p></main></body></html>"
    )
