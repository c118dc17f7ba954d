"""The gradebook on PostgreSQL: `kynangso course init --db-url` makes the database and writes the URL into the
course config; nbgrader's own commands, roster import, reports and certify then work on it as on SQLite."""

from __future__ import annotations

import datetime as dt
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from kynangso.fronts import all_exams
from tests.postgres import PostgresCluster

BIN = Path(sys.executable).parent


def run(cwd: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": os.pathsep.join([str(BIN), os.environ.get("PATH", "")])}
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)


def kynangso(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run(cwd, sys.executable, "-m", "kynangso", *args)


def bare(url: str) -> str:
    """The URL as a trainer would type it: no driver named."""
    return "postgresql://" + url.split("://", 1)[1]


@pytest.fixture(scope="module")
def pg_course(postgres: PostgresCluster, tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("pg")
    done = kynangso(base, "course", "init", "khoa-tinh", "--db-url", bare(postgres.url("khoa-tinh")))
    assert done.returncode == 0, done.stderr
    assert "PostgreSQL" in done.stdout and postgres.password not in done.stdout
    return base / "khoa-tinh"


@pytest.mark.e2e
def test_init_creates_the_database_and_writes_its_url(pg_course: Path, postgres: PostgresCluster) -> None:
    assert "khoa-tinh" in postgres.databases()
    config = pg_course / "nbgrader_config.py"
    text = config.read_text(encoding="utf-8")
    assert f"c.CourseDirectory.db_url = {postgres.url('khoa-tinh')!r}" in text
    assert not (pg_course / "gradebook.db").exists()
    # The config holds the database password: only its owner may read it.
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    names = {r[0] for r in postgres.execute("SELECT name FROM assignment", database="khoa-tinh")}
    assert names == set(all_exams())
    # nbgrader's own command, inside the folder, reads the same gradebook.
    listed = run(pg_course, str(BIN / "nbgrader"), "db", "assignment", "list")
    assert listed.returncode == 0, listed.stderr
    assert all(exam in listed.stdout + listed.stderr for exam in all_exams())
    assert postgres.connections("khoa-tinh") == 0  # every command closed what it opened


@pytest.mark.e2e
def test_init_again_keeps_database_and_settings(pg_course: Path, postgres: PostgresCluster) -> None:
    config = pg_course / "nbgrader_config.py"
    config.write_text(config.read_text(encoding="utf-8").replace("c = get_config()", "c = get_config()\n# cô Lan"))
    done = kynangso(pg_course.parent, "course", "init", "khoa-tinh", "--db-url", bare(postgres.url("khoa-tinh")))
    assert done.returncode == 0, done.stderr
    assert "# cô Lan" in config.read_text(encoding="utf-8")
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    again = kynangso(pg_course.parent, "course", "init", "khoa-tinh")  # without --db-url: the URL stays
    assert again.returncode == 0, again.stderr
    assert postgres.url("khoa-tinh") in config.read_text(encoding="utf-8")
    assert stat.S_IMODE(config.stat().st_mode) == 0o600


@pytest.mark.e2e
def test_roster_import_and_list_on_postgres(pg_course: Path, postgres: PostgresCluster) -> None:
    from tests.roster.conftest import GOOD, write_csv

    roster = write_csv(pg_course.parent / "danh-sach.csv", GOOD)
    done = kynangso(pg_course, "roster", "import", str(roster))
    assert done.returncode == 0, done.stderr
    again = kynangso(pg_course, "roster", "import", str(roster))  # re-import: the same ids, nobody twice
    assert again.returncode == 0, again.stderr
    ids = sorted(r[0] for r in postgres.execute("SELECT id FROM student", database="khoa-tinh"))
    assert ids == ["hoang-minh-chau-2001", "lo-thi-binh-1990", "nguyen-van-an-1985"]
    members = postgres.execute("SELECT learner_id, ward FROM kynangso_member ORDER BY 1", database="khoa-tinh")
    assert [m[0] for m in members] == ids
    listed = kynangso(pg_course, "roster", "list")
    assert listed.returncode == 0 and "Lò Thị Bình" in listed.stdout, listed.stderr


@pytest.mark.e2e
def test_wrong_password_is_a_clear_message(postgres: PostgresCluster, tmp_path: Path) -> None:
    url = postgres.url("khac").replace(postgres.password, "sai-mat-khau")
    done = kynangso(tmp_path, "course", "init", "lop", "--db-url", url)
    assert done.returncode != 0
    assert "không kết nối được cơ sở dữ liệu" in done.stderr and "sai-mat-khau" not in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.e2e
@pytest.mark.slow
def test_reports_and_certify_agree_on_both_databases(gradebook_url: str, tmp_path: Path) -> None:
    """The report cohort (figures worked out by hand in tests/reports) gives the same workbook and the same
    certificates whether the gradebook is SQLite or PostgreSQL."""
    from nbgrader.api import Gradebook
    from openpyxl import load_workbook

    from kynangso.course.config import ensure_course
    from kynangso.course.members import resolve_ids, save_members
    from kynangso.course.roster import check, read_rows
    from tests.certify.gradebook import Learner, build_url
    from tests.reports.conftest import IDS, PEOPLE, POLICY, SUBS
    from tests.roster.conftest import HEADER, write_csv

    course = tmp_path / "khoa"
    ensure_course(course, tmp_path / "exchange", db_url=gradebook_url)
    learners = []
    for learner_id, (name, *_rest) in zip(IDS, PEOPLE, strict=True):
        family, given = name.split(" ", 1)
        learners.append(Learner(learner_id, given, family, dict(SUBS.get(learner_id, {}))))
    build_url(gradebook_url, learners)
    with Gradebook(gradebook_url) as gb:
        for learner_id, exams in SUBS.items():
            for exam in exams:
                day = dt.datetime(2026, 11, 2 if exam.endswith("-1") else 20, 9, 0)
                gb.update_or_create_submission(exam, learner_id, timestamp=day)
    checked = check(read_rows(write_csv(tmp_path / "roster.csv", [[*p, ""] for p in PEOPLE], HEADER)))
    members, keys = resolve_ids(checked.candidates, gradebook_url)
    save_members(members, keys, gradebook_url)

    done = kynangso(course, "report", "--out", str(tmp_path / "bao-cao"))
    assert done.returncode == 0, done.stderr
    wb = load_workbook(tmp_path / "bao-cao" / "bao-cao.xlsx")
    communes = {r[1]: r for r in wb["Theo xã"].iter_rows(min_row=2, values_only=True)}
    assert communes["Xã Phú Cát"][2:6] == (2, 3, 2, 66.7)
    fronts = {r[0]: r for r in wb["Mặt trận × cấp độ"].iter_rows(min_row=2, values_only=True)}
    assert fronts["Kinh tế số"] == ("Kinh tế số", 4, 1, 1, 0, 6)

    common = ["--keys-dir", str(tmp_path / "keys"), "--policy", str(POLICY)]
    assert kynangso(course, "keys", "init", *common).returncode == 0
    done = kynangso(course, "certify", "--out", str(tmp_path / "chung-nhan"), *common)
    assert done.returncode == 0, done.stderr
    # an: gov 3; binh: gov 1; dung: econ 2 + society 1; em: econ 1 (see tests/reports/conftest.py).
    assert done.stdout.count("Đã cấp KNS-") == 5, done.stdout
    assert len(list((tmp_path / "chung-nhan").glob("*.pdf"))) == 5
