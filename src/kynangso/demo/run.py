"""The whole flow on a generated cohort: roster → course → exams released → answers of mixed quality (from the
phone exam room, and two files sent over Zalo, one of them corrupt) → graded → certified → report."""

from __future__ import annotations

import hashlib
import json
import random
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kynangso.demo.cohort import Person, cohort, write_roster

EXAMS = ["gov-1", "society-1", "gov-2"]  # gov-2 has a practical task on the simulated dichvucong.gov.vn
MARKER = ".kynangso-demo"


class DemoError(RuntimeError):
    pass


@dataclass
class DemoResult:
    out: Path
    course: Path
    learners: int = 0
    submissions: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    certificates: list[Path] = field(default_factory=list)
    credentials: list[Path] = field(default_factory=list)
    results: list[Path] = field(default_factory=list)
    report: list[Path] = field(default_factory=list)


def prepare_folder(out: Path) -> None:
    """A fresh demo folder; an earlier demo there is replaced, anything else is left alone."""
    if out.exists() and any(out.iterdir()):
        if not (out / MARKER).exists():
            raise DemoError(f"{out}: thư mục đã có dữ liệu khác, không phải của bản chạy thử; hãy chọn --out khác.")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text(
        "Thư mục này do “kynangso demo” tạo; chạy lại lệnh sẽ xóa và tạo lại.\n", encoding="utf-8"
    )


def import_roster(people: list[Person], out: Path, course: Path) -> list[str]:
    from kynangso.course.locate import course_settings
    from kynangso.course.members import resolve_ids, save_members
    from kynangso.course.roster import check, read_rows

    checked = check(read_rows(write_roster(people, out / "danh-sach-hoc-vien.csv")))
    if checked.problems:
        raise DemoError("; ".join(map(str, checked.problems)))
    db_url = course_settings(course)["db_url"]
    members, keys = resolve_ids(checked.candidates, db_url)
    save_members(members, keys, db_url)
    return [m.learner_id for m in members]


def take_exams(course: Path, out: Path, learners: list[str], people: list[Person]) -> int:
    """Everyone sits gov-1 and society-1; team leaders and the strongest members also sit gov-2 (practical)."""
    from kynangso.demo.learners import answer_keys, answers, practical_run, practical_tasks
    from kynangso.room.paper import paper
    from kynangso.room.submit import fill_notebook, write_submission

    count = 0
    zalo = out / "bai-nop-qua-zalo"
    zalo.mkdir(exist_ok=True)
    for index, (learner, person) in enumerate(zip(learners, people, strict=True)):
        rng = random.Random(f"demo-{learner}")
        for exam in EXAMS:
            if exam == "gov-2" and person.skill < 0.8:
                continue
            right = {q for q in answer_keys(course, exam) if rng.random() < person.skill}
            given = answers(course, exam, learner, right)
            runs = {qid: practical_run(exam, qid, sc, learner) for qid, sc in practical_tasks(course, exam).items()}
            mine = paper(course, exam, learner)
            if index == 1 and exam == "society-1":
                # Sent over Zalo, damaged on the way: grading must say so and go on with the others.
                (zalo / f"{learner}_{exam}.ipynb").write_text('{"cells": [', encoding="utf-8")
            elif index == 2 and exam == "gov-1":
                released = json.loads((course / "release" / exam / f"{exam}.ipynb").read_text(encoding="utf-8"))
                notebook = fill_notebook(released, mine, given)
                (zalo / f"{learner}_{exam}.ipynb").write_text(
                    json.dumps(notebook, ensure_ascii=False), encoding="utf-8"
                )
            else:
                write_submission(course, exam, learner, mine, given, runs)
            count += 1
    from kynangso.course.imports import import_folder

    report = import_folder(course, zalo)
    if report.rejected:
        raise DemoError("; ".join(report.rejected))
    return count


def demo_keys(out: Path) -> Path:
    """Throwaway signing keys for the demo, kept outside the demo folder (a key never sits beside a course)."""
    import platformdirs

    tag = hashlib.sha256(str(out.resolve()).encode()).hexdigest()[:12]
    return Path(platformdirs.user_cache_dir("kynangso", appauthor=False)) / "demo-keys" / tag


def run(out: Path, step: Callable[[str], None] = lambda _: None) -> DemoResult:
    from kynangso.certify.issue import certify
    from kynangso.certify.keys import KeyStore, issuer_profile
    from kynangso.certify.paths import places
    from kynangso.certify.policy import load_policy
    from kynangso.certify.truststore import TrustStore, default_root
    from kynangso.course.course import init_course, release
    from kynangso.course.locate import course_settings
    from kynangso.grade.results import rows, write_csv, write_xlsx
    from kynangso.grade.runner import grade
    from kynangso.reports.build import gather
    from kynangso.reports.charts import write_charts
    from kynangso.reports.workbook import write_workbook

    out = out.resolve()
    prepare_folder(out)
    course = out / "khoa-hoc"
    result = DemoResult(out, course)
    people = cohort()

    step("Tạo khóa học với 9 bài thi")
    init_course(course, out / "trao-doi")
    step("Nhập danh sách 30 học viên ở 3 xã")
    learners = import_roster(people, out, course)
    result.learners = len(learners)
    step("Phát bài thi " + ", ".join(EXAMS))
    release(course, EXAMS)
    step("Học viên làm bài (phòng thi và Zalo)")
    result.submissions = take_exams(course, out, learners, people)
    step("Chấm bài")
    for record in grade(course, EXAMS, cell_timeout=20):
        result.statuses[record.label] = result.statuses.get(record.label, 0) + 1
    table = rows(course, EXAMS)
    result.results = [
        write_csv(table, out / "ket-qua" / "ket-qua-thi.csv"),
        write_xlsx(table, out / "ket-qua" / "ket-qua-thi.xlsx"),
    ]

    step("Cấp chứng nhận")
    policy_path = places().policy
    policy = load_policy(policy_path)
    store = KeyStore(demo_keys(out))
    if not store.exists():
        store.init(forbidden=(course,))
    certificates = out / "chung-nhan"
    certify(course_settings(course)["db_url"], policy, store, certificates)
    # The demo's throwaway key is trusted in the demo folder only, never in the user's own trust store.
    TrustStore(default_root(out)).add(issuer_profile(policy.issuer, store.jwks()), certificates, "demo")
    result.certificates = sorted(certificates.glob("*.pdf"))
    result.credentials = sorted(p for p in certificates.glob("*.jwt") if p.name != "status-list.jwt")

    step("Lập báo cáo cho Sở")
    data = gather(course, policy_path)
    report = out / "bao-cao"
    result.report = [write_workbook(data, report / "bao-cao.xlsx"), *write_charts(data, report)]
    return result
