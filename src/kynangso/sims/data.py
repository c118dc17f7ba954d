"""Per-learner data drawn from a seed: a fictional citizen, ID and phone numbers, OTP codes, amounts, codes.

The same (scenario, seed) always gives the same data, so a transcript can be replayed; another seed gives other
numbers, so a transcript copied from a neighbour fails wherever they were typed.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable, Mapping
from datetime import date, timedelta

from kynangso.sims.model import DataSpec
from kynangso.sims.text import fill

SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô")
MIDDLE = {"nam": ("Văn", "Đức", "Minh", "Quốc", "Hữu", "Công"), "nu": ("Thị", "Ngọc", "Thu", "Thanh", "Kim", "Mai")}
GIVEN = {
    "nam": ("An", "Bình", "Cường", "Dũng", "Hải", "Hùng", "Khang", "Long", "Nam", "Phúc", "Quang", "Sơn", "Tuấn"),
    "nu": ("Anh", "Chi", "Dung", "Hà", "Hằng", "Hoa", "Lan", "Linh", "Mai", "Nga", "Oanh", "Thảo", "Trang", "Yến"),
}
MOBILE_PREFIXES = ("032", "033", "035", "036", "038", "070", "077", "081", "083", "086", "088", "091", "094", "097")
PASSWORD_SPECIALS = "@#$!%&*"


def _name(rng: random.Random, params: Mapping[str, object]) -> str:
    # "Nam"/"Nữ" as written in a form, so a name can follow a gender drawn earlier ("{gioi_tinh}").
    gender = {"nam": "nam", "nữ": "nu", "nu": "nu"}.get(str(params.get("gender", "")).casefold(), "any")
    if gender not in ("nam", "nu"):
        gender = rng.choice(("nam", "nu"))
    surname = str(params["surname"]) if params.get("surname") else rng.choice(SURNAMES)
    return f"{surname} {rng.choice(MIDDLE[gender])} {rng.choice(GIVEN[gender])}"


def _digits(rng: random.Random, params: Mapping[str, object]) -> str:
    prefix = str(params.get("prefix", ""))
    length = int(str(params.get("length", 6)))
    return prefix + "".join(rng.choice(string.digits) for _ in range(length - len(prefix)))


def _phone(rng: random.Random, params: Mapping[str, object]) -> str:
    raw = params.get("prefixes")
    prefixes = [str(p) for p in raw] if isinstance(raw, list) else list(MOBILE_PREFIXES)
    prefix = rng.choice(prefixes)
    return prefix + "".join(rng.choice(string.digits) for _ in range(10 - len(prefix)))


def _password(rng: random.Random, params: Mapping[str, object]) -> str:
    """A password that meets the VNeID policy: 8–20 characters with upper, lower, digit and special."""
    length = int(str(params.get("length", 10)))
    chars = [
        rng.choice(string.ascii_uppercase),
        rng.choice(string.ascii_lowercase),
        rng.choice(string.digits),
        rng.choice(PASSWORD_SPECIALS),
    ]
    pool = string.ascii_letters + string.digits
    chars += [rng.choice(pool) for _ in range(length - len(chars))]
    # Keep a capital first and the special near the end: easier to read aloud in a workshop.
    head, rest = chars[0], chars[1:]
    rng.shuffle(rest)
    return head + "".join(rest)


def _choice(rng: random.Random, params: Mapping[str, object]) -> str:
    options = params.get("options")
    assert isinstance(options, list)
    return str(rng.choice(options))


def _amount(rng: random.Random, params: Mapping[str, object]) -> str:
    low, high = int(str(params["min"])), int(str(params["max"]))
    step = int(str(params.get("step", 1000)))
    value = rng.randrange(low, high + 1, step)
    return f"{value:,}".replace(",", ".")


def _pattern(rng: random.Random, params: Mapping[str, object]) -> str:
    """``#`` becomes a digit and ``?`` a capital letter; everything else is kept."""
    raw = params.get("templates")
    template = rng.choice([str(t) for t in raw]) if isinstance(raw, list) else str(params["template"])
    out = []
    for ch in template:
        if ch == "#":
            out.append(rng.choice(string.digits))
        elif ch == "?":
            out.append(rng.choice(string.ascii_uppercase))
        else:
            out.append(ch)
    return "".join(out)


def _date(rng: random.Random, params: Mapping[str, object]) -> str:
    start = date.fromisoformat(str(params["start"]))
    end = date.fromisoformat(str(params["end"]))
    day = start + timedelta(days=rng.randrange((end - start).days + 1))
    return day.strftime("%d/%m/%Y")


GENERATORS: dict[str, Callable[[random.Random, Mapping[str, object]], str]] = {
    "name": _name,
    "digits": _digits,
    "phone": _phone,
    "password": _password,
    "choice": _choice,
    "amount": _amount,
    "pattern": _pattern,
    "date": _date,
}


def generate(scenario_id: str, specs: tuple[DataSpec, ...], seed: int) -> dict[str, str]:
    """Draw every value in the order the scenario declares them; ``{key}`` in params refers to earlier values."""
    # A string seed is hashed with SHA-512 by `random`, so it is stable across runs and Python versions.
    rng = random.Random(f"kynangso:{scenario_id}:{int(seed)}")
    values: dict[str, str] = {}
    for spec in specs:
        params = {k: (_fill_param(v, values)) for k, v in spec.params.items()}
        values[spec.key] = GENERATORS[spec.kind](rng, params)
    return values


def _fill_param(value: object, values: Mapping[str, str]) -> object:
    if isinstance(value, str):
        return fill(value, values)
    if isinstance(value, list):
        return [fill(v, values) if isinstance(v, str) else v for v in value]
    return value
