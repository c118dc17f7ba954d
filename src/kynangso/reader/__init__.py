"""The lesson reader of ``kynangso start``: every lesson as a clean page for a learner's phone.

``/kynangso/bai-hoc/`` lists the lessons by front; ``/kynangso/bai-hoc/<lesson-id>`` renders one with Voilà on a
real kernel, from the learner copy of its notebook (``pages``): no code, no trainer notes, large proportional
text, a header back to the list and previous/next within the front. Self-checks and simulations are the
lesson's own widgets, so they record progress exactly as in JupyterLab.

This module is the Jupyter Server extension (``handlers`` holds the Tornado side) and the one place that knows
the reader's address (``lesson_url``), so the gallery and "Tiến độ của tôi" link to it.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import quote

PATH = "kynangso/bai-hoc/"
# The address kynangso start gives for the simulations: it sets the _xsrf cookie, then opens Voilà's gallery.
GALLERY_DOOR = "kynangso/mo-phong/"
GALLERY = "voila/render/voila_apps/gallery.ipynb"
# Set by ``kynangso start`` for its kernels (kynangso.server): the server prefix under which the reader runs.
# Elsewhere (``kynangso sims serve``, a hub without the extension) it is unset and pages link to JupyterLab.
ENV = "KYNANGSO_READER_PREFIX"


def reader_prefix() -> str | None:
    prefix = os.environ.get(ENV)
    if prefix is None:
        return None
    return prefix if prefix.endswith("/") else prefix + "/"


def index_url(prefix: str = "/") -> str:
    return f"{prefix}{PATH}"


def lesson_url(lesson_id: str, prefix: str = "/") -> str:
    return f"{prefix}{PATH}{quote(lesson_id)}"


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "kynangso.reader"}]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    from kynangso.reader.handlers import install

    install(serverapp)
