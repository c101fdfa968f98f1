"""Minutes + the tracker's issues on GitHub -> the status of every AI (issue #5).

Once an AI has an issue, GitHub is the truth: open or closed, why and when it
was closed, who it is assigned to now and which milestone it sits in. The
minutes say which AIs exist, when they were decided and under which topic.

:func:`ai_statuses` is pure (no network, no clock): :mod:`tracker.commands` calls
it with the one listing :meth:`tracker.github.GitHub.read_issues` returns.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from tracker.config import Config
from tracker.identity import find_marker, index_markers, meeting_of, trusted_authors
from tracker.model import ActionItem, Blocker, Minutes
from tracker.record import WriteRecord
from tracker.snapshot import ExistingIssue


class State(enum.Enum):
    """Where an AI stands."""

    OPEN = "open"
    CLOSED = "closed"
    NOT_SYNCED = "not synced"
    """In the minutes, but no issue carries it yet: run ``tracker sync``."""


#: ``state_reason`` values that mean the AI was dropped rather than done.
DROPPED_REASONS = frozenset({"not_planned", "duplicate"})


@dataclass(frozen=True)
class AIStatus:
    """One AI as the minutes and GitHub see it together."""

    ai_id: str
    text: str
    """The task as the minutes write it (for an AI gone from the minutes: as last synced)."""
    state: State
    owners: tuple[str, ...]
    """Who owns it now: the issue's assignees; without any, the owners written in the minutes."""
    group: str | None
    """The group that owns it (``team``), from the issue's group label or the minutes."""
    meeting: datetime.date | None
    topic: tuple[str, ...] = ()
    where: str | None = None
    """``source:line`` in the minutes; None for an AI gone from them."""
    in_minutes: bool = True
    """False: the issue's AI is no longer in the minutes (the issue is left as it is)."""
    issue: int | None = None
    url: str | None = None
    state_reason: str | None = None
    """GitHub's reason for the close: ``completed``, ``not_planned``."""
    closed_at: datetime.datetime | None = None
    closed_by: str | None = None
    """Who closed it: GitHub's issue listing says, at no extra request."""
    milestone: str | None = None
    """The issue's milestone on GitHub (a blocker moved there shows there)."""
    blocker: Blocker | None = None
    """The blocker decision of the minutes, when the AI is one."""
    is_blocker: bool = False
    """Carries the blocker label on GitHub (or, before its sync, is a blocker in the minutes)."""
    age: int | None = None
    """Days from the meeting to today (open) or to the close (closed)."""
    labels: tuple[str, ...] = ()
    """The issue's labels on GitHub."""
    created_at: datetime.datetime | None = None
    """When the issue was opened (None: no issue yet)."""
    comments: int = 0
    """How many comments its issue has."""
    duplicate_of: int | None = None
    """Not the AI's issue but a later one carrying its marker (two syncs ran at once): the
    AI's issue is this one; the next ``tracker sync`` closes this one as its duplicate."""
    forged_by: str | None = None
    """Not the AI's issue: opened by this login, whom tracker does not trust, carrying the
    AI's marker; ignored (issue #10)."""

    @property
    def stray(self) -> bool:
        """An issue carrying the AI's marker that is not its issue (a duplicate or a forgery):
        listed so that nobody misses it, never counted as the AI."""
        return self.duplicate_of is not None or self.forged_by is not None

    @property
    def dropped(self) -> bool:
        """Closed as not planned (or as a duplicate) rather than done."""
        return self.state is State.CLOSED and self.state_reason in DROPPED_REASONS

    @property
    def owner(self) -> str:
        """The owner as shown in ``AI: [owner] task``."""
        if self.owners:
            return ", ".join(self.owners)
        return self.group or "nobody"

    def to_json(self) -> dict[str, Any]:
        return {
            "ai": self.ai_id,
            "text": self.text,
            "state": self.state.value,
            "state_reason": self.state_reason,
            "dropped": self.dropped,
            "owners": list(self.owners),
            "group": self.group,
            "meeting": self.meeting.isoformat() if self.meeting else None,
            "age_days": self.age,
            "topic": list(self.topic),
            "where": self.where,
            "in_minutes": self.in_minutes,
            "issue": self.issue,
            "url": self.url,
            "closed_at": self.closed_at.isoformat() if self.closed_at else None,
            "closed_by": self.closed_by,
            "milestone": self.milestone,
            "blocker": self.is_blocker,
            "duplicate_of": self.duplicate_of,
            "forged_by": self.forged_by,
        }


