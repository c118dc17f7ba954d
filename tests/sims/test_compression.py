"""`kynangso sims serve` sends Voilà's pages and files compressed, and a file asked for again comes from the
server's cache of compressed bytes, identical to the file itself."""

from __future__ import annotations

import gzip
import re
import urllib.request

import pytest

from tests.sims.conftest import SimsServer

pytestmark = [pytest.mark.e2e]


def get(url: str, gzip_ok: bool) -> tuple[dict[str, str], bytes]:
    req = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
    with urllib.request.urlopen(req, timeout=60) as resp:
        return {k.lower(): v for k, v in resp.headers.items()}, resp.read()


def test_pages_and_files_are_compressed_and_cached(sims_server: SimsServer) -> None:
    headers, body = get(f"{sims_server.base}/voila/render/gallery.ipynb", gzip_ok=True)
    assert headers.get("content-encoding") == "gzip"
    page = gzip.decompress(body).decode("utf-8")
    scripts = re.findall(r'<script[^>]+src="([^"]+\.js[^"]*)"', page)
    assert scripts, page[:500]
    big = []
    for src in scripts:
        url = src if src.startswith("http") else f"{sims_server.base}{src}"
        _, plain = get(url, gzip_ok=False)
        if len(plain) > 100_000:
            big.append((url, plain))
    assert big, "Voilà's page loads no large script any more: pick another file"
    for url, plain in big:
        first_headers, first = get(url, gzip_ok=True)
        again_headers, again = get(url, gzip_ok=True)  # from the cache
        assert first_headers.get("content-encoding") == again_headers.get("content-encoding") == "gzip"
        assert gzip.decompress(first) == gzip.decompress(again) == plain
        assert int(again_headers["content-length"]) == len(again) < len(plain) / 2
