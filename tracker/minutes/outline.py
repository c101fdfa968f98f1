"""The shape of a minutes text: meetings, headings, and nested bullets.

One pass over the lines turns Markdown (ATX and setext headings, ``*``/``-``/``+``/
numbered lists at any indent, tabs, blank lines inside lists) and the text that
Discourse renders (``•`` bullets nested by indentation, bare date lines as
meeting headings, forum noise between meetings) into :class:`Entry` records.
Each entry knows its meeting, the chain of headings and parent bullets above
it (its topic), and whether it sits in a Pending AIs or Action items section.
Recognising action items in an entry is :mod:`tracker.minutes.forms`' job.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tracker.minutes import dates
from tracker.minutes.dates import PartialDate

if TYPE_CHECKING:
    from tracker.config import Config


class Section(enum.Enum):
    """A section whose items are action items by position, not by marker."""

    PENDING = "pending"
    """Restates open AIs of earlier meetings (carry-overs)."""
    ACTIONS = "actions"
    """Lists this meeting's AIs."""
    ATTENDANCE = "attendance"
    """Lists who was there: names, never AIs (and the people the minutes know)."""
    EVERY_ITEM = "every-item"
    """Lists only AIs, the config says (``sections.every_item``): each top item is one."""


ATTENDANCE_TITLES = (
    "Attendees",
    "Attendance",
    "Attending",
    "Present",
    "Participants",
    "People present",
    "Members present",
    "In attendance",
    "Regrets",
    "Apologies",
    "Absent",
    "Roll call",
)


@dataclass(slots=True)
class Entry:
    """A bullet or a paragraph line inside the minutes."""

    line: int
    text: str
    """The line without indentation, quote marks and bullet."""
    bullet: bool
    indent: int
    topic: tuple[str, ...]
    section: Section | None
    meeting: int
    """Index into ``Outline.meetings``."""
    has_children: bool = False
    top: bool = True
    """Directly under its section's title, not a sub-item of another item."""
    row: TableRow | None = None
    """For a row of an action-items table: its owner, task and done cells."""


@dataclass(frozen=True, slots=True)
class TableRow:
    """A row of a Markdown table whose header names an owner and a task column."""

    owner: str
    task: str
    done: bool


@dataclass(frozen=True)
class _ActionTable:
    """Which columns of a table hold the owner, the task and (maybe) the status."""

    owner: int
    task: int
    status: int | None

    @classmethod
    def from_header(cls, cells: list[str]) -> _ActionTable | None:
        names = [clean_title(c).casefold() for c in cells]

        def column(words: tuple[str, ...]) -> int | None:
            return next((i for i, n in enumerate(names) if n.startswith(words)), None)

        owner = column(("owner", "who", "assignee", "assigned", "responsible", "person"))
        task = column(
            ("action", "task", "item", "what", "description", "ai", "todo", "to do", "next step")
        )
        if owner is None or task is None:
            return None
        return cls(owner, task, column(("status", "done", "state")))

    def row(self, cells: list[str]) -> TableRow | None:
        def cell(index: int | None) -> str:
            return cells[index].strip() if index is not None and index < len(cells) else ""

        task = cell(self.task)
        if not task:
            return None
        status = cell(self.status).casefold()
        done = any(w in status for w in ("done", "closed", "complete", "[x]", "✅", "✔"))
        return TableRow(cell(self.owner), task, done)


def _cells(row: str) -> list[str]:
    """The cells of a table row (``| a | b |``); escaped pipes stay in their cell."""
    inner = row.strip()
    inner = inner.removeprefix("|")
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    return [c.replace("\\|", "|").strip() for c in re.split(r"(?<!\\)\|", inner)]


@dataclass
class RawMeeting:
    """A meeting heading before its year is settled."""

    line: int
    title: str
    date: PartialDate | None
    skipped: bool
    year_hint: int | None = None
    """The year of an enclosing ``# 2023`` heading, if any."""
    from_name: bool = False
    """Not a heading: the file itself, dated by its name or front matter."""


