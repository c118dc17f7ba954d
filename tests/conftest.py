from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from kynangso.toolpath import ensure_scripts_on_path
from tests.support import CHROMIUM, CHROMIUM_ARGS, REPO

# Tests call nbgrader in-process too; it runs `alembic` by name.
ensure_scripts_on_path()


@pytest.fixture
def output_dir(request: pytest.FixtureRequest) -> Path:
    """A folder under test-output/ named after the test, kept after the run (screenshots, logs)."""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)[-120:]
    path = REPO / "test-output" / name
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    """Debian's Chromium driven by Playwright; never a downloaded browser."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (.ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
