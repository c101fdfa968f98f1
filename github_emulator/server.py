"""The HTTP side: a threaded stdlib server that speaks GitHub's REST dialect.

It adds what every GitHub response carries (rate-limit headers, ETag, JSON
content type), authenticates tokens, counts rate limits on the emulator's
clock, records each request, and injects scheduled faults (``faults``).
Endpoint logic lives in ``endpoints/``, shapes in ``shapes``.

Every request is handled in its own thread; the state is changed under one
lock (``World.lock``), so concurrent clients see GitHub's atomic creates. Only
an injected delay waits outside the lock, so other requests go on meanwhile.
"""

from __future__ import annotations

import hashlib
import json
import re
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qsl, urlencode, urlsplit

from . import endpoints  # noqa: F401  (registers the routes)
from .api import Reply, Request, Route, resolve
from .clock import Clock
from .errors import ApiError, bad_credentials, moved, not_found
from .faults import (
    CONTENT_CREATION_LIMIT,
    GARBAGE_KINDS,
    HTML_PAGE,
    REDIRECT_DOCS,
    SECONDARY_RATE_LIMIT,
    Fault,
    Schedule,
    reshaped,
    truncated,
)
from .shapes import Urls
from .state import ContentLimit, Issue, Repo, Token, TokenKind, World, now, use_clock

WRITE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})
JSON_TYPE = "application/json; charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"
RATE_DOCS = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"
# Content-creating requests, counted by the secondary content-creation limit (ContentLimit)
# and matched by faults with creates_only=True.
CREATE_OPERATIONS = frozenset(
    {
        ("POST", "/repos/{owner}/{repo}/issues"),
        ("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments"),
        ("POST", "/repos/{owner}/{repo}/labels"),
        ("POST", "/repos/{owner}/{repo}/milestones"),
    }
)
_REPOSITORY_ALIAS = re.compile(r"^/repositories/(\d+)(/.*)?$")

__all__ = [
    "CONTENT_CREATION_LIMIT",
    "CREATE_OPERATIONS",
    "SECONDARY_RATE_LIMIT",
    "WRITE_METHODS",
    "Fault",
    "GitHubEmulator",
    "RequestRecord",
]


@dataclass
class RequestRecord:
    """One HTTP request as the emulator saw and answered it (retries are records of their own)."""

    method: str
    path: str  # without the query string
    query: dict[str, str]  # the decoded query parameters
    status: int | None  # None when a fault dropped the connection without an answer
    operation: str | None = None  # the OpenAPI path template that served it, if any
    request_headers: dict[str, str] = field(default_factory=dict)
    request_body: Any = None
    response_headers: list[tuple[str, str]] = field(default_factory=list)
    response_body: Any = None  # the parsed JSON (the raw text for garbage), None for 204/304
    # The fault that hit it: "error", "applied-error", "dropped", "primary-rate-limit",
    # "secondary-rate-limit", "html", "truncated", "wrong-shape", "redirect", "delay".
    fault: str | None = None

    @property
    def is_write(self) -> bool:
        return self.method in WRITE_METHODS

    def header(self, name: str) -> str | None:
        """A response header's value, case-insensitively (the first, if repeated)."""
        wanted = name.lower()
        return next((v for k, v in self.response_headers if k.lower() == wanted), None)


@dataclass
class _Answer:
    """What goes on the wire: status, headers and bytes (JSON unless a fault says otherwise)."""

    status: int
    headers: list[tuple[str, str]]
    payload: bytes
    drop: bool = False


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # keep-alive clients may hold a handler thread open; don't wait
    request_queue_size = 128  # the default 5 drops connections of a burst (retried after 1 s)

    def __init__(self, address: tuple[str, int], emulator: GitHubEmulator, prefix: str) -> None:
        self.emulator = emulator
        self.prefix = prefix  # the API's path prefix on this listener ("" or e.g. "/api/v3")
        self.open_sockets: set[socket.socket] = set()
        self.sockets_lock = threading.Lock()
        super().__init__(address, _Handler)

    def cut_connections(self) -> None:
        with self.sockets_lock:
            for sock in list(self.open_sockets):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as PyGithub's connection pool expects
    disable_nagle_algorithm = True  # without it each keep-alive request waits ~40 ms
    server: _Server

    def setup(self) -> None:
        super().setup()
        with self.server.sockets_lock:
            self.server.open_sockets.add(self.connection)

    def finish(self) -> None:
        with self.server.sockets_lock:
            self.server.open_sockets.discard(self.connection)
        try:
            super().finish()
        except OSError:
            pass  # the connection was dropped on purpose (fault injection or stop)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the request log is the record, not stderr."""

    def do_GET(self) -> None:
        self.server.emulator._serve(self)

    do_POST = do_PATCH = do_PUT = do_DELETE = do_GET


