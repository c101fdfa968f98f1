"""The HTTP side: a threaded stdlib server that speaks GitHub's REST dialect.

It adds what every GitHub response carries (rate-limit headers, ETag, JSON
content type), authenticates tokens, counts rate limits, records each request,
and injects faults. Endpoint logic lives in ``endpoints/``, shapes in ``shapes``.
"""

from __future__ import annotations

import hashlib
import json
import re
import socket
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qsl, urlsplit

from . import endpoints  # noqa: F401  (registers the routes)
from .api import Reply, Request, resolve
from .errors import ApiError, bad_credentials
from .shapes import Urls
from .state import Repo, Token, TokenKind, World, now

WRITE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})
JSON_TYPE = "application/json; charset=utf-8"
RATE_DOCS = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"
# GitHub's words for a secondary rate limit; PyGithub recognises it by this text. Use with
# fail_next(status=403, message=SECONDARY_RATE_LIMIT, headers={"Retry-After": "0"}).
SECONDARY_RATE_LIMIT = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. "
    "If you reach out to GitHub Support for help, please include the request ID."
)


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
    response_body: Any = None  # the parsed JSON, or None for 204/304/dropped
    fault: str | None = None  # "error", "applied-error" or "dropped" when injected

    @property
    def is_write(self) -> bool:
        return self.method in WRITE_METHODS

    def header(self, name: str) -> str | None:
        """A response header's value, case-insensitively (the first, if repeated)."""
        wanted = name.lower()
        return next((v for k, v in self.response_headers if k.lower() == wanted), None)


