"""Reading GitHub: the snapshot a plan needs, the tracker's issues, and the look-ups a
sync makes before a create (the newest issues, issues that lost their label).

Only what the run needs is kept: each issue becomes tracker's plain
:class:`~tracker.snapshot.ExistingIssue`, and no PyGithub object is kept per issue.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable, Iterable
from email.utils import parsedate_to_datetime
from typing import Any, cast

from github import GithubException
from github.GithubObject import GithubObject
from github.Issue import Issue

from tracker.errors import GitHubError
from tracker.github.errors import expect
from tracker.github.http import ANSWERS
from tracker.github.session import Session
from tracker.snapshot import ExistingIssue, Snapshot

#: The attributes an object was made from, as listed (``GithubObject.raw_data``'s getter,
#: which a lazy object's own ``raw_data`` wraps in a request to complete it).
_LISTED: Callable[[GithubObject], Any] = cast(property, GithubObject.raw_data).fget  # type: ignore[assignment]


class Reads(Session):
    """The reads of a session: one listing per 100 issues, never a request per issue."""

    def read_snapshot(self) -> Snapshot:
        """Everything the plan needs, in 4 requests plus one per 100 tracker issues."""
        viewer = self.viewer()
        issues = self.read_issues()
        with self._errors("list who can be assigned in"):
            users = list(self._repo.get_assignees())
            expect(all(isinstance(user.login, str) for user in users))
        with self._errors("list the labels of"):
            labels = list(self._repo.get_labels())
            expect(all(isinstance(label.name, str) for label in labels))
        with self._errors("list the milestones of"):
            milestones = list(self._repo.get_milestones(state="all"))
            expect(all(isinstance(m.title, str) for m in milestones))
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
        answer = ANSWERS.first()
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
            expect(isinstance(issue.number, int) and isinstance(issue.html_url, str))
            if "/pull/" in issue.html_url:
                continue
            result.append(self._remember(issue))
        return tuple(result)

    def viewer(self) -> str | None:
        """The token's login; None for an installation token (Actions), which may not read /user."""
        try:
            with self._errors("identify the token's user for"):
                login = self._gh.get_user().login
                expect(isinstance(login, str) and bool(login))
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
            state_reason=issue.state_reason,
            closed_at=issue.closed_at,
            closed_by=_closer(issue),
            created_at=issue.created_at,
            comments=issue.comments if isinstance(issue.comments, int) else 0,
        )

    def comments(self, number: int) -> tuple[tuple[str, str], ...]:
        """(author, body) of each comment on issue ``number``: one read per 100 comments."""
        issue = self._repo.get_issue(number)  # lazy: no request
        with self._errors(f"read the comments of issue #{number} in"):
            found = [(c.user.login if c.user else "", c.body or "") for c in issue.get_comments()]
        return tuple(found)


def _closer(issue: Issue) -> str | None:
    """Who closed the issue, as its listing says: GitHub lists ``closed_by`` on every issue (a
    user when closed, null when open). Read from what was listed, never completed with a
    request per issue where a server leaves it out (``Issue.closed_by`` would)."""
    listed = _LISTED(issue)  # PyGithub's own getter, without the completion of Issue's
    closer = listed.get("closed_by") if isinstance(listed, dict) else None
    login = closer.get("login") if isinstance(closer, dict) else None
    return login if isinstance(login, str) else None
