"""What the minutes say, as plain frozen data.

These objects are the contract between the parser and everything after it
(the sync plan, status, the Pending AIs section, the JSON output).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Meeting:
    """One meeting heading found in the minutes."""

    date: datetime.date | None
    """The meeting's date; None when no date could be found for it."""
    source: str
    """The path the minutes were read from (``-`` for stdin)."""
    line: int
    """1-based line of the heading (or of the first line, for a file dated by its name)."""
    skipped: bool = False
    """The heading says the meeting did not take place (``- skipped``, ``cancelled``)."""
    title: str = ""
    """The heading as written."""

    def to_json(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat() if self.date else None,
            "source": self.source,
            "line": self.line,
            "skipped": self.skipped,
            "title": self.title,
        }


@dataclass(frozen=True)
class Blocker:
    """A decision to treat something as blocking a release."""

    release: str
    """The release as written in the phrase, e.g. ``3.22``."""
    subject: str
    """What blocks: the topic the decision sits under (or the object of ``add X to``)."""

    def to_json(self) -> dict[str, Any]:
        return {"release": self.release, "subject": self.subject}


@dataclass(frozen=True)
class ActionItem:
    """One action item line of the minutes."""

    id: str
    """Stable identity: survives re-parsing, unrelated edits, renames and splits."""
    source: str
    line: int
    meeting: datetime.date | None
    """Date of the meeting the line belongs to."""
    owners: tuple[str, ...]
    """Owners as written in the minutes (``Dennis``, ``team``)."""
    assignees: tuple[str, ...]
    """GitHub logins of the owners that are known people."""
    group: str | None
    """The group owner (``team``, ``all``) when the whole team owns it."""
    text: str
    """The task, without the AI marker and the owner."""
    topic: tuple[str, ...]
    """Chain of headings and parent bullets the line sits under, outermost first."""
    implicit: bool = False
    """No AI marker: read from ``<known person> to <task>`` and similar."""
    carry_over_of: str | None = None
    """Id of the earlier AI this line restates (in a Pending AIs section)."""
    blocker: Blocker | None = None
    done: bool = False
    """A checked Markdown task (``- [x]``)."""
    issue: int | None = None
    """Issue number the minutes line is annotated with (``(#123)``)."""
    raw: str = ""
    """The minutes line as written, without its indentation and bullet."""
    form: str = "marker"
    """Which rule took the line: ``marker``, ``assignment``, ``speaker``, ``section``,
    ``task-list``, ``table``, ``pattern`` (or ``blocker`` for a blocker decision alone)."""
    link: str | None = None
    """Where people read the line, when the minutes live on the web (a Discourse post, a
    Markdown URL); None for files, whose link comes from the repository (issue 13)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "line": self.line,
            "meeting": self.meeting.isoformat() if self.meeting else None,
            "owners": list(self.owners),
            "assignees": list(self.assignees),
            "group": self.group,
            "text": self.text,
            "topic": list(self.topic),
            "implicit": self.implicit,
            "carry_over_of": self.carry_over_of,
            "blocker": self.blocker.to_json() if self.blocker else None,
            "done": self.done,
            "issue": self.issue,
            "raw": self.raw,
            "form": self.form,
            "link": self.link,
        }


@dataclass(frozen=True)
class ParseWarning:
    """Something in the minutes the user should look at; never fatal."""

    source: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: warning: {self.message}"

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "line": self.line, "message": self.message}


@dataclass(frozen=True)
class Minutes:
    """Everything parsed from one or more minutes files."""

    meetings: tuple[Meeting, ...] = ()
    action_items: tuple[ActionItem, ...] = ()
    warnings: tuple[ParseWarning, ...] = field(default_factory=tuple)

    @property
    def distinct_action_items(self) -> tuple[ActionItem, ...]:
        """The AIs that need an issue each: carry-overs restate another AI."""
        return tuple(ai for ai in self.action_items if ai.carry_over_of is None)

    def to_json(self) -> dict[str, Any]:
        return {
            "meetings": [m.to_json() for m in self.meetings],
            "action_items": [ai.to_json() for ai in self.action_items],
            "warnings": [w.to_json() for w in self.warnings],
        }
