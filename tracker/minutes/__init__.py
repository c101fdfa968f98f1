"""Minutes text -> :class:`~tracker.model.Minutes`.

The pipeline: :mod:`reading` (bytes to text), :mod:`outline` (meetings, topics,
sections), :mod:`forms` (is this line an AI? a blocker decision?), then this
module settles what needs the whole input: meeting years, owners, carry-overs
and ids.
"""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from tracker.config import Config
from tracker.identity import action_item_id, normalize_text
from tracker.minutes import dates
from tracker.minutes.explain import Explanation, explain_line
from tracker.minutes.outline import Outline, Section, SectionTitles, build_outline
from tracker.minutes.people import people_in
from tracker.minutes.reading import Source, read_sources
from tracker.minutes.recognise import Found, Line, Recogniser
from tracker.model import ActionItem, Blocker, Meeting, Minutes, ParseWarning

__all__ = ["explain", "explain_sources", "parse", "parse_sources", "parse_text"]

_CARRY_OVER_SIMILARITY = 0.8


def parse(
    paths: Iterable[str], *, config: Config | None = None, stdin: BinaryIO | None = None
) -> Minutes:
    """Parse minutes files, folders (``*.md``, ``*.markdown``, ``*.txt``) or ``-`` for stdin.

    Raises :class:`~tracker.errors.InputError` (with ``path`` and ``line``) for input
    that cannot be read at all; everything else doubtful becomes a warning.
    """
    return parse_sources(list(read_sources(paths, stdin=stdin)), config=config)


def explain(
    paths: Iterable[str],
    *,
    source: str,
    line: int,
    config: Config | None = None,
    stdin: BinaryIO | None = None,
) -> Explanation:
    """Why line ``line`` of ``source`` (one of ``paths``) is, or is not, an action item."""
    sources = list(read_sources(paths, stdin=stdin))
    return explain_sources(sources, source=source, line=line, config=config)


def explain_sources(
    sources: list[Source], *, source: str, line: int, config: Config | None = None
) -> Explanation:
    """:func:`explain` for texts already read (a Discourse post, a URL's Markdown)."""
    config = config or Config()
    outlines, recogniser = _outline(sources, config)
    minutes = _parse_outlines(outlines, recogniser, config)
    entries = [outline.entries for _source, _date, outline in outlines]
    return explain_line(
        sources, entries, minutes, source=source, line=line, config=config, recogniser=recogniser
    )


def parse_text(text: str, *, source: str = "<text>", config: Config | None = None) -> Minutes:
    """Parse one minutes text already in memory."""
    normalized = text.replace("\r\n", "\n").replace("\r", "\n")
    return parse_sources([Source(source, normalized)], config=config)


@dataclass
class _Candidate:
    """An AI line found, before ids and carry-overs are settled."""

    order: int
    source: str
    line: int
    meeting: Meeting
    found: Found
    topic: tuple[str, ...]
    pending: bool
    blocker: Blocker | None
    raw: str


def parse_sources(sources: list[Source], *, config: Config | None = None) -> Minutes:
    """Parse texts already read; the one place that sees the whole input."""
    return _parse_sources(sources, config or Config())


_Outlined = list[tuple[Source, dates.PartialDate | None, Outline]]


def _outline(sources: list[Source], config: Config) -> tuple[_Outlined, Recogniser]:
    """The first pass: every file's outline, then a recogniser that knows the people they
    show (speakers, attendance lists, @mentions), so that when any line is judged, and by
    the quick pre-check, a person named anywhere counts."""
    titles = SectionTitles.of(config)
    outlines: _Outlined = []
    for source in sources:
        name_date = dates.date_in_name(Path(source.name).name)
        outline = build_outline(source.text, titles=titles, name_date=name_date)
        outlines.append((source, name_date, outline))
    recogniser = Recogniser(config, people_in(o.entries for _s, _d, o in outlines))
    return outlines, recogniser


