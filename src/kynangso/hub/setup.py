"""JupyterHub's configuration from the hub settings: what ``deploy/jupyterhub_config.py`` calls.

The nbgrader part follows nbgrader's "Using nbgrader with JupyterHub" (multiple classes): the course is a service
named after the course id, run by the grader account; ``formgrade-<course>`` holds who may grade it and
``nbgrader-<course>`` who takes it; nbgrader asks the hub for those groups (``JupyterHubAuthPlugin``, set in the
common nbgrader config the init writes).
"""

from __future__ import annotations

import sys
from typing import Any

from kynangso.hub.settings import HubSettings

CULLER = "dung-may-nhan-roi"  # the idle culler service ("stop idle servers")
ROOM = "phong-thi"


def groups(s: HubSettings) -> dict[str, dict[str, Any]]:
    return {
        f"formgrade-{s.course_id}": {"users": sorted({*s.trainers, s.grader})},
        f"nbgrader-{s.course_id}": {"users": sorted(s.learners)},
    }


def roles(s: HubSettings) -> list[dict[str, Any]]:
    course = s.course_id
    return [
        {
            "name": f"formgrade-{course}",
            "description": "Chấm bài khóa học (Formgrader)",
            "groups": [f"formgrade-{course}"],
            "scopes": [f"access:services!service={course}", "list:services", f"read:services!service={course}"],
        },
        {
            "name": f"nbgrader-{course}",
            "description": "Học viên khóa học",
            "groups": [f"nbgrader-{course}"],
            "scopes": ["list:services", f"read:services!service={course}"],
        },
        {
            # A person's server asks the hub which courses they are in (their groups) and finds course services.
            "name": "server",
            "scopes": [
                "users:activity!user",
                "access:servers!server",
                "read:users:name!user",
                "read:users:groups!user",
                "list:services",
                "read:services",
            ],
        },
        {
            # The course service adds learners to its group when they are added in Formgrader (nbgrader's plugin).
            "name": f"course-service-{course}",
            "services": [course],
            "scopes": [
                "list:users",
                "read:users",
                "list:groups",
                "read:groups",
                f"groups!group=nbgrader-{course}",
            ],
        },
        {
            "name": "idle-culler",
            "services": [CULLER],
            "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        },
    ]


def services(s: HubSettings) -> list[dict[str, Any]]:
    grader_env = {
        "JUPYTER_CONFIG_PATH": f"{s.jupyter / 'grader'}:{s.jupyter / 'common'}",
        # Formgrader opens as a page of its own: its JupyterLab panel is an iframe, blank on JupyterHub >= 4.1.
        "JUPYTERHUB_DEFAULT_URL": "/formgrader",
    }
    out: list[dict[str, Any]] = [
        {
            "name": s.course_id,
            "display": True,
            "url": f"http://127.0.0.1:{s.service_port}",
            "command": [sys.executable, "-m", "jupyterhub.singleuser", f"--ServerApp.root_dir={s.course}"],
            "user": s.grader,
            "cwd": str(s.course),
            "environment": grader_env,
            "oauth_no_confirm": True,
        },
        {
            "name": CULLER,
            "command": [
                sys.executable,
                "-m",
                "jupyterhub_idle_culler",
                f"--timeout={s.idle_timeout}",
                f"--cull-every={s.cull_every}",
                "--concurrency=5",
            ],
        },
    ]
    if s.room_port:
        out.append(
            {
                "name": ROOM,
                # The phone exam room keeps its own sign-in (the same card codes) and its own port: phones reach
                # it at http://<máy>:<room_port>/ without the hub in between.
                "command": [
                    sys.executable,
                    "-m",
                    "kynangso",
                    "exam",
                    "room",
                    "--course",
                    str(s.course),
                    "--port",
                    str(s.room_port),
                    "--ip",
                    s.ip,
                ],
                "user": s.grader,
                "cwd": str(s.course),
            }
        )
    return out


def apply(c: Any, s: HubSettings) -> None:
    """Fill JupyterHub's config object ``c`` from the settings."""
    s.state.mkdir(parents=True, exist_ok=True)
    c.JupyterHub.ip = s.ip
    c.JupyterHub.port = s.port
    c.JupyterHub.hub_ip = "127.0.0.1"
    c.JupyterHub.hub_port = s.hub_port
    c.JupyterHub.db_url = s.hub_db_url or f"sqlite:///{s.state / 'jupyterhub.sqlite'}"
    c.JupyterHub.cookie_secret_file = str(s.state / "jupyterhub_cookie_secret")
    c.JupyterHub.pid_file = str(s.state / "jupyterhub.pid")
    c.ConfigurableHTTPProxy.command = [s.proxy]
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{s.proxy_api_port}"
    c.ConfigurableHTTPProxy.pid_file = str(s.state / "jupyterhub-proxy.pid")
    c.JupyterHub.cleanup_servers = True
    c.JupyterHub.concurrent_spawn_limit = s.concurrent_spawn_limit

    c.JupyterHub.authenticator_class = "kynangso.hub.auth.RosterCodeAuthenticator"
    c.RosterCodeAuthenticator.course = str(s.course)
    c.RosterCodeAuthenticator.staff_codes = str(s.staff_codes)
    # allowed_users replaced the whitelist of old nbgrader examples; the grader signs in only through its service.
    c.Authenticator.allowed_users = set(s.learners) | set(s.trainers)
    c.Authenticator.admin_users = set(s.trainers)

    c.JupyterHub.spawner_class = "kynangso.hub.spawner.WorkshopSpawner"
    c.Spawner.cmd = [sys.executable, "-m", "kynangso.hub.singleuser"]
    c.Spawner.default_url = "/lab/tree/KyNangSo/curriculum"
    c.Spawner.mem_limit = s.mem_limit
    c.Spawner.cpu_limit = s.cpu_limit
    c.Spawner.start_timeout = s.start_timeout
    c.Spawner.http_timeout = s.start_timeout
    c.WorkshopSpawner.config_root = str(s.jupyter)
    c.WorkshopSpawner.roles = {name: "trainer" for name in s.trainers}

    # The culler judges by the activity the hub has heard of; it must hear more often than the timeout, or a busy
    # learner's server looks idle (both default to every 5 minutes, right for the 1-hour default).
    every = max(5, min(300, s.idle_timeout // 4))
    c.JupyterHub.last_activity_interval = every
    c.Spawner.environment = {"JUPYTERHUB_ACTIVITY_INTERVAL": str(every)}

    c.JupyterHub.load_groups = groups(s)
    c.JupyterHub.load_roles = roles(s)
    c.JupyterHub.services = services(s)
