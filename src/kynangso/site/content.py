"""What goes into the site: lesson and simulation notebooks as a learner sees them, and our browser wheel.

Notebooks are copied, then changed for the learner as in the server's reader (``kynangso.lessons.learner``:
trainer notes leave, code is folded away so the page reads like a document), cells that need a server are swapped
for text that works here, and a first cell keeps progress in the browser's storage. Self-check definitions kept in cell metadata (the new format) travel unchanged.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import kynangso
from kynangso.lessons.learner import Substitutes, learner_cells, markdown, number_cells

SITE_TAG = "kns-site"
KERNELSPEC = {"name": "python", "display_name": "Python (Pyodide)", "language": "python"}
# Run first in every page: progress lives in the browser's IndexedDB (see kynangso.site.browser).
BOOTSTRAP = "from kynangso.site.browser import prepare\n\nawait prepare()"
HOME_LINK = "#kns-home"  # reader.js sends it to the table of contents

Cell = dict[str, Any]


def _substitutes(home: str) -> Substitutes:
    """Cells that need the Jupyter server (a map of the workspace's files, Voilà links): what the site shows."""
    return {"show_contents(": lambda _cell: markdown(f"**[Mở mục lục bài học và mô phỏng]({home})**")}


def learner_notebook(nb: dict[str, Any], home: str = HOME_LINK) -> dict[str, Any]:
    """A copy of a notebook for the site (the original is left alone)."""
    out = copy.deepcopy({k: v for k, v in nb.items() if k != "cells"})
    bootstrap: Cell = {
        "cell_type": "code",
        "execution_count": None,
        "metadata": {"tags": [SITE_TAG], "jupyter": {"source_hidden": True}},
        "outputs": [],
        "source": BOOTSTRAP,
    }
    cells = [bootstrap, *learner_cells(nb.get("cells", []), _substitutes(home))]
    number_cells(cells)
    out["cells"] = cells
    out.setdefault("metadata", {})["kernelspec"] = dict(KERNELSPEC)
    out["metadata"]["language_info"] = {"name": "python"}
    out["nbformat"], out["nbformat_minor"] = 4, max(5, int(out.get("nbformat_minor", 5)))
    return out


def simulation_notebook(scenario_id: str) -> dict[str, Any]:
    """The one-cell app for a scenario (the same code as ``voila_apps/<id>.ipynb``)."""
    return {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "metadata": {},
                "outputs": [],
                "source": f'from kynangso.sims import embed\n\nembed("{scenario_id}")',
            }
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


# --- the browser wheel ------------------------------------------------------------------------------------------

# Not needed in the browser and large: the content copy of a pip install, and the PDF fonts.
WHEEL_SKIP = ("_content/", "assets/fonts/")


def _record_hash(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def browser_wheel(out_dir: Path) -> Path:
    """Our package as a wheel WITHOUT dependencies: in Pyodide, lessons and simulations import only what they
    need (ipywidgets is in the site's lock); the heavy server-side dependencies are never installed there."""
    package = Path(kynangso.__file__).resolve().parent
    version = kynangso.__version__
    dist = f"kynangso-{version}.dist-info"
    files: list[tuple[str, bytes]] = []
    for path in sorted(package.rglob("*")):
        rel = path.relative_to(package).as_posix()
        if path.is_dir() or "__pycache__" in rel or rel.endswith(".pyc") or rel.startswith(WHEEL_SKIP):
            continue
        files.append((f"kynangso/{rel}", path.read_bytes()))
    metadata = f"Metadata-Version: 2.1\nName: kynangso\nVersion: {version}\nSummary: Kỹ Năng Số (browser build)\n"
    files.append((f"{dist}/METADATA", metadata.encode()))
    files.append(
        (f"{dist}/WHEEL", b"Wheel-Version: 1.0\nGenerator: kynangso.site\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
    )
    files.append((f"{dist}/top_level.txt", b"kynangso\n"))
    record = io.StringIO()
    for name, data in files:
        record.write(f"{name},{_record_hash(data)},{len(data)}\n")
    record.write(f"{dist}/RECORD,,\n")
    files.append((f"{dist}/RECORD", record.getvalue().encode()))
    out_dir.mkdir(parents=True, exist_ok=True)
    wheel = out_dir / f"kynangso-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=(2020, 2, 2, 0, 0, 0))  # the same bytes for the same sources
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return wheel


def write_notebook(path: Path, nb: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
