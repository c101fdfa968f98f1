"""How tracker's requests go over the wire (through PyGithub and urllib3): which are resent
after a 5xx or a lost answer, how each is counted, how a rate-limit refusal is handed to the
run's :class:`~tracker.pacing.Pacer`, and what the last answer was (to name it when it is
not GitHub's JSON).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any

import github
from github import GithubRetry

from tracker.pacing import Pacer

WRITES = frozenset({"POST", "PATCH", "PUT", "DELETE"})
#: Retried on 5xx and dropped connections. Not POST (a lost response may hide a created
#: issue: resending would duplicate it). PATCH is: tracker's updates send whole values, so
#: sending one twice leaves the issue as sending it once (issue 10, item 13).
_RETRIED = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE", "TRACE"})
#: Redirects PyGithub does not follow itself (it follows a 301 on the same host, which is
#: how GitHub moves a transferred issue): tracker refuses them instead of reading the
#: redirect's body as if it were the answer (issue 10, item 12).
_UNFOLLOWED_REDIRECTS = frozenset({302, 303, 307, 308})
#: Statuses GitHub refuses with for a rate limit (403 only with its rate-limit text or a
#: Retry-After, which GithubRetry checks; any other 403 is raised).
_REFUSED = frozenset({403, 429})

# PyGithub logs every refused request at INFO on stderr ("Request GET /user failed with
# 403"), which is expected here (an installation token) and said better by our errors.
github.set_log_level(logging.WARNING)


class Redirected(Exception):
    """Raised from inside urllib3 when GitHub answers a redirect PyGithub would not follow."""

    def __init__(self, method: str, url: str, status: int, location: str) -> None:
        super().__init__(f"{status} to {location}")
        self.method = method
        self.url = url
        self.status = status
        self.location = location


@dataclass(frozen=True)
class Answer:
    """One HTTP exchange as PyGithub logged it: what tracker names when the answer is wrong."""

    method: str
    path: str
    status: int
    content_type: str
    text: str
    date: str = ""
    """The response's ``Date`` header: GitHub's clock, which ``since`` is compared with."""


class _LastAnswer(logging.Filter):
    """Keeps, per thread, the last exchange PyGithub logs at DEBUG (its Authorization header
    masked), so that an answer PyGithub cannot make sense of can be shown to the user.

    PyGithub's ``github.Requester`` logger is the one public place that sees each response
    with its path, status, headers and body. As a filter on that logger, this drops those
    DEBUG records once read: they reach no handler, so raising the logger's level to DEBUG
    prints nothing and costs no formatting. Its other records pass as before.
    """

    def __init__(self) -> None:
        super().__init__()
        self.local = threading.local()

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if record.levelno != logging.DEBUG or not isinstance(args, tuple) or len(args) != 9:
            return record.levelno > logging.DEBUG
        method, _scheme, _host, path, _headers, _input, status, headers, output = args
        headers = headers if isinstance(headers, dict) else {}
        self.local.answer = Answer(
            method=str(method),
            path=str(path),
            status=status if isinstance(status, int) else 0,
            content_type=str(headers.get("content-type", "")),
            text=output if isinstance(output, str) else "",
            date=str(headers.get("date", "")),
        )
        if getattr(self.local, "first", None) is None:
            self.local.first = self.local.answer
        return False

    def last(self) -> Answer | None:
        return getattr(self.local, "answer", None)

    def first(self) -> Answer | None:
        """The first exchange since :meth:`forget`."""
        return getattr(self.local, "first", None)

    def forget(self) -> None:
        self.local.answer = self.local.first = None


ANSWERS = _LastAnswer()
_requester_log = logging.getLogger("github.Requester")
_requester_log.setLevel(logging.DEBUG)
_requester_log.addFilter(ANSWERS)


@dataclass
class RequestCount:
    """HTTP requests that got a response, counted below PyGithub (each retry is one)."""

    reads: int = 0
    writes: int = 0
    unanswered: int = 0
    """Attempts that got no response (connection refused or dropped)."""

    @property
    def total(self) -> int:
        return self.reads + self.writes


class SafeRetry(GithubRetry):
    """GithubRetry that never resends a POST after a 5xx or a lost response, counts requests,
    and leaves rate-limit waits to the run's Pacer.

    Rate-limited requests (403 with GitHub's rate-limit text or Retry-After, and every 429,
    with or without Retry-After) are retried after the Pacer's wait, writes included: GitHub
    refused them, so nothing was created. The Pacer raises Unfinished instead of waiting
    longer than the run may; such retries do not use up the retries meant for 5xx.
    """

    def __init__(
        self, counter: RequestCount | None = None, pacer: Pacer | None = None, **kwargs: Any
    ) -> None:
        self.counter = counter if counter is not None else RequestCount()
        self.pacer = pacer
        self.waited = False
        kwargs.setdefault("allowed_methods", _RETRIED)
        super().__init__(**kwargs)

    def new(self, **kw: Any) -> SafeRetry:
        retry = super().new(**kw)
        retry.counter = self.counter
        retry.pacer = self.pacer
        return retry

    def is_retry(self, method: str, status_code: int, has_retry_after: bool = False) -> bool:
        # urllib3 asks this once for every response: the one place that sees each of them.
        if status_code in _UNFOLLOWED_REDIRECTS:
            self.counter.reads += method.upper() not in WRITES
            self.counter.writes += method.upper() in WRITES
            return True  # urllib3 then calls increment() with the response: it raises there
        write = method.upper() in WRITES
        if write:
            self.counter.writes += 1
        else:
            self.counter.reads += 1
        if status_code in _REFUSED:
            return bool(self.total)
        if self.pacer is not None and status_code < 400:
            self.pacer.answered(write=write, created=method.upper() == "POST")
        return bool(super().is_retry(method, status_code, has_retry_after))

    def increment(self, *args: Any, **kwargs: Any) -> Any:
        error = kwargs.get("error") if "error" in kwargs else (args[3] if len(args) > 3 else None)
        response = (
            kwargs.get("response") if "response" in kwargs else (args[2] if len(args) > 2 else None)
        )
        if error is not None:
            self.counter.unanswered += 1
        if response is not None and response.status in _UNFOLLOWED_REDIRECTS:
            method = kwargs.get("method") if "method" in kwargs else (args[0] if args else "")
            url = kwargs.get("url") if "url" in kwargs else (args[1] if len(args) > 1 else "")
            response.drain_conn()
            location = response.headers.get("Location", "")
            raise Redirected(str(method), str(url), response.status, location)
        retry = super().increment(*args, **kwargs)
        if response is None or response.status not in _REFUSED or self.pacer is None:
            return retry
        # GithubRetry let it through (any other 403 is raised there): a rate limit.
        headers = response.headers
        retry_after = headers.get("Retry-After")
        remaining = headers.get("X-RateLimit-Remaining")
        reset = headers.get("X-RateLimit-Reset")
        self.pacer.refused(
            retry_after=self.parse_retry_after(retry_after) if retry_after else None,
            remaining=int(remaining) if remaining and remaining.isdigit() else None,
            reset=float(reset) if reset and reset.isdigit() else None,
        )
        waited = self.new(total=self.total, history=retry.history)
        waited.waited = True
        return waited

    def sleep(self, response: Any = None) -> None:
        if not self.waited:  # the Pacer has waited out a rate limit already
            super().sleep(response)
