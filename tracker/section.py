"""The "Pending AIs" section: built from AI statuses and rendered.

:func:`build_pending` turns statuses into typed objects for ``pending.md.j2``;
:func:`render_pending` renders them; :func:`render_agenda` puts the section, between
its :data:`MARKERS`, into the next meeting's skeleton. Writing it into a file is
:mod:`tracker.files`' job, reading GitHub :mod:`tracker.commands`'.

The section is written into minutes that tracker parses again, so the template
keeps to forms the parser reads safely: each open AI as ``AI: [owner] task (#12)``
(a carry-over of its original line, linked to its issue), and nothing else that
reads as an AI or a blocker decision (issue #5).

Much of it is read from GitHub (an AI gone from the minutes is described by its
issue; milestone titles), and whoever can edit an issue chooses that text (issue
#10). So every text the template gets is one line (:func:`tracker.escape.one_line`:
no line break, control character, tag or comment), and :func:`render_pending` parses
the rendered section as tracker will: a line that reads as an AI or a blocker decision,
other than an open AI's own line, has the texts on it replaced by :data:`NOT_SHOWN`.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from tracker import templating
from tracker.config import Config
from tracker.escape import one_line
from tracker.files import Markers
from tracker.identity import normalize_text
from tracker.minutes import parse_text
from tracker.model import Minutes
from tracker.status import AIStatus, State
from tracker.words import counted

START_MARKER = "<!-- tracker:pending:start -->"
END_MARKER = "<!-- tracker:pending:end -->"
#: The lines between which ``pending --write`` keeps the section.
MARKERS = Markers(START_MARKER, END_MARKER, "Pending AIs")
TEMPLATE = "pending.md.j2"
AGENDA_TEMPLATE = "agenda.md.j2"
#: Shown instead of a text that would make its line read as a new AI in the minutes.
NOT_SHOWN = "(not shown: it reads as an action item)"


# --------------------------------------------------------------------------- what the template gets


@dataclass(frozen=True)
class PendingAI:
    """One open AI, as the section lists it."""

    owner: str | None
    """``bmbouter``, ``dkliban, ggainey`` or a group (``team``): who owns it on GitHub now;
    None when nobody does (written without an owner, so that none is read back, issue 12)."""
    text: str
    issue: int | None
    """None: not on GitHub yet."""
    url: str | None
    meeting: str
    """The meeting it came from, ISO date (or ``undated``)."""
    weeks: int | None = None
    """Whole weeks from its meeting to the section's day (None: undated)."""
    stale: bool = False
    """Carried longer than the config's ``ageing.stale_after`` weeks."""

    @property
    def carried(self) -> str:
        """``carried 2 weeks``, ``carried 1 week``, ``new`` ("" when undated)."""
        if self.weeks is None:
            return ""
        if self.weeks < 1:
            return "new"
        return f"carried {counted(self.weeks, 'week')}"


@dataclass(frozen=True)
class Topic:
    """Open AIs under one topic (the parent bullet or heading they were decided under)."""

    title: str | None
    """None for AIs decided outside any topic."""
    items: tuple[PendingAI, ...]


@dataclass(frozen=True)
class Group:
    """The open AIs a whole group (``team``, ``all``) owns."""

    name: str
    topics: tuple[Topic, ...]


@dataclass(frozen=True)
class BlockerItem:
    """An open release blocker."""

    subject: str
    owner: str | None
    issue: int | None
    url: str | None
    meeting: str


@dataclass(frozen=True)
class Milestone:
    """The blockers of one milestone: the open ones listed, both counted."""

    title: str
    open: int
    closed: int
    items: tuple[BlockerItem, ...]


@dataclass(frozen=True)
class ClosedAI:
    """An AI closed since the previous meeting."""

    owner: str | None
    text: str
    issue: int | None
    url: str | None
    closed: str
    """The day it was closed, ISO."""


@dataclass(frozen=True)
class Pending:
    """Everything the Pending AIs section shows, in the order it shows it."""

    topics: tuple[Topic, ...]
    """Open AIs of people, by topic, topics in order of their first AI."""
    groups: tuple[Group, ...]
    """Open AIs of groups, each group by topic."""
    milestones: tuple[Milestone, ...]
    """Milestones with at least one open blocker, in release order."""
    completed: tuple[ClosedAI, ...]
    dropped: tuple[ClosedAI, ...]
    since: str | None
    """The previous meeting (ISO): completed and dropped list what was closed on or after it."""
    chart: str | None = None
    """The burn-down as a Mermaid chart in a fenced block (``pending.chart``), else None."""

    @property
    def open_count(self) -> int:
        return sum(len(t.items) for t in self.topics) + sum(
            len(t.items) for g in self.groups for t in g.topics
        )


# --------------------------------------------------------------------------- building


def previous_meeting(
    minutes: Minutes, *, before: datetime.date | None = None
) -> datetime.date | None:
    """The latest meeting that took place (before ``before``, when given)."""
    dates = [
        m.date
        for m in minutes.meetings
        if m.date is not None and not m.skipped and (before is None or m.date < before)
    ]
    return max(dates, default=None)


