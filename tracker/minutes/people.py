"""The people a set of minutes shows: attendance lists, speakers and @mentions.

Read from the outline before any line is judged, so that ``Kim add a comment`` is an
assignment when Kim attended, spoke, or was mentioned anywhere in the minutes, even if
the config does not list Kim.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tracker.config import Config
from tracker.minutes.names import Names, is_capitalized_name
from tracker.minutes.outline import Entry, Section
from tracker.minutes.speakers import find_speaker

_ATTENDANCE_LINE = re.compile(
    r"^(?:\*\*|__)?(?:attendees|attendance|attending|present|participants|people present|"
    r"members present|in attendance|regrets|apologies|absent|also present)(?:\*\*|__)?\s*:"
    r"(?:\*\*|__)?\s*(?P<names>.+)$",
    re.IGNORECASE,
)
_ATTENDANCE_WORDS = (
    "attendees",
    "attendance",
    "attending",
    "present",
    "participants",
    "people present",
    "members present",
    "in attendance",
    "regrets",
    "apologies",
    "absent",
    "also present",
)
_AFFILIATION = re.compile(r"\s*(?:\([^)]*\)|\[[^\]]*\]|\s[-–—]\s.*|<[^>]*>)")
_MENTION = re.compile(r"(?<![\w/])@([A-Za-z0-9][\w.\-]*)")
_EMPHASIS = re.compile(r"\*\*|__")
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I'll|I've|I'd|my|me)\b")


def is_attendance_line(text: str) -> bool:
    """``Participants: kim, lee``, ``**Present:** …``: who was there, never an AI."""
    return _ATTENDANCE_LINE.match(text) is not None


def may_hold(text: str, low: str) -> bool:
    """Whether a line may show a person (the outline's pre-check keeps it for
    :func:`people_in`): an attendance line, a mention, a speaker's bracket or a
    ``Name: I …`` line. Every line that ``people_in`` learns from passes it."""
    head = text.lstrip("*_ ")
    return (
        low.lstrip("*_ ").startswith(_ATTENDANCE_WORDS)
        or "@" in text
        or head[:1] in ("[", "<")
        or (":" in head[:52] and _says_i(head))
    )


def _says_i(text: str) -> bool:
    # The substrings first: most lines with a colon ("question:", "consensus:") have none
    # of them, and three `in` tests cost a third of the word-bounded search.
    return ("I" in text or "my" in text or "me" in text) and _FIRST_PERSON.search(text) is not None


def people_in(outlines: Iterable[Iterable[Entry]]) -> frozenset[str]:
    """Case-folded names of the people the entries show."""
    names = Names(Config())
    found: set[str] = set()
    for entries in outlines:
        for entry in entries:
            text = entry.text
            if entry.section is not Section.ATTENDANCE and not may_hold(text, text.casefold()):
                continue
            if entry.section is Section.ATTENDANCE:
                found.update(_listed(text))
                continue
            match = _ATTENDANCE_LINE.match(text)
            if match:
                found.update(_listed(match.group("names")))
                continue
            if "@" in text:
                found.update(m.casefold() for m in _MENTION.findall(text))
            plain = _EMPHASIS.sub("", text) if ("**" in text or "__" in text) else text
            speaker = find_speaker(plain, names)
            if speaker is None:
                continue
            # "Lee: I think …" is a person speaking; "Security: contact …" is a topic.
            if speaker.style != "colon" or (
                is_capitalized_name(speaker.name.split()[0]) and _FIRST_PERSON.search(speaker.rest)
            ):
                found.add(speaker.name.casefold())
    return frozenset(found)


def _listed(text: str) -> list[str]:
    """``Kim Lee (Acme), @sam, Rob - Foo Inc`` -> the names."""
    names = []
    for part in re.split(r"[,;]|\band\b", text):
        name = _AFFILIATION.sub("", part).strip(" .*_:`").lstrip("@")
        if 0 < len(name) <= 40 and name[:1].isalpha() and len(name.split()) <= 3:
            names.append(name.casefold())
            names.append(name.split()[0].casefold())
    return names
