"""Stable identities for action items, and what ties an issue to one.

An AI's id must not change when the file is re-parsed, when unrelated lines move,
or when the file is renamed or split, so it is derived only from what the AI
*is*: its meeting's date and its normalized text (plus an occurrence number for
the rare identical twins in one meeting). Paths and line numbers never enter it.

This module is the one place that knows the id's layout (``<meeting>-<digest>``),
the hidden marker that carries an id in an issue body, the rule that finds an
AI's issue among many ("lowest issue number wins"), and the ``(#123)`` annotation
that ties a minutes line to an issue.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
_NOISE = re.compile(r"[^\w]+")

MARKER_PREFIX = "tracker:ai:"
_MARKER_RE = re.compile(r"<!--\s*tracker:ai:([A-Za-z0-9._-]+)\s*-->")

#: ``(#123)`` at the end of a minutes line: the line's AI has issue 123. No leading
#: ``\s*`` (callers strip the space before it): tried at every space of a long run, it
#: would cost quadratic time.
ANNOTATION = re.compile(r"\(#(?P<number>\d{1,9})\)\s*$")


def normalize_text(text: str) -> str:
    """Text as compared for identity: case, quotes, punctuation and spacing folded."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return " ".join(_NOISE.sub(" ", text.casefold()).split())


def action_item_id(
    meeting: str, text: str, occurrence: int = 0, *, normalized: bool = False
) -> str:
    """The id of the ``occurrence``-th AI with this normalized text in this meeting.

    ``normalized=True`` says ``text`` already went through :func:`normalize_text`.
    """
    key = f"{meeting}\x00{text if normalized else normalize_text(text)}\x00{occurrence}"
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]
    return f"{meeting}-{digest}" if meeting else digest


def meeting_of(ai_id: str) -> str:
    """The meeting part of an id: an ISO date, ``undated-<title>``, or "" when it has none."""
    return ai_id.rpartition("-")[0]


def marker(ai_id: str) -> str:
    """The hidden HTML comment that ties an issue body to an AI id."""
    return f"<!-- {MARKER_PREFIX}{ai_id} -->"


def find_marker(body: str | None) -> str | None:
    """The AI id in an issue body's marker, or None."""
    match = marker_match(body)
    return match.group(1) if match else None


def marker_match(body: str | None) -> re.Match[str] | None:
    """Where the marker is in an issue body: the last one, which tracker writes at its end.

    Text tracker copies into a body can no longer hold a marker (issue #10; see
    :mod:`tracker.escape`), but a body written before may quote one from the minutes
    above tracker's own.
    """
    if not body:
        return None
    found = None
    for found in _MARKER_RE.finditer(body):
        pass
    return found


class Marked(Protocol):
    """An issue as far as its marker goes (tracker's snapshot issue, PyGithub's Issue)."""

    @property
    def number(self) -> int: ...

    @property
    def body(self) -> str | None: ...


IssueT = TypeVar("IssueT", bound=Marked)


@dataclass(frozen=True)
class MarkerIndex(Generic[IssueT]):
    """Issues by the AI id in their marker."""

    first: Mapping[str, IssueT]
    """Each AI id's issue: the lowest-numbered one carrying its marker, in issue order."""
    twins: tuple[tuple[IssueT, IssueT], ...] = ()
    """Later issues carrying a marker already taken (a crash's duplicates), each with
    the issue it repeats."""


def index_markers(issues: Iterable[IssueT]) -> MarkerIndex[IssueT]:
    """The issues by marker: the lowest number wins; issues without a marker are left out."""
    first: dict[str, IssueT] = {}
    twins: list[tuple[IssueT, IssueT]] = []
    for issue in sorted(issues, key=lambda i: i.number):
        ai_id = find_marker(issue.body)
        if ai_id is None:
            continue
        if ai_id in first:
            twins.append((issue, first[ai_id]))
        else:
            first[ai_id] = issue
    return MarkerIndex(first, tuple(twins))


def trusted_authors(bot_authors: Iterable[str], viewer: str | None) -> frozenset[str]:
    """Whose issues are tracker's own, casefolded: the token's user and the ``bot_authors``.

    Anyone who can open an issue can put a marker in it (an AI's id is computable from the
    minutes), so an issue by anyone else never stands in for an AI (issue #10).
    """
    names = {login.casefold() for login in bot_authors}
    if viewer:
        names.add(viewer.casefold())
    return frozenset(names)


def annotation(number: int) -> str:
    """What ``sync --annotate`` appends to an AI's line: `` (#123)``."""
    return f" (#{number})"


#: `` (#123)`` ending one task of a line that gives two owners a task each
#: (``Kim to X (#3); Lee to Y (#4)``): before a clause's separator.
_TASK_ANNOTATION = re.compile(r" ?\(#\d{1,9}\)(?=[;,.]|\s[-–—])")


def without_annotation(line: str) -> str:
    """The line without the `` (#123)`` annotations ``sync --annotate`` wrote: the one
    ending it, and those ending a task before the next owner's clause."""
    end = ANNOTATION.search(line)
    if end is not None:
        line = line[: end.start()].rstrip()
    return _TASK_ANNOTATION.sub("", line)
