from __future__ import annotations

import os
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


@pytest.fixture(scope="session")
def postgres() -> Iterator[object]:
    """A private PostgreSQL cluster on 127.0.0.1 for this test session (one per xdist worker).

    Skipped only where PostgreSQL's server is not installed; in CI (.ci/run installs it) a missing server fails.
    """
    from tests.postgres import PostgresMissing, find_bin, postgres_cluster

    if find_bin() is None:
        message = "PostgreSQL is not installed (Debian: apt-get install postgresql; .ci/run installs it)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    try:
        with postgres_cluster() as cluster:
            yield cluster
    except PostgresMissing as exc:
        pytest.fail(str(exc))


@pytest.fixture
def postgres_url(postgres: object) -> str:
    """The URL of a new, empty database on the session's cluster (one per test)."""
    from tests.postgres import PostgresCluster

    assert isinstance(postgres, PostgresCluster)
    return postgres.create_database()


@pytest.fixture(params=["sqlite", "postgresql"])
def gradebook_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A gradebook URL on each database nbgrader supports here: a test using it runs once on each."""
    if request.param == "sqlite":
        return "sqlite:///" + str(tmp_path / "gradebook.db")
    return str(request.getfixturevalue("postgres_url"))
