"""curriculum/README.md: the syllabus, generated from the lessons' metadata, byte for byte reproducible."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from kynangso import atomic
from kynangso.fronts import LEVELS, exam_name
from kynangso.lessons.catalogue import LessonInfo, lessons
from kynangso.lessons.notebook import FRONT_NAMES, FRONT_ORDER

FILE_NAME = "README.md"
HEADER = (
    "<!-- Tệp này được tạo tự động bằng lệnh `kynangso lessons syllabus` từ thông tin trong từng bài học "
    "(metadata.kynangso). Đừng sửa tay: hãy sửa bài học rồi chạy lại lệnh. -->"
)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _hours(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} phút"
    return f"{hours} giờ {rest} phút" if rest else f"{hours} giờ"


def _link(info: LessonInfo) -> str:
    return f"[{_cell(info.title)}]({info.path.as_posix()})"


def level_label(level: int) -> str:
    return f"{level} · {LEVELS[level].name}" if level in LEVELS else str(level)


def render(items: Sequence[LessonInfo]) -> str:
    lines = [
        HEADER,
        "",
        "# Chương trình học Kỹ Năng Số",
        "",
        "Giáo trình cho thành viên Tổ công nghệ số cộng đồng: phần định hướng, rồi ba mặt trận chính quyền số, "
        "kinh tế số và xã hội số. Mỗi bài là một notebook có đủ các mục chuẩn (Câu hỏi chính, Mục tiêu, Kiến thức, "
        "Từng bước, Tự kiểm tra, Hướng dẫn lại cho người dân, An toàn, Ghi nhớ, Ghi chú cho giảng viên…). Bắt đầu từ "
        "[Bắt đầu](00-bat-dau.ipynb) nếu anh/chị mới dùng lần đầu.",
        "",
        "## Cấp độ",
        "",
        "Ba cấp độ được xây dựng theo tinh thần Khung kiến thức, kỹ năng số cơ bản (Quyết định 757/QĐ-BKHCN "
        "ngày 29/04/2025) và khung năng lực số DigComp 2.2 của châu Âu. Tên cấp độ dưới đây là của chương trình "
        "này, không phải tên cấp độ trong Quyết định 757.",
        "",
        "| Cấp độ | Tên | Tương ứng DigComp 2.2 |",
        "|---|---|---|",
    ]
    lines += [f"| {lv.number} | {lv.name} | {lv.digcomp} |" for lv in LEVELS.values()]
    lines += [
        "",
        "## Tổng quan",
        "",
        "| Phần | Số bài | Phút giảng | Phút thực hành | Tổng thời gian |",
        "|---|---:|---:|---:|---:|",
    ]
    by_front = {front: [i for i in items if i.front == front] for front in FRONT_ORDER}
    by_id = {i.id: i for i in items}
    for front, group in by_front.items():
        teach = sum(i.minutes_teaching for i in group)
        practice = sum(i.minutes_practice for i in group)
        lines.append(f"| {FRONT_NAMES[front]} | {len(group)} | {teach} | {practice} | {_hours(teach + practice)} |")
    total_t = sum(i.minutes_teaching for i in items)
    total_p = sum(i.minutes_practice for i in items)
    lines.append(f"| **Cộng** | **{len(items)}** | **{total_t}** | **{total_p}** | **{_hours(total_t + total_p)}** |")
    for front, group in by_front.items():
        lines += ["", f"## {FRONT_NAMES[front]}", ""]
        if front != "orientation":
            exams = ", ".join(f"`{exam_name(front, lv)}`" for lv in LEVELS)
            lines += [f"Bài thi của phần này: {exams} (mỗi cấp độ một bài thi).", ""]
        if not group:
            lines.append("_Chưa có bài nào._")
            continue
        lines += [
            "| Bài | Cấp độ | Giảng (phút) | Thực hành (phút) | Cần học trước | Nền tảng | Mô phỏng |",
            "|---|---|---:|---:|---|---|---|",
        ]
        for info in group:
            sims = ", ".join(f"`{s}`" for s in info.simulations) or "—"
            platforms = ", ".join(_cell(p) for p in info.platforms) or "—"
            needs = ", ".join(_link(by_id[r]) if r in by_id else f"`{r}`" for r in info.requires) or "—"
            lines.append(
                f"| {_link(info)} | {level_label(info.level)} | {info.minutes_teaching} | {info.minutes_practice} "
                f"| {needs} | {platforms} | {sims} |"
            )
    lines += [
        "",
        "## Tài liệu cho giảng viên",
        "",
        "- [Bộ công cụ giảng viên](trainer-kit/README.md): chương trình [1 ngày](trainer-kit/chuong-trinh-1-ngay.md) "
        "và [3 ngày](trainer-kit/chuong-trinh-3-ngay.md), danh sách chuẩn bị.",
        "- Phiếu hướng dẫn in một trang cho mỗi bài: `kynangso lessons handouts --out phieu-huong-dan`; "
        "phiếu cho giảng viên: `kynangso lessons handouts --trainer --out phieu-giang-vien`.",
        "",
    ]
    return "\n".join(lines)


def generate(curriculum: Path) -> str:
    return render(lessons(curriculum))


def write(curriculum: Path) -> bool:
    """Write README.md; True when its content changed."""
    target = curriculum / FILE_NAME
    text = generate(curriculum)
    old = target.read_bytes() if target.exists() else None
    if old == text.encode("utf-8"):
        return False
    atomic.write_text(target, text)
    return True


def is_current(curriculum: Path) -> bool:
    target = curriculum / FILE_NAME
    return target.exists() and target.read_bytes() == generate(curriculum).encode("utf-8")