@dataclass
class Outline:
    meetings: list[RawMeeting] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)


_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_BULLET = re.compile(r"^([ \t]*)(?:[-*+•◦▪‣●○·]|\d{1,9}[.)])(?:[ \t]+(.*)|[ \t]*)$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_BREAK = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_QUOTE = re.compile(r"^[ \t]{0,3}>[ \t]?")
_EMPHASIS = re.compile(r"(\*\*|__)")
_FRONT_MATTER_DATE = re.compile(r"^date:\s*['\"]?(.+?)['\"]?\s*$", re.IGNORECASE)

_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_BULLET_CHARS = frozenset("-*+•◦▪‣●○·")
_BREAK_CHARS = frozenset("-*_")
_BARE_LEVEL = 7
"""A bare section title ("Pending AIs" on a line of its own) ranks below every heading."""


def clean_title(text: str) -> str:
    """A heading or bullet as a topic: emphasis, trailing colon and spaces removed."""
    if "**" in text or "__" in text:
        text = _EMPHASIS.sub("", text)
    return text.strip().rstrip(":").strip()


def _normal_title(text: str) -> str:
    text = clean_title(text).replace("*", "").replace("_", " ").strip("# ").casefold()
    return " ".join(text.replace("(s)", "s").split())


class SectionTitles:
    """Matches headings against the configured Pending AIs and Action items titles."""

    def __init__(
        self,
        pending: tuple[str, ...],
        actions: tuple[str, ...],
        attendance: tuple[str, ...] = ATTENDANCE_TITLES,
        every_item: tuple[str, ...] = (),
    ) -> None:
        def alternatives(titles: tuple[str, ...]) -> str:
            return "|".join(
                re.escape(_normal_title(t)) for t in sorted(titles, key=len, reverse=True)
            )

        self._pending = re.compile(rf"(?:^| )(?:{alternatives(pending)})(?: |$)")
        # A title can only match when the line holds the longest word of some title:
        # one quick search spares most bullets the normalization below.
        anchors = set()
        for title in pending + actions + attendance + every_item:
            normal = _normal_title(title)
            longest = max(normal.split(), key=len, default="")
            anchors.add(longest if len(longest) >= 4 else normal)
        self._anchor = re.compile("|".join(re.escape(a) for a in sorted(anchors) if a))
        self._actions = re.compile(
            rf"^(?:new |next |this week'?s |meeting )?(?:{alternatives(actions)})(?: for\b| from\b|$)"
        )
        self._attendance = re.compile(rf"^(?:{alternatives(attendance)})$")
        self._every_item = frozenset(_normal_title(t) for t in every_item)

    @classmethod
    def of(cls, config: Config) -> SectionTitles:
        """The titles the config gives (or its defaults)."""
        return cls(
            config.pending_sections,
            config.action_item_sections,
            every_item=config.every_item_sections,
        )

    def kind(self, title: str) -> Section | None:
        if "(" in title:  # "open actions from 01-23 (pasted before we started)"
            title = _ASIDE.sub("", title)
        if len(title) > 80 or title.count(" ") > 8:
            return None
        low = title.casefold()
        if not self._anchor.search(low) and not _TASK_WORDS.search(low):
            return None
        normal = _normal_title(title)
        if normal in self._every_item:
            return Section.EVERY_ITEM
        if self._pending.search(normal):
            return Section.PENDING
        if self._actions.match(normal):
            return Section.ACTIONS
        if self._attendance.match(normal):
            return Section.ATTENDANCE
        return _kind_by_words(normal)


_ASIDE = re.compile(r"\s*\([^()]*\)")
_TASK_WORDS = re.compile(
    r"\b(?:action items?|action points?|actions|ais|todos?|to-dos?|follow-?ups?|next steps)\b"
)
_PAST_WORDS = re.compile(
    r"\b(?:previous|last|past|prior|earlier|open|outstanding|pending|carried|recap|review|"
    r"old|yesterday'?s|existing|from (?:the )?(?:last|previous))\b"
)


def _kind_by_words(normal: str) -> Section | None:
    """Titles no list names: ``Recap of yesterday's AIs``, ``Follow-ups from last week``,
    ``GitHub permissions - next steps``. Short titles only: a sentence that mentions
    action items is not a section title."""
    task = _TASK_WORDS.search(normal)
    if task is None or len(normal.split()) > 7:
        return None
    if _PAST_WORDS.search(normal):
        return Section.PENDING
    before = normal[: task.start()]
    ends_title = normal[task.end() :].strip(" :") == ""
    # "Next steps", "GitHub permissions - next steps": the task words are the title, or
    # end it after a dash (not "zero-downtime actions", a topic).
    if ends_title and (not before.strip() or before.rstrip().endswith(("-", "–", "—", ":"))):
        return Section.ACTIONS
    return None


@dataclass
class _Heading:
    level: int
    title: str
    section: Section | None


def build_outline(
    text: str,
    *,
    titles: SectionTitles,
    name_date: PartialDate | None,
) -> Outline:
    """Split ``text`` (with ``\\n`` line ends) into meetings and entries: every bullet,
    paragraph line and table row (or cell) of the minutes, with its context."""
    return _Builder(text.split("\n"), titles=titles, name_date=name_date).build()


@dataclass
class _Hidden:
    """Fenced code and HTML comments hold no minutes: the one a line is in, if any."""

    fence: str | None = None
    """The fence that opened the code block the lines are in (```` ``` ````, ``~~~~``)."""
    comment: bool = False

    def hides(self, raw: str, stripped: str) -> bool:
        """Whether this line is hidden (a fence or comment that it opens or closes included)."""
        first = stripped[:1]
        if self.fence:
            fence = _FENCE.match(raw) if first in "`~" else None
            opened = self.fence
            if fence and fence.group(1)[0] == opened[0] and len(fence.group(1)) >= len(opened):
                self.fence = None
            return True
        if first in "`~" and (fence := _FENCE.match(raw)):
            self.fence = fence.group(1)
            return True
        if self.comment:
            if "-->" in raw:
                self.comment = False
            return True
        if first == "<" and stripped.startswith("<!--"):
            self.comment = "-->" not in stripped
            return True
        return False


class _Builder:
    """One pass over the lines; each kind of line (fence, heading, table row, bullet,
    paragraph) has its own step, and the state they share lives here."""

    def __init__(
        self,
        lines: list[str],
        *,
        titles: SectionTitles,
        name_date: PartialDate | None,
    ) -> None:
        self.lines = lines
        self.titles = titles
        self.outline = Outline()
        self.setext = _setext_headings(lines)
        self.underlines = {index + 1 for index in self.setext}
        self.start = 0
        front_date = None
        if lines and lines[0].strip() == "---":
            self.start, front_date = _front_matter(lines)
        self.file_date = front_date or name_date
        self.headings: list[_Heading] = []
        self.bullets: list[Entry] = []
        """The open bullets, outermost first: later, deeper ones sit under them."""
        self.under: dict[int, tuple[tuple[str, ...], Section | None, bool]] = {}
        """By a bullet's line: the topic and section its children get, and whether they are
        its section's top items (worked out when the first child comes)."""
        self.meeting = -1
        self.meeting_level = 0
        self.year_hint: int | None = None
        self.hidden = _Hidden()
        self.document_title = ""
        self.table: _ActionTable | None = None
        self.table_rule = -1

    def build(self) -> Outline:
        for index in range(self.start, len(self.lines)):
            self._line(index)
        return self.outline

    # -- shared state ---------------------------------------------------------

    def heading_topic(self) -> tuple[str, ...]:
        level = self.meeting_level
        return tuple(h.title for h in self.headings if h.section is None and h.level > level)

    def heading_section(self) -> Section | None:
        for heading in reversed(self.headings):
            if heading.section is not None:
                return heading.section
        return None

    def start_meeting(self, line_no: int, title: str, date: PartialDate | None, level: int) -> None:
        skipped = dates.says_skipped(title)
        self.outline.meetings.append(
            RawMeeting(line_no, title, date, skipped, year_hint=self.year_hint)
        )
        self.meeting = len(self.outline.meetings) - 1
        self.meeting_level = level
        self.headings.clear()
        self.bullets.clear()

    def ensure_meeting(self) -> None:
        # Content before any dated heading: the file's own meeting, dated by its name.
        if self.meeting == -1:
            self.outline.meetings.append(
                RawMeeting(
                    1, self.document_title, self.file_date, False, self.year_hint, from_name=True
                )
            )
            self.meeting = len(self.outline.meetings) - 1

    # -- one line ---------------------------------------------------------------

    def _line(self, index: int) -> None:
        raw = self.lines[index]
        stripped = raw.strip()
        hidden = self.hidden
        if not stripped and not hidden.fence:
            return
        # Most lines open no fence or comment and are inside none: skip the call.
        if (hidden.fence or hidden.comment or stripped[:1] in "`~<") and hidden.hides(
            raw, stripped
        ):
            return
        if stripped[:1] == ">":
            while _QUOTE.match(raw):
                raw = _QUOTE.sub("", raw, count=1)
            stripped = raw.strip()
            if not stripped:
                return
        line_no = index + 1
        first = stripped[:1]
        if (first == "#" or self.setext) and self._heading(index, raw, stripped):
            return
        if first in _BREAK_CHARS and stripped.count(first) >= 3 and _BREAK.match(raw):
            return
        if first == "|":
            if self._table_row(index, stripped):
                return
        elif self.table_rule != -1:
            self.table, self.table_rule = None, -1
        bullet = _BULLET.match(raw) if (first in _BULLET_CHARS or first.isdigit()) else None
        if bullet:
            self._bullet(line_no, bullet)
            return
        self._paragraph(line_no, raw, stripped)

    def _heading(self, index: int, raw: str, stripped: str) -> bool:
        level = 0
        title = ""
        if stripped[:1] == "#" and (heading := _HEADING.match(raw)) and heading.group(2):
            level, title = len(heading.group(1)), heading.group(2)
        elif self.setext:
            if index in self.setext:
                level, title = self.setext[index], stripped
            elif index in self.underlines:
                return True
        if not level:
            return False
        title = clean_title(title)
        year = dates.heading_year(title)
        if year is not None:
            self.year_hint = year
            return True
        found = dates.find_date(title)
        if found is not None and self.meeting_level and level > self.meeting_level:
            # Under a meeting heading, "### Release 2.4 (due 2023-04-01)" is a topic;
            # only a heading that is a date ("### 2023-04-01 - follow-up") starts one.
            found = dates.bare_date_line(title)
        if found is not None:
            self.start_meeting(index + 1, title, found.date, level)
            return True
        kind = self.titles.kind(title)
        if self.meeting == -1 and level == 1 and not self.document_title and kind is None:
            # The file's title ("# Storage team meeting"), not a topic of its AIs.
            self.document_title = title
            return True
        while self.headings and self.headings[-1].level >= level:
            self.headings.pop()
        self.headings.append(_Heading(level, title, kind))
        self.bullets.clear()
        return True

    def _table_row(self, index: int, stripped: str) -> bool:
        lines = self.lines
        if index + 1 < len(lines) and _TABLE_RULE.match(lines[index + 1]):
            self.table, self.table_rule = _ActionTable.from_header(_cells(stripped)), index + 1
            return True
        if index == self.table_rule:
            return True
        if self.table_rule == -1 or index < self.table_rule:
            return False
        self.ensure_meeting()
        cells = _cells(stripped)
        line_no = index + 1
        if self.table is not None:
            row = self.table.row(cells)
            if row is not None:
                entry = Entry(
                    line_no, stripped, False, 0, self.heading_topic(), Section.ACTIONS, self.meeting
                )
                entry.row = row
                self.outline.entries.append(entry)
            return True
        # Any other table: a cell may still hold an AI ("AI: alice to …");
        # the first cell is usually the row's topic.
        topic = self.heading_topic() + (clean_title(cells[0]),)
        section = self.heading_section()
        for cell in cells[1:]:
            if cell:
                self.outline.entries.append(
                    Entry(line_no, cell, False, 0, topic, section, self.meeting)
                )
        return True

    def _bullet(self, line_no: int, bullet: re.Match[str]) -> None:
        content = (bullet.group(2) or "").strip()
        if not content:
            return
        lead = bullet.group(1)
        indent = len(lead.expandtabs(4)) if "\t" in lead else len(lead)
        bullets = self.bullets
        while bullets and bullets[-1].indent >= indent:
            bullets.pop()
        self.ensure_meeting()
        if bullets:
            parent = bullets[-1]
            parent.has_children = True
            topic, section, top = self.context_under(parent)
        else:
            topic, section, top = self.heading_topic(), self.heading_section(), True
        entry = Entry(line_no, content, True, indent, topic, section, self.meeting, top=top)
        self.outline.entries.append(entry)
        bullets.append(entry)

    def context_under(self, bullet: Entry) -> tuple[tuple[str, ...], Section | None, bool]:
        """Its children's topic, their section, and whether they are the section's top
        items: its own topic plus its text, or, for a section title, its own topic and
        that section."""
        found = self.under.get(bullet.line)
        if found is None:
            own_section = self.titles.kind(bullet.text)
            if own_section is not None:
                found = (bullet.topic, own_section, True)
            else:
                found = (bullet.topic + (clean_title(bullet.text),), bullet.section, False)
            self.under[bullet.line] = found
        return found

    def _paragraph(self, line_no: int, raw: str, stripped: str) -> None:
        lead = raw[: len(raw) - len(raw.lstrip())]
        indent = len(lead.expandtabs(4))
        bullets = self.bullets
        if indent > 0 and bullets:
            # A continuation or a paragraph inside a list item.
            parent = next((b for b in reversed(bullets) if b.indent < indent), bullets[-1])
            topic, section, _top = self.context_under(parent)
            self.outline.entries.append(
                Entry(line_no, stripped, False, indent, topic, section, self.meeting)
            )
            return
        # A paragraph at the top: it ends any list and any bare section title.
        bullets.clear()
        while self.headings and self.headings[-1].level == _BARE_LEVEL:
            self.headings.pop()
        plain = clean_title(stripped)
        bare = dates.bare_date_line(plain)
        if bare is not None:
            self.start_meeting(line_no, plain, bare.date, _BARE_LEVEL)
            return
        kind = self.titles.kind(plain)
        if kind is not None:
            self.headings.append(_Heading(_BARE_LEVEL, plain, kind))
            return
        self.ensure_meeting()
        self.outline.entries.append(
            Entry(
                line_no,
                stripped,
                False,
                indent,
                self.heading_topic(),
                self.heading_section(),
                self.meeting,
            )
        )


def _setext_headings(lines: list[str]) -> dict[int, int]:
    """Line indexes of setext headings (a paragraph line underlined by === or ---)."""
    found: dict[int, int] = {}
    for index in range(1, len(lines)):
        if lines[index].lstrip()[:1] not in ("=", "-"):
            continue
        underline = _SETEXT.match(lines[index])
        if not underline:
            continue
        above = lines[index - 1]
        if (
            not above.strip()
            or _BULLET.match(above)
            or _HEADING.match(above)
            or _FENCE.match(above)
        ):
            continue
        if len(above) - len(above.lstrip()) > 3 or (index - 1) in found:
            continue
        found[index - 1] = 1 if underline.group(1)[0] == "=" else 2
    return found


def _front_matter(lines: list[str]) -> tuple[int, PartialDate | None]:
    """Skip YAML front matter; its ``date:`` dates the file."""
    for index in range(1, min(len(lines), 200)):
        if lines[index].strip() in ("---", "..."):
            date = None
            for line in lines[1:index]:
                match = _FRONT_MATTER_DATE.match(line.strip())
                if match and (found := dates.find_date(match.group(1))) and found.date.year:
                    date = found.date
            return index + 1, date
    return 0, None
