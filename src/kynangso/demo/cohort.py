"""A generated cohort: 30 team members in 3 communes of one province, 2 village teams each, with a skill each."""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

from kynangso.course.roster import LABELS

HEADER = list(LABELS.values())
PLACES = [
    ("Xã Tân Cương", ("Xóm Nam Đồng", "Xóm Hồng Thái 2")),
    ("Xã Đại Từ", ("Xóm Đồng Tâm", "Xóm Cầu Thành")),
    ("Xã La Bằng", ("Xóm Đồng Tiến", "Xóm Tiến Thành")),
]
PROVINCE = "Thái Nguyên"
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Ma", "Dương", "Đinh", "Lưu", "Triệu"]
MIDDLE = ["Văn", "Thị", "Minh", "Đức", "Ngọc", "Thu", "Quang", "Hồng"]
GIVEN = [
    "An",
    "Bình",
    "Cúc",
    "Dũng",
    "Giang",
    "Hà",
    "Hiếu",
    "Hoa",
    "Khánh",
    "Lan",
    "Linh",
    "Mai",
    "Nam",
    "Oanh",
    "Phúc",
    "Quế",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trung",
    "Tuấn",
    "Uyên",
    "Vinh",
    "Xuân",
    "Yến",
    "Hải",
    "Hằng",
    "Long",
    "Nga",
    "Thắng",
]


@dataclass(frozen=True)
class Person:
    name: str
    born: str
    phone: str
    ward: str
    village: str
    role: str
    skill: float  # chance of answering a question right, 0–1


def cohort(size: int = 30, seed: int = 2026) -> list[Person]:
    rng = random.Random(seed)
    people = []
    for i in range(size):
        ward, villages = PLACES[i % len(PLACES)]
        village = villages[(i // len(PLACES)) % len(villages)]
        role = "tổ trưởng" if i < len(PLACES) * 2 else "thành viên"
        name = f"{FAMILY[i % len(FAMILY)]} {MIDDLE[(i * 3) % len(MIDDLE)]} {GIVEN[i % len(GIVEN)]}"
        born = f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1965, 2004)}"
        # Team leaders studied most; the rest spread from struggling to excellent, as in a real workshop.
        skill = 1.0 if role == "tổ trưởng" else round(0.35 + 0.65 * ((i * 7) % size) / size, 2)
        people.append(Person(name, born, f"098{i:07d}", ward, village, role, skill))
    return people


def write_roster(people: list[Person], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(HEADER)
        for p in people:
            w.writerow([p.name, p.born, p.phone, PROVINCE, p.ward, p.village, p.role, ""])
    return path
