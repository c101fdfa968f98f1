"""Where and how to reach GitHub: the token, the repository, the API URL, the links to
the minutes, the pacing and the run's limits, from the command line, the config and the
environment.

Plain data: reading settings loads no PyGithub (:mod:`tracker.github` uses them).
"""

from __future__ import annotations

import math
import os
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tracker.config import REPO_NAME, Config
from tracker.errors import GitHubError
from tracker.pacing import CREATES_PER_MINUTE, Clock, SystemClock

DEFAULT_API_URL = "https://api.github.com"


@dataclass(frozen=True)
class Settings:
    """Where and how to reach GitHub."""

    token: str
    repo: str
    """``owner/name`` of the repository holding the issues."""
    api_url: str = DEFAULT_API_URL
    seconds_between_requests: float = 0.0
    """Reads are not paced: GitHub asks only that they be serial (issue 14)."""
    seconds_between_writes: float = 1.0
    """GitHub's advice: at least a second between writes (which also keeps creates under 80
    a minute)."""
    retry_backoff: float = 0.5
    """urllib3's backoff factor between retries of a failed read."""
    timeout: int = 30
    relook_after: float = 5.0
    """Before a create, look the AI's marker up again among the newest issues (one read) when
    the issues were last listed longer ago than this many seconds: another sync started at
    the same time may have opened it meanwhile (issue 10)."""
    link_base: str | None = None
    """URL that minutes paths are relative to, e.g. ``https://github.com/o/r/blob/main``."""
    max_wait: float | None = 300.0
    """Seconds a run may wait for rate limits in all before it stops (None: no bound)."""
    time_budget: float | None = 600.0
    """Seconds a run may last before it stops writing (None: no budget)."""
    creates_per_hour: int | None = 480
    """Creates per hour, those of the last hour's runs included (None: no budget)."""
    creates_per_minute: int | None = CREATES_PER_MINUTE
    """GitHub's limit on creates per minute (None: none, for a GitHub on this machine)."""
    clock: Clock = field(default_factory=SystemClock, compare=False, repr=False)
    """The time and the waiting; the benchmarks give the emulator's, so waits take no time."""

    @classmethod
    def unpaced(cls, *, token: str, repo: str, api_url: str, **limits: Any) -> Settings:
        """For a GitHub on this machine (the tests' emulator): no pacing, no retry backoff, and
        no time or creation budget unless ``limits`` sets them."""
        values: dict[str, Any] = {
            "time_budget": None,
            "creates_per_hour": None,
            "creates_per_minute": None,
        } | limits
        return cls(
            token=token,
            repo=repo,
            api_url=api_url,
            seconds_between_requests=0,
            seconds_between_writes=0,
            retry_backoff=0,
            **values,
        )


def settings_from_env(
    *,
    repo: str | None,
    api_url: str | None,
    config: Config,
    env: Mapping[str, str] | None = None,
) -> Settings:
    """Settings from the options, the config and the environment (GitHub Actions' variables).

    - token: ``GITHUB_TOKEN``, else ``GH_TOKEN``
    - repository: ``--repo``, else the config's ``repo``, else ``GITHUB_REPOSITORY``
    - API URL: ``--api-url``, else ``GITHUB_API_URL``, else api.github.com
    - links to the minutes: ``TRACKER_MINUTES_URL``, else built from ``GITHUB_SERVER_URL``,
      ``GITHUB_REPOSITORY`` and the branch (``GITHUB_REF_NAME``; ``GITHUB_SHA`` when the run
      is not on a branch). A branch, not the commit, so that a push does not rewrite every
      issue's link; a moved line still updates its issue.
    - ``TRACKER_THROTTLE``: ``0`` turns off pacing and retry backoff (for a local emulator);
      ``R,W`` sets the seconds between requests and between writes.
    - the run's limits: the config's ``limits`` (which ``--max-wait`` and ``--time-budget``
      override before they get here).
    """
    env = os.environ if env is None else env
    variable = next((name for name in ("GITHUB_TOKEN", "GH_TOKEN") if env.get(name)), None)
    if variable is None:
        raise GitHubError(
            "no GitHub token: set GITHUB_TOKEN (or GH_TOKEN) to a token that may write issues",
            hint="in a workflow: env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}",
        )
    token = _token(env[variable], variable)
    name = repo or config.repo or env.get("GITHUB_REPOSITORY")
    if not name:
        raise GitHubError(
            "which repository? pass --repo OWNER/NAME, set `repo:` in the config, or GITHUB_REPOSITORY"
        )
    if not REPO_NAME.fullmatch(name):
        raise GitHubError(f"expected a repository as OWNER/NAME, got {name!r}")
    values: dict[str, Any] = {
        "token": token,
        "repo": name,
        "api_url": _checked_api_url(
            _without_credentials(
                (api_url or env.get("GITHUB_API_URL") or DEFAULT_API_URL).rstrip("/")
            )
        ),
        "link_base": _link_base(env),
        "max_wait": config.max_wait,
        "time_budget": config.time_budget,
        "creates_per_hour": config.creates_per_hour,
    }
    throttle = env.get("TRACKER_THROTTLE")
    if throttle:
        parts = _throttle(throttle)
        values["seconds_between_requests"] = parts[0]
        values["seconds_between_writes"] = parts[1] if len(parts) > 1 else parts[0]
        if not any(parts):
            values["retry_backoff"] = 0.0
    return Settings(**values)


