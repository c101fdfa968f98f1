"""The one module that talks to GitHub (through PyGithub): read a Snapshot, apply writes.

Everything PyGithub-specific lives here: how PyGithub is set up from the
:class:`tracker.settings.Settings` (retries that never resend a create), how requests are
counted, the API calls, and how GitHub's failures become one-line ``GitHubError`` messages a
maintainer can act on (:func:`translated_errors`). Pacing and rate-limit waits are decided by
:class:`tracker.pacing.Pacer`: this module tells it what GitHub answered and asks it before
each write.

Only what the run needs is kept: no PyGithub object per issue (an issue to edit is made
lazily from its number, which costs no request).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import github
import requests
from github import Auth, Github, GithubException, GithubRetry
from github.GithubException import (
    BadCredentialsException,
    RateLimitExceededException,
    UnknownObjectException,
)
from github.GithubObject import NotSet
from github.Issue import Issue
from github.Milestone import Milestone
from github.Repository import Repository

from tracker.errors import GitHubError
from tracker.identity import index_markers
from tracker.issue import IssueFields
from tracker.pacing import Pacer
from tracker.settings import Settings
from tracker.snapshot import ExistingIssue, LabelSpec, Snapshot

_WRITES = frozenset({"POST", "PATCH", "PUT", "DELETE"})
#: Retried on 5xx and dropped connections. Not POST (a lost response may hide a created
#: issue: resending would duplicate it) and not PATCH (PyGithub never retries it either).
_RETRIED = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})
#: Statuses GitHub refuses with for a rate limit (403 only with its rate-limit text or a
#: Retry-After, which GithubRetry checks; any other 403 is raised).
_REFUSED = frozenset({403, 429})

# PyGithub logs every refused request at INFO on stderr ("Request GET /user failed with
# 403"), which is expected here (an installation token) and said better by our errors.
github.set_log_level(logging.WARNING)


class AmbiguousWrite(GitHubError):
    """A write whose outcome is unknown: the request may or may not have reached GitHub."""


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


class _SafeRetry(GithubRetry):
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

    def new(self, **kw: Any) -> _SafeRetry:
        retry = super().new(**kw)
        retry.counter = self.counter
        retry.pacer = self.pacer
        return retry

    def is_retry(self, method: str, status_code: int, has_retry_after: bool = False) -> bool:
        # urllib3 asks this once for every response: the one place that sees each of them.
        write = method.upper() in _WRITES
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


@dataclass(frozen=True)
class Created:
    """An issue that now exists."""

    number: int
    url: str
    dropped_assignees: tuple[str, ...] = ()


class GitHub:
    """A session with one repository."""

    def __init__(
        self, settings: Settings, *, label: str, notify: Callable[[str], None] | None = None
    ) -> None:
        self.settings = settings
        self.label = label
        """The tracker's label: every issue tracker reads carries it."""
        self.requests = RequestCount()
        self.pacer = Pacer(
            settings.clock,
            write_interval=settings.seconds_between_writes,
            max_wait=settings.max_wait,
            time_budget=settings.time_budget,
            creates_per_hour=settings.creates_per_hour,
            creates_per_minute=settings.creates_per_minute,
            notify=notify,
        )
        """Spaces the writes, keeps the run's budgets and waits out rate limits (within bounds)."""
        retry = _SafeRetry(
            self.requests, self.pacer, total=5, backoff_factor=settings.retry_backoff
        )
        self._gh = Github(
            auth=Auth.Token(settings.token),
            base_url=settings.api_url,
            per_page=100,
            retry=retry,
            timeout=settings.timeout,
            seconds_between_requests=settings.seconds_between_requests or None,
            seconds_between_writes=None,  # the Pacer spaces writes, on its clock
            lazy=True,  # no request until one is needed: get_repo() costs nothing
        )
        self._repo: Repository = self._gh.get_repo(settings.repo)
        self._milestones: dict[str, Milestone] = {}

    @property
    def rate_limit(self) -> tuple[int, int] | None:
        """(remaining, limit) from the last response, without asking GitHub again."""
        remaining, limit = self._gh.requester.rate_limiting
        return (remaining, limit) if limit >= 0 else None

    def close(self) -> None:
        self._gh.close()

    # ------------------------------------------------------------------ reading

    def read_snapshot(self) -> Snapshot:
        """Everything the plan needs, in 4 requests plus one per 100 tracker issues."""
        viewer = self._viewer()
        issues = self.read_issues()
        with self._errors("list who can be assigned in"):
            assignable = tuple(user.login for user in self._repo.get_assignees())
        with self._errors("list the labels of"):
            labels = tuple(label.name for label in self._repo.get_labels())
        with self._errors("list the milestones of"):
            self._milestones = {m.title: m for m in self._repo.get_milestones(state="all")}
        return Snapshot(
            repo=self.settings.repo,
            viewer=viewer,
            issues=issues,
            labels=labels,
            milestones=tuple(self._milestones),
            assignable=assignable,
        )

    def read_issues(self) -> tuple[ExistingIssue, ...]:
        """The tracker's issues, open and closed: one list request per 100 issues, nothing else."""
        with self._errors("list the issues of"):
            return tuple(
                self._remember(issue)
                for issue in self._repo.get_issues(state="all", labels=[self.label])
                if "/pull/" not in (issue.html_url or "")
            )

    def _viewer(self) -> str | None:
        """The token's login; None for an installation token (Actions), which may not read /user."""
        try:
            with self._errors("identify the token's user for"):
                return str(self._gh.get_user().login)
        except GitHubError as exc:
            if isinstance(exc.__cause__, GithubException) and exc.__cause__.status == 403:
                return None
            raise

    def _remember(self, issue: Issue) -> ExistingIssue:
        # Creates of the last hour count toward this run's creation budget (issue 14).
        self.pacer.seen_creates([issue.created_at.timestamp()] if issue.created_at else [])
        return ExistingIssue(
            number=issue.number,
            title=issue.title or "",
            body=issue.body or "",
            author=issue.user.login if issue.user else "",
            state=issue.state,
            assignees=tuple(user.login for user in issue.assignees),
            labels=tuple(label.name for label in issue.labels),
            milestone=issue.milestone.title if issue.milestone else None,
            url=issue.html_url,
            # Both are in the list response; closed_by is not (reading it would cost a GET per issue).
            state_reason=issue.state_reason,
            closed_at=issue.closed_at,
        )

    def find_issue(self, ai_id: str) -> int | None:
        """Look the marker up among the newest tracker issues (one request).

        After a create whose response was lost: if it reached GitHub, its issue is
        the newest one carrying the tracker's label.
        """
        with self._errors("look up the newest issues of"):
            page = self._repo.get_issues(
                state="all", labels=[self.label], sort="created", direction="desc"
            ).get_page(0)
        issue = index_markers(page).first.get(ai_id)
        return None if issue is None else issue.number

    # ------------------------------------------------------------------ writing

    def create_label(self, spec: LabelSpec) -> None:
        """Create a label; one that exists already (a lost response's twin) is fine."""
        self._pace(creates=True)
        for attempt in (1, 2):
            try:
                with self._errors("create a label in", write=True):
                    self._repo.create_label(spec.name, spec.color, spec.description)
                return
            except AmbiguousWrite:
                if attempt == 2:
                    raise
            except GitHubError as exc:
                if _already_exists(exc):
                    return
                raise

    def create_milestone(self, title: str) -> None:
        """Create a milestone; if it appeared meanwhile, use that one."""
        self._pace(creates=True)
        for attempt in (1, 2):
            try:
                with self._errors("create a milestone in", write=True):
                    self._milestones[title] = self._repo.create_milestone(title)
                return
            except AmbiguousWrite:
                if attempt == 2:
                    raise
            except GitHubError as exc:
                if not _already_exists(exc):
                    raise
                with self._errors("list the milestones of"):
                    self._milestones = {m.title: m for m in self._repo.get_milestones(state="all")}
                return

    def create_issue(self, fields: IssueFields) -> Created:
        """One POST, never resent by the HTTP layer; AmbiguousWrite when its outcome is unknown.

        GitHub rejects an issue whose assignee cannot be assigned (422): then it is
        created unassigned, and ``dropped_assignees`` says who was left out.
        """
        kwargs: dict[str, Any] = {
            "title": fields.title,
            "body": fields.body,
            "labels": list(fields.labels),
            "assignees": list(fields.assignees),
            "milestone": self._milestone(fields.milestone) or NotSet,
        }
        self._pace(creates=True)
        try:
            with self._errors("create an issue in", write=True):
                issue = self._repo.create_issue(**kwargs)
            dropped: tuple[str, ...] = ()
        except GitHubError as exc:
            if not (_invalid_assignees(exc) and fields.assignees):
                raise
            kwargs["assignees"] = []
            with self._errors("create an issue in", write=True):
                issue = self._repo.create_issue(**kwargs)
            dropped = fields.assignees
        if fields.labels and fields.labels[0].casefold() not in {
            l.name.casefold() for l in issue.labels
        }:
            # GitHub drops labels silently when the caller may open issues but not triage them;
            # without the tracker label the next run could not find this issue and would open it again.
            raise GitHubError(
                f"GitHub opened #{issue.number} in {self.settings.repo} without its labels: the token "
                "may open issues but not label them",
                hint=f"give it write access to the repository; then label #{issue.number} "
                f"{fields.labels[0]!r} by hand before the next run",
            )
        return Created(issue.number, issue.html_url, dropped)

    def update_issue(
        self, number: int, fields: IssueFields, send: tuple[str, ...]
    ) -> tuple[str, ...]:
        """One PATCH with the fields in ``send``; returns assignees GitHub refused (then left out)."""
        issue = self._repo.get_issue(number)  # lazy: no request
        kwargs: dict[str, Any] = {}
        for name in send:
            value = getattr(fields, name)
            if name in ("assignees", "labels"):
                value = list(value)
            elif name == "milestone":
                value = self._milestone(value)
            kwargs[name] = value
        self._pace(creates=False)
        try:
            with self._errors(f"update issue #{number} in", write=True):
                issue.edit(**kwargs)
            return ()
        except GitHubError as exc:
            if not (_invalid_assignees(exc) and "assignees" in kwargs):
                raise
            dropped = tuple(kwargs.pop("assignees"))
            with self._errors(f"update issue #{number} in", write=True):
                issue.edit(**kwargs)
            return dropped

    def _pace(self, *, creates: bool) -> None:
        """Before a write: wait as the Pacer says, or stop the run (Unfinished)."""
        remaining, limit = self._gh.requester.rate_limiting
        self.pacer.before_write(
            creates=creates,
            remaining=remaining if limit >= 0 else None,
            reset=self._gh.requester.rate_limiting_resettime or None,
        )

    def _milestone(self, title: str | None) -> Milestone | None:
        if title is None:
            return None
        if title not in self._milestones:
            raise GitHubError(
                f"milestone {title!r} is missing in {self.settings.repo}; rerun to create it"
            )
        return self._milestones[title]

    @contextmanager
    def _errors(self, doing: str, *, write: bool = False) -> Iterator[None]:
        with translated_errors(
            doing, repo=self.settings.repo, url=self.settings.api_url, write=write
        ):
            yield


