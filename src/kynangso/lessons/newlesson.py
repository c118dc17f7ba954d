"""The skeleton of a new v2 lesson: every standard section, one sample self-check, the finish button and tagged
trainer notes, with TODO wherever the author writes; the validator then lists exactly those TODOs."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kynangso.fronts import LEVELS
from kynangso.lessons import answers
from kynangso.lessons import notebook as nbmod
from kynangso.lessons.authoring import FILE_NAME, AuthoringError, write_notebook
from kynangso.lessons.catalogue import FRONT_FOLDERS, notebook_paths
from kynangso.lessons.notebook import SCHEMA_VERSION, TRAINER_TAG
from kynangso.lessons.selfcheck import Spec, make_cell


def front_of(value: str) -> str:
    """'gov' or its folder 'digital-government' -> 'gov'."""
    for front, folder in FRONT_FOLDERS.items():
        if value in (front, folder):
            return front
    names = ", ".join(f"{f} ({d})" for f, d in FRONT_FOLDERS.items())
    raise AuthoringError(f"không có mặt trận '{value}' (có: {names})")


def _titles(curriculum: Path) -> dict[str, tuple[str, Path]]:
    found: dict[str, tuple[str, Path]] = {}
    for path in notebook_paths(curriculum):
        try:
            meta = nbmod.read(path).meta
        except nbmod.NotebookError:
            continue
        if meta and isinstance(meta.get("id"), str):
            found[meta["id"]] = (str(meta.get("title", meta["id"])), path)
    return found


def _md(cell_id: str, text: str, trainer: bool = False) -> dict[str, Any]:
    return {
        "cell_type": "markdown",
        "id": cell_id,
        "metadata": {"tags": [TRAINER_TAG]} if trainer else {},
        "source": text,
    }


def _code(cell_id: str, text: str) -> dict[str, Any]:
    return {"cell_type": "code", "execution_count": None, "id": cell_id, "metadata": {}, "outputs": [], "source": text}


@dataclass(frozen=True)
class NewLesson:
    front: str
    name: str  # NN-slug
    title: str
    level: int
    minutes_teaching: int = 30
    minutes_practice: int = 20
    requires: tuple[str, ...] = ()


def skeleton(new: NewLesson, here: Path, titles: dict[str, tuple[str, Path]]) -> dict[str, Any]:
    """A complete v2 lesson whose only problems are the TODO texts the author replaces."""
    lesson_id = f"{new.front}-{new.name}"
    level = LEVELS[new.level].name
    n = iter(range(100))

    def cid() -> str:
        return f"{new.name[:55]}-{next(n):02d}"

    requires_line = ""
    if new.requires:
        links = [f"[{titles[r][0]}]({Path(os.path.relpath(titles[r][1], here)).as_posix()})" for r in new.requires]
        requires_line = f"\n\n**Cần học trước:** {', '.join(links)}."
    teach, practice = new.minutes_teaching, new.minutes_practice
    cells = [
        _md(
            cid(),
            f"# {new.title}\n\nTODO: hai, ba câu chào anh/chị và nói bài này giúp gì.\n\n"
            f"*Cấp độ {new.level} · {level} · khoảng {teach} phút giảng và {practice} phút thực hành.*",
        ),
        _code(cid(), f'from kynangso.lessons import start_lesson\n\nbai = start_lesson("{lesson_id}")'),
        _md(cid(), "## Câu hỏi chính\n\nBài này giúp anh/chị trả lời:\n\n- TODO: câu hỏi thứ nhất?" + requires_line),
        _md(cid(), "## Mục tiêu\n\nSau bài này, anh/chị:\n\n1. TODO: làm được việc gì (một câu)."),
        _md(cid(), "## Vì sao quan trọng với bà con\n\nTODO: lợi ích thiết thực cho bà con, một hai đoạn ngắn."),
        _md(cid(), "## Kiến thức\n\nTODO: điều cần biết; chỉ nêu điều có căn cứ và ghi căn cứ vào `sources`."),
        _md(cid(), "## Từng bước\n\n1. TODO: mỗi bước một thao tác, chữ trên màn hình in đậm: **“Tên nút”**."),
        _md(
            cid(),
            "## Tự kiểm tra\n\nChọn đáp án rồi bấm **“Kiểm tra đáp án”**. Làm sai cũng không sao: đọc lời giải "
            "thích rồi thử lại.",
        ),
        make_cell(
            Spec(
                id="c1",
                kind="true_false",
                question="TODO: thay câu này bằng lệnh `kynangso lessons check` (xem docs/self-checks.md).",
                explanation="TODO: lời giải thích, chỉ hiện sau khi học viên trả lời.",
                key=answers.encode_answer("c1", True, "true_false"),
            ),
            cid(),
        ),
        _md(
            cid(),
            "## Hướng dẫn lại cho người dân\n\n**Lời nói mẫu:**\n> “TODO: lời nói mẫu khi hướng dẫn bà con.”\n\n"
            "**Bà con hay hỏi:**\n\n- *“TODO: câu bà con hay hỏi?”* — TODO: cách trả lời.",
        ),
        _md(cid(), "## Lỗi thường gặp\n\n- **TODO: lỗi hay gặp:** cách sửa."),
        _md(
            cid(),
            "## An toàn\n\n- **Không bao giờ** hỏi, đọc hay gõ hộ mật khẩu, mã OTP (mã xác thực dùng một lần) của "
            "bà con.\n- TODO: điều cần nhớ về an toàn riêng của bài này.",
        ),
        _md(cid(), "## Ghi nhớ\n\n- TODO: điều cốt lõi thứ nhất.\n- TODO: điều cốt lõi thứ hai."),
        _code(cid(), "bai.finish()"),
        _md(
            cid(),
            f"## Ghi chú cho giảng viên\n\n- **Thời gian:** {teach} phút giảng (TODO: chia theo phần), {practice} "
            "phút thực hành.\n- **Chuẩn bị:** TODO.\n- **Hoạt động nhóm:** TODO.",
            trainer=True,
        ),
    ]
    meta = {
        "schema_version": SCHEMA_VERSION,
        "id": lesson_id,
        "title": new.title,
        "front": new.front,
        "level": new.level,
        "minutes_teaching": teach,
        "minutes_practice": practice,
        "questions": ["TODO: câu hỏi thứ nhất?"],
        "objectives": ["TODO: làm được việc gì (một câu)."],
        "key_points": ["TODO: điều cốt lõi thứ nhất.", "TODO: điều cốt lõi thứ hai."],
        "requires": list(new.requires),
        "platforms": [],
        "simulations": [],
        "sources": ["TODO: văn bản, trang chính thức làm căn cứ cho bài."],
    }
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
            "kynangso": meta,
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def new_lesson(curriculum: Path, new: NewLesson) -> Path:
    """Write the skeleton of a new lesson; never overwrite an existing file."""
    if not FILE_NAME.match(new.name):
        raise AuthoringError(
            f"tên bài '{new.name}' phải là hai chữ số, gạch nối, rồi chữ thường không dấu, ví dụ 05-dich-vu-cong"
        )
    if new.level not in LEVELS:
        raise AuthoringError(f"cấp độ phải là 1, 2 hoặc 3 (đang là {new.level})")
    title = nbmod.nfc(new.title).strip()
    if len(title) < 3:
        raise AuthoringError("tên bài (--title) cần ít nhất 3 ký tự")
    titles = _titles(curriculum)
    unknown = [r for r in new.requires if r not in titles]
    if unknown:
        raise AuthoringError(
            f"--requires: không có bài nào mã {', '.join(repr(u) for u in unknown)} trong {curriculum}"
        )
    folder = curriculum / FRONT_FOLDERS[new.front]
    path = folder / f"{new.name}.ipynb"
    if path.exists():
        raise AuthoringError(f"{path}: đã có bài này; không ghi đè")
    lesson_id = f"{new.front}-{new.name}"
    if lesson_id in titles:
        raise AuthoringError(f"mã bài '{lesson_id}' đã dùng cho {titles[lesson_id][1]}")
    folder.mkdir(parents=True, exist_ok=True)
    raw = skeleton(
        NewLesson(new.front, new.name, title, new.level, new.minutes_teaching, new.minutes_practice, new.requires),
        folder,
        titles,
    )
    write_notebook(path, raw)
    return path
