"""A learner or trainer at the protocol level: the hub's login form and REST API, their own server's REST API and
kernel websockets, exactly what a browser sends, on 127.0.0.1 only. Every call has a timeout."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import quote, urlencode

from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.iostream import StreamClosedError
from tornado.websocket import WebSocketClosedError, websocket_connect

AsyncHTTPClient.configure(None, max_clients=100)
TIMEOUT = 120.0


class HubError(AssertionError):
    pass


@dataclass
class Timings:
    """Seconds per kind of request, for the load test's percentiles."""

    samples: dict[str, list[float]] = field(default_factory=dict)

    def add(self, kind: str, seconds: float) -> None:
        self.samples.setdefault(kind, []).append(seconds)

    def all(self) -> list[float]:
        return [s for values in self.samples.values() for s in values]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


class Person:
    def __init__(self, base: str, name: str, timings: Timings | None = None):
        assert base.startswith("http://127.0.0.1:"), base  # the tests talk to this machine only
        self.base = base.rstrip("/")
        self.name = name
        self.cookies: dict[str, str] = {}
        self.token = ""
        self.timings = timings or Timings()
        self.http = AsyncHTTPClient()

    # --- HTTP ----------------------------------------------------------------------------------------------------
    def _cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def _keep_cookies(self, headers: Any) -> None:
        for raw in headers.get_list("Set-Cookie"):
            jar: SimpleCookie = SimpleCookie()
            jar.load(raw)
            for key, morsel in jar.items():
                self.cookies[key] = morsel.value

    async def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        kind: str = "",
        form: dict[str, str] | None = None,
        auth: str = "token",
        expect: tuple[int, ...] = (200, 201, 202, 204),
        timeout: float = TIMEOUT,
        follow: bool = False,
    ) -> tuple[int, Any, Any]:
        headers: dict[str, str] = {}
        data: str | None = None
        if form is not None:
            data = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None or method in ("POST", "PUT", "PATCH"):
            data = json.dumps(body if body is not None else {})
            headers["Content-Type"] = "application/json"
        if auth == "token" and self.token:
            headers["Authorization"] = f"token {self.token}"
        if self.cookies:
            headers["Cookie"] = self._cookie_header()
            if "_xsrf" in self.cookies:
                headers["X-XSRFToken"] = self.cookies["_xsrf"]
        req = HTTPRequest(
            self.base + path,
            method=method,
            headers=headers,
            body=data,
            follow_redirects=False,
            request_timeout=timeout,
            connect_timeout=timeout,
            allow_nonstandard_methods=True,
        )
        t0 = time.perf_counter()
        try:
            resp = await self.http.fetch(req, raise_error=False)
        finally:
            if kind:
                self.timings.add(kind, time.perf_counter() - t0)
        if resp.code == 599:
            raise HubError(f"{self.name}: {method} {path}: {resp.error}")
        self._keep_cookies(resp.headers)
        text = resp.body.decode("utf-8", "replace") if resp.body else ""
        location = resp.headers.get("Location", "")
        if follow and resp.code in (301, 302, 303, 307) and location.startswith("/"):
            return await self.request("GET", location, kind=kind, auth=auth, expect=expect, follow=True)
        if resp.code not in expect:
            raise HubError(f"{self.name}: {method} {path} -> {resp.code} {location}: {text[:500]}")
        try:
            payload: Any = json.loads(text) if text else None
        except ValueError:
            payload = text
        return resp.code, payload, resp.headers

    # --- the hub -------------------------------------------------------------------------------------------------
    async def login(self, code: str) -> None:
        """The login form, as a browser fills it; the hub answers with a redirect and a session cookie."""
        await self.request("GET", "/hub/login", auth="", kind="login")
        status, _, _ = await self.request(
            "POST",
            "/hub/login?next=",
            form={"username": self.name, "password": code, "_xsrf": self.cookies.get("_xsrf", "")},
            auth="",
            expect=(302, 200, 403),  # a wrong code: the form again, with 403
            kind="login",
        )
        if status != 302 or not any(
            k.startswith("jupyterhub-session") or k == "jupyterhub-hub-login" for k in self.cookies
        ):
            raise HubError(f"{self.name}: sign-in refused (status {status})")

    async def make_token(self) -> str:
        """An API token of one's own, asked for with the session cookie (as the hub's token page does)."""
        _, payload, _ = await self.request(
            "POST", f"/hub/api/users/{self.name}/tokens", {"note": "kiem-thu", "expires_in": 3600}, auth="", kind="api"
        )
        self.token = str(payload["token"])
        return self.token

    async def start_server(self, timeout: float = 300.0) -> float:
        """Ask for one's server and wait until the hub says it is ready; returns the seconds it took."""
        t0 = time.perf_counter()
        await self.request("POST", f"/hub/api/users/{self.name}/server", expect=(201, 202, 400), kind="api")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            _, user, _ = await self.request("GET", f"/hub/api/users/{self.name}", kind="api")
            server = (user.get("servers") or {}).get("")
            if server and server.get("ready"):
                return time.perf_counter() - t0
            await asyncio.sleep(1.0)
        raise HubError(f"{self.name}: server not ready within {timeout}s")

    async def server_running(self) -> bool:
        _, user, _ = await self.request("GET", f"/hub/api/users/{self.name}")
        return bool((user.get("servers") or {}).get(""))

    def user_path(self, path: str) -> str:
        return f"/user/{quote(self.name)}/{path.lstrip('/')}"

    async def user(self, method: str, path: str, body: Any = None, **kw: Any) -> Any:
        return (await self.request(method, self.user_path(path), body, **kw))[1]

    async def answering_kernel(self, attempts: int = 2, wait: float = 60.0) -> tuple[Kernel, int]:
        """A kernel that has answered ``kernel_info``, and how many were given up on first. A kernel that never
        answers (seen once in 30 when 30 servers start kernels in the same second on a loaded machine) is shut
        down and replaced, as the learner's page reload would; the caller reports how often that happened."""
        for attempt in range(attempts):
            kernel = await self.kernel()
            try:
                await kernel._send_and_wait(kernel._message("kernel_info_request", {}), timeout=wait)
                return kernel, attempt
            # No answer in time, or the server closed the socket on it: either way the kernel is not usable.
            except (TimeoutError, HubError, WebSocketClosedError, StreamClosedError):
                await kernel.close()
        raise HubError(f"{self.name}: {attempts} kernels in a row never answered")

    async def kernel(self, kind: str = "ws") -> Kernel:
        info = await self.user("POST", "api/kernels", {"name": "python3"}, kind="api")
        url = self.base.replace("http://", "ws://") + self.user_path(f"api/kernels/{info['id']}/channels")
        req = HTTPRequest(url, headers={"Authorization": f"token {self.token}"}, request_timeout=TIMEOUT)
        ws = await asyncio.wait_for(websocket_connect(req), TIMEOUT)
        return Kernel(self, info["id"], ws, kind)


