"""The hub's configuration as JupyterHub reads it: nbgrader's multi-course layout, roles, limits, settings file.
No hub runs here (see test_hub_lifecycle.py and test_hub_load.py for the real one)."""

from __future__ import annotations

from pathlib import Path

import pytest
from traitlets.config import Config

from kynangso.hub.accounts import AccountError, check_names, invalid_accounts
from kynangso.hub.settings import HubSettings, SettingsError, load
from kynangso.hub.setup import apply


def settings(tmp_path: Path) -> HubSettings:
    return HubSettings(
        tmp_path,
        "khoa-2026",
        tmp_path / "khoa",
        tmp_path / "exchange",
        "grader-khoa-2026",
        trainers=["co-lan"],
        learners=["nguyen-van-an-1985", "lo-thi-binh-1990"],
        idle_timeout=600,
    )


def test_settings_round_trip_and_errors_name_the_key(tmp_path: Path) -> None:
    s = settings(tmp_path)
    s.save()
    again = load(tmp_path)
    assert again == s
    s.path.write_text(s.path.read_text(encoding="utf-8") + 'cong = "8000"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match="cong: khóa không có"):
        load(tmp_path)


def test_config_follows_nbgraders_multiple_classes_layout(tmp_path: Path) -> None:
    c = Config()
    apply(c, settings(tmp_path))
    assert c.Authenticator.allowed_users == {"nguyen-van-an-1985", "lo-thi-binh-1990", "co-lan"}
    assert c.Authenticator.admin_users == {"co-lan"}
    groups = c.JupyterHub.load_groups
    assert groups["formgrade-khoa-2026"]["users"] == ["co-lan", "grader-khoa-2026"]
    assert groups["nbgrader-khoa-2026"]["users"] == ["lo-thi-binh-1990", "nguyen-van-an-1985"]
    roles = {r["name"]: r for r in c.JupyterHub.load_roles}
    assert "access:services!service=khoa-2026" in roles["formgrade-khoa-2026"]["scopes"]
    assert "read:users:groups!user" in roles["server"]["scopes"]  # JupyterHubAuthPlugin reads the learner's groups
    assert "delete:servers" in roles["idle-culler"]["scopes"]
    services = {s["name"]: s for s in c.JupyterHub.services}
    course = services["khoa-2026"]  # the service is named after the course, as nbgrader requires
    assert course["user"] == "grader-khoa-2026" and course["environment"]["JUPYTERHUB_DEFAULT_URL"] == "/formgrader"
    assert any("--timeout=600" in arg for arg in services["dung-may-nhan-roi"]["command"])
    assert c.Spawner.mem_limit == "1G"
    assert int(c.JupyterHub.last_activity_interval) <= 600 // 4


def test_account_names_must_be_system_names() -> None:
    assert invalid_accounts(["nguyen-van-an-1985", "Nguyễn", "nguyen-thi-ngoc-thanh-huong-1990-1234"]) == [
        "Nguyễn",
        "nguyen-thi-ngoc-thanh-huong-1990-1234",
    ]
    with pytest.raises(AccountError, match="tối đa 32 ký tự"):
        check_names(["nguyen-thi-ngoc-thanh-huong-1990-1234"])


def test_jupyter_settings_per_role(tmp_path: Path) -> None:
    import json

    from kynangso.hub.init import write_jupyter_config

    s = settings(tmp_path)
    write_jupyter_config(s)
    common = (s.jupyter / "common" / "nbgrader_config.py").read_text(encoding="utf-8")
    assert "Exchange.path_includes_course = True" in common and "JupyterHubAuthPlugin" in common
    learner = json.loads((s.jupyter / "learner" / "jupyter_server_config.json").read_text(encoding="utf-8"))
    assert learner["ServerApp"]["jpserver_extensions"]["nbgrader.server_extensions.formgrader"] is False
    grader = json.loads((s.jupyter / "grader" / "jupyter_server_config.json").read_text(encoding="utf-8"))
    assert grader["ServerApp"]["jpserver_extensions"]["nbgrader.server_extensions.formgrader"] is True
    assert "tornado_settings" not in grader["ServerApp"]  # no framing unless asked (JupyterHub >= 4.1)
    page = json.loads((s.jupyter / "learner" / "labconfig" / "page_config.json").read_text(encoding="utf-8"))
    assert page["disabledExtensions"]["@jupyter/nbgrader:formgrader"] is True