def _parse_sources(sources: list[Source], config: Config) -> Minutes:
    outlines, recogniser = _outline(sources, config)
    return _parse_outlines(outlines, recogniser, config)


def _parse_outlines(outlines: _Outlined, recogniser: Recogniser, config: Config) -> Minutes:
    """The second pass: meetings and AIs from the outlines, then what needs them all."""
    meetings: list[Meeting] = []
    warnings: list[ParseWarning] = []
    candidates: list[_Candidate] = []
    sources = [source for source, _date, _outline in outlines]
    for source, name_date, outline in outlines:
        file_meetings = _settle_meetings(outline, source.name, name_date, written=source.written)
        found = _find_action_items(outline, source, file_meetings, recogniser)
        for meeting, raw in zip(file_meetings, outline.meetings):
            # The file's own meeting (content before any dated heading) counts only
            # when it holds AIs or the file has no dated heading at all; a forum post's
            # (``written``: a reply, the topic's title post) only when it holds AIs.
            if (
                raw.from_name
                and (len(outline.meetings) > 1 or source.written is not None)
                and not any(c.meeting is meeting for c in found)
            ):
                continue
            if meeting.date is None and raw.from_name:
                warnings.append(
                    ParseWarning(
                        source.name,
                        1,
                        "no meeting date found: add a date heading or name the file like 2023-01-10.md",
                    )
                )
            if meeting.date is None and not raw.from_name:
                warnings.append(
                    ParseWarning(
                        source.name,
                        meeting.line,
                        f"no year for the meeting '{meeting.title}': add the year to one of the headings",
                    )
                )
            meetings.append(meeting)
        for candidate in found:
            candidate.order = len(candidates)
            candidates.append(candidate)
    action_items = _settle_action_items(candidates, config, warnings)
    order = {source.name: index for index, source in enumerate(sources)}
    warnings.sort(key=lambda w: (order.get(w.source, len(order)), w.line))
    return Minutes(tuple(meetings), tuple(action_items), tuple(warnings))


def _settle_meetings(
    outline: Outline,
    source: str,
    name_date: dates.PartialDate | None,
    *,
    written: datetime.date | None = None,
) -> list[Meeting]:
    """Give every meeting a full date: a missing year comes from the nearest dated neighbour."""
    explicit = [
        (i, raw.date.with_year(raw.date.year))
        for i, raw in enumerate(outline.meetings)
        if raw.date is not None and raw.date.year is not None
    ]
    settled: list[Meeting] = []
    previous: datetime.date | None = None
    for index, raw in enumerate(outline.meetings):
        date: datetime.date | None = None
        if raw.date is not None:
            if raw.date.year is not None:
                date = raw.date.with_year(raw.date.year)
            elif raw.year_hint is not None:
                date = raw.date.with_year(raw.year_hint)
            else:
                reference = previous or next((d for i, d in explicit if i > index and d), None)
                if reference is None and name_date is not None and name_date.year is not None:
                    reference = name_date.with_year(name_date.year)
                reference = reference or written
                if reference is not None:
                    date = dates.closest_year(raw.date, reference)
        elif raw.from_name and name_date is not None and name_date.year is not None:
            date = name_date.with_year(name_date.year)
        elif raw.from_name and written is not None:
            date = written  # a post with no dated heading: the day it was written
        if date is not None:
            previous = date
        settled.append(Meeting(date, source, raw.line, raw.skipped, raw.title))
    return settled