class GitHubEmulator:
    """A running emulator: the URL to give PyGithub, tokens, state, the request log, faults."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        web_url: str = "https://github.com",
        api_prefix: str = "",
        default_login: str | None = None,
    ) -> None:
        """``default_login``: unknown tokens act as this user instead of being refused (standalone)."""
        self.world = World()
        self.web_url = web_url.rstrip("/")
        self.api_prefix = api_prefix.rstrip("/")
        self.default_login = default_login
        self._host = host
        self.log: list[RequestRecord] = []
        # The pytest fixture validates the log against GitHub's description when this is set.
        self.check_responses = True
        # Unexpected exceptions in the emulator itself (answered 500); the fixture fails on any.
        self.crashes: list[str] = []
        self._faults = Schedule()
        self._delays = Schedule()
        self._server = _Server((host, port), self, self.api_prefix)
        self._mirror: _Server | None = None
        self._threads: list[threading.Thread] = []
        self._serve_in_thread(self._server)

    @classmethod
    def start(cls, **options: Any) -> GitHubEmulator:
        emulator = cls(**options)
        for thread in emulator._threads:
            if not thread.is_alive():
                thread.start()
        return emulator

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop serving and cut idle keep-alive connections so no thread lingers."""
        for server, thread in zip(self._servers(), self._threads, strict=True):
            if thread.is_alive():
                server.shutdown()
            server.server_close()
            server.cut_connections()

    def _servers(self) -> list[_Server]:
        return [self._server] + ([self._mirror] if self._mirror is not None else [])

    def _serve_in_thread(self, server: _Server) -> threading.Thread:
        thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self._threads.append(thread)
        return thread

    # -- set-up -------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://{self._host}:{self._server.server_port}{self.api_prefix}"

    @property
    def clock(self) -> Clock:
        """The emulator's time: ``freeze()``, ``advance(seconds)``, ``set(datetime)``."""
        return self.world.clock

    def mirror_url(self, prefix: str = "/moved") -> str:
        """The same GitHub on a second port under ``prefix``: where ``redirect_next`` points.

        Started on first use; it serves the same state and log as ``url``.
        """
        with self.world.lock:
            if self._mirror is None:
                self._mirror = _Server((self._host, 0), self, prefix.rstrip("/"))
                self._serve_in_thread(self._mirror).start()
        return f"http://{self._host}:{self._mirror.server_port}{self._mirror.prefix}"

    def add_repo(
        self, full_name: str, *, collaborators: list[str] | None = None, private: bool = False
    ) -> Repo:
        """A new repository with GitHub's default labels; its owner may push implicitly."""
        return self.world.add_repo(full_name, collaborators=collaborators, private=private)

    def repo(self, full_name: str) -> Repo:
        """The state of a repository, for assertions."""
        found = self.world.find_repo(full_name)
        if found is None:
            raise KeyError(full_name)
        return found

    def add_pull_request(
        self,
        repo: str,
        title: str,
        *,
        user: str | None = None,
        body: str | None = None,
        state: str = "open",
    ) -> Issue:
        """A pull request by ``user`` (default: the owner); it appears in the issue listing."""
        return self.world.add_pull_request(repo, title, user=user, body=body, state=state)

    def delete_issue(self, repo: str, number: int) -> Issue:
        """Delete an issue (github.com only): its endpoints answer 410, the listing drops it."""
        return self.world.delete_issue(repo, number)

    def transfer_issue(self, repo: str, number: int, to: str) -> Issue:
        """Transfer an issue to repository ``to``: the old number answers 301 to the new one."""
        return self.world.transfer_issue(repo, number, to)

    def user_token(self, login: str, *, value: str | None = None, limit: int | None = None) -> str:
        """A personal access token acting as ``login`` (created if missing); ``limit``/hour (5,000)."""
        self.world.user(login)
        return self.world.new_token(TokenKind.USER, login, value=value, limit=limit).value

    def read_only_token(self, login: str) -> str:
        """A token that can read but whose writes get 403 (a token without issues:write)."""
        self.world.user(login)
        return self.world.new_token(TokenKind.USER, login, read_only=True).value

    def installation_token(self, repo: str, *, limit: int | None = None) -> str:
        """Actions' GITHUB_TOKEN for ``repo``: acts as github-actions[bot], ``limit``/hour (1,000)."""
        return self.world.new_token(TokenKind.INSTALLATION, "", repo=repo, limit=limit).value

    def token(self, value: str) -> Token:
        """A token's state (rate-limit budget and all), e.g. to exhaust it in a test."""
        return self.world.tokens[value]

    # -- rate limits --------------------------------------------------------------------------

    def exhaust_rate_limit(self, token: str, *, reset_in: float = 3600) -> Token:
        """Spend the token's primary budget: every request gets 403 until ``reset_in`` seconds on.

        Move ``emu.clock`` past the reset (``advance(reset_in)``) to renew it without waiting.
        """
        with self.world.lock:
            state = self.world.tokens[token]
            state.used = state.limit
            state.reset = self.clock.now() + timedelta(seconds=reset_in)
            return state

    def limit_content_creation(
        self,
        *,
        per_minute: int | None = 80,
        per_hour: int | None = 500,
        status: int = 403,
        retry_after: bool | int = False,
    ) -> ContentLimit:
        """GitHub's secondary limit on content creation, counted per token on ``emu.clock``.

        Creates (POST of an issue, comment, label or milestone) past ``per_minute`` in the last
        minute or ``per_hour`` in the last hour get ``status`` (403 or 429) with GitHub's
        content-creation message; ``Retry-After`` only if ``retry_after`` (``True``: seconds
        until a slot frees). Off by default; ``per_minute=None, per_hour=None`` turns it off.
        """
        with self.world.lock:
            self.world.content_limit = ContentLimit(per_minute, per_hour, status, retry_after)
            return self.world.content_limit

    # -- faults -------------------------------------------------------------------------------

    def schedule(self, fault: Fault) -> Fault:
        """Add a fault built by hand (see ``faults.Fault``); the helpers below build them."""
        (self._delays if fault.kind == "delay" else self._faults).add(fault)
        return fault

    def fail_next(
        self,
        method: str | None = None,
        path_regex: str | None = None,
        *,
        status: int = 502,
        apply: bool = False,
        drop: bool = False,
        times: int | None = 1,
        message: str = "Server Error",
        headers: dict[str, str] | None = None,
        after: int = 0,
        token: str | None = None,
        creates_only: bool = False,
        errors: list[dict[str, Any]] | None = None,
    ) -> Fault:
        """Fail the next ``times`` requests matching ``method`` and ``path_regex``.

        ``apply=True`` performs the request on the state before failing (the client loses
        the response); ``drop=True`` closes the connection without answering. ``after`` lets
        that many matching requests through first; ``token`` and ``creates_only`` narrow the
        match; ``times=None`` fails every matching request until ``clear_faults()``.
        ``errors`` is a 422's list of what is wrong (``[{"resource", "code", "field"}]``).
        """
        return self.schedule(
            Fault(
                method,
                path_regex,
                status,
                apply,
                drop,
                times,
                message,
                dict(headers or {}),
                after=after,
                token=token,
                creates_only=creates_only,
                errors=errors,
            )
        )

    def rate_limit_next(
        self,
        kind: str = "secondary",
        method: str | None = None,
        path_regex: str | None = None,
        *,
        status: int = 403,
        retry_after: int | None = None,
        reset_in: int = 3600,
        message: str | None = None,
        times: int | None = 1,
        after: int = 0,
        token: str | None = None,
        creates_only: bool = False,
    ) -> Fault:
        """Refuse matching requests with a ``"primary"`` or ``"secondary"`` rate limit.

        Primary: GitHub's "API rate limit exceeded for …" with ``x-ratelimit-remaining: 0``
        and ``x-ratelimit-reset`` ``reset_in`` seconds ahead (3600: an hour). Secondary:
        ``SECONDARY_RATE_LIMIT`` (or ``message``, e.g. ``CONTENT_CREATION_LIMIT``) with the
        token's real budget in the headers. ``status`` 403 or 429; ``Retry-After`` only when
        ``retry_after`` is given. Nothing is performed, but the request is counted.
        """
        if kind not in ("primary", "secondary"):
            raise ValueError("kind must be 'primary' or 'secondary'")
        return self.schedule(
            Fault(
                method,
                path_regex,
                status,
                times=times,
                message=message or "",
                after=after,
                token=token,
                creates_only=creates_only,
                kind=kind,
                retry_after=retry_after,
                reset_in=reset_in,
            )
        )

    def garbage_next(
        self,
        kind: str,
        method: str | None = None,
        path_regex: str | None = None,
        *,
        status: int | None = None,
        body: Any = None,
        apply: bool = False,
        times: int | None = 1,
        after: int = 0,
        token: str | None = None,
        creates_only: bool = False,
    ) -> Fault:
        """Answer matching requests with something that is not GitHub's JSON.

        ``"html"``: an HTML page with ``status`` (default 502; 200 is a captive portal or
        proxy), no GitHub headers; the request is performed only with ``apply=True``.
        ``"truncated"``: the real answer cut in half (valid HTTP, invalid JSON).
        ``"wrong-shape"``: valid JSON of the wrong shape (``body``, or a list for an object
        and an object for a list). The last two perform the request, keeping its status
        unless ``status`` is given.
        """
        if kind not in GARBAGE_KINDS:
            raise ValueError(f"kind must be one of {sorted(GARBAGE_KINDS)}")
        if status is None:
            status = 502 if kind == "html" else 0  # 0: keep the real answer's status
        return self.schedule(
            Fault(
                method,
                path_regex,
                status,
                apply=apply or kind != "html",
                times=times,
                after=after,
                token=token,
                creates_only=creates_only,
                kind=kind,
                body=body,
            )
        )

    def redirect_next(
        self,
        method: str | None = None,
        path_regex: str | None = None,
        *,
        to: str | None = None,
        status: int = 307,
        times: int | None = 1,
        after: int = 0,
        token: str | None = None,
    ) -> Fault:
        """Redirect matching requests to the same path (and query) under the base URL ``to``.

        ``to`` defaults to ``mirror_url()``: this emulator on another port and prefix, so a
        client that follows the redirect finds the same state there. The answer is GitHub's
        recorded redirect: ``Location`` and ``{"message": "Moved Permanently", "url", …}``.
        """
        target = (to or self.mirror_url()).rstrip("/")
        return self.schedule(
            Fault(
                method,
                path_regex,
                status,
                times=times,
                after=after,
                token=token,
                kind="redirect",
                location=target,
            )
        )

    def delay(
        self,
        seconds: float,
        method: str | None = None,
        path_regex: str | None = None,
        *,
        apply_first: bool = False,
        times: int | None = None,
        after: int = 0,
        token: str | None = None,
        creates_only: bool = False,
    ) -> Fault:
        """Hold matching requests ``seconds`` before performing them (after, with
        ``apply_first=True``); other requests are served meanwhile, so races reproduce.

        ``emu.delay(0.2, creates_only=True)``: slow creates. ``times=None`` (the default)
        slows every matching request until ``clear_faults()``.
        """
        return self.schedule(
            Fault(
                method,
                path_regex,
                times=times,
                apply=apply_first,
                after=after,
                token=token,
                creates_only=creates_only,
                kind="delay",
                delay=seconds,
            )
        )

    def pending_faults(self) -> list[Fault]:
        """The faults and delays not spent yet."""
        return self._faults.pending() + self._delays.pending()

    def clear_faults(self) -> None:
        """Cancel every scheduled fault and delay."""
        self._faults.clear()
        self._delays.clear()

    # -- the request log ----------------------------------------------------------------------

    def reads(self) -> int:
        return sum(1 for r in self.log if not r.is_write)

    def writes(self) -> int:
        return sum(1 for r in self.log if r.is_write)

    def clear_log(self) -> None:
        with self.world.lock:
            self.log.clear()

    def requests(
        self, method: str | None = None, path_regex: str | None = None
    ) -> Iterator[RequestRecord]:
        """The logged requests matching a method and a path pattern."""
        for record in list(self.log):
            if method is not None and record.method != method.upper():
                continue
            if path_regex is not None and not re.search(path_regex, record.path):
                continue
            yield record

    # -- serving ------------------------------------------------------------------------------

    def _serve(self, handler: _Handler) -> None:
        server = handler.server
        method = handler.command
        split = urlsplit(handler.path)
        query = dict(parse_qsl(split.query, keep_blank_values=True))
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        request_headers = {k: v for k, v in handler.headers.items()}
        record = RequestRecord(method, split.path, query, None, request_headers=request_headers)
        host = handler.headers.get("Host") or f"{self._host}:{server.server_port}"
        urls = Urls(api=f"http://{host}{server.prefix}", web=self.web_url)
        token_value = _token_value(handler.headers.get("Authorization"))

        with self.world.lock, use_clock(self.world.clock):
            api_path, route, params = self._route(method, split.path, server.prefix)
            is_create = route is not None and (method, route.template) in CREATE_OPERATIONS
            held = self._delays.take(method, split.path, token_value, is_create)
        if held is not None and not held.apply:
            time.sleep(held.delay)  # outside the lock: other requests are served meanwhile

        with self.world.lock, use_clock(self.world.clock):
            try:
                answer = self._answer(
                    method, api_path, route, params, query, raw, handler, urls, record
                )
            except Exception as crash:  # noqa: BLE001  (an emulator bug: answer 500, fail the test)
                self.crashes.append(f"{method} {split.path}: {crash!r}")
                body = ApiError(500, f"emulator crashed: {crash!r}").body()
                payload = _dump(body)
                answer = _Answer(
                    500,
                    [("Content-Type", JSON_TYPE), ("Content-Length", str(len(payload)))],
                    payload,
                )
                record.fault = "crash"
            if held is not None:
                record.fault = record.fault or "delay"
            record.status = None if answer.drop else answer.status
            record.response_headers = [] if answer.drop else answer.headers
            record.response_body = _logged_body(answer, record.fault)
            self.log.append(record)

        if held is not None and held.apply:
            time.sleep(held.delay)
        if answer.drop:
            handler.close_connection = True
            try:
                handler.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        handler.send_response(answer.status)
        for name, value in answer.headers:
            handler.send_header(name, value)
        handler.end_headers()
        if answer.payload:
            handler.wfile.write(answer.payload)

    def _route(
        self, method: str, path: str, prefix: str
    ) -> tuple[str | None, Route | None, dict[str, str]]:
        """The path below the API prefix, and the route serving it (None: GitHub's 404).

        ``/repositories/{id}/…`` is GitHub's alias of ``/repos/{owner}/{repo}/…``, where
        redirects for transferred issues point.
        """
        if prefix:
            if not path.startswith(prefix + "/"):
                return None, None, {}
            path = path[len(prefix) :]
        alias = _REPOSITORY_ALIAS.match(path)
        if alias:
            repo = self.world.find_repo_by_id(int(alias.group(1)))
            if repo is None:
                return path, None, {}
            path = f"/repos/{repo.owner}/{repo.name}{alias.group(2) or ''}"
        try:
            route, params = resolve(method, path)
        except ApiError:
            return path, None, {}
        return path, route, params

    def _answer(
        self,
        method: str,
        path: str | None,
        route: Route | None,
        params: dict[str, str],
        query: dict[str, str],
        raw: bytes,
        handler: _Handler,
        urls: Urls,
        record: RequestRecord,
    ) -> _Answer:
        """Authenticate, charge the budgets, run the endpoint, and let a scheduled fault in."""
        token: Token = self.world.anonymous
        rate: _Rate | None = None
        fault: Fault | None = None
        reply = Reply(500)  # always replaced below; an error fault overrides what was run
        try:
            try:
                body = json.loads(raw) if raw.strip() else None
            except ValueError:
                raise ApiError(400, "Problems parsing JSON") from None
            record.request_body = body
            token = self._authenticate(handler.headers.get("Authorization"))
            moment = now()
            counted = path != "/rate_limit"  # GitHub does not charge for asking about the limit
            token.renew_if_due(moment)
            if counted and token.remaining <= 0:
                raise _rate_limited(token, self.world)
            if counted:
                token.used += 1
            if route is None or path is None:
                raise not_found()
            record.operation = route.template
            is_create = (method, route.template) in CREATE_OPERATIONS
            fault = self._faults.take(method, record.path, token.value or None, is_create)
            if fault is not None:
                record.fault = fault.label
            if fault is None or fault.apply:
                reply = self._content_checked(token, is_create, moment) or self._run(
                    method, path, route, params, query, body, token, urls
                )
                if is_create and reply.status == 201:
                    token.creates.append(moment)
            if fault is not None and fault.kind in ("primary", "secondary", "redirect"):
                below = record.path[len(handler.server.prefix) :]  # as sent, alias and all
                reply, rate = self._fault_reply(fault, token, below, query)
        except ApiError as error:
            reply = _error_reply(error)
        if fault is not None and fault.kind == "error":
            if fault.drop:
                return _Answer(0, [], b"", drop=True)
            reply = _error_reply(
                ApiError(fault.status, fault.message, errors=fault.errors, headers=fault.headers)
            )
        if fault is not None and fault.kind == "html":
            payload = HTML_PAGE.encode()
            headers = [("Content-Type", HTML_TYPE), ("Content-Length", str(len(payload)))]
            return _Answer(fault.status, headers, payload)
        if fault is not None and fault.kind == "wrong-shape":
            shape = fault.body if fault.body is not None else reshaped(reply.body)
            reply = Reply(fault.status or reply.status, shape, reply.headers)
        answer = self._finish(method, reply, token, handler, rate)
        if fault is not None and fault.kind == "truncated" and answer.payload:
            answer.payload = truncated(answer.payload)
            answer.status = fault.status or answer.status
            answer.headers = [
                (k, str(len(answer.payload)) if k == "Content-Length" else v)
                for k, v in answer.headers
            ]
        return answer

    def _run(
        self,
        method: str,
        path: str,
        route: Route,
        params: dict[str, str],
        query: dict[str, str],
        body: Any,
        token: Token,
        urls: Urls,
    ) -> Reply:
        request = Request(method, path, query, body, token, urls, params)
        try:
            return route.handler(self.world, request)
        except ApiError as error:
            return _error_reply(error)

    def _content_checked(self, token: Token, is_create: bool, moment: datetime) -> Reply | None:
        """The secondary content-creation refusal, when a create is over the budget."""
        limit = self.world.content_limit
        if not is_create or (limit.per_minute is None and limit.per_hour is None):
            return None
        wait = limit.wait(token.creates, moment)
        if wait is None:
            return None
        headers: dict[str, str] = {}
        if limit.retry_after is True:
            headers["Retry-After"] = str(wait)
        elif limit.retry_after is not False:
            headers["Retry-After"] = str(limit.retry_after)
        return _error_reply(
            ApiError(
                limit.status, CONTENT_CREATION_LIMIT, documentation_url=RATE_DOCS, headers=headers
            )
        )

    def _fault_reply(
        self, fault: Fault, token: Token, path: str, query: dict[str, str]
    ) -> tuple[Reply, _Rate | None]:
        """The answer of a fault that does not perform the request."""
        headers = dict(fault.headers)
        if fault.retry_after is not None:
            headers["Retry-After"] = str(fault.retry_after)
        if fault.kind == "primary":
            error = _rate_limited(token, self.world, status=fault.status)
            error.headers.update(headers)
            reset = int((now() + timedelta(seconds=fault.reset_in)).timestamp())
            return _error_reply(error), _Rate(token.limit, 0, reset, token.limit)
        if fault.kind == "secondary":
            error = ApiError(
                fault.status,
                fault.message or SECONDARY_RATE_LIMIT,
                documentation_url=RATE_DOCS,
                headers=headers,
            )
            return _error_reply(error), None
        if fault.kind == "redirect":
            location = f"{fault.location}{path}"
            if query:
                location += "?" + urlencode(query)
            error = moved(location, fault.status)
            error.documentation_url = REDIRECT_DOCS
            return _error_reply(error), None
        raise AssertionError(f"not a refusal: {fault.kind}")

    def _authenticate(self, authorization: str | None) -> Token:
        if not authorization:
            return self.world.anonymous
        scheme, _, value = authorization.strip().partition(" ")
        value = value.strip()
        if scheme.lower() not in ("token", "bearer") or not value:
            raise bad_credentials()
        found = self.world.tokens.get(value)
        if found is None and self.default_login is not None:
            found = self.world.new_token(TokenKind.USER, self.default_login, value=value)
        if found is None:
            raise bad_credentials()
        return found

    def _finish(
        self, method: str, reply: Reply, token: Token, handler: _Handler, rate: _Rate | None
    ) -> _Answer:
        """Serialise the reply and add the headers every GitHub response carries."""
        payload = b"" if reply.body is None and reply.status in (204, 304) else _dump(reply.body)
        headers: list[tuple[str, str]] = []
        status = reply.status
        if payload and status < 300:
            etag = 'W/"' + hashlib.sha256(payload).hexdigest() + '"'
            wanted = handler.headers.get("If-None-Match")
            if method == "GET" and wanted and _etag_matches(wanted, etag):
                status, payload = 304, b""
                token.used = max(token.used - 1, 0)  # a 304 does not count against the limit
            headers.append(("ETag", etag))
            headers.append(("Cache-Control", "private, max-age=60, s-maxage=60"))
            headers.append(("Vary", "Accept, Authorization, Cookie, X-GitHub-OTP"))
        if payload:
            headers.append(("Content-Type", JSON_TYPE))
        headers.append(("Content-Length", str(len(payload))))
        for name, value in reply.headers.items():
            headers.append((name, value))
        if token.kind is TokenKind.USER:
            headers.append(("X-OAuth-Scopes", "" if token.read_only else "repo"))
            headers.append(("X-Accepted-OAuth-Scopes", "repo"))
        if rate is None:
            reset = int(token.reset.timestamp())
            rate = _Rate(token.limit, token.remaining, reset, min(token.used, token.limit))
        headers += [
            ("X-GitHub-Media-Type", "github.v3; format=json"),
            ("X-GitHub-Api-Version-Selected", "2022-11-28"),
            ("X-RateLimit-Limit", str(rate.limit)),
            ("X-RateLimit-Remaining", str(rate.remaining)),
            ("X-RateLimit-Reset", str(rate.reset)),
            ("X-RateLimit-Used", str(rate.used)),
            ("X-RateLimit-Resource", "core"),
            ("Access-Control-Allow-Origin", "*"),
            ("X-Content-Type-Options", "nosniff"),
            ("X-GitHub-Request-Id", uuid.uuid4().hex[:20].upper()),
        ]
        return _Answer(status, headers, payload)


