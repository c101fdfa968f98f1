"""The HTTP side: a threaded standard-library server speaking the Discourse API tracker uses.

One :class:`~.state.Forum` behind five routes; every request is recorded (with what was
answered) for the tests and for the fidelity check on teardown (:mod:`.openapi`).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qsl, urlsplit

from . import shapes
from .state import Forum, Post, Topic, User

JSON_TYPE = "application/json; charset=utf-8"
TEXT_TYPE = "text/plain; charset=utf-8"
#: Posts in a topic's first answer, and at most per ``/t/{id}/posts.json``.
CHUNK = 20

# (method, pattern) -> the OpenAPI path template it serves.
ROUTES = (
    ("GET", re.compile(r"^/t/(\d+)\.json$"), "/t/{id}.json"),
    ("GET", re.compile(r"^/t/(\d+)/posts\.json$"), "/t/{id}/posts.json"),
    ("GET", re.compile(r"^/posts/(\d+)\.json$"), "/posts/{id}.json"),
    ("PUT", re.compile(r"^/posts/(\d+)\.json$"), "/posts/{id}.json"),
    ("POST", re.compile(r"^/posts\.json$"), "/posts.json"),
)


@dataclass
class RequestRecord:
    """One request as the emulator saw and answered it."""

    method: str
    path: str
    query: list[tuple[str, str]]
    request_headers: dict[str, str]
    request_body: Any
    operation: str | None = None
    status: int = 0
    response_headers: dict[str, str] = field(default_factory=dict)
    response_body: Any = None
    """The parsed JSON, or the text of a text/plain answer."""


@dataclass
class _Limit:
    kind: str
    seconds: int
    times: int


class _Refusal(Exception):
    def __init__(self, status: int, body: dict[str, Any]) -> None:
        self.status = status
        self.body = body


Hook = Callable[[Forum, RequestRecord], None]


class DiscourseEmulator:
    """A running emulator: :attr:`forum` to set up and inspect, :attr:`log` of requests."""

    def __init__(self) -> None:
        self.forum = Forum()
        self.log: list[RequestRecord] = []
        self.crashes: list[str] = []
        self.check_responses = True
        self._limits: list[_Limit] = []
        self._hooks: list[tuple[str, str, Hook]] = []
        self._server: ThreadingHTTPServer | None = None
        self.url = ""

    @classmethod
    def start(cls) -> Self:
        emu = cls()
        handler = type("Handler", (_Handler,), {"emulator": emu})
        emu._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        emu._server.daemon_threads = True
        emu.url = f"http://127.0.0.1:{emu._server.server_address[1]}"
        threading.Thread(
            target=emu._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return emu

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    # ------------------------------------------------------------------ test controls

    def rate_limit(self, *, kind: str = "json", seconds: int = 5, times: int = 1) -> None:
        """Answer the next ``times`` requests 429: ``json`` as the application does (the wait in
        ``extras.wait_seconds``), ``text`` as the front end does (text/plain, ``Retry-After``)."""
        if kind not in ("json", "text"):
            raise ValueError(kind)
        self._limits.append(_Limit(kind, seconds, times))

    def after(self, method: str, operation: str, hook: Hook) -> None:
        """Run ``hook`` once, after the next ``method operation`` is answered (a human at work)."""
        self._hooks.append((method, operation, hook))

    def requests(self, method: str | None = None) -> list[RequestRecord]:
        return [r for r in self.log if method is None or r.method == method]

    # ------------------------------------------------------------------ handling

    def handle(self, record: RequestRecord) -> tuple[int, dict[str, str], bytes]:
        limit = next((lim for lim in self._limits if lim.times > 0), None)
        if limit is not None:
            limit.times -= 1
            return self._limited(record, limit)
        route = next(
            (
                (op, m)
                for meth, pat, op in ROUTES
                if meth == record.method and (m := pat.match(record.path))
            ),
            None,
        )
        with self.forum.lock:
            try:
                if route is None:
                    raise _Refusal(404, shapes.error(_NOT_FOUND, "not_found"))
                record.operation, match = route
                number = int(match.group(1)) if match.groups() else 0
                body = _ENDPOINTS[(record.method, record.operation)](self, record, number)
                status = 200
            except _Refusal as refusal:
                status, body = refusal.status, refusal.body
            record.status, record.response_body = status, body
            record.response_headers = {"Content-Type": JSON_TYPE}
            for hook in list(self._hooks):
                if (hook[0], hook[1]) == (record.method, record.operation):
                    self._hooks.remove(hook)
                    hook[2](self.forum, record)
        return status, record.response_headers, json.dumps(body).encode()

    def _limited(self, record: RequestRecord, limit: _Limit) -> tuple[int, dict[str, str], bytes]:
        record.status = 429
        if limit.kind == "text":
            text = (
                "Slow down, too many requests from this IP address. Please retry again in "
                f"{limit.seconds} seconds. Error code: ip_10_secs_limit.\n"
            )
            record.response_headers = {"Content-Type": TEXT_TYPE, "Retry-After": str(limit.seconds)}
            record.response_body = text
            return 429, record.response_headers, text.encode()
        body = shapes.error(
            "You’ve performed this action too many times. Please wait "
            f"{limit.seconds} seconds before trying again.",
            "rate_limit",
            wait_seconds=limit.seconds,
            time_left=f"{limit.seconds} seconds",
        )
        record.response_headers = {"Content-Type": JSON_TYPE}
        record.response_body = body
        return 429, record.response_headers, json.dumps(body).encode()

    # ------------------------------------------------------------------ the endpoints

    def _actor(self, record: RequestRecord) -> User | None:
        key = record.request_headers.get("api-key")
        if key is None:
            return None
        username = record.request_headers.get("api-username", "")
        if key not in self.forum.keys:
            raise _Refusal(403, shapes.error(_BAD_KEY, "invalid_access"))
        bound = self.forum.keys[key]
        if (bound is not None and bound != username) or username not in self.forum.users:
            raise _Refusal(403, shapes.error(_BAD_KEY, "invalid_access"))
        return self.forum.users[username]

    def _topic(self, record: RequestRecord, topic_id: int) -> Topic:
        actor = self._actor(record)
        topic = self.forum.topics.get(topic_id)
        if topic is None:
            raise _Refusal(404, shapes.error(_NOT_FOUND, "not_found"))
        if topic.private and actor is None:
            raise _Refusal(403, shapes.error(_NOT_PERMITTED, "invalid_access"))
        return topic

    def _post(self, record: RequestRecord, post_id: int) -> tuple[Post, Topic]:
        post = self.forum.posts.get(post_id)
        if post is None:
            raise _Refusal(404, shapes.error(_NOT_FOUND, "not_found"))
        return post, self._topic(record, post.topic_id)

    def get_topic(self, record: RequestRecord, topic_id: int) -> Any:
        topic = self._topic(record, topic_id)
        return shapes.topic(topic, topic.posts[:CHUNK])

    def get_posts(self, record: RequestRecord, topic_id: int) -> Any:
        topic = self._topic(record, topic_id)
        wanted = {int(v) for k, v in record.query if k == "post_ids[]" and v.isdigit()}
        chosen = [p for p in topic.posts if p.id in wanted][:CHUNK]
        return {
            "post_stream": {"posts": [shapes.in_topic(p, topic) for p in chosen]},
            "id": topic.id,
        }

    def get_post(self, record: RequestRecord, post_id: int) -> Any:
        post, topic = self._post(record, post_id)
        return shapes.post(post, topic, shapes.ALONE)

    def put_post(self, record: RequestRecord, post_id: int) -> Any:
        post, topic = self._post(record, post_id)
        actor = self._actor(record)
        if actor is None or not (actor.admin or actor.id == post.user.id):
            raise _Refusal(403, shapes.error(_NOT_PERMITTED, "invalid_access"))
        fields = (record.request_body or {}).get("post") or {}
        raw = fields.get("raw")
        if not isinstance(raw, str) or not raw.strip():
            raise _Refusal(422, shapes.error("Body can’t be blank", "invalid_parameters"))
        original = fields.get("original_text")
        if original is not None and original != post.raw:
            raise _Refusal(409, shapes.error(_CONFLICT, "edit_conflict"))
        self.forum.edit_post(post.id, raw.strip(), reason=fields.get("edit_reason"))
        return {"post": shapes.post(post, topic, shapes.WRITTEN)}

    def create_post(self, record: RequestRecord, _unused: int) -> Any:
        actor = self._actor(record)
        if actor is None:
            raise _Refusal(403, shapes.error(_NOT_PERMITTED, "invalid_access"))
        body = record.request_body or {}
        raw, topic_id = body.get("raw"), str(body.get("topic_id", ""))
        if not isinstance(raw, str) or not raw.strip():
            raise _Refusal(422, shapes.error("Body can’t be blank", "invalid_parameters"))
        if not topic_id.isdigit() or int(topic_id) not in self.forum.topics:
            raise _Refusal(404, shapes.error(_NOT_FOUND, "not_found"))
        topic = self._topic(record, int(topic_id))
        post = self.forum.add_post(topic.id, raw.strip(), user=actor.username)
        return shapes.post(post, topic, shapes.CREATED)


_ENDPOINTS: dict[tuple[str, str], Callable[[DiscourseEmulator, RequestRecord, int], Any]] = {
    ("GET", "/t/{id}.json"): DiscourseEmulator.get_topic,
    ("GET", "/t/{id}/posts.json"): DiscourseEmulator.get_posts,
    ("GET", "/posts/{id}.json"): DiscourseEmulator.get_post,
    ("PUT", "/posts/{id}.json"): DiscourseEmulator.put_post,
    ("POST", "/posts.json"): DiscourseEmulator.create_post,
}
_NOT_FOUND = "The requested URL or resource could not be found."
_NOT_PERMITTED = "You are not permitted to view the requested resource."
_BAD_KEY = _NOT_PERMITTED + " The API username or key is invalid."
_CONFLICT = "This post was edited by another user and your changes can no longer be saved."


def _form(text: str) -> dict[str, Any]:
    """Form fields, ``post[raw]`` nested as Rails reads it."""
    data: dict[str, Any] = {}
    for key, value in parse_qsl(text, keep_blank_values=True):
        outer, bracket, inner = key.partition("[")
        if bracket and inner.endswith("]"):
            data.setdefault(outer, {})[inner[:-1]] = value
        else:
            data[key] = value
    return data


class _Handler(BaseHTTPRequestHandler):
    emulator: DiscourseEmulator
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode() if length else ""
        kind = self.headers.get("Content-Type", "")
        body: Any = None
        if raw:
            body = json.loads(raw) if "json" in kind else _form(raw)
        record = RequestRecord(
            self.command,
            parts.path,
            parse_qsl(parts.query, keep_blank_values=True),
            {k.lower(): v for k, v in self.headers.items()},
            body,
        )
        self.emulator.log.append(record)
        try:
            status, headers, payload = self.emulator.handle(record)
        except Exception as exc:  # noqa: BLE001 - reported by the fixture, never hidden
            self.emulator.crashes.append(f"{self.command} {self.path}: {exc!r}")
            status, headers, payload = 500, {"Content-Type": TEXT_TYPE}, b"emulator crashed"
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_PUT = do_POST = _serve