class Kernel:
    """One kernel over its websocket (the JSON message protocol JupyterLab and Voilà speak)."""

    def __init__(self, person: Person, kernel_id: str, ws: Any, kind: str):
        self.person, self.id, self.ws, self.kind = person, kernel_id, ws, kind
        self.session = uuid.uuid4().hex
        self.widgets: dict[str, dict[str, Any]] = {}  # comm id -> widget state, in the order they were opened
        self.outputs: list[str] = []

    def _message(self, msg_type: str, content: dict[str, Any], channel: str = "shell") -> dict[str, Any]:
        return {
            "header": {
                "msg_id": uuid.uuid4().hex,
                "msg_type": msg_type,
                "session": self.session,
                "username": self.person.name,
                "version": "5.3",
                "date": "",
            },
            "parent_header": {},
            "metadata": {},
            "content": content,
            "channel": channel,
            "buffers": [],
        }

    async def _send_and_wait(self, msg: dict[str, Any], timeout: float = TIMEOUT) -> None:
        """Send, then read until the kernel is idle again after this message; collect widgets and output."""
        msg_id = msg["header"]["msg_id"]
        t0 = time.perf_counter()
        await self.ws.write_message(json.dumps(msg))
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise HubError(f"{self.person.name}: kernel did not finish {msg['header']['msg_type']} in {timeout}s")
            raw = await asyncio.wait_for(self.ws.read_message(), left)
            if raw is None:
                raise HubError(f"{self.person.name}: kernel websocket closed")
            reply = json.loads(raw)
            kind, content = reply["header"]["msg_type"], reply["content"]
            if kind == "comm_open" and content.get("target_name") == "jupyter.widget":
                self.widgets[content["comm_id"]] = dict(content["data"].get("state", {}))
            elif kind == "comm_msg" and content["data"].get("method") == "update":
                self.widgets.setdefault(content["comm_id"], {}).update(content["data"].get("state", {}))
            elif kind == "comm_close":
                self.widgets.pop(content["comm_id"], None)
            elif kind == "stream":
                self.outputs.append(content["text"])
            elif kind == "error":
                raise HubError(f"{self.person.name}: {content['ename']}: {content['evalue']}")
            elif (
                kind == "status"
                and content["execution_state"] == "idle"
                and reply["parent_header"].get("msg_id") == msg_id
            ):
                self.person.timings.add(self.kind, time.perf_counter() - t0)
                return

    async def execute(self, code: str, timeout: float = TIMEOUT) -> str:
        before = len(self.outputs)
        await self._send_and_wait(
            self._message("execute_request", {"code": code, "silent": False, "store_history": False}), timeout
        )
        return "".join(self.outputs[before:])

    def widget_with_class(self, css_class: str) -> str:
        """The newest widget carrying this CSS class (a redraw makes new widgets; the newest is on screen)."""
        found = [cid for cid, state in self.widgets.items() if css_class in state.get("_dom_classes", [])]
        if not found:
            raise HubError(f"{self.person.name}: no widget with class {css_class}")
        return found[-1]

    async def set_value(self, comm_id: str, value: Any) -> None:
        data = {"method": "update", "state": {"value": value}, "buffer_paths": []}
        await self._send_and_wait(self._message("comm_msg", {"comm_id": comm_id, "data": data}))

    async def click(self, comm_id: str) -> None:
        data = {"method": "custom", "content": {"event": "click"}}
        await self._send_and_wait(self._message("comm_msg", {"comm_id": comm_id, "data": data}))

    async def close(self) -> None:
        self.ws.close()
        await self.person.user("DELETE", f"api/kernels/{self.id}", expect=(204, 404))
