"""The emulator's in-memory GitHub: users, tokens, repositories and what they hold.

Plain mutable dataclasses, because tests read them directly to assert what the
tool did (``emu.repo("o/r").issues[0].labels == ["bug"]``). References between
objects are by name (a login, a label name, a milestone number), so an
assertion compares plain strings and a label rename is one loop.
"""

from __future__ import annotations

import itertools
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum

from .clock import Clock

# GitHub's default labels for a new repository, with their real colours and descriptions.
DEFAULT_LABELS: tuple[tuple[str, str, str], ...] = (
    ("bug", "d73a4a", "Something isn't working"),
    ("documentation", "0075ca", "Improvements or additions to documentation"),
    ("duplicate", "cfd3d7", "This issue or pull request already exists"),
    ("enhancement", "a2eeef", "New feature or request"),
    ("good first issue", "7057ff", "Good for newcomers"),
    ("help wanted", "008672", "Extra attention is needed"),
    ("invalid", "e4e669", "This doesn't seem right"),
    ("question", "d876e3", "Further information is requested"),
    ("wontfix", "ffffff", "This will not be worked on"),
)

# The bot that authors whatever Actions' GITHUB_TOKEN creates (its real id and login).
ACTIONS_BOT_LOGIN = "github-actions[bot]"
ACTIONS_BOT_ID = 41898282

# Rate limits per hour: a user token, Actions' installation token, no token at all.
USER_RATE_LIMIT = 5000
INSTALLATION_RATE_LIMIT = 1000
ANONYMOUS_RATE_LIMIT = 60


# The clock of the emulator this thread works for; the wall clock outside any emulator.
_WALL_CLOCK = Clock()
_current_clock: ContextVar[Clock] = ContextVar("github_emulator_clock", default=_WALL_CLOCK)


def now() -> datetime:
    """The current time at GitHub's resolution (whole seconds, UTC), on the emulator's clock."""
    return _current_clock.get().now()


@contextmanager
def use_clock(clock: Clock) -> Iterator[None]:
    """Make ``now()`` (and so every timestamp made meanwhile) read ``clock`` in this thread."""
    token = _current_clock.set(clock)
    try:
        yield
    finally:
        _current_clock.reset(token)


def later_than(previous: datetime) -> datetime:
    """Now, but strictly after ``previous``: an edit must move ``updated_at`` even within a second."""
    current = now()
    return current if current > previous else previous + timedelta(seconds=1)


@dataclass
class User:
    """A GitHub account: a person (``type="User"``) or an app's bot (``type="Bot"``)."""

    login: str
    id: int
    type: str = "User"
    name: str | None = None
    created_at: datetime = field(default_factory=now)


@dataclass
class Label:
    """A repository label; ``default`` marks GitHub's nine built-in ones."""

    id: int
    name: str
    color: str
    description: str | None = None
    default: bool = False


@dataclass
class Milestone:
    """A repository milestone; its issue counts are computed from the issues, never stored."""

    id: int
    number: int
    title: str
    creator: str
    description: str | None = None
    state: str = "open"
    due_on: datetime | None = None
    created_at: datetime = field(default_factory=now)
    updated_at: datetime = field(default_factory=now)
    closed_at: datetime | None = None


@dataclass
class Comment:
    """An issue comment."""

    id: int
    issue_number: int
    body: str
    user: str
    created_at: datetime = field(default_factory=now)
    updated_at: datetime = field(default_factory=now)


@dataclass
class Issue:
    """An issue. ``labels`` holds label names, ``assignees`` logins, ``milestone`` a number."""

    id: int
    number: int
    title: str
    user: str
    body: str | None = None
    state: str = "open"
    state_reason: str | None = None
    labels: list[str] = field(default_factory=list)
    assignees: list[str] = field(default_factory=list)
    milestone: int | None = None
    comments: list[Comment] = field(default_factory=list)
    locked: bool = False
    created_at: datetime = field(default_factory=now)
    updated_at: datetime = field(default_factory=now)
    closed_at: datetime | None = None
    closed_by: str | None = None
    # A pull request shares the issue numbers and shows in the issue listing (emu.add_pull_request).
    pull_request: bool = False
    # GitHub's own deletion (no REST call): its endpoints answer 410 "This issue was deleted".
    deleted: bool = False
    # Moved by emu.transfer_issue: (repository, number) of its new home; its endpoints answer 301.
    transferred_to: tuple[str, int] | None = None

    @property
    def gone(self) -> bool:
        """Deleted or transferred: no longer in this repository's listing."""
        return self.deleted or self.transferred_to is not None

    def touch(self) -> None:
        """Record an edit: GitHub moves ``updated_at`` on every change."""
        self.updated_at = later_than(self.updated_at)