def _find_action_items(
    outline: Outline,
    source: Source,
    meetings: list[Meeting],
    recogniser: Recogniser,
) -> list[_Candidate]:
    candidates: list[_Candidate] = []
    may_hold = recogniser.may_hold
    for entry in outline.entries:
        if entry.section is None and entry.row is None and not may_hold(entry.text):
            continue
        also: tuple[Found, ...] = ()
        if entry.row is not None:
            found = recogniser.table_row(entry.row)
            blocker = recogniser.blocker(entry.row.task, entry.topic)
        else:
            verdict = recogniser.action_item(Line.of(entry))
            found, also = verdict.found, verdict.also
            blocker = recogniser.blocker(entry.text, entry.topic)
        if found is None and blocker is None:
            continue
        if found is None:
            found = Found((), entry.text.strip(), "blocker")
        for each in (found, *also):
            candidates.append(
                _Candidate(
                    order=len(candidates),
                    source=source.name,
                    line=entry.line,
                    meeting=meetings[entry.meeting],
                    found=each,
                    topic=entry.topic,
                    pending=entry.section is Section.PENDING,
                    # A blocker decision is the line's, given once.
                    blocker=blocker if each is found else None,
                    raw=entry.text,
                )
            )
    return candidates


def _meeting_key(meeting: Meeting) -> str:
    if meeting.date is not None:
        return meeting.date.isoformat()
    title = normalize_text(meeting.title).replace(" ", "-")
    return f"undated-{title}" if title else "undated"


@dataclass
class _Original:
    id: str
    date: datetime.date | None
    order: int
    owners: frozenset[str]
    text: str


def _settle_action_items(
    candidates: list[_Candidate], config: Config, warnings: list[ParseWarning]
) -> list[ActionItem]:
    """Owners to logins, carry-overs to their originals, and the stable ids."""
    # Chronological order decides which line is the original; undated meetings keep input
    # order. Within one meeting a Pending AIs line comes after the AIs it may restate, even
    # when the section sits above them (`pending --write` into the newest meeting).
    chronological = sorted(
        candidates, key=lambda c: (c.meeting.date or datetime.date.max, c.pending, c.order)
    )
    resolve = _OwnerResolver(config)
    by_text: dict[str, list[_Original]] = {}
    by_owners = _OriginalIndex()
    by_issue: dict[int, _Original] = {}
    occurrences: dict[tuple[str, str], int] = {}
    settled: dict[int, ActionItem] = {}
    for candidate in chronological:
        resolved = resolve(candidate, warnings)
        owner_keys = resolved.keys
        normal = normalize_text(candidate.found.text)
        meeting_key = _meeting_key(candidate.meeting)
        original = None
        issue = candidate.found.issue
        if issue is not None and issue in by_issue:
            # A line annotated with an issue an earlier AI already has restates that AI.
            original = by_issue[issue]
        elif candidate.pending:
            original = _find_original(candidate, normal, owner_keys, by_text, by_owners)
        # Carry-overs are numbered apart, so an original's id never depends on them.
        keyed = ("carry-over " + normal) if original else normal
        occurrence = occurrences.get((meeting_key, keyed), 0)
        occurrences[(meeting_key, keyed)] = occurrence + 1
        ai_id = action_item_id(meeting_key, keyed, occurrence, normalized=True)
        if original is None:
            record = _Original(ai_id, candidate.meeting.date, candidate.order, owner_keys, normal)
            by_text.setdefault(normal, []).append(record)
            by_owners.add(record)
            if issue is not None:
                by_issue.setdefault(issue, record)
        settled[candidate.order] = ActionItem(
            id=ai_id,
            source=candidate.source,
            line=candidate.line,
            meeting=candidate.meeting.date,
            owners=resolved.written,
            assignees=resolved.assignees,
            group=resolved.group,
            text=candidate.found.text,
            topic=candidate.topic,
            implicit=candidate.found.implicit,
            form=candidate.found.form,
            carry_over_of=original.id if original else None,
            blocker=candidate.blocker,
            done=candidate.found.done,
            issue=candidate.found.issue,
            raw=candidate.raw,
        )
    return [settled[c.order] for c in candidates]


