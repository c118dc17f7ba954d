"""PNG charts for the department: coverage by commune, levels by front, the weakest questions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kynangso.fronts import FRONTS, LEVELS
from kynangso.reports.build import ReportData
from kynangso.reports.figures import by_commune, front_by_level, item_analysis

COLOURS = ["#c9d6df", "#7fb3d5", "#2e86c1", "#1b4f72"]


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    # DejaVu Sans covers every Vietnamese letter; matplotlib ships it.
    plt.rcParams.update(
        {"font.family": "DejaVu Sans", "font.size": 11, "axes.spines.top": False, "axes.spines.right": False}
    )
    return plt


def _save(fig: Any, path: Path) -> Path:
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    import matplotlib.pyplot as plt

    plt.close(fig)
    return path


def coverage_chart(data: ReportData, path: Path) -> Path:
    plt = _pyplot()
    rows = by_commune(data.members, data.levels)
    fig, ax = plt.subplots(figsize=(9, max(3.0, 0.5 * len(rows) + 1.5)))
    labels = [r.ward for r in rows]
    ax.barh(labels, [r.members for r in rows], color=COLOURS[0], label="Thành viên")
    ax.barh(labels, [r.certified for r in rows], color=COLOURS[2], label="Đã có chứng nhận")
    for y, r in enumerate(rows):
        ax.text(r.members, y, f" {r.percent_certified:.0f}%", va="center")
    ax.invert_yaxis()
    ax.set_xlabel("Số người")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_title("Độ phủ chứng nhận theo xã")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=2, frameon=False)
    return _save(fig, path)


def levels_chart(data: ReportData, path: Path) -> Path:
    plt = _pyplot()
    table = front_by_level(data.members, data.levels, data.fronts)
    fig, ax = plt.subplots(figsize=(9, 4))
    names = [FRONTS[f].name for f in data.fronts]
    left = [0] * len(names)
    for colour, level in zip(COLOURS, [0, *LEVELS], strict=True):
        values = [table[f][level] for f in data.fronts]
        ax.barh(names, values, left=left, color=colour, label=LEVELS[level].name if level else "Chưa đạt")
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.invert_yaxis()
    ax.set_xlabel("Số người")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_title("Cấp độ theo mặt trận")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncols=4, frameon=False)
    return _save(fig, path)


def weakest_chart(data: ReportData, path: Path, count: int = 10) -> Path:
    plt = _pyplot()
    items = [i for i in item_analysis(data.submissions, data.labels) if i.percent_correct < 100][:count]
    fig, ax = plt.subplots(figsize=(9, max(3.0, 0.45 * len(items) + 1.5)))
    ax.barh([f"{i.exam} · {i.grade_id}" for i in items], [i.percent_correct for i in items], color=COLOURS[2])
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("Tỷ lệ làm đúng (%)")
    ax.set_title("Các câu hỏi sai nhiều nhất — nên dạy lại")
    if not items:
        ax.text(50, 0, "Chưa có câu nào bị làm sai", ha="center")
    return _save(fig, path)


def write_charts(data: ReportData, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [
        coverage_chart(data, folder / "do-phu-theo-xa.png"),
        levels_chart(data, folder / "cap-do-theo-mat-tran.png"),
        weakest_chart(data, folder / "cau-hoi-sai-nhieu.png"),
    ]