@dataclass
class Fault:
    """An injected failure for the next matching request(s).

    ``apply`` performs the request on the state first (a lost response);
    ``drop`` closes the connection without any answer instead of sending ``status``.
    """

    method: str | None = None
    path_regex: str | None = None
    status: int = 502
    apply: bool = False
    drop: bool = False
    times: int = 1
    message: str = "Server Error"
    headers: dict[str, str] = field(default_factory=dict)

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method.upper() != method:
            return False
        return self.path_regex is None or re.search(self.path_regex, path) is not None


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # keep-alive clients may hold a handler thread open; don't wait

    def __init__(self, address: tuple[str, int], emulator: GitHubEmulator) -> None:
        self.emulator = emulator
        self.open_sockets: set[socket.socket] = set()
        self.sockets_lock = threading.Lock()
        super().__init__(address, _Handler)


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
        self._faults: list[Fault] = []
        self._server = _Server((host, port), self)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    @classmethod
    def start(cls, **options: Any) -> GitHubEmulator:
        emulator = cls(**options)
        emulator._thread.start()
        return emulator

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop serving and cut idle keep-alive connections so no thread lingers."""
        if self._thread.is_alive():
            self._server.shutdown()
        self._server.server_close()
        with self._server.sockets_lock:
            for sock in list(self._server.open_sockets):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    # -- set-up -------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://{self._host}:{self._server.server_port}{self.api_prefix}"

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

    def user_token(self, login: str, *, value: str | None = None) -> str:
        """A personal access token acting as ``login`` (the user is created if missing)."""
        self.world.user(login)
        return self.world.new_token(TokenKind.USER, login, value=value).value

    def read_only_token(self, login: str) -> str:
        """A token that can read but whose writes get 403 (a token without issues:write)."""
        self.world.user(login)
        return self.world.new_token(TokenKind.USER, login, read_only=True).value

    def installation_token(self, repo: str) -> str:
        """Actions' GITHUB_TOKEN for ``repo``: acts as github-actions[bot], 1,000 requests/hour."""
        return self.world.new_token(TokenKind.INSTALLATION, "", repo=repo).value

    def token(self, value: str) -> Token:
        """A token's state (rate-limit budget and all), e.g. to exhaust it in a test."""
        return self.world.tokens[value]

    def fail_next(
        self,
        method: str | None = None,
        path_regex: str | None = None,
        *,
        status: int = 502,
        apply: bool = False,
        drop: bool = False,
        times: int = 1,
        message: str = "Server Error",
        headers: dict[str, str] | None = None,
    ) -> Fault:
        """Fail the next ``times`` requests matching ``method`` and ``path_regex``.

        ``apply=True`` performs the request on the state before failing (the client loses
        the response); ``drop=True`` closes the connection without answering.
        """
        fault = Fault(method, path_regex, status, apply, drop, times, message, dict(headers or {}))
        with self.world.lock:
            self._faults.append(fault)
        return fault

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
        method = handler.command
        split = urlsplit(handler.path)
        query = dict(parse_qsl(split.query, keep_blank_values=True))
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        request_headers = {k: v for k, v in handler.headers.items()}
        record = RequestRecord(method, split.path, query, None, request_headers=request_headers)
        host = handler.headers.get("Host") or f"{self._host}:{self._server.server_port}"
        urls = Urls(api=f"http://{host}{self.api_prefix}", web=self.web_url)

        with self.world.lock:
            token: Token = self.world.anonymous
            fault: Fault | None = None
            try:
                body = json.loads(raw) if raw.strip() else None
            except ValueError:
                body = None
                reply = _error_reply(ApiError(400, "Problems parsing JSON"))
            else:
                try:
                    token = self._authenticate(handler.headers.get("Authorization"))
                    fault = self._take_fault(method, split.path)
                    reply = self._dispatch(
                        method, split.path, query, body, token, urls, fault, record
                    )
                except ApiError as error:
                    reply = _error_reply(error)
            record.request_body = body
            if fault is not None and fault.drop:
                record.fault = "dropped"
                self.log.append(record)
                handler.close_connection = True
                try:
                    handler.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                return
            if fault is not None:
                record.fault = "applied-error" if fault.apply else "error"
                reply = _error_reply(ApiError(fault.status, fault.message, headers=fault.headers))
            payload, headers = self._finish(method, reply, token, handler, urls)
            record.status = reply.status
            record.response_headers = headers
            record.response_body = json.loads(payload) if payload else None
            self.log.append(record)

        handler.send_response(reply.status)
        for name, value in headers:
            handler.send_header(name, value)
        handler.end_headers()
        if payload:
            handler.wfile.write(payload)

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

    def _take_fault(self, method: str, path: str) -> Fault | None:
        for fault in self._faults:
            if fault.matches(method, path):
                fault.times -= 1
                if fault.times <= 0:
                    self._faults.remove(fault)
                return fault
        return None

    def _dispatch(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        body: Any,
        token: Token,
        urls: Urls,
        fault: Fault | None,
        record: RequestRecord,
    ) -> Reply:
        if self.api_prefix:
            if not path.startswith(self.api_prefix + "/"):
                raise ApiError(404, "Not Found")
            path = path[len(self.api_prefix) :]
        counted = path != "/rate_limit"  # GitHub does not charge for asking about the limit
        if now() >= token.reset:  # a new hour, a new budget
            token.used, token.reset = 0, now() + timedelta(hours=1)
        if counted and token.remaining <= 0:
            raise _rate_limited(token, self.world)
        if counted:
            token.used += 1
        if fault is not None and not fault.apply:
            return Reply(fault.status)
        route, params = resolve(method, path)
        record.operation = route.template
        request = Request(method, path, query, body, token, urls, params)
        try:
            return route.handler(self.world, request)
        except ApiError as error:
            return _error_reply(error)

    def _finish(
        self, method: str, reply: Reply, token: Token, handler: _Handler, urls: Urls
    ) -> tuple[bytes, list[tuple[str, str]]]:
        """Serialise the reply and add the headers every GitHub response carries."""
        payload = b"" if reply.body is None and reply.status in (204, 304) else _dump(reply.body)
        headers: list[tuple[str, str]] = []
        if payload and reply.status < 300:
            etag = 'W/"' + hashlib.sha256(payload).hexdigest() + '"'
            wanted = handler.headers.get("If-None-Match")
            if method == "GET" and wanted and _etag_matches(wanted, etag):
                reply.status, payload = 304, b""
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
        headers += [
            ("X-GitHub-Media-Type", "github.v3; format=json"),
            ("X-GitHub-Api-Version-Selected", "2022-11-28"),
            ("X-RateLimit-Limit", str(token.limit)),
            ("X-RateLimit-Remaining", str(token.remaining)),
            ("X-RateLimit-Reset", str(int(token.reset.timestamp()))),
            ("X-RateLimit-Used", str(token.used)),
            ("X-RateLimit-Resource", "core"),
            ("Access-Control-Allow-Origin", "*"),
            ("X-Content-Type-Options", "nosniff"),
            ("X-GitHub-Request-Id", uuid.uuid4().hex[:20].upper()),
        ]
        return payload, headers


def _dump(body: Any) -> bytes:
    return json.dumps(body, ensure_ascii=False).encode()


def _etag_matches(if_none_match: str, etag: str) -> bool:
    def bare(tag: str) -> str:
        return tag.strip().removeprefix("W/")

    return any(bare(t) == bare(etag) or t.strip() == "*" for t in if_none_match.split(","))


def _error_reply(error: ApiError) -> Reply:
    return Reply(error.status, error.body(), dict(error.headers))


def _rate_limited(token: Token, world: World) -> ApiError:
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
    return ApiError(403, message, documentation_url=RATE_DOCS)
