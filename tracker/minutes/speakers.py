"""Who is speaking, in chat-style minutes.

``[Kim] I'll open a thread``, ``**Lee**: will send it`` (emphasis is gone by now, so
``Lee: will send it``), ``<sam> I can look``, ``10:02 sam: agreed``, and an IRC ``/me``
as a chat log shows it (``18:02 * sam will look``): the name before the words is who
says them. Whether what they say is a task is the recogniser's call; this
module only finds the speaker and what they said.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.minutes import lexicon
from tracker.minutes.names import Names, is_capitalized_name

_TIME = r"(?:\[?\(?\d{1,2}:\d{2}(?::\d{2})?\)?\]?\s+)?"
_BRACKETED = re.compile(r"^\[(?:name=)?(?P<name>[^\[\]=]{1,40})\]\s*(?P<rest>.*)$")
_ANGLE = re.compile(rf"^{_TIME}<[@+%]?(?P<name>[\w.\-|`^]{{1,30}})>\s*(?P<rest>.*)$")
# "/me will look" as logged: a timestamp, a star, the nick and the rest in the third
# person. The timestamp is required: without it "* sam will look" is a list item.
_ME = re.compile(
    r"^(?:\[\d{1,2}:\d{2}(?::\d{2})?\]|\d{1,2}:\d{2}(?::\d{2})?)\s+\*\s+(?P<name>[\w.\-|`^]{1,30})\s+(?P<rest>.*)$"
)
_COLON = re.compile(
    rf"^{_TIME}(?P<name>@?[A-Za-z][\w.\-']{{0,30}}(?: [A-Z][\w.\-']{{0,30}}){{0,2}})\s*:\s+(?P<rest>.*)$"
)
_MARKER_NAMES = frozenset(
    ["ai", "ais", "a.i.", "action", "actions", "action item", "action items", "todo", "to-do"]
    + ["task", "tasks", "next steps"]
)


CLUES = ("will ", "i'll", "i'm going", "i am going", "i shall", " ill ")
"""A speaker's line becomes an AI only by a commitment (``I'll …``, ``will …``);
``[name] to …`` and what others say bring the clues of their own rules. The quick
pre-check's share for this rule, on the case-folded line."""


@dataclass(frozen=True, slots=True)
class Speaker:
    name: str
    rest: str
    style: str
    """``bracket`` (``[Kim]``), ``colon`` (``Kim:``), ``chat`` (``<kim>``) or ``me``
    (``* kim will …``, the IRC ``/me``)."""


def _is_marker(name: str) -> bool:
    low = name.casefold().strip(" :*_")
    return low in _MARKER_NAMES or low.startswith(("ai ", "ai:", "action", "todo"))


def find_speaker(text: str, names: Names) -> Speaker | None:
    """The speaker at the start of ``text``, or None."""
    first = text[:1]
    if first == "[":
        match = _BRACKETED.match(text)
        if match and _person_in_brackets(match.group("name"), names):
            return Speaker(match.group("name").strip().lstrip("@"), match.group("rest"), "bracket")
        if not text[1:2].isdigit():  # "[19:06] <kim> …": a timestamp, then the speaker
            return None
    match = _ANGLE.match(text) if ("<" in text[:14]) else None
    if match:
        return Speaker(match.group("name"), match.group("rest"), "chat")
    match = _ME.match(text) if ("*" in text[:14]) else None
    if match:
        return Speaker(match.group("name"), match.group("rest"), "me")
    if ":" not in text[:48]:
        return None
    match = _COLON.match(text)
    # "@kim: …" addresses Kim (a task or a question for them); it is not Kim speaking.
    if (
        match
        and not match.group("name").startswith("@")
        and _person_before_colon(match.group("name"), names)
    ):
        return Speaker(match.group("name"), match.group("rest"), "colon")
    return None


def _person_in_brackets(name: str, names: Names) -> bool:
    name = name.strip()
    low = name.casefold()
    if not name or _is_marker(name) or low in lexicon.TAGS or low in lexicon.LABELS:
        return False
    if names.known(name):
        return True
    words = name.split()
    if len(words) > 3 or any(not w[:1].isalpha() and w[:1] != "@" for w in words):
        return False
    return all(w.casefold() not in lexicon.NOT_NAMES for w in words) and not name.isupper()


def _person_before_colon(name: str, names: Names) -> bool:
    if _is_marker(name) or name.casefold() in lexicon.LABELS:
        return False
    if names.known(name):
        return True
    words = name.split()
    if any(w.casefold() in lexicon.LABELS for w in words):
        return False
    return all(is_capitalized_name(w) for w in words)
