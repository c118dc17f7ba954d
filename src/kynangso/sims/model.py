"""The scenario model: plain, immutable data read from ``scenarios/<id>.toml`` by :mod:`kynangso.sims.schema`.

Nothing here knows about widgets or files; the engine runs on these objects and the view only draws them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MODES = ("huong-dan", "luyen-tap", "kiem-tra")
MODE_NAMES = {"huong-dan": "Hướng dẫn", "luyen-tap": "Luyện tập", "kiem-tra": "Kiểm tra"}

FIELD_KINDS = ("text", "password", "number", "textarea", "select", "file", "checkbox")
SKIN_KINDS = ("web", "app", "phone")
DATA_KINDS = ("name", "digits", "phone", "password", "choice", "amount", "pattern", "date")


@dataclass(frozen=True)
class Option:
    """One choice of a select or file field; choosing a trap or mistake option is caught when the form is sent."""

    label: str
    trap: str | None = None
    mistake: str | None = None


@dataclass(frozen=True)
class Field:
    id: str
    label: str
    kind: str = "text"
    placeholder: str = ""
    help: str = ""
    required: bool = True
    pattern: str | None = None
    error: str = ""
    expect: str | None = None
    expect_mode: str = "exact"  # "exact" | "prefix"
    expect_error: str = ""
    ignore_case: bool = False
    example: str | None = None
    options: tuple[Option, ...] = ()


@dataclass(frozen=True)
class Action:
    id: str
    label: str
    goto: str | None = None
    style: str = "primary"  # primary | secondary | danger | link
    submit: bool = False
    trap: str | None = None
    mistake: str | None = None
    say: str = ""
    sets: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    done: str | None = None

    @property
    def is_wrong(self) -> bool:
        return self.trap is not None or self.mistake is not None


@dataclass(frozen=True)
class Screen:
    id: str
    skin: str
    title: str
    body: str = ""
    notice: str = ""
    hint: str = ""
    stage: str | None = None
    fields: tuple[Field, ...] = ()
    actions: tuple[Action, ...] = ()

    def action(self, action_id: str) -> Action | None:
        return next((a for a in self.actions if a.id == action_id), None)


@dataclass(frozen=True)
class Trap:
    id: str
    title: str
    explain: str
    critical: bool = False  # costs a resident money or identity (OTP, password, a "safe account", a face scan)


@dataclass(frozen=True)
class Skin:
    id: str
    kind: str
    name: str
    address: str = ""
    color: str = "#1f5fa8"


@dataclass(frozen=True)
class DataSpec:
    """How one piece of per-learner data is drawn from the seed (see :mod:`kynangso.sims.data`)."""

    key: str
    kind: str
    params: dict[str, object] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Goal:
    screen: str | None = None
    flags: tuple[str, ...] = ()
    message: str = ""


@dataclass(frozen=True)
class Scoring:
    mistake_penalty: float = 0.1
    trap_penalty: float = 0.25


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    front: str
    minutes: int
    teaches: str
    intro: str
    start: str
    goal: Goal
    skins: dict[str, Skin]
    screens: dict[str, Screen]
    traps: dict[str, Trap]
    data: tuple[DataSpec, ...] = ()
    persona_title: str = ""
    persona: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()
    flag_names: dict[str, str] = field(default_factory=dict)
    scoring: Scoring = field(default_factory=Scoring)
    source: str = ""

    def screen(self, screen_id: str) -> Screen:
        return self.screens[screen_id]


@dataclass(frozen=True)
class ScenarioInfo:
    id: str
    title: str
    front: str
    minutes: int
    teaches: str