def build_pending(
    statuses: Iterable[AIStatus],
    *,
    since: datetime.date | None,
    today: datetime.date | None = None,
    stale_after: int | None = None,
) -> Pending:
    """Open AIs by topic and group, open blockers by milestone, what closed on or after ``since``.

    ``today`` is the day the section is for (the meeting it goes into): each open AI's age
    is counted to it, in whole weeks, and one older than ``stale_after`` weeks is stale.
    """
    # A duplicate or forged issue is listed by ``tracker status``, never as the AI.
    ordered = sorted((s for s in statuses if not s.stray), key=_order)
    ages = _Ages(today, stale_after)
    people: list[AIStatus] = []
    groups: dict[str, list[AIStatus]] = {}
    for status in ordered:
        if status.state is State.CLOSED:
            continue
        if status.owners or status.group is None:
            people.append(status)
        else:
            groups.setdefault(status.group, []).append(status)
    closed = [
        s
        for s in sorted(
            ordered, key=lambda s: (s.closed_at.isoformat() if s.closed_at else "", s.issue or 0)
        )
        if s.state is State.CLOSED
        and s.closed_at
        and (since is None or s.closed_at.date() >= since)
    ]
    return Pending(
        topics=_by_topic(people, ages),
        groups=tuple(Group(name, _by_topic(items, ages)) for name, items in groups.items()),
        milestones=_milestones(ordered),
        completed=tuple(_closed(s) for s in closed if not s.dropped),
        dropped=tuple(_closed(s) for s in closed if s.dropped),
        since=since.isoformat() if since else None,
    )


@dataclass(frozen=True)
class _Ages:
    """How old an open AI is on the section's day, and whether that is too old."""

    today: datetime.date | None
    stale_after: int | None

    def of(self, status: AIStatus) -> tuple[int | None, bool]:
        if self.today is None or status.meeting is None:
            return None, False
        weeks = max(0, (self.today - status.meeting).days) // 7
        return weeks, self.stale_after is not None and weeks > self.stale_after


def _milestones(ordered: Sequence[AIStatus]) -> tuple[Milestone, ...]:
    milestones: dict[str, list[AIStatus]] = {}
    for status in ordered:
        if status.is_blocker and status.state is not State.NOT_SYNCED:
            milestones.setdefault(status.milestone or "no milestone", []).append(status)
    return tuple(
        Milestone(
            one_line(title),
            open=sum(1 for s in items if s.state is State.OPEN),
            closed=sum(1 for s in items if s.state is State.CLOSED),
            items=tuple(
                BlockerItem(
                    one_line(_blocker_subject(s)),
                    _owner(s),
                    s.issue,
                    _url(s.url),
                    _iso(s.meeting),
                )
                for s in items
                if s.state is State.OPEN
            ),
        )
        for title, items in sorted(milestones.items(), key=lambda kv: _release_key(kv[0]))
        if any(s.state is State.OPEN for s in items)
    )


def _order(status: AIStatus) -> tuple[datetime.date, str, int, int]:
    where = status.where or ""
    source, _, line = where.rpartition(":")
    return (
        status.meeting or datetime.date.max,
        source,
        int(line) if line.isdigit() else 0,
        status.issue or 0,
    )


def _by_topic(statuses: Sequence[AIStatus], ages: _Ages) -> tuple[Topic, ...]:
    """Topics in the order of their first AI's meeting, each topic's AIs by meeting.

    AIs decided outside any topic stay where their meeting puts them, between the topics
    (issue 12: gathered under the first of them, an AI of January came before one of December).
    """
    blocks: list[tuple[str | None, list[PendingAI]]] = []
    titled: dict[str, list[PendingAI]] = {}
    for status in statuses:
        title = _linked(one_line(status.topic[-1])) or None if status.topic else None
        weeks, stale = ages.of(status)
        item = PendingAI(
            _owner(status),
            one_line(status.text),
            status.issue,
            _url(status.url),
            _iso(status.meeting),
            weeks,
            stale,
        )
        if title is not None and title in titled:
            titled[title].append(item)
        elif title is None and blocks and blocks[-1][0] is None:
            blocks[-1][1].append(item)
        else:
            blocks.append((title, [item]))
            if title is not None:
                titled[title] = blocks[-1][1]
    return tuple(Topic(title, tuple(items)) for title, items in blocks)


_URL = re.compile(r"<?(https?://[^\s<>()\[\]]+[^\s<>()\[\].,;:!?'\"])>?")
_GITHUB_ITEM = re.compile(r"https?://github\.com/([\w.-]+/[\w.-]+)/(?:issues|pull)/(\d+)")


def _linked(title: str) -> str:
    """A topic's URLs as short links (``[pulp/pulpcore#3427](URL)``): GitHub would show a bare
    URL whole, in the middle of the list (issue 12)."""
    return _URL.sub(_short_link, title) if "://" in title else title