@dataclass
class Repo:
    """A repository. ``issues`` is ordered by number, so ``issues[n - 1].number == n``."""

    id: int
    owner: str
    name: str
    private: bool = False
    # False: every issue endpoint answers 410 "Issues are disabled for this repo".
    has_issues: bool = True
    collaborators: set[str] = field(default_factory=set)
    labels: list[Label] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    milestones_created: int = 0
    description: str | None = None
    created_at: datetime = field(default_factory=now)
    updated_at: datetime = field(default_factory=now)

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"

    def has_push(self, login: str) -> bool:
        """The owner and the collaborators may push, and so may be assigned issues."""
        wanted = login.casefold()
        return wanted == self.owner.casefold() or any(
            c.casefold() == wanted for c in self.collaborators
        )

    def issue(self, number: int) -> Issue | None:
        """Issue ``number`` (pull requests, deleted and transferred ones included)."""
        if 0 < number <= len(self.issues) and self.issues[number - 1].number == number:
            return self.issues[number - 1]
        return next((i for i in self.issues if i.number == number), None)

    def label(self, name: str) -> Label | None:
        """Label names are unique case-insensitively on GitHub."""
        wanted = name.casefold()
        return next((lb for lb in self.labels if lb.name.casefold() == wanted), None)

    def milestone(self, number: int) -> Milestone | None:
        return next((m for m in self.milestones if m.number == number), None)

    def next_issue_number(self) -> int:
        """Issue numbers count from 1; issues are never deleted here, so none is reused."""
        return len(self.issues) + 1

    def next_milestone_number(self) -> int:
        """Milestones number on their own, from 1, and a deleted one's number is not reused."""
        self.milestones_created += 1
        return self.milestones_created


class TokenKind(Enum):
    """Who a token speaks for; each kind has its own powers and rate limit."""

    USER = "user"  # a personal access token
    INSTALLATION = "installation"  # Actions' GITHUB_TOKEN: a GitHub App installation on one repo
    ANONYMOUS = "anonymous"  # no Authorization header: public reads only, 60 an hour


@dataclass
class Token:
    """An access token and its rate-limit budget."""

    value: str
    kind: TokenKind
    login: str
    read_only: bool = False
    repo: str | None = None  # the one repository an installation token may write to
    limit: int = USER_RATE_LIMIT
    used: int = 0
    reset: datetime = field(default_factory=lambda: now() + timedelta(hours=1))
    # When each of its recent content-creating requests was accepted (for ContentLimit).
    creates: deque[datetime] = field(default_factory=deque)

    @property
    def remaining(self) -> int:
        return max(self.limit - self.used, 0)

    def renew_if_due(self, moment: datetime) -> None:
        """A new hour, a new budget: the window restarts at the first request after the reset."""
        if moment >= self.reset:
            self.used, self.reset = 0, moment + timedelta(hours=1)


@dataclass
class ContentLimit:
    """GitHub's secondary limit on content creation (about 80 a minute and 500 an hour).

    Counted per token over sliding windows of the emulator's clock; a create past
    either budget is refused with ``status`` (403 or 429) and GitHub's
    content-creation message, with ``Retry-After`` when ``retry_after`` is set
    (``True``: the seconds until the window frees a slot; a number: that number).
    """

    per_minute: int | None = None
    per_hour: int | None = None
    status: int = 403
    retry_after: bool | int = False

    def wait(self, creates: deque[datetime], moment: datetime) -> int | None:
        """Seconds until one more create fits (None: it fits now); drops expired entries."""
        while creates and creates[0] <= moment - timedelta(hours=1):
            creates.popleft()
        waits: list[int] = []
        for budget, window in ((self.per_minute, 60), (self.per_hour, 3600)):
            if budget is None:
                continue
            recent = [t for t in creates if t > moment - timedelta(seconds=window)]
            if len(recent) >= budget:
                oldest = recent[len(recent) - budget]
                waits.append(
                    max(int((oldest + timedelta(seconds=window) - moment).total_seconds()), 1)
                )
        return max(waits) if waits else None