def ai_statuses(
    minutes: Minutes,
    issues: Iterable[ExistingIssue],
    config: Config,
    *,
    today: datetime.date,
    viewer: str | None,
) -> tuple[AIStatus, ...]:
    """Every distinct AI of the minutes, in minutes order, then the issues whose AI is gone.

    An AI's issue is the one whose hidden marker carries its id (the lowest number
    when a crash left twins), else the issue its line is annotated with (``(#123)``).
    As for ``tracker sync``, only the markers of issues opened by ``viewer`` (the token's
    user) or a ``bot_authors`` login count: anyone else's issue carrying a marker is
    ignored (:func:`forgeries` lists them).
    """
    issues = tuple(issues)
    by_number = {listed.number: listed for listed in issues}
    trusted = trusted_authors(config.bot_authors, viewer)
    by_marker = index_markers(i for i in issues if i.author.casefold() in trusted).first
    used: set[int] = set()
    statuses: list[AIStatus] = []
    for ai in minutes.distinct_action_items:
        issue = by_marker.get(ai.id)
        if issue is None and ai.issue is not None:
            issue = by_number.get(ai.issue)
        if issue is not None:
            used.add(issue.number)
        statuses.append(_status(ai, issue, config, today))
    for ai_id, issue in by_marker.items():
        if issue.number not in used:
            statuses.append(_gone(ai_id, issue, config, today))
    return tuple(statuses)


def forgeries(
    issues: Iterable[ExistingIssue], config: Config, *, viewer: str | None
) -> tuple[str, ...]:
    """A warning for each issue that carries an AI's marker but was opened by someone tracker
    does not trust: it is not the AI's issue, whatever state it is in."""
    trusted = trusted_authors(config.bot_authors, viewer)
    others = index_markers(i for i in issues if i.author.casefold() not in trusted)
    found = sorted([*others.first.values(), *(twin for twin, _ in others.twins)], key=_number)
    return tuple(
        f"#{issue.number} carries the marker of AI {find_marker(issue.body)} but was "
        f"opened by {issue.author}, who is not a trusted author; ignored (hint: if it is "
        "tracker's own, add them to bot_authors)"
        for issue in found
    )


def stray_issues(
    minutes: Minutes,
    issues: Iterable[ExistingIssue],
    config: Config,
    *,
    today: datetime.date,
    viewer: str | None,
) -> tuple[AIStatus, ...]:
    """The issues carrying an AI's marker that are not its issue, by number: later twins of a
    trusted issue (two syncs at once; ``duplicate_of`` names the AI's issue) and every issue
    by an author tracker does not trust (``forged_by``). Each is described as its AI is (from
    the minutes, else from the issue), with its own state."""
    issues = tuple(issues)
    trusted = trusted_authors(config.bot_authors, viewer)
    own = index_markers(i for i in issues if i.author.casefold() in trusted)
    others = index_markers(i for i in issues if i.author.casefold() not in trusted)
    strays: list[tuple[ExistingIssue, dict[str, Any]]] = [
        (twin, {"duplicate_of": first.number}) for twin, first in own.twins
    ]
    strays += [
        (forged, {"forged_by": forged.author})
        for forged in [*others.first.values(), *(twin for twin, _ in others.twins)]
    ]
    ais = {ai.id: ai for ai in minutes.distinct_action_items}
    found = []
    for issue, why in sorted(strays, key=lambda stray: stray[0].number):
        ai_id = find_marker(issue.body) or ""
        ai = ais.get(ai_id)
        status = _status(ai, issue, config, today) if ai else _gone(ai_id, issue, config, today)
        found.append(replace(status, **why))
    return tuple(found)


