"""The "Pending AIs" section: built from AI statuses, rendered, and written between markers.

:func:`build_pending` turns statuses into typed objects for ``pending.md.j2``;
:func:`render_pending` renders them; :func:`splice` replaces only the text
between ``<!-- tracker:pending:start -->`` and ``<!-- tracker:pending:end -->``
(or appends the section with its markers), keeping every other byte and the
file's newline style; :func:`write_section` does it atomically or, in check
mode, only says whether the file is out of date.

The section is written into minutes that tracker parses again, so the template
keeps to forms the parser reads safely: each open AI as ``AI: [owner] task (#12)``
(a carry-over of its original line, linked to its issue), and nothing else that
reads as an AI or a blocker decision (issue #5).
"""

from __future__ import annotations

import datetime
import difflib
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tracker import templating
from tracker.config import Config
from tracker.errors import InputError, TrackerError
from tracker.minutes.reading import split_lines
from tracker.model import Minutes
from tracker.status import AIStatus, State

if TYPE_CHECKING:  # importing tracker.github loads PyGithub
    from tracker.settings import Settings

START_MARKER = "<!-- tracker:pending:start -->"
END_MARKER = "<!-- tracker:pending:end -->"
TEMPLATE = "pending.md.j2"


class OutOfDate(TrackerError):
    """``--check``: the file's section differs from what ``--write`` would put there."""


# --------------------------------------------------------------------------- what the template gets


@dataclass(frozen=True)
class PendingAI:
    """One open AI, as the section lists it."""

    owner: str
    """``bmbouter``, ``dkliban, ggainey`` or a group (``team``): who owns it on GitHub now."""
    text: str
    issue: int | None
    """None: not on GitHub yet."""
    url: str | None
    meeting: str
    """The meeting it came from, ISO date (or ``undated``)."""


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
    owner: str
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

    owner: str
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


def build_pending(statuses: Iterable[AIStatus], *, since: datetime.date | None) -> Pending:
    """Open AIs by topic and group, open blockers by milestone, what closed on or after ``since``."""
    ordered = sorted(statuses, key=_order)
    people: list[AIStatus] = []
    groups: dict[str, list[AIStatus]] = {}
    for status in ordered:
        if status.state is State.CLOSED:
            continue
        if status.owners or status.group is None:
            people.append(status)
        else:
            groups.setdefault(status.group, []).append(status)

    milestones: dict[str, list[AIStatus]] = {}
    for status in ordered:
        if status.is_blocker and status.state is not State.NOT_SYNCED:
            milestones.setdefault(status.milestone or "no milestone", []).append(status)

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
        topics=_by_topic(people),
        groups=tuple(Group(name, _by_topic(items)) for name, items in groups.items()),
        milestones=tuple(
            Milestone(
                title,
                open=sum(1 for s in items if s.state is State.OPEN),
                closed=sum(1 for s in items if s.state is State.CLOSED),
                items=tuple(
                    BlockerItem(_blocker_subject(s), s.owner, s.issue, s.url, _iso(s.meeting))
                    for s in items
                    if s.state is State.OPEN
                ),
            )
            for title, items in sorted(milestones.items(), key=lambda kv: _release_key(kv[0]))
            if any(s.state is State.OPEN for s in items)
        ),
        completed=tuple(_closed(s) for s in closed if not s.dropped),
        dropped=tuple(_closed(s) for s in closed if s.dropped),
        since=since.isoformat() if since else None,
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


def _by_topic(statuses: Sequence[AIStatus]) -> tuple[Topic, ...]:
    topics: dict[str | None, list[PendingAI]] = {}
    for status in statuses:
        title = status.topic[-1] if status.topic else None
        topics.setdefault(title, []).append(
            PendingAI(status.owner, status.text, status.issue, status.url, _iso(status.meeting))
        )
    return tuple(Topic(title, tuple(items)) for title, items in topics.items())


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
        status.owner, text, status.issue, status.url, status.closed_at.date().isoformat()
    )


def _iso(date: datetime.date | None) -> str:
    return date.isoformat() if date else "undated"


def _release_key(title: str) -> tuple[tuple[int, int | str], ...]:
    """``3.9`` before ``3.22``; words after numbers."""
    parts = re.split(r"(\d+)", title)
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts if p)


def render_pending(pending: Pending, config: Config) -> str:
    """The section's text (without the markers) from ``pending.md.j2``; ends with a newline."""
    text = templating.render(config, TEMPLATE, pending=pending)
    return text if text.endswith("\n") else text + "\n"


# --------------------------------------------------------------------------- the marker-bounded write