@contextmanager
def translated_errors(doing: str, *, repo: str, url: str, write: bool) -> Iterator[None]:
    """Turn what PyGithub and requests raise while trying to ``doing`` into one-line
    GitHubErrors; a write whose outcome is unknown becomes an AmbiguousWrite."""
    try:
        yield
    except BadCredentialsException as exc:
        raise GitHubError(
            f"GitHub rejected the token (401 Bad credentials) at {url}",
            hint="check GITHUB_TOKEN / GH_TOKEN; it may have expired",
        ) from exc
    except RateLimitExceededException as exc:
        raise GitHubError(
            f"GitHub's rate limit is exhausted ({_message(exc)}); rerun later to finish the work",
        ) from exc
    except UnknownObjectException as exc:
        raise GitHubError(
            f"repository {repo} not found at {url}, or the token cannot see it (404)",
            hint="check --repo and that the token has access to the repository",
        ) from exc
    except GithubException as exc:
        status = exc.status
        if status == 403 and write:
            raise GitHubError(
                f"the token may not write issues in {repo} (403 {_message(exc)})",
                hint="give it issues: write; in a workflow: permissions: issues: write",
            ) from exc
        if write and (status is None or status >= 500):
            raise AmbiguousWrite(f"could not {doing} {repo}: {status} {_message(exc)}") from exc
        raise GitHubError(f"could not {doing} {repo}: {status} {_message(exc)}") from exc
    except requests.exceptions.RetryError as exc:
        if write:
            raise AmbiguousWrite(
                f"could not {doing} {repo}: GitHub kept failing ({_short(exc)})"
            ) from exc
        raise GitHubError(
            f"GitHub at {url} kept failing while trying to {doing} {repo} ({_short(exc)})",
            hint="GitHub may be having an outage; rerun later",
        ) from exc
    except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as exc:
        if write:
            raise AmbiguousWrite(
                f"could not {doing} {repo}: no answer from {url} ({_short(exc)})"
            ) from exc
        raise GitHubError(
            f"cannot reach GitHub at {url}: {_short(exc)}",
            hint="check the network, or --api-url / GITHUB_API_URL",
        ) from exc


def _message(exc: GithubException) -> str:
    data = exc.data
    if isinstance(data, dict) and data.get("message"):
        return str(data["message"])
    return str(data or "").strip()[:200]


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


def _errors_of(exc: GitHubError) -> list[dict[str, Any]]:
    cause = exc.__cause__
    if (
        not isinstance(cause, GithubException)
        or cause.status != 422
        or not isinstance(cause.data, dict)
    ):
        return []
    return [e for e in cause.data.get("errors") or () if isinstance(e, dict)]


def _already_exists(exc: GitHubError) -> bool:
    return any(e.get("code") == "already_exists" for e in _errors_of(exc))


def _invalid_assignees(exc: GitHubError) -> bool:
    return any(e.get("field") in ("assignees", "assignee") for e in _errors_of(exc))