def _token(value: str, variable: str) -> str:
    """The token without the line break a file or a pasted secret often ends with; one that
    still holds a space, a control or a non-ASCII character cannot go into a request's
    header (it read as "GitHub answered something tracker could not read")."""
    token = value.strip()
    if not token or not all("!" <= c <= "~" for c in token):
        raise GitHubError(
            f"{variable} is not a token: it holds a space, a line break or a character "
            "no GitHub token has (its value is not shown)",
            hint=f"set {variable} to the token alone, e.g. from a file: "
            f'{variable}="$(cat token.txt)"',
        )
    return token


def _throttle(text: str) -> list[float]:
    """``TRACKER_THROTTLE``'s one or two seconds; a negative, infinite or NaN wait, or a
    third number, is refused here rather than crash the first ``sleep``."""
    try:
        parts = [float(p) for p in text.split(",")]
    except ValueError:
        parts = []
    if not 1 <= len(parts) <= 2 or not all(0 <= p < math.inf for p in parts):
        raise GitHubError(
            f"TRACKER_THROTTLE: expected seconds like 0.25,1 (0 or more, between reads, "
            f"between writes) - got {text!r}"
        )
    return parts


def _checked_api_url(url: str) -> str:
    """``url`` if requests can be sent to it; else an error a user can act on, rather than
    the assertion or ``ValueError`` PyGithub would raise on its first request."""
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError as exc:
        problem = str(exc)
    else:
        problem = ""
        if parts.scheme not in ("http", "https"):
            problem = "expected a URL starting with https:// (http:// for a GitHub on this machine)"
        elif not parts.hostname:
            problem = "it names no host"
    if problem:
        raise GitHubError(
            f"cannot use the API URL {url!r} (--api-url or GITHUB_API_URL): {problem}",
            hint="https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise",
        )
    return url


def _without_credentials(url: str) -> str:
    """The URL without ``user:password@``: PyGithub ignores them (the token authenticates),
    and keeping them would print a secret in every message naming the URL (issue 10)."""
    scheme, sep, rest = url.partition("://")
    host, slash, path = rest.partition("/")
    if sep and "@" in host:
        return f"{scheme}://{host.rpartition('@')[2]}{slash}{path}"
    return url


def _link_base(env: Mapping[str, str]) -> str | None:
    if env.get("TRACKER_MINUTES_URL"):
        return env["TRACKER_MINUTES_URL"].rstrip("/")
    server, repository = env.get("GITHUB_SERVER_URL"), env.get("GITHUB_REPOSITORY")
    ref = env.get("GITHUB_REF_NAME") if env.get("GITHUB_REF_TYPE", "branch") == "branch" else None
    ref = ref or env.get("GITHUB_SHA")
    if not (server and repository and ref) or "/merge" in ref:
        return None
    return f"{server.rstrip('/')}/{repository}/blob/{ref}"
