"""A small cohort whose report figures were computed by hand, shared by the report and dashboard tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from kynangso.course.config import ensure_course
from kynangso.course.members import resolve_ids, save_members
from kynangso.course.roster import check, read_rows
from tests.certify.gradebook import Learner, Sub, build
from tests.roster.conftest import HEADER, write_csv
from tests.support import REPO

POLICY = REPO / "grading" / "policy.toml"

# Two communes, four village teams, six members. Expected levels, worked out by hand from the policy
# (75% of points; practical passed for level 2; open answer passed for level 3):
#   an    gov-3 100%                      → gov 3 (Hướng dẫn viên)
#   binh  gov-1 8/8                       → gov 1
#   chau  gov-1 5/8 = 62.5%               → nothing
#   dung  econ-2 100%, society-1 8/8      → econ 2, society 1
#   em    econ-2 practical 2/4 (50%); econ-1 8/8 → econ 1
#   giang no submission                   → nothing
PEOPLE = [
    ("Nguyễn Văn An", "05/03/1985", "0912345601", "Hà Nội", "Xã Phú Cát", "Thôn Đông", "tổ trưởng"),
    ("Trần Thị Bình", "06/04/1990", "0912345602", "Hà Nội", "Xã Phú Cát", "Thôn Đông", "thành viên"),
    ("Lê Minh Châu", "07/05/1995", "0912345603", "Hà Nội", "Xã Phú Cát", "Thôn Tây", "tổ trưởng"),
    ("Lò Văn Dũng", "08/06/1980", "0912345604", "Lào Cai", "Phường Lào Cai", "Tổ 5", "tổ trưởng"),
    ("Hoàng Thị Em", "09/07/1999", "0912345605", "Lào Cai", "Phường Lào Cai", "Tổ 5", "thành viên"),
    ("Vàng A Giang", "10/08/2000", "0912345606", "Lào Cai", "Phường Lào Cai", "Tổ 6", "tổ trưởng"),
]
IDS = [
    "nguyen-van-an-1985",
    "tran-thi-binh-1990",
    "le-minh-chau-1995",
    "lo-van-dung-1980",
    "hoang-thi-em-1999",
    "vang-a-giang-2000",
]
SUBS = {
    "nguyen-van-an-1985": {"gov-2": Sub(), "gov-3": Sub()},  # level 3 needs level 2 first
    "tran-thi-binh-1990": {"gov-1": Sub(q=8)},
    "le-minh-chau-1995": {"gov-1": Sub(q=5)},
    "lo-van-dung-1980": {"econ-2": Sub(), "society-1": Sub()},
    "hoang-thi-em-1999": {"econ-2": Sub(practical=2.0), "econ-1": Sub()},
}


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("report") / "course"
    ensure_course(root, root.parent / "exchange")
    learners = []
    for learner_id, (name, *_rest) in zip(IDS, PEOPLE, strict=True):
        family, given = name.split(" ", 1)
        learners.append(Learner(learner_id, given, family, dict(SUBS.get(learner_id, {}))))
    url = build(root / "gradebook.db", learners)
    with Gradebook(url) as gb:  # dated submissions, for the date filter
        for learner_id, exams in SUBS.items():
            for exam in exams:
                day = dt.datetime(2026, 11, 2 if exam.endswith("-1") else 20, 9, 0)
                gb.update_or_create_submission(exam, learner_id, timestamp=day)
    checked = check(read_rows(write_csv(root.parent / "roster.csv", [[*p, ""] for p in PEOPLE], HEADER)))
    assert not checked.problems, checked.problems
    members, keys = resolve_ids(checked.candidates, url)
    assert [m.learner_id for m in members] == IDS
    save_members(members, keys, url)
    return root
