"""Argument helpers shared by the course commands (course, exam, grade, feedback, results)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

EXAM_HELP = "bài thi, ví dụ gov-2 (mặc định: tất cả bài thi của khóa học)"


def add_course(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--course", type=Path, default=None, metavar="THƯ_MỤC", help="thư mục khóa học (mặc định: thư mục hiện tại)"
    )


def add_exams(p: argparse.ArgumentParser) -> None:
    p.add_argument("exams", nargs="*", metavar="BÀI_THI", help=EXAM_HELP)


def course_and_exams(args: Any) -> tuple[Path, list[str]]:
    """The course folder and the exams named on the command line (checked against the course)."""
    from kynangso.course.course import CourseError, course_exams
    from kynangso.course.locate import find_course

    root = find_course(args.course)
    available = course_exams(root)
    wanted = list(getattr(args, "exams", None) or available)
    unknown = [e for e in wanted if e not in available]
    if unknown:
        raise CourseError(
            f"{root}: khóa học không có bài thi {', '.join(unknown)} (có: {', '.join(available) or 'chưa có bài nào'})."
        )
    return root, wanted


def fail(message: object) -> int:
    print(f"Lỗi: {message}", file=sys.stderr)
    return 1