class World:
    """Everything the emulator knows, behind one lock (the server is threaded)."""

    def __init__(self, clock: Clock | None = None) -> None:
        self.lock = threading.RLock()
        self.clock = clock or Clock()
        self.content_limit = ContentLimit()
        self.users: dict[str, User] = {}
        self.repos: dict[str, Repo] = {}
        self.tokens: dict[str, Token] = {}
        self._ids = itertools.count(1001)
        self._token_serial = itertools.count(1)
        self.user(ACTIONS_BOT_LOGIN, type="Bot", id=ACTIONS_BOT_ID)
        # Requests without a token share one budget, like GitHub's per-IP limit.
        with use_clock(self.clock):
            self.anonymous = Token(
                value="",
                kind=TokenKind.ANONYMOUS,
                login="",
                read_only=True,
                limit=ANONYMOUS_RATE_LIMIT,
            )

    def new_id(self) -> int:
        return next(self._ids)

    def user(self, login: str, *, type: str = "User", id: int | None = None) -> User:
        """The user with this login, created on first mention (tests name people freely)."""
        with self.lock, use_clock(self.clock):
            found = self.find_user(login)
            if found is None:
                found = User(login=login, id=id if id is not None else self.new_id(), type=type)
                self.users[login.casefold()] = found
            return found

    def find_user(self, login: str) -> User | None:
        """Logins are case-insensitive on GitHub."""
        return self.users.get(login.casefold())

    def add_repo(
        self,
        full_name: str,
        *,
        collaborators: list[str] | None = None,
        private: bool = False,
    ) -> Repo:
        with self.lock, use_clock(self.clock):
            owner, _, name = full_name.partition("/")
            if not owner or not name or "/" in name:
                raise ValueError(f"repository must be 'owner/name', got {full_name!r}")
            if full_name.casefold() in self.repos:
                raise ValueError(f"repository {full_name} already exists")
            self.user(owner)
            for login in collaborators or []:
                self.user(login)
            repo = Repo(
                id=self.new_id(),
                owner=owner,
                name=name,
                private=private,
                collaborators=set(collaborators or []),
            )
            repo.labels = [
                Label(id=self.new_id(), name=n, color=c, description=d, default=True)
                for n, c, d in DEFAULT_LABELS
            ]
            self.repos[full_name.casefold()] = repo
            return repo

    def find_repo(self, full_name: str) -> Repo | None:
        return self.repos.get(full_name.casefold())

    def _repo(self, full_name: str) -> Repo:
        found = self.find_repo(full_name)
        if found is None:
            raise KeyError(full_name)
        return found

    def add_pull_request(
        self,
        full_name: str,
        title: str,
        *,
        user: str | None = None,
        body: str | None = None,
        state: str = "open",
    ) -> Issue:
        """A pull request, numbered with the issues; it shows in the issue listing."""
        with self.lock, use_clock(self.clock):
            repo = self._repo(full_name)
            author = self.user(user or repo.owner).login
            pull = Issue(
                id=self.new_id(),
                number=repo.next_issue_number(),
                title=title,
                user=author,
                body=body,
                pull_request=True,
            )
            if state == "closed":
                pull.state, pull.closed_at, pull.closed_by = "closed", now(), author
                pull.state_reason = "completed"
            repo.issues.append(pull)
            return pull

    def delete_issue(self, full_name: str, number: int) -> Issue:
        """Delete an issue as an admin does on github.com (there is no REST call for it)."""
        with self.lock:
            issue = self._repo(full_name).issue(number)
            if issue is None:
                raise KeyError(number)
            issue.deleted = True
            return issue

    def transfer_issue(self, full_name: str, number: int, to: str) -> Issue:
        """Move an issue to repository ``to`` (github.com's "Transfer issue"); returns its new self.

        It gets the next number there and keeps title, body, author, state and comments; its
        labels and milestone come along where ``to`` has them by name, its assignees where
        they can be assigned there.
        """
        with self.lock, use_clock(self.clock):
            source, target = self._repo(full_name), self._repo(to)
            old = source.issue(number)
            if old is None or old.gone:
                raise KeyError(number)
            mine = source.milestone(old.milestone) if old.milestone is not None else None
            milestone = next(
                (m.number for m in target.milestones if mine and m.title == mine.title), None
            )
            new = Issue(
                id=old.id,
                number=target.next_issue_number(),
                title=old.title,
                user=old.user,
                body=old.body,
                state=old.state,
                state_reason=old.state_reason,
                labels=[lb.name for n in old.labels if (lb := target.label(n)) is not None],
                assignees=[a for a in old.assignees if target.has_push(a)],
                milestone=milestone,
                comments=[
                    Comment(c.id, 0, c.body, c.user, c.created_at, c.updated_at)
                    for c in old.comments
                ],
                created_at=old.created_at,
                closed_at=old.closed_at,
                closed_by=old.closed_by,
            )
            for moved in new.comments:
                moved.issue_number = new.number
            new.touch()
            target.issues.append(new)
            old.transferred_to = (target.full_name, new.number)
            return new

    def find_repo_by_id(self, repo_id: int) -> Repo | None:
        """For GitHub's ``/repositories/{id}/…`` alias of ``/repos/{owner}/{repo}/…``."""
        return next((r for r in self.repos.values() if r.id == repo_id), None)

    def new_token(
        self,
        kind: TokenKind,
        login: str,
        *,
        read_only: bool = False,
        repo: str | None = None,
        value: str | None = None,
        limit: int | None = None,
    ) -> Token:
        """Mint a token. Values are obviously fake (no ``ghp_``/``ghs_`` prefix) on purpose."""
        with self.lock, use_clock(self.clock):
            serial = next(self._token_serial)
            prefix = "emu-inst" if kind is TokenKind.INSTALLATION else "emu-user"
            if limit is None:
                limit = (
                    INSTALLATION_RATE_LIMIT if kind is TokenKind.INSTALLATION else USER_RATE_LIMIT
                )
            token = Token(
                value=value or f"{prefix}-{serial:04d}-{login.replace('[', '').replace(']', '')}",
                kind=kind,
                login=login,
                read_only=read_only,
                repo=repo,
                limit=limit,
            )
            self.tokens[token.value] = token
            return token