class _OriginalIndex:
    """Earlier AIs by owner and word, so a restatement is compared with a bounded few
    candidates (those sharing the most words with it), never with every earlier AI."""

    _CANDIDATES = 6
    _COMMON = 64
    """A word that many of one owner's AIs share says little; it is not followed."""

    def __init__(self) -> None:
        self._by_word: dict[tuple[frozenset[str], str], list[_Original]] = {}

    def add(self, original: _Original) -> None:
        for word in set(original.text.split()):
            self._by_word.setdefault((original.owners, word), []).append(original)

    def candidates(self, owner_keys: frozenset[str], normal: str) -> list[_Original]:
        shared: dict[int, tuple[int, _Original]] = {}
        for word in set(normal.split()):
            found = self._by_word.get((owner_keys, word), ())
            if len(found) > self._COMMON:
                continue
            for original in found:
                count, _ = shared.get(original.order, (0, original))
                shared[original.order] = (count + 1, original)
        ranked = sorted(shared.values(), key=lambda pair: (-pair[0], pair[1].order))
        return [original for _count, original in ranked[: self._CANDIDATES]]


def _find_original(
    candidate: _Candidate,
    normal: str,
    owner_keys: frozenset[str],
    by_text: dict[str, list[_Original]],
    by_owners: _OriginalIndex,
) -> _Original | None:
    """The earlier AI a Pending AIs line restates: the same text; or the same owners and
    the original's text followed by a note (``… item 7 - in progress``); or nearly the
    same text and the same owners."""
    exact = by_text.get(normal)
    if exact:
        return exact[0]
    best: tuple[float, _Original] | None = None
    for original in by_owners.candidates(owner_keys, normal):
        if normal.startswith(original.text + " "):
            # The restatement adds a note: the longest original it starts with is its own.
            score = 1.0 + len(original.text) / 1000
        else:
            matcher = difflib.SequenceMatcher(None, normal, original.text, autojunk=False)
            if matcher.quick_ratio() < _CARRY_OVER_SIMILARITY:
                continue
            score = matcher.ratio()
        if score >= _CARRY_OVER_SIMILARITY and (best is None or score > best[0]):
            best = (score, original)
    return best[1] if best else None


@dataclass(frozen=True)
class _Owners:
    """Owners as written, the GitHub logins they stand for, a group owner, the keys that
    tell one owner set from another (logins, groups, unknown names case-folded), and the
    names nobody is known by."""

    written: tuple[str, ...]
    assignees: tuple[str, ...]
    group: str | None
    keys: frozenset[str]
    unknown: tuple[str, ...]


class _OwnerResolver:
    """The one place owners are resolved (later layers read the ``ActionItem``); the same
    few people own most AIs, so each way of writing them is resolved once a parse."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._done: dict[tuple[str, ...], _Owners] = {}

    def __call__(self, candidate: _Candidate, warnings: list[ParseWarning]) -> _Owners:
        found = self._done.get(candidate.found.owners)
        if found is None:
            found = self._done[candidate.found.owners] = self._resolve(candidate.found.owners)
        for owner in found.unknown:
            warnings.append(
                ParseWarning(
                    candidate.source,
                    candidate.line,
                    f"unknown owner '{owner}': add their GitHub login to `people:` in the config",
                )
            )
        return found

    def _resolve(self, written: tuple[str, ...]) -> _Owners:
        owners = tuple(o.strip().rstrip(".,;:") for o in written if o.strip())
        assignees: list[str] = []
        group: str | None = None
        keys: set[str] = set()
        unknown: list[str] = []
        for owner in owners:
            login = self.config.login_for(owner)
            if login is not None:
                if login not in assignees:
                    assignees.append(login)
                keys.add(login)
                continue
            named_group = self.config.group_for(owner)
            if named_group is not None:
                group = group or named_group
                keys.add(named_group)
                continue
            keys.add(owner.lstrip("@").casefold())
            unknown.append(owner)
        return _Owners(owners, tuple(assignees), group, frozenset(keys), tuple(unknown))
