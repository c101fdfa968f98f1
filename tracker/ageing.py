"""Stale AIs: open longer than ``ageing.stale_after`` weeks, and flagged once (issue 12).

Pure: :func:`due` picks, from the statuses of one issue listing, the issues to flag;
:func:`already_flagged` reads an issue's comments for tracker's marker; :func:`comment`
is what tracker says. ``tracker sync`` (through :mod:`tracker.commands`) does the writing
with :meth:`tracker.github.GitHub.flag`, when the config has ``ageing.escalate: true``.

An issue is flagged at most once, ever: the label says so without a request, and when
someone removed the label, the marker in tracker's comment still does (one read of the
comments, made only for an unlabelled issue that has comments).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from tracker.snapshot import LabelSpec
from tracker.status import AIStatus, State
from tracker.words import counted

#: The hidden marker in tracker's comment on a stale AI's issue.
MARKER = "<!-- tracker:stale -->"


@dataclass(frozen=True)
class Stale:
    """An open AI carried longer than the config allows, and its issue."""

    issue: int
    weeks: int
    meeting: datetime.date
    comments: int = 0
    """How many comments the issue has: with none, none can say it was flagged."""


def weeks_carried(meeting: datetime.date | None, today: datetime.date) -> int | None:
    """Whole weeks from the AI's meeting to ``today`` (None: undated)."""
    return None if meeting is None else max(0, (today - meeting).days) // 7


def due(
    statuses: Iterable[AIStatus], *, today: datetime.date, after: int, label: str
) -> tuple[Stale, ...]:
    """The open issues of AIs of the minutes older than ``after`` weeks, not yet labelled
    ``label``, oldest first."""
    found = []
    for status in statuses:
        weeks = weeks_carried(status.meeting, today)
        if (
            status.state is State.OPEN
            and status.in_minutes
            and status.issue is not None
            and status.meeting is not None
            and weeks is not None
            and weeks > after
            and label.casefold() not in {name.casefold() for name in status.labels}
        ):
            found.append(Stale(status.issue, weeks, status.meeting, status.comments))
    return tuple(sorted(found, key=lambda s: (s.meeting, s.issue)))


def already_flagged(comments: Iterable[tuple[str, str]], trusted: frozenset[str]) -> bool:
    """A comment by tracker (a trusted author) carries the marker: never comment again."""
    return any(author.casefold() in trusted and MARKER in body for author, body in comments)


def comment(stale: Stale, *, after: int) -> str:
    """What tracker says on a stale AI's issue."""
    return (
        f"This action item has been carried for {counted(stale.weeks, 'week')}, since the "
        f"meeting of {stale.meeting.isoformat()} (the team's limit is "
        f"{counted(after, 'week')}). Close it when it is done or no longer planned, or bring "
        "it to the next meeting. tracker says this once.\n\n"
        f"{MARKER}\n"
    )


def label_spec(name: str) -> LabelSpec:
    """The stale label, as tracker creates it when the repository lacks it."""
    return LabelSpec(name, "e99695", "An action item carried longer than the team's limit")