def _number(issue: ExistingIssue) -> int:
    return issue.number


def _status(
    ai: ActionItem, issue: ExistingIssue | None, config: Config, today: datetime.date
) -> AIStatus:
    common: dict[str, Any] = {
        "ai_id": ai.id,
        "text": ai.text,
        "meeting": ai.meeting,
        "topic": ai.topic,
        "where": f"{ai.source}:{ai.line}",
        "blocker": ai.blocker,
    }
    if issue is None:
        return AIStatus(
            state=State.NOT_SYNCED,
            owners=ai.assignees or _people_written(ai),
            group=ai.group,
            is_blocker=ai.blocker is not None,
            age=_days(ai.meeting, today),
            **common,
        )
    return AIStatus(**common, **_from_issue(issue, config, today, ai.meeting, fallback=ai))


def _people_written(ai: ActionItem) -> tuple[str, ...]:
    """The owners as written, but for the group: the parser resolved them (issue 9)."""
    group = ai.group.casefold() if ai.group else None
    return tuple(owner for owner in ai.owners if owner.casefold() != group)


def _gone(ai_id: str, issue: ExistingIssue, config: Config, today: datetime.date) -> AIStatus:
    """An issue whose AI left the minutes: described by its write record, else its title."""
    record = WriteRecord.from_body(issue.body)
    meeting = _date(record.meeting if record else None) or _date(meeting_of(ai_id))
    return AIStatus(
        ai_id=ai_id,
        text=(record.text if record and record.text else issue.title),
        meeting=meeting,
        topic=record.topic if record else (),
        in_minutes=False,
        **_from_issue(issue, config, today, meeting, fallback=None),
    )


def _from_issue(
    issue: ExistingIssue,
    config: Config,
    today: datetime.date,
    meeting: datetime.date | None,
    *,
    fallback: ActionItem | None,
) -> dict[str, Any]:
    labels = {label.casefold() for label in issue.labels}
    group = next(
        (g for g in config.groups if config.group_label.format(group=g).casefold() in labels), None
    )
    owners = issue.assignees
    if not owners and group is None and fallback is not None:
        # Nobody assigned on GitHub (say the owner could not be assigned): the minutes' word.
        owners = fallback.assignees or fallback.owners
        group = fallback.group
    closed = issue.state == "closed"
    end = issue.closed_at.date() if closed and issue.closed_at else today
    return {
        "state": State.CLOSED if closed else State.OPEN,
        "owners": owners,
        "group": group,
        "issue": issue.number,
        "url": issue.url or None,
        "state_reason": issue.state_reason if closed else None,
        "closed_at": issue.closed_at if closed else None,
        "closed_by": issue.closed_by if closed else None,
        "milestone": issue.milestone,
        "is_blocker": config.blocker_label.casefold() in labels,
        "age": _days(meeting, end),
        "labels": issue.labels,
        "created_at": issue.created_at,
        "comments": issue.comments,
    }


def _days(start: datetime.date | None, end: datetime.date) -> int | None:
    return (end - start).days if start is not None else None


def _date(text: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def select(
    statuses: Sequence[AIStatus], *, owner: str | None = None, state: str = "all"
) -> tuple[AIStatus, ...]:
    """The statuses of one owner (a login or a group, any case) and/or one state.

    ``state``: ``open`` (open issues and AIs not synced yet), ``closed`` or ``all``.
    """
    chosen = []
    for status in statuses:
        if state == "open" and status.state is State.CLOSED:
            continue
        if state == "closed" and status.state is not State.CLOSED:
            continue
        if owner is not None:
            names = {o.casefold() for o in status.owners} | (
                {status.group.casefold()} if status.group else set()
            )
            if owner.lstrip("@").casefold() not in names:
                continue
        chosen.append(status)
    return tuple(chosen)
