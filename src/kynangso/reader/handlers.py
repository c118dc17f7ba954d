"""The reader's Tornado handlers, added to the Jupyter server of ``kynangso start`` next to Voilà's own.

A lesson page is Voilà's page for the lesson's own notebook, on a kernel started in the lesson's folder (so
``start_lesson`` finds its notebook and self-check definitions as it does in JupyterLab), with one difference:
Voilà's ``prelaunch_hook`` hands us the notebook it has just read and renders the learner copy we give back
(``pages.reader_notebook``). The copy is made from the file as it is at each request, so an edited lesson shows
at the next reload; the catalogue (titles, order) is re-read only when a notebook file has changed.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import nbformat
import tornado.web
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.utils import url_path_join
from voila.tornado.handler import TornadoVoilaHandler

from kynangso.lessons.catalogue import notebook_paths
from kynangso.reader import GALLERY, GALLERY_DOOR, PATH
from kynangso.reader.pages import Place, Shelf, index_html, not_found_html, reader_notebook
from kynangso.voila_extensions import EXTENSION_DENYLIST

SETTINGS_KEY = "kynangso_reader_shelf"


class Shelves:
    """The shelf of the server's curriculum, rebuilt when a notebook is added, removed or saved."""

    def __init__(self, root: Path) -> None:
        self.root = root  # the server's root folder: Voilà names notebooks relative to it
        self.curriculum = root / "curriculum"
        self._lock = threading.Lock()
        self._key: tuple[tuple[str, int, int], ...] | None = None
        self._shelf: Shelf | None = None

    def _signature(self) -> tuple[tuple[str, int, int], ...]:
        found = []
        for path in notebook_paths(self.curriculum) if self.curriculum.is_dir() else []:
            try:
                st = path.stat()
            except OSError:
                continue
            found.append((path.as_posix(), st.st_mtime_ns, st.st_size))
        return tuple(found)

    def current(self) -> Shelf:
        key = self._signature()
        with self._lock:
            if self._shelf is None or key != self._key:
                self._shelf, self._key = Shelf(self.curriculum), key
            return self._shelf


def _shelves(handler: tornado.web.RequestHandler) -> Shelves:
    shelves: Shelves = handler.settings[SETTINGS_KEY]
    return shelves


class IndexHandler(JupyterHandler):
    @tornado.web.authenticated
    def get(self) -> None:
        # The _xsrf cookie (see LessonHandler): set here, it also lets the Voilà pages opened from the reader
        # (gallery, simulations, "Tiến độ của tôi") stop their kernels when left, which they cannot do alone.
        _ = self.xsrf_token
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(index_html(_shelves(self).current(), self.base_url))


class GalleryDoor(JupyterHandler):
    """The simulations' address on ``kynangso start``. Voilà's own pages never set the _xsrf cookie, so a phone
    that opened the gallery directly could not stop a simulation's kernel when it left (the shutdown beacon is
    refused): each visit would keep a kernel until the idle limit. Coming in here first sets the cookie."""

    @tornado.web.authenticated
    def get(self) -> None:
        _ = self.xsrf_token
        query = f"?{self.request.query}" if self.request.query else ""  # a token in the address goes along
        self.redirect(url_path_join(self.base_url, GALLERY) + query)


class LessonHandler(TornadoVoilaHandler):
    """Voilà's page handler, for a lesson named by its id rather than by a path."""

    kns_place: Place | None = None
    kns_shelf: Shelf | None = None

    @tornado.web.authenticated
    async def get(self, lesson_id: str) -> None:
        shelves = _shelves(self)
        shelf = shelves.current()
        place = shelf.place(lesson_id)
        if place is None:
            self.set_status(404)
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(not_found_html(lesson_id, self.base_url))
            return
        self.kns_place, self.kns_shelf = place, shelf
        # Reading the token sets the _xsrf cookie. The page shuts its kernel down when the learner leaves (a beacon
        # to Voilà's /voila/api/shutdown that carries that cookie's value); without it, every lesson opened on a
        # phone would keep a kernel running until the server stops.
        _ = self.xsrf_token
        notebook = (shelf.curriculum / place.info.path).relative_to(shelves.root)
        async for chunk in self.get_generator(path=notebook.as_posix()):
            self.write(chunk)
            self.flush()


def _prelaunch(handler: Any, notebook: Any, cwd: str) -> Any:
    """Voilà's hook between reading a notebook and rendering it: the learner copy, for our handler only."""
    place, shelf = getattr(handler, "kns_place", None), getattr(handler, "kns_shelf", None)
    if place is None or shelf is None:
        return None
    return nbformat.from_dict(reader_notebook(notebook, place, shelf, handler.base_url))


def install(serverapp: Any) -> None:
    from voila.configuration import VoilaConfiguration
    from voila.paths import collect_template_paths

    web_app = serverapp.web_app
    # Our own configuration: the reader never shows sources or tracebacks, whatever Voilà's defaults say.
    conf = VoilaConfiguration(parent=serverapp)
    conf.template, conf.theme = "lab", "light"
    conf.strip_sources, conf.show_tracebacks = True, False
    conf.allow_template_override = conf.allow_theme_override = "NO"
    conf.prelaunch_hook = _prelaunch
    conf.extension_denylist = list(EXTENSION_DENYLIST)
    web_app.settings[SETTINGS_KEY] = Shelves(Path(serverapp.root_dir).expanduser().resolve())
    base = url_path_join(web_app.settings["base_url"], PATH)
    web_app.add_handlers(
        ".*$",
        [
            (base, IndexHandler),
            (url_path_join(web_app.settings["base_url"], GALLERY_DOOR), GalleryDoor),
            (base.rstrip("/"), tornado.web.RedirectHandler, {"url": base}),
            (
                url_path_join(base, r"([^/]+)"),
                LessonHandler,
                {
                    "config": serverapp.config,
                    "template_paths": collect_template_paths(["voila", "nbconvert"], conf.template),
                    "voila_configuration": conf,
                },
            ),
        ],
    )
