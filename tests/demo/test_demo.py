"""`kynangso demo`: the whole flow on 30 generated learners ends with valid certificates and a report."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from kynangso.certify.truststore import TrustStore, default_root
from kynangso.certify.verify import verify_file

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("demo") / "chay-thu"
    res = subprocess.run(
        [sys.executable, "-m", "kynangso", "demo", "--out", str(out)], capture_output=True, text=True, timeout=900
    )
    assert res.returncode == 0, res.stderr[-3000:]
    return out, res.stdout


def test_every_step_ran_and_the_paths_are_printed(demo: tuple[Path, str]) -> None:
    out, stdout = demo
    assert "30 học viên, 73 bài nộp: 1 không chấm được, 72 đã chấm." in stdout
    for path in [*out.glob("chung-nhan/*.pdf"), out / "bao-cao" / "bao-cao.xlsx", out / "ket-qua" / "ket-qua-thi.csv"]:
        assert str(path) in stdout


def test_the_corrupt_file_fails_with_its_reason_and_the_rest_is_graded(demo: tuple[Path, str]) -> None:
    out, _ = demo
    with open(out / "ket-qua" / "ket-qua-thi.csv", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    failed = [r for r in rows if r["Mã trạng thái"] == "failed"]
    assert len(failed) == 1 and "hỏng" in failed[0]["Lý do"]
    graded = [r for r in rows if r["Mã trạng thái"] == "graded"]
    # 30 sit gov-1 and 30 society-1; gov-2 only the 6 team leaders and the 7 members whose skill is 0.8 or more:
    # 73 submissions, one of them the corrupt file. The other 17 rows are gov-2 not sat.
    assert len(graded) == 30 + 30 + 13 - 1
    assert len([r for r in rows if r["Mã trạng thái"] == "missing"]) == 17 and len(rows) == 3 * 30
    scores = {float(r["Tỷ lệ (%)"]) for r in graded}
    assert min(scores) < 75 <= max(scores), "answers of mixed quality"
    # The file sent over Zalo as a notebook was graded like any other submission.
    assert any(r["Bài thi"] == "gov-1" for r in graded)


def test_certificates_verify_and_include_a_practical_level(demo: tuple[Path, str]) -> None:
    out, _ = demo
    trust = TrustStore(default_root(out)).load()  # the demo trusts its throwaway key in its own folder only
    pdfs = sorted((out / "chung-nhan").glob("*.pdf"))
    # The cohort and every learner's answers are seeded, so the certificates earned are always the same 34.
    assert len(pdfs) == 34
    verdicts = [verify_file(p, trust) for p in pdfs]
    assert all(v.ok for v in verdicts), [v.lines() for v in verdicts if not v.ok][:2]
    # gov-2 needs its practical task on the simulated dichvucong.gov.vn: some learners passed it.
    assert any("Thành thạo" in v.achievement for v in verdicts)


def test_report_workbook_covers_the_three_communes(demo: tuple[Path, str]) -> None:
    from openpyxl import load_workbook

    out, _ = demo
    wb = load_workbook(out / "bao-cao" / "bao-cao.xlsx")
    communes = [r[1] for r in wb["Theo xã"].iter_rows(min_row=2, values_only=True)]
    assert sorted(communes) == ["Xã La Bằng", "Xã Tân Cương", "Xã Đại Từ"]
    assert sum(r[3] for r in wb["Theo xã"].iter_rows(min_row=2, values_only=True)) == 30