@dataclass(frozen=True)
class _Rate:
    """The x-ratelimit-* values a response reports."""

    limit: int
    remaining: int
    reset: int  # epoch seconds
    used: int


def _token_value(authorization: str | None) -> str | None:
    """The token in an Authorization header (for matching faults), without checking it."""
    if not authorization:
        return None
    _, _, value = authorization.strip().partition(" ")
    return value.strip() or None


def _logged_body(answer: _Answer, fault: str | None) -> Any:
    if answer.drop or not answer.payload:
        return None
    if fault in GARBAGE_KINDS and fault != "wrong-shape":
        return answer.payload.decode("utf-8", errors="replace")
    return json.loads(answer.payload)


def _dump(body: Any) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode()


def _etag_matches(if_none_match: str, etag: str) -> bool:
    def bare(tag: str) -> str:
        return tag.strip().removeprefix("W/")

    return any(bare(t) == bare(etag) or t.strip() == "*" for t in if_none_match.split(","))


def _error_reply(error: ApiError) -> Reply:
    return Reply(error.status, error.body(), dict(error.headers))


def _rate_limited(token: Token, world: World, *, status: int = 403) -> ApiError:
    """GitHub's exact wording: PyGithub recognises a primary rate limit by this message."""
    if token.kind is TokenKind.ANONYMOUS:
        message = (
            "API rate limit exceeded for 127.0.0.1. (But here's the good news: Authenticated "
            "requests get a higher rate limit. Check out the documentation for more details.)"
        )
    else:
        who = (
            "installation ID 1"
            if token.kind is TokenKind.INSTALLATION
            else f"user ID {world.user(token.login).id}"
        )
        message = (
            f"API rate limit exceeded for {who}. If you reach out to GitHub Support for help, "
            "please include the request ID."
        )
    return ApiError(status, message, documentation_url=RATE_DOCS)
