"""``kynangso site build DIR``: lessons and simulations as a static JupyterLite site that works offline.

The JupyterLite 0.8 stack builds it: the notebook app only, the Pyodide kernel with its lock addon, the Pyodide
core copied into the site, and every Python package the pages import resolved into local wheels (``uv`` reads
PyPI at build time; the page reads nothing but the site). PyPI fallback is off in the browser.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from kynangso.lessons.notebook import cell_source
from kynangso.site import content, home
from kynangso.site.home import Page
from kynangso.site.tools import ToolError, Tools, ensure_tools
from kynangso.workspace import Workspace

MARKER = "kns-site.json"  # names a folder as one of our sites, so that a rebuild may replace it
CACHE_ENV = "KYNANGSO_SITE_CACHE"
STATIC_FILES = ("home.css", "home.js", "reader.js", "reader.css")
# What the kernel loads while it starts, besides its own packages: the first cell imports them at once.
PREFETCH = ["kynangso", "ipywidgets"]
SPECS = ["ipywidgets>=8.1,<9", "micropip", "comm", "jedi", "ipython"]

LITE_SETTINGS: dict[str, Any] = {
    "jupyter-lite-schema-version": 0,
    "jupyter-config-data": {
        "appName": "Kỹ Năng Số",
        "exposeAppInBrowser": True,
        "litePluginSettings": {"@jupyterlite/pyodide-kernel-extension:kernel": {"disablePyPIFallback": True}},
    },
}
# A reader does not save (the learner's copy would hide later versions of the lesson), and every cell is drawn
# at once (JupyterLab draws only the cells on screen by default, which leaves a long lesson's self-checks blank
# until scrolled to on a slow phone).
OVERRIDES: dict[str, Any] = {
    "@jupyterlab/docmanager-extension:plugin": {"autosave": False},
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
}


class SiteError(RuntimeError):
    """A build that cannot go on, explained in Vietnamese."""


@dataclass(frozen=True)
class Built:
    folder: Path
    pages: list[Page]
    size: int  # bytes
    files: int
    seconds: float


def cache_dir(ws: Workspace) -> Path:
    return Path(os.environ[CACHE_ENV]) if os.environ.get(CACHE_ENV) else ws.data / "site-build"


def _title(nb: dict[str, Any], fallback: str) -> str:
    meta = nb.get("metadata", {}).get("kynangso", {})
    if isinstance(meta, dict) and meta.get("title"):
        return str(meta["title"])
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            for line in cell_source(cell).splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return fallback


def collect(ws: Workspace, stage: Path) -> list[Page]:
    """Write the learner copies of every lesson and simulation under ``stage``; return the pages."""
    from kynangso.fronts import FRONTS
    from kynangso.lessons.notebook import FRONT_NAMES, FRONT_ORDER
    from kynangso.sims import list_scenarios

    lessons: list[tuple[tuple[int, str], Page]] = []
    for path in sorted(ws.curriculum.rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        nb = json.loads(path.read_text(encoding="utf-8"))
        meta = nb.get("metadata", {}).get("kynangso", {})
        if not isinstance(meta, dict) or not meta.get("id"):
            continue  # not a lesson (a scratch notebook, a trainer's file)
        rel = f"{home.KINDS['lesson'].folder}/{path.relative_to(ws.curriculum).as_posix()}"
        content.write_notebook(stage / rel, content.learner_notebook(nb))
        front = str(meta.get("front", "orientation"))
        order = FRONT_ORDER.index(front) if front in FRONT_ORDER else len(FRONT_ORDER)
        page = Page("lesson", rel, _title(nb, path.stem), FRONT_NAMES.get(front, front), str(meta["id"]))
        lessons.append(((order, rel), page))
    sims = []
    for info in list_scenarios():
        rel = f"{home.KINDS['simulation'].folder}/{info.id}.ipynb"
        app = ws.voila_apps / f"{info.id}.ipynb"
        nb = json.loads(app.read_text(encoding="utf-8")) if app.is_file() else content.simulation_notebook(info.id)
        content.write_notebook(stage / rel, content.learner_notebook(nb))
        sims.append(
            Page("simulation", rel, info.title, FRONTS[info.front].name, info.id, f"khoảng {info.minutes} phút")
        )
    return [p for _, p in sorted(lessons, key=lambda x: x[0])] + sims


def _lite_config(wheels: Path) -> dict[str, Any]:
    return {
        "LiteBuildConfig": {"apps": ["notebooks"], "contents": ["content"], "no_sourcemaps": True},
        "PyodideLockAddon": {
            "enabled": True,
            "specs": SPECS,
            "wheels": [wheels.name],
            "prefetch_extra": PREFETCH,
        },
    }


def stage_site(ws: Workspace, tools: Tools, stage: Path) -> list[Page]:
    shutil.rmtree(stage, ignore_errors=True)
    (stage / "content").mkdir(parents=True)
    pages = collect(ws, stage / "content")
    shutil.copytree(tools.pyodide, stage / "static" / "pyodide")
    content.browser_wheel(stage / "wheels")
    files = {
        "jupyter_lite_config.json": _lite_config(stage / "wheels"),
        "jupyter-lite.json": LITE_SETTINGS,
        "overrides.json": OVERRIDES,
    }
    for name, data in files.items():
        (stage / name).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return pages


def run_lite(tools: Tools, stage: Path, output: Path, log: Path) -> None:
    # uv would try to download a Python for the browser's version; the machine's own is enough for pure wheels.
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never", "PYTHONIOENCODING": "utf-8"}
    cmd = [*tools.jupyter, "lite", "build", "--lite-dir", str(stage), "--output-dir", str(output)]
    with open(log, "wb") as out:
        done = subprocess.run(cmd, cwd=stage, env=env, stdout=out, stderr=subprocess.STDOUT, check=False)
    if done.returncode != 0:
        raise SiteError(f"JupyterLite không dựng được trang; xem nhật ký {log}")


def _static(name: str) -> bytes:
    return resources.files("kynangso.site").joinpath("static", name).read_bytes()


CONFIG_SCRIPT = re.compile(r'<script id="jupyter-config-data".*?</script>', re.S)
READER_HEAD = '<link rel="stylesheet" href="../kns/reader.css">'
READER_BODY = '<script src="../kns/reader.js"></script>'


def finish(output: Path, pages: list[Page], tools: Tools) -> None:
    """Our pages on top of JupyterLite's: the home page, the reader view, the marker file."""
    (output / "kns").mkdir(exist_ok=True)
    for name in STATIC_FILES:
        (output / "kns" / name).write_bytes(_static(name))
    built = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    # Every app page reads the site's settings from the root page's config script: keep it in our home page.
    root = (output / "index.html").read_text(encoding="utf-8")
    config = CONFIG_SCRIPT.search(root)
    if config is None:
        raise SiteError(f"{output / 'index.html'}: JupyterLite đổi cấu trúc trang gốc (không thấy jupyter-config-data)")
    (output / "index.html").write_text(home.render(pages, built, config.group(0)), encoding="utf-8")
    page = output / "notebooks" / "index.html"
    text = page.read_text(encoding="utf-8")
    if READER_BODY not in text:
        text = text.replace("</head>", f"{READER_HEAD}\n</head>", 1).replace("</body>", f"{READER_BODY}\n</body>", 1)
        text = text.replace("Loading JupyterLite...", "Đang mở bài… lần đầu có thể mất nửa phút.")
        text = text.replace("<html>", '<html lang="vi">', 1)
    page.write_text(text, encoding="utf-8")
    (output / "DOC-TRUOC.txt").write_text(HOW_TO_OPEN, encoding="utf-8")
    (output / MARKER).write_text(
        json.dumps(
            {"built": built, "pyodide": tools.pyodide_version, "pages": [p.path for p in pages]},
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )


HOW_TO_OPEN = """Trang học Kỹ Năng Số (chạy không cần mạng)

Thư mục này là một trang web tĩnh. Trình duyệt không chạy được trang khi mở thẳng tệp index.html từ ổ đĩa
(đường dẫn file://): cần một máy chủ web tĩnh bất kỳ phục vụ thư mục này, ví dụ:
  • máy chủ web của xã: chép cả thư mục lên;
  • máy tính của giảng viên: mở cửa sổ lệnh trong thư mục này và chạy  python -m http.server 8000 ,
    rồi mở http://127.0.0.1:8000/ (học viên cùng Wi-Fi mở địa chỉ máy giảng viên, cổng 8000);
  • điện thoại: một ứng dụng máy chủ web tĩnh trỏ vào thư mục này.
Lần đầu mở một bài cần khoảng nửa phút để chuẩn bị. Tiến độ học được lưu trong trình duyệt của từng người.
"""


def folder_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def build(ws: Workspace, out: Path, cache: Path | None = None) -> Built:
    start = time.monotonic()
    out = out.resolve()
    if out.exists() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise SiteError(f"{out}: thư mục đã có tệp khác; chọn một thư mục trống (không ghi đè lên tệp của anh/chị)")
    cache = (cache or cache_dir(ws)).resolve()
    try:
        tools = ensure_tools(cache)
    except ToolError as exc:
        raise SiteError(str(exc)) from None
    stage = cache / "stage"
    pages = stage_site(ws, tools, stage)
    tmp = out.with_name(f".{out.name}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    run_lite(tools, stage, tmp, cache / "lite-build.log")
    finish(tmp, pages, tools)
    if out.exists():
        shutil.rmtree(out)
    tmp.rename(out)
    size, files = folder_size(out)
    return Built(out, pages, size, files, time.monotonic() - start)
