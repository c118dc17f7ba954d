"""``kynangso hub init``: a hub folder for one course, its accounts, and the Jupyter settings of each role."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from kynangso import atomic
from kynangso.hub import accounts
from kynangso.hub.settings import SETTINGS_FILE, HubSettings, load

CONFIG_NAME = "jupyterhub_config.py"
# nbgrader's extensions, by role (see the table in nbgrader's "Using nbgrader with JupyterHub").
SERVER_EXTENSIONS = {
    "learner": {"assignment_list": True, "validate_assignment": True, "course_list": False, "formgrader": False},
    "trainer": {"assignment_list": True, "validate_assignment": True, "course_list": True, "formgrader": False},
    "grader": {"assignment_list": False, "validate_assignment": True, "course_list": False, "formgrader": True},
}
LAB_EXTENSIONS = {
    "learner": ["formgrader", "create-assignment", "course-list"],
    "trainer": ["formgrader", "create-assignment"],
    "grader": ["assignment-list", "course-list"],
}


@dataclass
class InitReport:
    settings: HubSettings
    created: list[str] = field(default_factory=list)
    staff_codes: dict[str, str] = field(default_factory=dict)
    learners_without_code: list[str] = field(default_factory=list)


def deploy_source() -> Path:
    """The shipped ``deploy/`` folder: the checkout's, or the copy inside the installed package."""
    from kynangso.workspace import bundled_content, checkout_root

    for root in (checkout_root(), bundled_content()):
        if root is not None and (root / "deploy" / CONFIG_NAME).is_file():
            return root / "deploy"
    raise FileNotFoundError(f"không tìm thấy deploy/{CONFIG_NAME} trong bộ cài kynangso")


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        atomic.write_text(path, text)


def write_jupyter_config(s: HubSettings) -> None:
    """One folder per role, found through JUPYTER_CONFIG_PATH (role first, then common)."""
    common = (
        "# Written by `kynangso hub init`: every server on this hub (learners, trainers, the course service).\n"
        "from nbgrader.auth import JupyterHubAuthPlugin\n\n"
        "c = get_config()  # noqa: F821\n"
        f"c.Exchange.root = {str(s.exchange)!r}\n"
        "c.Exchange.path_includes_course = True\n"
        "c.Authenticator.plugin_class = JupyterHubAuthPlugin\n"
    )
    _write(s.jupyter / "common" / "nbgrader_config.py", common)
    grader = (
        "# Written by `kynangso hub init`: the course served by the course service (Formgrader).\n"
        "c = get_config()  # noqa: F821\n"
        f"c.CourseDirectory.root = {str(s.course)!r}\n"
        f"c.CourseDirectory.course_id = {s.course_id!r}\n"
    )
    _write(s.jupyter / "grader" / "nbgrader_config.py", grader)
    for role, extensions in SERVER_EXTENSIONS.items():
        server: dict[str, object] = {
            "jpserver_extensions": {f"nbgrader.server_extensions.{k}": v for k, v in extensions.items()}
        }
        if role == "grader" and s.formgrader_iframe:
            # Only with subdomains or trusted users: see deploy/README.md (JupyterHub >= 4.1 forbids framing).
            server["tornado_settings"] = {"headers": {"Content-Security-Policy": "frame-ancestors 'self'"}}
        _write(
            s.jupyter / role / "jupyter_server_config.json",
            json.dumps({"ServerApp": server}, indent=1, sort_keys=True) + "\n",
        )
        page = {"disabledExtensions": {f"@jupyter/nbgrader:{name}": True for name in LAB_EXTENSIONS[role]}}
        _write(s.jupyter / role / "labconfig" / "page_config.json", json.dumps(page, indent=1, sort_keys=True) + "\n")


def course_learners(course: Path) -> list[str]:
    from kynangso.course.course import gradebook

    with gradebook(course) as gb:
        return sorted(s.id for s in gb.students)


def prepare_exchange(exchange: Path) -> None:
    # Everyone writes into it (nbgrader's own inbound/outbound folders then set who reads what): mode 1777.
    exchange.mkdir(parents=True, exist_ok=True)
    os.chmod(exchange, 0o1777)


def init_hub(
    folder: Path,
    course: Path,
    trainers: list[str],
    *,
    homes: Path = Path("/home"),
    create_accounts: bool = True,
    options: dict[str, object] | None = None,
) -> InitReport:
    """Write (or update) the hub folder for an existing course, and create the accounts of its people.

    Safe to re-run after a new roster import: new learners get accounts; settings edited in the TOML file stay
    unless given again here.
    """
    from kynangso.course.config import set_exchange
    from kynangso.course.course import CourseError, is_course
    from kynangso.course.locate import course_settings
    from kynangso.hub.auth import StaffCodes

    folder = folder.expanduser().resolve()
    course = course.expanduser().resolve()
    if not is_course(course):
        raise CourseError(
            f"{course}: chưa phải thư mục khóa học; tạo bằng “kynangso course init” và nhập danh sách lớp trước"
        )
    course_id = course_settings(course)["course_id"]
    learners = course_learners(course)
    grader = f"grader-{course_id}"
    accounts.check_names([*learners, *trainers, grader])
    clash = sorted(set(learners) & set(trainers))
    if clash:
        raise accounts.AccountError(f"Tài khoản vừa là học viên vừa là giảng viên: {', '.join(clash)}")

    if (folder / SETTINGS_FILE).exists():
        s = load(folder)
        s.course, s.course_id, s.grader = course, course_id, grader
    else:
        s = HubSettings(folder, course_id, course, folder / "exchange", grader)
    s.learners = learners
    s.trainers = sorted(set(s.trainers) | set(trainers))
    for key, value in (options or {}).items():
        if value is not None:
            setattr(s, key, value)
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o755)  # the accounts read their role's Jupyter settings in here
    s.state.mkdir(exist_ok=True)
    os.chmod(s.state, 0o700)

    report = InitReport(s)
    if create_accounts:
        report.created = accounts.create([grader, *s.trainers, *learners], homes, folder / accounts.CREATED_FILE)
    prepare_exchange(s.exchange)
    set_exchange(course / "nbgrader_config.py", s.exchange)
    if accounts.is_root() and accounts.exists(grader):
        accounts.chown_tree(course, grader)

    staff = StaffCodes(s.staff_codes)
    missing = [t for t in s.trainers if t not in staff.learners]
    report.staff_codes = staff.issue(missing)
    if report.staff_codes:
        staff.save()

    from kynangso.room.codes import CodeBook

    report.learners_without_code = sorted(set(learners) - CodeBook(course).learners)
    write_jupyter_config(s)
    shutil.copyfile(deploy_source() / CONFIG_NAME, folder / CONFIG_NAME)
    s.save()
    return report
