"""The gallery page: every simulation with its front, minutes and what it teaches, linked to its Voilà app.

Under ``kynangso start`` each card also links to the reader pages of the lessons that use the simulation
(``kynangso.reader``); ``kynangso sims serve`` has no reader, so there the cards link only to the apps.

Links to apps are relative (``dvc-khai-sinh.ipynb``) so they resolve both under ``kynangso start``
(``/voila/render/voila_apps/…``) and under ``kynangso sims serve`` (``/voila/render/…``), and open the notebook
in JupyterLab too. The page is plain HTML output, so it needs no widget frontend.
"""

from __future__ import annotations

import html
from pathlib import Path

from kynangso.fronts import FRONTS
from kynangso.sims import list_scenarios

CSS = """
<style>
.kns-gallery { font-family: "DejaVu Sans", "Noto Sans", "Segoe UI", Roboto, Arial, sans-serif; font-size: 16px;
  line-height: 1.45; color: #1d2733; max-width: 980px; margin: 0 auto; }
.kns-gallery h1 { font-size: 1.5em; margin: 8px 0 4px; }
.kns-gallery h2 { font-size: 1.15em; margin: 18px 0 8px; color: #334; }
.kns-gallery .kns-cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(280px, 1fr)); gap: 12px; }
.kns-gallery .kns-card { border: 1px solid #c9d2dc; border-radius: 12px; padding: 12px 14px; background: #fff;
  display: flex; flex-direction: column; gap: 6px; box-shadow: 0 2px 6px rgba(0,0,0,.06); }
.kns-gallery .kns-card h3 { font-size: 1.08em; margin: 0; }
.kns-gallery .kns-meta { color: #52606d; font-size: .9em; }
.kns-gallery a.kns-open { display: block; text-align: center; background: #1f5fa8; color: #fff; padding: 11px;
  border-radius: 10px; text-decoration: none; font-weight: bold; margin-top: auto; min-height: 44px; }
.kns-gallery p { margin: 4px 0; }
.kns-gallery .kns-lessons { margin: 2px 0 4px; padding-left: 18px; }
.kns-gallery .kns-lessons li { margin: 6px 0; }
.kns-gallery .kns-lessons a { color: #0b4f9c; }
</style>
"""


def lessons_using(curriculum: Path | None) -> dict[str, list[tuple[str, str]]]:
    """Scenario id -> (lesson id, title) of the lessons that embed it, in teaching order."""
    from kynangso.lessons.catalogue import lessons

    found: dict[str, list[tuple[str, str]]] = {}
    for info in lessons(curriculum) if curriculum is not None and curriculum.is_dir() else []:
        for sid in info.simulations:
            found.setdefault(sid, []).append((info.id, info.title))
    return found


def _lesson_links(items: list[tuple[str, str]], prefix: str) -> str:
    from kynangso.reader import lesson_url

    links = "".join(
        f'<li><a href="{html.escape(lesson_url(lid, prefix))}" target="_self">{html.escape(title)}</a></li>'
        for lid, title in items
    )
    return f"<div class='kns-meta'>Học trong bài:</div><ul class='kns-lessons'>{links}</ul>"


def gallery_html(reader: str | None = None, curriculum: Path | None = None) -> str:
    """``reader``: the server prefix of the lesson reader, when this server has one; each card then links to
    the reader pages of the lessons that use its simulation."""
    using = lessons_using(curriculum) if reader is not None else {}
    parts = [
        CSS,
        '<div class="kns-gallery"><h1>Thư viện mô phỏng Kỹ Năng Số</h1>',
        "<p>Thực hành trên bản sao của các ứng dụng và trang web thật trước khi hướng dẫn bà con. "
        "Mỗi mô phỏng có ba chế độ: <b>Hướng dẫn</b> (chỉ từng bước), <b>Luyện tập</b> (gợi ý khi cần) và "
        "<b>Kiểm tra</b> (dùng trong bài thi). Mọi tên, số giấy tờ và mã trong mô phỏng đều là giả định.</p>",
    ]
    if reader is not None:
        from kynangso.reader import index_url

        parts.append(f'<p><a href="{html.escape(index_url(reader))}" target="_self">Mở danh sách bài học</a></p>')
    infos = list_scenarios()
    for front in FRONTS.values():
        mine = [i for i in infos if i.front == front.id]
        if not mine:
            continue
        parts.append(f"<h2>{html.escape(front.name)}</h2><div class='kns-cards'>")
        for i in mine:
            parts.append(
                f'<div class="kns-card"><h3>{html.escape(i.title)}</h3>'
                f'<div class="kns-meta">{html.escape(front.name)} · khoảng {i.minutes} phút</div>'
                f"<p>{html.escape(i.teaches)}</p>"
                + (_lesson_links(using[i.id], reader) if reader is not None and i.id in using else "")
                + f'<a class="kns-open" href="{html.escape(i.id)}.ipynb" target="_self">Mở mô phỏng</a></div>'
            )
        parts.append("</div>")
    parts.append("</div>")
    return "".join(parts)


def gallery() -> object:
    """The gallery as a displayable HTML object (the last expression of the gallery notebook)."""
    from IPython.display import HTML

    from kynangso.lessons.catalogue import find_curriculum
    from kynangso.reader import reader_prefix

    reader = reader_prefix()
    return HTML(gallery_html(reader, find_curriculum() if reader is not None else None))
