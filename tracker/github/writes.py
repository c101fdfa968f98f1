"""Writing to GitHub: labels, milestones and issues created, issues updated, duplicates
closed. Each write is paced by the run's Pacer first; a create is never resent blind (see
:mod:`tracker.github.http`), and a write whose outcome is unknown raises
:class:`~tracker.github.errors.AmbiguousWrite` for the sync to look up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from github.GithubObject import NotSet
from github.Issue import Issue
from github.Milestone import Milestone

from tracker.errors import GitHubError
from tracker.github.errors import (
    AmbiguousWrite,
    Refused,
    already_exists,
    expect,
    invalid_assignees,
)
from tracker.github.session import Session
from tracker.issue import IssueFields
from tracker.snapshot import LabelSpec


@dataclass(frozen=True)
class Created:
    """An issue that now exists."""

    number: int
    url: str
    dropped_assignees: tuple[str, ...] = ()


class Writes(Session):
    """The writes of a session, in the order a sync makes them."""

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
                if already_exists(exc):
                    return
                raise

    def create_milestone(self, title: str) -> None:
        """Create a milestone; if it appeared meanwhile, use that one."""
        self._pace(creates=True)
        for attempt in (1, 2):
            try:
                with self._errors("create a milestone in", write=True):
                    milestone = self._repo.create_milestone(title)
                    expect(isinstance(milestone.number, int))
                self._milestones[title] = milestone
                return
            except AmbiguousWrite:
                if attempt == 2:
                    raise
            except GitHubError as exc:
                if not already_exists(exc):
                    raise
                with self._errors("list the milestones of"):
                    milestones = list(self._repo.get_milestones(state="all"))
                    expect(all(isinstance(m.title, str) for m in milestones))
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
                expect(isinstance(issue.number, int) and isinstance(issue.html_url, str))
            dropped: tuple[str, ...] = ()
        except GitHubError as exc:
            if not (invalid_assignees(exc) and fields.assignees):
                raise
            kwargs["assignees"] = []
            with self._errors("create an issue in", write=True):
                issue = self._repo.create_issue(**kwargs)
                expect(isinstance(issue.number, int) and isinstance(issue.html_url, str))
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
                _edited(issue)
            return ()
        except GitHubError as exc:
            if not (invalid_assignees(exc) and "assignees" in kwargs):
                raise
            dropped = tuple(kwargs.pop("assignees"))
            with self._errors(f"update issue #{number} in", write=True):
                issue.edit(**kwargs)
                _edited(issue)
            return dropped

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
                _edited(issue)
        except Refused as exc:
            if "state_reason" not in exc.fields:
                raise
            with self._errors(f"close issue #{number} in", write=True):
                issue.edit(state="closed", state_reason="not_planned")
                _edited(issue)

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


def _edited(issue: Issue) -> None:
    """Inside ``_errors``: GitHub answered the PATCH with the issue. An answer tracker cannot
    read (a proxy's HTML page with 200) leaves it without a state: the edit may not have
    happened, so the run must not count it done (issue 10: rerun, never a silent success)."""
    expect(issue.state in ("open", "closed"))