def splice(text: str, section: str, *, path: str = "<text>") -> str:
    """``text`` with the lines between the markers replaced by ``section``.

    Only the managed lines change: every other character stays, and the section
    takes the file's newline style (``\\r\\n`` when the file uses it). Without
    markers, the section is appended at the end, between new markers.
    """
    newline = "\r\n" if "\r\n" in text else "\n"
    body = section.replace("\r\n", "\n").replace("\n", newline)
    lines = split_lines(text)
    starts = [i for i, line in enumerate(lines) if line.strip() == START_MARKER]
    ends = [i for i, line in enumerate(lines) if line.strip() == END_MARKER]
    if not starts and not ends:
        head = text
        if head and not head.endswith(("\n", "\r")):
            head += newline
        if head.strip():
            head += newline
        return f"{head}{START_MARKER}{newline}{body}{END_MARKER}{newline}"
    if len(starts) != 1 or len(ends) != 1 or ends[0] < starts[0]:
        if len(starts) > 1 or len(ends) > 1:
            index = starts[1] if len(starts) > 1 else ends[1]
        elif starts and ends:
            index = ends[0]  # the end comes before the start
        else:
            index = (starts or ends)[0]
        line = index + 1
        raise InputError(
            "the Pending AIs markers must appear once each, start before end",
            path=path,
            line=line,
            hint=f"keep one {START_MARKER} line and one {END_MARKER} line",
        )
    start, end = starts[0], ends[0]
    return "".join(lines[: start + 1]) + body + "".join(lines[end:])


@dataclass(frozen=True)
class WriteResult:
    """What writing (or checking) the section did."""

    path: str
    changed: bool
    """The file differs (or differed) from the refreshed one."""
    written: bool
    diff: str
    """A unified diff from the file to the refreshed file (empty when unchanged)."""


def write_section(
    path: str | os.PathLike[str], section: str, *, check: bool = False
) -> WriteResult:
    """Put ``section`` between the markers of ``path`` (created when missing).

    The write is atomic: a temporary file in the same folder, renamed over the
    original, so a crash leaves the old file or the new one, never half of one.
    With ``check``, nothing is written.
    """
    target = Path(path)
    shown = str(path)
    try:
        raw = target.read_bytes()
    except FileNotFoundError:
        raw = b""
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=shown) from None
    try:
        old = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", path=shown) from None
    new = splice(old, section, path=shown)
    if new == old:
        return WriteResult(shown, changed=False, written=False, diff="")
    diff = "".join(
        difflib.unified_diff(
            old.splitlines(keepends=True),
            new.splitlines(keepends=True),
            fromfile=shown,
            tofile=shown,
        )
    )
    if check:
        return WriteResult(shown, changed=True, written=False, diff=diff)
    atomic_write(target, new.encode("utf-8"))
    return WriteResult(shown, changed=True, written=True, diff=diff)


def atomic_write(target: Path, data: bytes) -> None:
    """Replace ``target`` with ``data`` through a temporary file and a rename, keeping its mode."""
    folder = target.parent if str(target.parent) else Path(".")
    try:
        mode = target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    try:
        fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror}", path=str(target)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


# --------------------------------------------------------------------------- the library call of `tracker pending`


@dataclass(frozen=True)
class PendingRead:
    """The rendered section and what reading GitHub cost."""

    text: str
    pending: Pending
    reads: int


def meeting_in(path: str | os.PathLike[str], config: Config) -> datetime.date | None:
    """The latest meeting date of the file the section goes into (None: none, or no file)."""
    from tracker.minutes import parse  # the parser is only needed here

    if not Path(path).is_file():
        return None
    dates = [m.date for m in parse([str(path)], config=config).meetings if m.date is not None]
    return max(dates, default=None)


def pending_section(
    minutes: Minutes,
    *,
    config: Config,
    settings: Settings,
    since: datetime.date | None = None,
    meeting: datetime.date | None = None,
    today: datetime.date | None = None,
) -> PendingRead:
    """Read the tracker's issues once and render the section for ``meeting``.

    Completed and dropped list what was closed on or after ``since``, by default
    the latest meeting of the minutes before ``meeting`` (or the latest of all).
    """
    from tracker.status import read_status

    read = read_status(minutes, config=config, settings=settings, today=today)
    since = since or previous_meeting(minutes, before=meeting)
    pending = build_pending(read.statuses, since=since)
    return PendingRead(render_pending(pending, config), pending, read.reads)


AGENDA_TEMPLATE = "agenda.md.j2"


def agenda(
    minutes: Minutes,
    *,
    config: Config,
    settings: Settings,
    date: datetime.date,
    today: datetime.date | None = None,
) -> PendingRead:
    """The minutes skeleton of the meeting on ``date`` from ``agenda.md.j2``, Pending AIs filled in."""
    since = previous_meeting(minutes, before=date)
    read = pending_section(
        minutes, config=config, settings=settings, since=since, meeting=date, today=today
    )
    block = f"{START_MARKER}\n{read.text}{END_MARKER}\n"
    text = templating.render(
        config,
        AGENDA_TEMPLATE,
        date=date.isoformat(),
        previous=since.isoformat() if since else None,
        pending=block,
    )
    return PendingRead(text, read.pending, read.reads)


def write_new(path: str | os.PathLike[str], text: str) -> None:
    """Create ``path`` with ``text`` (atomically); an existing file is never overwritten."""
    target = Path(path)
    if target.exists():
        raise InputError(
            "already exists; not overwritten",
            path=str(path),
            hint=f"refresh its section with: tracker pending --write {path}",
        )
    atomic_write(target, text.encode("utf-8"))
