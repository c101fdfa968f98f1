"""GitHub's failures as one-line messages a maintainer can act on.

What PyGithub, requests and urllib3 raise while tracker talks to GitHub becomes a
:class:`~tracker.errors.GitHubError` naming what tracker was trying to do, in which
repository, and what came back (:func:`translated_errors`); a write whose outcome is unknown
becomes an :class:`AmbiguousWrite`, and GitHub refusing one request as invalid (422) a
:class:`Refused` naming the fields. Credentials in a URL are never shown.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import requests
from github import GithubException
from github.GithubException import (
    BadCredentialsException,
    RateLimitExceededException,
    UnknownObjectException,
)

from tracker.errors import GitHubError, redact
from tracker.github.http import ANSWERS, Answer, Redirected


class AmbiguousWrite(GitHubError):
    """A write whose outcome is unknown: the request may or may not have reached GitHub."""


class Refused(GitHubError):
    """GitHub refused one request as invalid (422): ``fields`` names what it objected to.

    Raised for one issue, it stops nothing else: the sync reports it and goes on.
    """

    def __init__(self, message: str, *, fields: tuple[str, ...], hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.fields = fields


class WrongShape(ValueError):
    """A JSON answer that PyGithub accepted but that is not what the request returns."""


def expect(ok: bool) -> None:
    """Inside a ``translated_errors`` block: the answer just read must pass this check."""
    if not ok:
        raise WrongShape


#: What :func:`translated_errors` translates; anything else (tracker's own ``Unfinished``
#: included) passes through as it was raised.
_TRANSLATED = (
    GithubException,
    requests.exceptions.RetryError,
    requests.exceptions.ConnectionError,
    requests.exceptions.Timeout,
    Redirected,
    RuntimeError,
    ValueError,
    TypeError,
    AttributeError,
    KeyError,
)


@contextmanager
def translated_errors(doing: str, *, repo: str, url: str, write: bool) -> Iterator[None]:
    """Turn what PyGithub and requests raise while trying to ``doing`` into one-line
    GitHubErrors; a write whose outcome is unknown becomes an AmbiguousWrite.

    ``url`` is the API's base URL, shown without credentials.
    """
    url = redact(url)
    ANSWERS.forget()
    try:
        yield
    except _TRANSLATED as exc:
        translated = _translated(exc, doing=doing, repo=repo, url=url, write=write)
        if translated is None:
            raise
        raise translated from exc


def _translated(
    exc: Exception, *, doing: str, repo: str, url: str, write: bool
) -> GitHubError | None:
    """The GitHubError that says what went wrong (None: a bug to raise as it is)."""
    if isinstance(exc, GithubException):
        return _refusal_error(exc, doing=doing, repo=repo, url=url, write=write)
    if isinstance(exc, requests.exceptions.RetryError):
        if write:
            return AmbiguousWrite(f"could not {doing} {repo}: GitHub kept failing ({_short(exc)})")
        return GitHubError(
            f"GitHub at {url} kept failing while trying to {doing} {repo} ({_short(exc)})",
            hint="GitHub may be having an outage; rerun later",
        )
    if isinstance(exc, requests.exceptions.ConnectionError | requests.exceptions.Timeout):
        if write:
            return AmbiguousWrite(f"could not {doing} {repo}: no answer from {url} ({_short(exc)})")
        return GitHubError(
            f"cannot reach GitHub at {url}: {_short(exc)}",
            hint="check the network, or --api-url / GITHUB_API_URL",
        )
    if isinstance(exc, Redirected):
        # Nothing was done: a redirect is an answer, not a performed request.
        return GitHubError(
            f"GitHub answered {exc.status} (a redirect to {redact(exc.location) or 'nowhere'}) to "
            f"{exc.method} {_origin(url)}{redact(exc.url)} while trying to {doing} {repo}; "
            "tracker does not follow it",
            hint="if the API moved, set --api-url / GITHUB_API_URL to its new address",
        )
    if isinstance(exc, RuntimeError):
        # PyGithub's own 301 handling refuses a move to another host or scheme.
        if "redirected" not in str(exc):
            return None
        return GitHubError(
            f"GitHub redirected a request to another address while trying to {doing} {repo}: "
            f"{redact(str(exc))}",
            hint="if the API moved, set --api-url / GITHUB_API_URL to its new address",
        )
    # ValueError, TypeError, AttributeError, KeyError: raised inside PyGithub while it reads an
    # answer that is not GitHub's JSON (an HTML page, JSON cut short, the wrong shape), or by
    # tracker's own check of what it read.
    answer = ANSWERS.last()
    where = f"{answer.method} {_origin(url)}{answer.path}" if answer else url
    message = (
        f"GitHub answered {_describe(answer)} to {redact(where)} while trying to {doing} {repo}"
    )
    if write:
        return AmbiguousWrite(message)
    return GitHubError(
        message,
        hint="GitHub, or a proxy in front of it, is failing; rerun later, and check "
        "--api-url / GITHUB_API_URL if it goes on",
    )


def _refusal_error(
    exc: GithubException, *, doing: str, repo: str, url: str, write: bool
) -> GitHubError:
    """What GitHub's own error answer means (its status and message)."""
    if isinstance(exc, BadCredentialsException):
        return GitHubError(
            f"GitHub rejected the token (401 Bad credentials) at {url}",
            hint="check GITHUB_TOKEN / GH_TOKEN; it may have expired",
        )
    if isinstance(exc, RateLimitExceededException):
        return GitHubError(
            f"GitHub's rate limit is exhausted ({_message(exc)}); rerun later to finish the work",
        )
    if isinstance(exc, UnknownObjectException):
        return GitHubError(
            f"repository {repo} not found at {url}, or the token cannot see it (404)",
            hint="check --repo and that the token has access to the repository",
        )
    status = exc.status
    if status == 410 and "disabled" in _message(exc):
        return GitHubError(
            f"issues are turned off in {repo} (410 {_message(exc)})",
            hint="turn them on in the repository's settings (General, Features, Issues), or "
            "set --repo to the repository that holds the issues",
        )
    if status == 403 and write:
        return GitHubError(
            f"the token may not write issues in {repo} (403 {_message(exc)})",
            hint="give it issues: write; in a workflow: permissions: issues: write",
        )
    if write and (status is None or status >= 500):
        return AmbiguousWrite(f"could not {doing} {repo}: {status} {_message(exc)}")
    if status == 422:
        fields = tuple(str(e.get("field") or "") for e in _errors_in(exc) if e.get("field"))
        return Refused(f"GitHub refused to {doing} {repo} (422 {_refusal(exc)})", fields=fields)
    return GitHubError(f"could not {doing} {repo}: {status} {_message(exc)}")


