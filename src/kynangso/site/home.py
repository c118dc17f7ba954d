"""The site's home page: every page of the site by kind (lessons, simulations), each with the learner's progress.

One registry of kinds, ``KINDS``: a later kind of page (the lesson reader of issue #19 part 1, say) adds an entry
and its pages appear here. Progress is read in the page itself from the browser's IndexedDB (``home.js``).
"""

from __future__ import annotations

import html
from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    kind: str  # a key of KINDS
    path: str  # inside the site's contents, e.g. "bai-hoc/orientation/01-vai-tro-cua-to.ipynb"
    title: str
    group: str  # the heading it is listed under (a front's name)
    key: str  # what progress.json calls it: a lesson id or a scenario id
    note: str = ""


@dataclass(frozen=True)
class Kind:
    heading: str
    intro: str
    folder: str


KINDS: dict[str, Kind] = {
    "lesson": Kind(
        "Bài học",
        "Đọc bài, làm các câu tự kiểm tra. Máy ghi tiến độ ngay trên trình duyệt này.",
        "bai-hoc",
    ),
    "simulation": Kind(
        "Mô phỏng",
        "Tập thao tác trên màn hình giống ứng dụng thật. Mọi tên, số giấy tờ, mã OTP trong mô phỏng đều là giả.",
        "mo-phong",
    ),
}


def page_url(page: Page) -> str:
    return f"notebooks/index.html?path={html.escape(page.path, quote=True)}"


def _item(page: Page) -> str:
    return (
        f'<li class="item" data-kind="{page.kind}" data-key="{html.escape(page.key, quote=True)}">'
        f'<a href="{page_url(page)}">{html.escape(page.title)}</a>'
        f"{f'<span class=note>{html.escape(page.note)}</span>' if page.note else ''}"
        '<span class="state" aria-live="polite"></span></li>'
    )


def render(pages: list[Page], built: str, config: str = "") -> str:
    """The page; ``config`` is JupyterLite's root config script, which every app page reads from here."""
    sections = []
    for kind, info in KINDS.items():
        mine = [p for p in pages if p.kind == kind]
        if not mine:
            continue
        groups: dict[str, list[Page]] = {}
        for p in mine:
            groups.setdefault(p.group, []).append(p)
        body = "".join(
            f"<h3>{html.escape(group)}</h3><ul>{''.join(_item(p) for p in items)}</ul>"
            for group, items in groups.items()
        )
        sections.append(
            f'<section id="{info.folder}"><h2>{html.escape(info.heading)}</h2>'
            f'<p class="intro">{html.escape(info.intro)}</p>{body}</section>'
        )
    return f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kỹ Năng Số — học trên điện thoại</title>
<link rel="stylesheet" href="kns/home.css">
{config}
</head>
<body>
<header><h1>Kỹ Năng Số</h1><p>Học trên điện thoại, không cần mạng.</p></header>
<main>
<p class="tip">Lần đầu mở một bài, máy cần khoảng nửa phút để chuẩn bị; những lần sau nhanh hơn.
Tiến độ của anh/chị được lưu trong trình duyệt này (đổi máy hoặc xóa dữ liệu trình duyệt thì tiến độ mất).</p>
<p id="summary" class="summary"></p>
{"".join(sections)}
<section class="safety"><h2>An toàn</h2>
<p>Không bao giờ đưa mật khẩu, mã OTP (mã xác thực dùng một lần) cho ai, kể cả người xưng là cán bộ, ngân hàng.
Không đưa điện thoại cho người lạ. Khi nghi ngờ, gọi lại số điện thoại chính thức của cơ quan.</p></section>
</main>
<footer>Bản dựng {html.escape(built)} · Mã nguồn Apache-2.0 · Nội dung CC BY 4.0</footer>
<script src="kns/home.js"></script>
</body>
</html>
"""
