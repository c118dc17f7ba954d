"""Submissions that arrive as files (e.g. sent over Zalo): hand them to nbgrader's own ``zip_collect``.

A learner sends either the exam notebook or a .zip of the whole exam folder (notebook plus practical-task
transcripts), named ``<learner id>_<exam>``, e.g. ``nguyen-van-an-1985_gov-2.zip``. Each file is unpacked and
staged in ``downloaded/<exam>/archive/`` as ``<learner>__<exam>__<file>`` (the pattern the course config gives
nbgrader's FileNameCollectorPlugin); then ``nbgrader zip_collect <exam>`` files them under ``submitted/``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from kynangso.course.course import CourseError, tools_on_path
from kynangso.fronts import parse_exam_name

NAME_RE = re.compile(r"^(?P<student>[a-z0-9][a-z0-9-]*)_(?P<exam>[a-z]+-[1-3])\b")
KEEP = (".ipynb", ".json")


@dataclass
class ImportReport:
    imported: dict[str, list[str]] = field(default_factory=dict)  # exam -> learners
    rejected: list[str] = field(default_factory=list)  # Vietnamese messages naming the file


def _members(path: Path, exam: str, report: ImportReport) -> dict[str, bytes] | None:
    if path.suffix.lower() == ".ipynb":
        return {f"{exam}.ipynb": path.read_bytes()}
    try:
        with zipfile.ZipFile(path) as zf:
            files: dict[str, bytes] = {}
            for info in zf.infolist():
                name = PurePosixPath(info.filename).name
                if info.is_dir() or not name.lower().endswith(KEEP) or "checkpoint" in info.filename:
                    continue
                if info.file_size > 50 * 1024 * 1024:
                    report.rejected.append(f"{path.name}: tệp {info.filename} quá lớn, bỏ qua.")
                    continue
                files[name] = zf.read(info)
            return files
    except (zipfile.BadZipFile, OSError) as exc:
        report.rejected.append(f"{path.name}: không giải nén được ({exc}).")
        return None


def import_folder(root: Path, folder: Path) -> ImportReport:
    report = ImportReport()
    if not folder.is_dir():
        raise CourseError(f"{folder}: không tìm thấy thư mục chứa bài nộp.")
    staged: dict[str, set[str]] = {}
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.suffix.lower() not in (".zip", ".ipynb"):
            continue
        m = NAME_RE.match(path.stem)
        if not m or parse_exam_name(m["exam"]) is None:
            report.rejected.append(
                f"{path.name}: tên tệp phải có dạng <mã học viên>_<bài thi>, ví dụ nguyen-van-an-1985_gov-2.zip."
            )
            continue
        student, exam = m["student"], m["exam"]
        if not (root / "source" / exam).is_dir():
            report.rejected.append(f"{path.name}: khóa học không có bài thi {exam}.")
            continue
        files = _members(path, exam, report)
        if files is None:
            continue
        if f"{exam}.ipynb" not in files:
            report.rejected.append(f"{path.name}: không có tệp {exam}.ipynb bên trong.")
            continue
        archive = root / "downloaded" / exam / "archive"
        archive.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (archive / f"{student}__{exam}__{name}").write_bytes(data)
        staged.setdefault(exam, set()).add(student)
    tools_on_path()
    for exam, learners in sorted(staged.items()):
        done = subprocess.run(
            [str(Path(sys.executable).parent / "nbgrader"), "zip_collect", exam, "--force"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        shutil.rmtree(root / "downloaded" / exam, ignore_errors=True)
        if done.returncode != 0:
            raise CourseError(f"nbgrader zip_collect {exam} không thành công:\n{done.stderr[-1500:]}")
        report.imported[exam] = sorted(learners)
    return report
