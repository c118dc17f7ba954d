"""The "Bắt đầu" notebook's map of the workspace: every lesson and simulation, with links, as HTML."""

from __future__ import annotations

import html
import json
import os
from pathlib import Path

from kynangso.fronts import FRONTS

_SECTIONS = [("orientation", "Định hướng")] + [(f.folder, f.name) for f in FRONTS.values()]


def _app_titles() -> dict[str, str]:
    """Simulation notebooks carry no heading (≤ 3 cells, no text): their titles live in the scenarios."""
    from kynangso.sims import list_scenarios

    titles = {s.id: f"Mô phỏng: {s.title}" for s in list_scenarios()}
    titles["gallery"] = "Thư viện mô phỏng"
    titles["kiem-tra-chung-nhan"] = "Kiểm tra chứng nhận"
    return titles


def notebook_title(path: Path) -> str:
    """The first Markdown heading of a notebook, or its file name."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return path.stem
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        for line in "".join(cell.get("source", "")).splitlines():
            if line.startswith("#"):
                return line.lstrip("#").strip()
    return _app_titles().get(path.stem, path.stem)


def _md_title(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            return line.lstrip("#").strip()
    return path.stem


def _links(folder: Path, href_prefix: str) -> list[str]:
    items = []
    for nb in sorted(folder.glob("*.ipynb")):
        href = f"{href_prefix}{nb.name}"
        items.append(f'<li><a href="{html.escape(href)}" target="_blank">{html.escape(notebook_title(nb))}</a></li>')
    return items


def contents_html(workspace: Path, server_prefix: str = "/") -> str:
    """A map of lessons and simulations for a notebook in ``curriculum/``.

    Lesson links are relative, which JupyterLab opens as notebooks; simulations need Voilà's absolute URL, under
    the server's prefix (``/user/<name>/`` on JupyterHub).
    """
    parts = ["<div style=\"font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 16px; line-height: 1.5\">"]
    curriculum = workspace / "curriculum"
    for folder, name in _SECTIONS:
        items = _links(curriculum / folder, f"{folder}/") if (curriculum / folder).is_dir() else []
        body = "".join(items) if items else "<li><i>Bài học đang được biên soạn.</i></li>"
        parts.append(f"<h3>{html.escape(name)}</h3><ul>{body}</ul>")
    kit = curriculum / "trainer-kit"
    if kit.is_dir():
        docs = [
            f'<li><a href="trainer-kit/{html.escape(md.name)}" target="_blank">{html.escape(_md_title(md))}</a></li>'
            for md in sorted(kit.glob("*.md"))
        ]
        parts.append(f"<h3>Bộ tài liệu cho giảng viên</h3><ul>{''.join(docs)}</ul>")
    apps = workspace / "voila_apps"
    sims = _links(apps, f"{server_prefix}voila/render/voila_apps/") if apps.is_dir() else []
    parts.append("<h3>Mô phỏng và ứng dụng (mở trong Voilà)</h3>")
    parts.append(f"<ul>{''.join(sims)}</ul>" if sims else "<p><i>Chưa có mô phỏng nào.</i></p>")
    parts.append("</div>")
    return "".join(parts)


def show_contents(workspace: str | Path = "..") -> object:
    """Display the map in a notebook; ``workspace`` is relative to the notebook's folder."""
    from IPython.display import HTML, display

    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/")
    out = HTML(contents_html(Path(workspace).resolve(), prefix if prefix.endswith("/") else prefix + "/"))
    display(out)
    return out
