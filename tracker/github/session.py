"""A session with one repository: PyGithub set up from the settings, the run's Pacer and
request count, and what every read and write shares (error translation, pacing).

:class:`tracker.github.GitHub` is this session with its reads (:mod:`tracker.github.reads`)
and its writes (:mod:`tracker.github.writes`).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from github import Auth, Github
from github.Milestone import Milestone
from github.Repository import Repository

from tracker.github.errors import translated_errors
from tracker.github.http import RequestCount, SafeRetry
from tracker.pacing import Pacer
from tracker.settings import Settings


class Session:
    """PyGithub's client for one repository, and the state a run keeps about it."""

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
        retry = SafeRetry(self.requests, self.pacer, total=5, backoff_factor=settings.retry_backoff)
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

    def _pace(self, *, creates: bool) -> None:
        """Before a write: wait as the Pacer says, or stop the run (Unfinished)."""
        remaining, limit = self._gh.requester.rate_limiting
        self.pacer.before_write(
            creates=creates,
            remaining=remaining if limit >= 0 else None,
            reset=self._gh.requester.rate_limiting_resettime or None,
        )

    @contextmanager
    def _errors(self, doing: str, *, write: bool = False) -> Iterator[None]:
        with translated_errors(
            doing, repo=self.settings.repo, url=self.settings.api_url, write=write
        ):
            yield
