from __future__ import annotations

import csv
import random
import shutil
from pathlib import Path

import pytest

from kynangso.course.config import ensure_course
from kynangso.course.locate import course_settings
from kynangso.course.roster import LABELS

HEADER = list(LABELS.values())
GOOD = [
    ["Nguyễn Văn An", "05/03/1985", "0912 345 678", "Hà Nội", "Xã Phú Cát", "Thôn Đông", "tổ trưởng", ""],
    ["Lò Thị Bình", "1990-07-12", "+84987654321", "Lào Cai", "Phường Lào Cai", "Tổ 5", "thành viên", "binh@example.vn"],
    ["Hoàng Minh Châu", "20/11/2001", "0345678901", "tinh Dak Lak", "xã Ea Kar", "Buôn Ea Sin", "Thành viên", ""],
]


def write_csv(
    path: Path, rows: list[list[str]], header: list[str] = HEADER, bom: bool = True, delimiter: str = ","
) -> Path:
    with open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as f:
        w = csv.writer(f, delimiter=delimiter)
        w.writerow(header)
        w.writerows(rows)
    return path


@pytest.fixture(scope="session")
def empty_gradebook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A gradebook made once by nbgrader itself (which runs `alembic heads`, seconds each time) and copied."""
    from nbgrader.api import Gradebook

    path = tmp_path_factory.mktemp("template") / "gradebook.db"
    with Gradebook(f"sqlite:///{path}"):
        pass
    return path


@pytest.fixture
def course(tmp_path: Path, empty_gradebook: Path) -> Path:
    root = tmp_path / "course"
    ensure_course(root, tmp_path / "exchange")
    shutil.copy(empty_gradebook, root / "gradebook.db")
    return root


@pytest.fixture
def db_url(course: Path) -> str:
    return course_settings(course)["db_url"]


def random_rows(n: int, seed: int = 7) -> list[list[str]]:
    """People in real communes, with distinct phones and names, for large-file tests."""
    from vietnam_provinces import Province, Ward

    rng = random.Random(seed)
    provinces = {int(p.code): p.name for p in Province.iter_all()}
    wards = list(Ward.iter_all())
    family = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Lò", "Hà", "Triệu", "Y"]
    middle = ["Văn", "Thị", "Minh", "Đức", "Ngọc", "Thu", "Quốc", "Hữu"]
    given = ["An", "Bình", "Chi", "Dũng", "Hà", "Hải", "Lan", "Long", "Mai", "Nam", "Phúc", "Quỳnh", "Sơn", "Tâm"]
    rows = []
    for i in range(n):
        w = wards[rng.randrange(len(wards))]
        name = f"{rng.choice(family)} {rng.choice(middle)} {rng.choice(given)} {_letters(i)}"
        rows.append(
            [
                name,
                f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1960, 2005)}",
                f"09{i:08d}",
                provinces[int(w.province_code)],
                w.name,
                f"Thôn {rng.randint(1, 20)}",
                rng.choice(["tổ trưởng", "thành viên", "thành viên"]),
                "",
            ]
        )
    return rows


def _letters(i: int) -> str:
    # A distinct, pronounceable last syllable so that 10,000 generated names are all different people.
    syllables = ["Anh", "Bảo", "Cường", "Duy", "Giang", "Hòa", "Khánh", "Linh", "Nhung", "Oanh"]
    out = []
    while True:
        out.append(syllables[i % 10])
        i //= 10
        if not i:
            return " ".join(out)