def _origin(url: str) -> str:
    """``scheme://host[:port]`` of the API's URL: the paths PyGithub logs start after it."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    return f"{parts.scheme}://{host}" + (f":{parts.port}" if parts.port else "")


def _describe(answer: Answer | None) -> str:
    """What came back, in a few words: an HTML page, JSON cut short, the wrong shape."""
    if answer is None:
        return "something tracker could not read"
    text = answer.text
    if "json" not in answer.content_type.casefold() or text.lstrip().startswith("<"):
        title = re.search(r"<title>([^<]{0,80})", text, re.IGNORECASE)
        name = f" titled {html.unescape(title.group(1)).strip()!r}" if title else ""
        kind = answer.content_type.split(";")[0] or "no content type"
        return f"{answer.status} with a page{name} ({kind}) instead of JSON"
    try:
        data = json.loads(text)
    except ValueError:
        return (
            f"{answer.status} with JSON cut short ({len(text)} characters, ending {text[-20:]!r})"
        )
    if isinstance(data, list):
        shape = f"a list of {len(data)}"
    elif isinstance(data, dict):
        shape = "an object with " + (", ".join(sorted(data)[:5]) or "no keys")
    else:
        shape = type(data).__name__
    return f"{answer.status} with JSON of an unexpected shape ({shape})"


def _message(exc: GithubException) -> str:
    data = exc.data
    if isinstance(data, dict) and data.get("message"):
        return str(data["message"])
    if isinstance(data, dict) and isinstance(data.get("data"), str):
        data = data["data"]  # PyGithub's wrapping of a body that is not JSON
        title = re.search(r"<title>([^<]{0,80})", data, re.IGNORECASE)
        if title:
            return f"an HTML page titled {html.unescape(title.group(1)).strip()!r}"
    return redact(str(data or "").strip()[:200])


def _short(exc: Exception) -> str:
    text = str(exc)
    server_error = re.search(r"too many (\d{3}) error responses", text)
    if server_error:
        return f"{server_error.group(1)} after every retry"
    for needle in (
        "Connection refused",
        "Max retries exceeded",
        "Read timed out",
        "RemoteDisconnected",
    ):
        if needle in text:
            return needle.lower() if needle != "RemoteDisconnected" else "connection dropped"
    return type(exc).__name__


def _errors_in(exc: GithubException) -> list[dict[str, Any]]:
    """The ``errors`` list of a 422's body."""
    if exc.status != 422 or not isinstance(exc.data, dict):
        return []
    return [e for e in exc.data.get("errors") or () if isinstance(e, dict)]


def _errors_of(exc: GitHubError) -> list[dict[str, Any]]:
    cause = exc.__cause__
    return _errors_in(cause) if isinstance(cause, GithubException) else []


def _refusal(exc: GithubException) -> str:
    """A 422's message and, per error, the field and what is wrong with it."""
    details = []
    for error in _errors_in(exc):
        field = error.get("field") or error.get("resource") or "?"
        said = error.get("message") or error.get("code") or "invalid"
        details.append(f"{field}: {said}")
    return _message(exc) + (f": {'; '.join(str(d) for d in details)}" if details else "")


def already_exists(exc: GitHubError) -> bool:
    return any(e.get("code") == "already_exists" for e in _errors_of(exc))


def invalid_assignees(exc: GitHubError) -> bool:
    return any(e.get("field") in ("assignees", "assignee") for e in _errors_of(exc))
