"""What GitHub holds, as plain frozen data: read by ``tracker.github``, read by the planner
and the status.

Nothing here talks to GitHub or decides anything; these are the values that cross
the seam between ``tracker.github`` (the only package that imports PyGithub) and the
pure modules after it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ExistingIssue:
    """A tracker-labelled issue as GitHub holds it."""

    number: int
    title: str
    body: str
    author: str
    """Login of whoever opened it (``github-actions[bot]`` for Actions' token)."""
    state: str = "open"
    assignees: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    milestone: str | None = None
    url: str = ""
    state_reason: str | None = None
    """Why it was closed: ``completed``, ``not_planned`` (or ``reopened``, None)."""
    closed_at: datetime.datetime | None = None
    closed_by: str | None = None
    """Who closed it, when the listing says (GitHub's issue list leaves it out)."""
    created_at: datetime.datetime | None = None
    comments: int = 0
    """How many comments it has (the listing says, at no cost)."""


@dataclass(frozen=True)
class Snapshot:
    """Everything the plan needs from GitHub, read once per run."""

    repo: str
    viewer: str | None
    """The token's login; None when ``GET /user`` is refused (an installation token)."""
    issues: tuple[ExistingIssue, ...] = ()
    labels: tuple[str, ...] = ()
    milestones: tuple[str, ...] = ()
    assignable: tuple[str, ...] = ()
    unlabelled: tuple[ExistingIssue, ...] = ()
    """Issues without the tracker's label that it may have opened (recently updated ones and
    those the minutes link to), read only when a plan would otherwise open issues."""


@dataclass(frozen=True)
class LabelSpec:
    """A label as GitHub creates it: name, colour and description."""

    name: str
    color: str
    description: str

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "color": self.color, "description": self.description}
