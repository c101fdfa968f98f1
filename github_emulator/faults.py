"""Scheduled faults: which requests they hit, and what is answered instead.

A ``Fault`` matches requests by method, path pattern, token and kind (creates
only), lets the first ``after`` matching requests pass, then hits the next
``times`` of them (``None``: all that follow). What it answers depends on its
``kind``:

- ``error``: GitHub's error body with ``status`` and ``message`` (``apply``
  performs the request first: a lost response; ``drop`` closes the connection);
- ``primary``: the primary rate limit (403 or 429, ``x-ratelimit-remaining: 0``,
  ``x-ratelimit-reset`` ``reset_in`` seconds ahead);
- ``secondary``: a secondary rate limit (403 or 429, ``Retry-After`` if given);
- ``html``: an HTML page instead of JSON (a proxy's or GitHub's own error page);
- ``truncated``: the real answer cut short (the request is performed);
- ``wrong-shape``: valid JSON of the wrong shape (the request is performed);
- ``redirect``: 307 (or ``status``) to the same path under another base URL;
- ``delay``: the request is answered normally after ``delay`` seconds.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import Any

FAULT_KINDS = frozenset(
    {"error", "primary", "secondary", "html", "truncated", "wrong-shape", "redirect", "delay"}
)
# Answers that are not GitHub's JSON at all: the OpenAPI check has nothing to hold them to.
GARBAGE_KINDS = frozenset({"html", "truncated", "wrong-shape"})

# GitHub's words for a secondary rate limit; PyGithub recognises it by this text. Use with
# fail_next(status=403, message=SECONDARY_RATE_LIMIT, headers={"Retry-After": "0"}).
SECONDARY_RATE_LIMIT = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. "
    "If you reach out to GitHub Support for help, please include the request ID."
)
# The variant for too many content-creating requests (issues, comments, labels, milestones).
CONTENT_CREATION_LIMIT = (
    "You have exceeded a secondary rate limit and have been temporarily blocked from content "
    "creation. Please retry your request again later. If you reach out to GitHub Support for "
    "help, please include the request ID."
)
REDIRECT_DOCS = "https://docs.github.com/v3/#http-redirects"

# GitHub's "Unicorn!" page, shortened: what a client gets when something in front of the API
# answers instead of it.
HTML_PAGE = (
    "<!DOCTYPE html>\n<html>\n  <head>\n"
    '    <meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n'
    "    <title>Unicorn! &middot; GitHub</title>\n  </head>\n  <body>\n"
    "    <p><strong>We didn't receive a proper response from the server.</strong></p>\n"
    "    <p>No server is currently available to service your request.</p>\n"
    "  </body>\n</html>\n"
)


@dataclass
class Fault:
    """One scheduled fault; see the module's docstring. Tests read ``after``/``times`` back."""

    method: str | None = None
    path_regex: str | None = None
    status: int = 502
    apply: bool = False
    drop: bool = False
    times: int | None = 1
    message: str = "Server Error"
    headers: dict[str, str] = field(default_factory=dict)
    after: int = 0
    token: str | None = None  # only requests made with this token value
    creates_only: bool = (
        False  # only content-creating requests (POST issue/comment/label/milestone)
    )
    kind: str = "error"
    body: Any = None  # wrong-shape: the JSON value to send instead (default: reshaped answer)
    errors: list[dict[str, Any]] | None = None  # error: a 422's ``errors`` list
    location: str | None = None  # redirect: the base URL the path is moved under
    retry_after: int | None = None  # rate limits: the Retry-After header, if any
    reset_in: int = 3600  # primary: seconds until x-ratelimit-reset
    delay: float = 0.0  # delay: seconds to hold the request
    hits: int = 0  # how many requests it has hit so far

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; one of {sorted(FAULT_KINDS)}")
        if self.kind in ("truncated", "wrong-shape"):
            self.apply = True  # they mangle the real answer, so the request is performed

    def matches(self, method: str, path: str, token: str | None, is_create: bool) -> bool:
        if self.method is not None and self.method.upper() != method:
            return False
        if self.token is not None and self.token != token:
            return False
        if self.creates_only and not is_create:
            return False
        return self.path_regex is None or re.search(self.path_regex, path) is not None

    @property
    def spent(self) -> bool:
        return self.times is not None and self.times <= 0

    @property
    def label(self) -> str:
        """What the request log's ``fault`` says for a request this fault hit."""
        if self.kind == "error":
            if self.drop:
                return "dropped"
            return "applied-error" if self.apply else "error"
        if self.kind in ("primary", "secondary"):
            return f"{self.kind}-rate-limit"
        return self.kind


class Schedule:
    """Faults in the order they were scheduled; the first one due hits a request."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def pending(self) -> list[Fault]:
        with self._lock:
            return list(self._faults)

    def take(self, method: str, path: str, token: str | None, is_create: bool) -> Fault | None:
        """The fault that hits this request, if any.

        Every matching fault sees the request: one still counting down ``after`` counts it
        (whatever another fault does to it); the first one past its ``after`` hits it.
        """
        chosen: Fault | None = None
        with self._lock:
            for fault in list(self._faults):
                if not fault.matches(method, path, token, is_create):
                    continue
                if fault.after > 0:
                    fault.after -= 1
                    continue
                if chosen is None:
                    chosen = fault
                    fault.hits += 1
                    if fault.times is not None:
                        fault.times -= 1
                    if fault.spent:
                        self._faults.remove(fault)
        return chosen


def reshaped(body: Any) -> Any:
    """Valid JSON of the wrong shape: a list where an object belongs and the other way round."""
    if isinstance(body, list):
        return {"total_count": len(body), "incomplete_results": False, "items": body}
    if isinstance(body, dict):
        return [body]
    return {"unexpected": body}


def truncated(payload: bytes) -> bytes:
    """The first half of a JSON answer (at least one byte short of the whole)."""
    if len(payload) <= 1:
        return b"{"
    return payload[: max(len(payload) // 2, 1)]