def _short_link(match: re.Match[str]) -> str:
    url = match.group(1)
    item = _GITHUB_ITEM.fullmatch(url)
    shown = f"{item.group(1)}#{item.group(2)}" if item else url.split("/")[2]
    return f"[{shown}]({url})"


def _owner(status: AIStatus) -> str | None:
    return one_line(status.owner) if status.owners or status.group else None


def _blocker_subject(status: AIStatus) -> str:
    if status.blocker is not None:
        return status.blocker.subject
    return status.topic[-1] if status.topic else status.text


def _closed(status: AIStatus) -> ClosedAI:
    text = status.text
    if status.is_blocker:
        # The decision's own words ("add to 3.22 blockers") would read as a new decision.
        text = f"{_blocker_subject(status)}, blocking {status.milestone or 'its release'}"
    assert status.closed_at is not None
    return ClosedAI(
        _owner(status),
        one_line(text),
        status.issue,
        _url(status.url),
        status.closed_at.date().isoformat(),
    )


def _url(url: str | None) -> str | None:
    return one_line(url) or None if url else None


def _iso(date: datetime.date | None) -> str:
    return date.isoformat() if date else "undated"


def _release_key(title: str) -> tuple[tuple[int, int | str], ...]:
    """``3.9`` before ``3.22``; words after numbers."""
    parts = re.split(r"(\d+)", title)
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts if p)


def render_pending(pending: Pending, config: Config) -> str:
    """The section's text (without the markers) from ``pending.md.j2``; ends with a newline.

    Parsed back before it is returned: a text that makes its line read as a new AI or
    blocker decision is replaced by :data:`NOT_SHOWN` (see the module's documentation).
    """
    for _ in range(3):
        text = _render(pending, config)
        texts = {t for line in _new_ai_lines(text, pending, config) for t in _on(line, pending)}
        if not texts:
            break
        pending = _without(pending, texts)
    return text


def _render(pending: Pending, config: Config) -> str:
    text = templating.render(config, TEMPLATE, pending=pending)
    return text if text.endswith("\n") else text + "\n"


# A meeting for the section's AIs to belong to while it is parsed on its own.
_PARSE_HEAD = "## 2000-01-01\n\n"


def _new_ai_lines(text: str, pending: Pending, config: Config) -> list[str]:
    """The lines of the section that tracker would read as a new AI or blocker decision: any
    but an open AI's own line (linked to its issue, or an AI of the minutes not synced yet)."""
    linked = {ai.issue for ai in _open_ais(pending) if ai.issue}
    unsynced = {normalize_text(ai.text) for ai in _open_ais(pending) if not ai.issue}
    parsed = parse_text(_PARSE_HEAD + text, source="<section>", config=config)
    lines = (_PARSE_HEAD + text).splitlines()
    return [
        lines[ai.line - 1]
        for ai in parsed.action_items
        if not (
            ai.issue in linked
            or ai.carry_over_of is not None
            or (ai.issue is None and normalize_text(ai.text) in unsynced)
        )
    ]


def _open_ais(pending: Pending) -> Iterable[PendingAI]:
    for topic in (*pending.topics, *(t for g in pending.groups for t in g.topics)):
        yield from topic.items


# Owners and groups are logins, config names or names from the minutes: never a line's cause.
_TEXT_FIELDS = frozenset({"title", "text", "subject"})


def _on(line: str, pending: Pending) -> set[str]:
    """The section's texts that ``line`` shows (but those only part of a longer one there)."""
    found = {t for t in _texts(pending) if t in line}
    return {t for t in found if not any(t != other and t in other for other in found)}


def _texts(value: Any) -> Iterable[str]:
    """Every free text in the section's objects (titles, tasks, subjects)."""
    if isinstance(value, tuple):
        for item in value:
            yield from _texts(item)
    elif dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            inner = getattr(value, field.name)
            if field.name in _TEXT_FIELDS and isinstance(inner, str) and inner:
                yield inner
            else:
                yield from _texts(inner)


def _without(value: Any, texts: set[str]) -> Any:
    """``value`` with each of ``texts`` in its free-text fields replaced by :data:`NOT_SHOWN`."""
    if isinstance(value, tuple):
        return tuple(_without(item, texts) for item in value)
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        return value
    changes = {}
    for field in dataclasses.fields(value):
        inner = getattr(value, field.name)
        if field.name in _TEXT_FIELDS and isinstance(inner, str):
            if inner in texts:
                changes[field.name] = NOT_SHOWN
        elif isinstance(inner, tuple):
            changes[field.name] = _without(inner, texts)
    return dataclasses.replace(value, **changes)


def render_agenda(
    config: Config, *, date: datetime.date, previous: datetime.date | None, section: str
) -> str:
    """The minutes skeleton of the meeting on ``date`` from ``agenda.md.j2``, with the
    Pending AIs ``section`` between its markers."""
    return templating.render(
        config,
        AGENDA_TEMPLATE,
        date=date.isoformat(),
        previous=previous.isoformat() if previous else None,
        pending=MARKERS.around(section),
    )
