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

import datetime
import html
import json
import logging
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

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

from tracker.errors import GitHubError, redact
from tracker.issue import IssueFields
from tracker.pacing import Pacer
from tracker.settings import Settings
from tracker.snapshot import ExistingIssue, LabelSpec, Snapshot

_WRITES = frozenset({"POST", "PATCH", "PUT", "DELETE"})
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


class AmbiguousWrite(GitHubError):
    """A write whose outcome is unknown: the request may or may not have reached GitHub."""


class Refused(GitHubError):
    """GitHub refused one request as invalid (422): ``fields`` names what it objected to.

    Raised for one issue, it stops nothing else: the sync reports it and goes on.
    """

    def __init__(self, message: str, *, fields: tuple[str, ...], hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.fields = fields


class _Redirected(Exception):
    """Raised from inside urllib3 when GitHub answers a redirect PyGithub would not follow."""

    def __init__(self, method: str, url: str, status: int, location: str) -> None:
        super().__init__(f"{status} to {location}")
        self.method = method
        self.url = url
        self.status = status
        self.location = location


@dataclass(frozen=True)
class _Answer:
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
        self.local.answer = _Answer(
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

    def last(self) -> _Answer | None:
        return getattr(self.local, "answer", None)

    def first(self) -> _Answer | None:
        """The first exchange since :meth:`forget`."""
        return getattr(self.local, "first", None)

    def forget(self) -> None:
        self.local.answer = self.local.first = None


_ANSWERS = _LastAnswer()
_requester_log = logging.getLogger("github.Requester")
_requester_log.setLevel(logging.DEBUG)
_requester_log.addFilter(_ANSWERS)


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
        if status_code in _UNFOLLOWED_REDIRECTS:
            self.counter.reads += method.upper() not in _WRITES
            self.counter.writes += method.upper() in _WRITES
            return True  # urllib3 then calls increment() with the response: it raises there
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
        if response is not None and response.status in _UNFOLLOWED_REDIRECTS:
            method = kwargs.get("method") if "method" in kwargs else (args[0] if args else "")
            url = kwargs.get("url") if "url" in kwargs else (args[1] if len(args) > 1 else "")
            response.drain_conn()
            location = response.headers.get("Location", "")
            raise _Redirected(str(method), str(url), response.status, location)
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
        self._counted: set[int] = set()
        self.listed_at: float | None = None
        """When the tracker's issues were last listed (``time.monotonic()``)."""
        self._listed_date: datetime.datetime | None = None
        """The same moment by GitHub's clock (its ``Date`` header), for ``since``."""
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
            users = list(self._repo.get_assignees())
            _expect(all(isinstance(user.login, str) for user in users))
        with self._errors("list the labels of"):
            labels = list(self._repo.get_labels())
            _expect(all(isinstance(label.name, str) for label in labels))
        with self._errors("list the milestones of"):
            milestones = list(self._repo.get_milestones(state="all"))
            _expect(all(isinstance(m.title, str) for m in milestones))
        self._milestones = {m.title: m for m in milestones}
        return Snapshot(
            repo=self.settings.repo,
            viewer=viewer,
            issues=issues,
            labels=tuple(label.name for label in labels),
            milestones=tuple(self._milestones),
            assignable=tuple(user.login for user in users),
        )

    def read_issues(self) -> tuple[ExistingIssue, ...]:
        """The tracker's issues, open and closed: one list request per 100 issues, nothing else."""
        with self._errors("list the issues of"):
            listed = self._list(self._repo.get_issues(state="all", labels=[self.label]))
            self._listed()
        return listed

    def newest_issues(self) -> tuple[ExistingIssue, ...]:
        """Tracker issues created or changed since the last listing, newest first, at most
        100 (one request): what another run, or a create whose answer was lost, has just
        opened. Without GitHub's time of the last listing: the 100 created last."""
        since: dict[str, Any] = {}
        if self._listed_date is not None:  # whole seconds, inclusive: a margin for both
            since["since"] = self._listed_date - datetime.timedelta(seconds=2)
        with self._errors("look up the newest issues of"):
            page = self._repo.get_issues(
                state="all", labels=[self.label], sort="created", direction="desc", **since
            ).get_page(0)
            listed = self._list(page)
            self._listed()
        return listed

    def _listed(self) -> None:
        """Note when the listing just read began, by this machine's clock and by GitHub's."""
        self.listed_at = time.monotonic()
        answer = _ANSWERS.first()
        try:
            self._listed_date = parsedate_to_datetime(answer.date) if answer else None
        except (TypeError, ValueError):
            self._listed_date = None

    def recent_unlabelled(self, linked: Iterable[int] = ()) -> tuple[ExistingIssue, ...]:
        """Issues without the tracker's label that tracker may have opened: the 100 updated
        last (one request; removing a label updates an issue), and each issue in ``linked``
        that they do not include (one request each; missing ones are left out)."""
        with self._errors("list the recently updated issues of"):
            page = self._repo.get_issues(state="all", sort="updated", direction="desc")
            found = {i.number: i for i in self._list(page.get_page(0))}
        for number in sorted(set(linked) - set(found)):
            issue = self._issue(number)
            if issue is not None:
                found[number] = issue
        label = self.label.casefold()
        return tuple(
            issue
            for _, issue in sorted(found.items())
            if label not in {name.casefold() for name in issue.labels}
        )

    def _issue(self, number: int) -> ExistingIssue | None:
        """Issue ``number`` of this repository; None if it is not there (gone, moved, a PR)."""
        try:
            with self._errors(f"read issue #{number} of"):
                issue = self._repo.get_issue(number)
                listed = self._list([issue])
        except GitHubError as exc:
            if isinstance(exc.__cause__, GithubException) and exc.__cause__.status in (404, 410):
                return None
            raise
        home = f"/{self.settings.repo}/issues/".casefold()
        return listed[0] if listed and home in listed[0].url.casefold() else None

    def _list(self, issues: Iterable[Issue]) -> tuple[ExistingIssue, ...]:
        """Issues as tracker's plain data, pull requests left out; inside ``_errors``."""
        result = []
        for issue in issues:
            _expect(isinstance(issue.number, int) and isinstance(issue.html_url, str))
            if "/pull/" in issue.html_url:
                continue
            result.append(self._remember(issue))
        return tuple(result)

    def _viewer(self) -> str | None:
        """The token's login; None for an installation token (Actions), which may not read /user."""
        try:
            with self._errors("identify the token's user for"):
                login = self._gh.get_user().login
                _expect(isinstance(login, str) and bool(login))
                return str(login)
        except GitHubError as exc:
            if isinstance(exc.__cause__, GithubException) and exc.__cause__.status == 403:
                return None
            raise

    def _remember(self, issue: Issue) -> ExistingIssue:
        # Creates of the last hour count toward this run's creation budget (issue 14),
        # each once however many listings show it.
        if issue.created_at and issue.number not in self._counted:
            self._counted.add(issue.number)
            self.pacer.seen_creates([issue.created_at.timestamp()])
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
            created_at=issue.created_at,
            comments=issue.comments if isinstance(issue.comments, int) else 0,
        )

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
                    milestone = self._repo.create_milestone(title)
                    _expect(isinstance(milestone.number, int))
                self._milestones[title] = milestone
                return
            except AmbiguousWrite:
                if attempt == 2:
                    raise
            except GitHubError as exc:
                if not _already_exists(exc):
                    raise
                with self._errors("list the milestones of"):
                    milestones = list(self._repo.get_milestones(state="all"))
                    _expect(all(isinstance(m.title, str) for m in milestones))
                self._milestones = {m.title: m for m in milestones}
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
                _expect(isinstance(issue.number, int) and isinstance(issue.html_url, str))
            dropped: tuple[str, ...] = ()
        except GitHubError as exc:
            if not (_invalid_assignees(exc) and fields.assignees):
                raise
            kwargs["assignees"] = []
            with self._errors("create an issue in", write=True):
                issue = self._repo.create_issue(**kwargs)
                _expect(isinstance(issue.number, int) and isinstance(issue.html_url, str))
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
        """One PATCH with the fields in ``send``; returns assignees GitHub refused (then left out).

        A PATCH sends whole values, so the HTTP layer resends it like a read (issue 10).
        """
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

    def close_as_duplicate(self, number: int, original: int) -> None:
        """Say on ``number`` that it duplicates ``original`` (one comment), then close it as a
        duplicate (one PATCH; ``not_planned`` where GitHub does not know ``duplicate`` yet).

        The comment goes first: if the close fails, the next run comments and closes again
        (at worst a second comment, never a duplicate closed without its link).
        """
        issue = self._repo.get_issue(number)  # lazy: no request
        with self._errors(f"comment on issue #{number} in", write=True):
            issue.create_comment(
                f"Duplicate of #{original}: both carry the same action item's marker (two "
                "syncs ran at once). tracker keeps the older issue and closes this one."
            )
        try:
            with self._errors(f"close issue #{number} in", write=True):
                issue.edit(state="closed", state_reason="duplicate")
        except Refused as exc:
            if "state_reason" not in exc.fields:
                raise
            with self._errors(f"close issue #{number} in", write=True):
                issue.edit(state="closed", state_reason="not_planned")

    def comments(self, number: int) -> tuple[tuple[str, str], ...]:
        """(author, body) of each comment on issue ``number``: one read per 100 comments."""
        issue = self._repo.get_issue(number)  # lazy: no request
        with self._errors(f"read the comments of issue #{number} in"):
            found = [(c.user.login if c.user else "", c.body or "") for c in issue.get_comments()]
        return tuple(found)

    def flag(self, number: int, *, comment: str, label: str) -> None:
        """Comment on issue ``number``, then add ``label`` to it (issue 12: a stale AI).

        The comment goes first and carries the marker that stops a second one: a run that
        fails between the two does not comment again.
        """
        issue = self._repo.get_issue(number)  # lazy: no request
        self._pace(creates=True)
        with self._errors(f"comment on issue #{number} in", write=True):
            issue.create_comment(comment)
        self._pace(creates=False)
        with self._errors(f"label issue #{number} in", write=True):
            issue.add_to_labels(label)

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


class _WrongShape(ValueError):
    """A JSON answer that PyGithub accepted but that is not what the request returns."""


def _expect(ok: bool) -> None:
    """Inside ``_errors``: the answer just read must pass this check."""
    if not ok:
        raise _WrongShape


@contextmanager
def translated_errors(doing: str, *, repo: str, url: str, write: bool) -> Iterator[None]:
    """Turn what PyGithub and requests raise while trying to ``doing`` into one-line
    GitHubErrors; a write whose outcome is unknown becomes an AmbiguousWrite.

    ``url`` is the API's base URL, shown without credentials.
    """
    url = redact(url)
    _ANSWERS.forget()
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
        if status == 422:
            fields = tuple(str(e.get("field") or "") for e in _errors_in(exc) if e.get("field"))
            raise Refused(
                f"GitHub refused to {doing} {repo} (422 {_refusal(exc)})", fields=fields
            ) from exc
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
    except _Redirected as exc:
        # Nothing was done: a redirect is an answer, not a performed request.
        raise GitHubError(
            f"GitHub answered {exc.status} (a redirect to {redact(exc.location) or 'nowhere'}) to "
            f"{exc.method} {_origin(url)}{redact(exc.url)} while trying to {doing} {repo}; "
            "tracker does not follow it",
            hint="if the API moved, set --api-url / GITHUB_API_URL to its new address",
        ) from exc
    except RuntimeError as exc:
        # PyGithub's own 301 handling refuses a move to another host or scheme.
        if "redirected" not in str(exc):
            raise
        raise GitHubError(
            f"GitHub redirected a request to another address while trying to {doing} {repo}: "
            f"{redact(str(exc))}",
            hint="if the API moved, set --api-url / GITHUB_API_URL to its new address",
        ) from exc
    except (ValueError, TypeError, AttributeError, KeyError) as exc:
        # Raised inside PyGithub while it reads an answer that is not GitHub's JSON (an HTML
        # page, JSON cut short, the wrong shape), or by tracker's own check of what it read.
        answer = _ANSWERS.last()
        what = _describe(answer)
        where = f"{answer.method} {_origin(url)}{answer.path}" if answer else url
        message = f"GitHub answered {what} to {redact(where)} while trying to {doing} {repo}"
        if write:
            raise AmbiguousWrite(message) from exc
        raise GitHubError(
            message,
            hint="GitHub, or a proxy in front of it, is failing; rerun later, and check "
            "--api-url / GITHUB_API_URL if it goes on",
        ) from exc


def _origin(url: str) -> str:
    """``scheme://host[:port]`` of the API's URL: the paths PyGithub logs start after it."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    return f"{parts.scheme}://{host}" + (f":{parts.port}" if parts.port else "")


def _describe(answer: _Answer | None) -> str:
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


def _already_exists(exc: GitHubError) -> bool:
    return any(e.get("code") == "already_exists" for e in _errors_of(exc))


def _invalid_assignees(exc: GitHubError) -> bool:
    return any(e.get("field") in ("assignees", "assignee") for e in _errors_of(exc))
