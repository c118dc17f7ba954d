"""Compressed responses, with the compressed bytes of unchanged files kept in memory, for the workshop servers.

A fresh phone asks a Voilà app for about 5 MB of JavaScript and CSS; sent as gzip it is about a quarter of that,
which on a commune hall's Wi-Fi is seconds saved per learner. Compressing the same files for each of thirty
phones would cost the trainer's laptop a CPU second each, so a response that carries an ETag (static files do;
Tornado gives one to any page written in one piece, computed from its bytes) is compressed once and its gzip
kept, keyed by path and ETag: a changed file has a new ETag and is compressed afresh.

Two ways in, one transform:
  * ``kynangso start`` (Jupyter Server, JupyterLab and Voilà on it) loads this module as a server extension;
  * ``kynangso sims serve`` runs ``python -m kynangso.webcache`` (Voilà standalone, with the transform added).
"""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from typing import Any

from tornado import httputil
from tornado.web import Application, GZipContentEncoding

CACHE_BYTES = 64 * 2**20


class _Store:
    """A byte-bounded LRU of compressed bodies; Tornado runs on one thread, the lock is for the odd executor."""

    def __init__(self, limit: int = CACHE_BYTES) -> None:
        self.limit, self.size = limit, 0
        self.items: OrderedDict[tuple[str, str], bytes] = OrderedDict()
        self.hits = self.misses = 0
        self.lock = threading.Lock()

    def get(self, key: tuple[str, str]) -> bytes | None:
        with self.lock:
            body = self.items.get(key)
            if body is not None:
                self.items.move_to_end(key)
                self.hits += 1
            else:
                self.misses += 1
            return body

    def put(self, key: tuple[str, str], body: bytes) -> None:
        if len(body) > self.limit // 4:
            return
        with self.lock:
            old = self.items.pop(key, None)
            self.size -= len(old) if old else 0
            self.items[key] = body
            self.size += len(body)
            while self.size > self.limit:
                _, dropped = self.items.popitem(last=False)
                self.size -= len(dropped)


STORE = _Store()


class CachedGzip(GZipContentEncoding):
    """Tornado's gzip transform, answering repeated requests for the same content from ``STORE``."""

    def __init__(self, request: httputil.HTTPServerRequest) -> None:
        super().__init__(request)
        self._path = request.path if request.method == "GET" else None
        self._key: tuple[str, str] | None = None
        self._hit = False
        self._parts: list[bytes] = []

    def transform_first_chunk(
        self, status_code: int, headers: httputil.HTTPHeaders, chunk: bytes, finishing: bool
    ) -> tuple[int, httputil.HTTPHeaders, bytes]:
        etag = headers.get("Etag")
        ctype = str(headers.get("Content-Type", "")).split(";")[0]
        if (
            self._gzipping
            and self._path
            and etag
            and status_code == 200
            and "Content-Encoding" not in headers
            and self._compressible_type(ctype)
        ):
            self._key = (self._path, etag)
            body = STORE.get(self._key)
            if body is not None:
                self._hit, self._gzipping = True, False
                headers["Content-Encoding"] = "gzip"
                headers["Content-Length"] = str(len(body))
                headers["Vary"] = f"{headers['Vary']}, Accept-Encoding" if "Vary" in headers else "Accept-Encoding"
                return status_code, headers, body
        # The parent compresses through transform_chunk below, which keeps the bytes: keep nothing twice here.
        return super().transform_first_chunk(status_code, headers, chunk, finishing)

    def transform_chunk(self, chunk: bytes, finishing: bool) -> bytes:
        if self._hit:
            return b""  # the whole body went with the first chunk
        out = super().transform_chunk(chunk, finishing)
        self._keep(out, finishing)
        return out

    def _keep(self, out: bytes, finishing: bool) -> None:
        if self._key is None or not self._gzipping:
            return
        self._parts.append(out)
        if finishing:
            STORE.put(self._key, b"".join(self._parts))
            self._parts = []


def install(app: Application) -> None:
    if CachedGzip not in app.transforms:
        app.add_transform(CachedGzip)


# --- Jupyter Server extension (kynangso start) -------------------------------------------------------------------


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "kynangso.webcache"}]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    install(serverapp.web_app)


# --- Voilà standalone (kynangso sims serve) ----------------------------------------------------------------------


def main() -> None:
    from voila.app import Voila

    class CompressedVoila(Voila):
        def listen(self) -> None:
            install(self.app)  # start() has made self.app; listen() serves it
            super().listen()

    sys.exit(CompressedVoila.launch_instance())


if __name__ == "__main__":
    main()
