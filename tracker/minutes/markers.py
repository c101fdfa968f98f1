"""AI markers: the words teams put on a line to say "this is an action item".

``AI: [dkliban] add decko``, ``ACTION(kim): …``, ``#action kim to …``, ``[AI kim] …``,
``TODO: …``, ``AI Kim/Lee Review …``, ``AI for kim to …``, ``… [AI: gerrod]`` at the
end, ``We agreed. AI: kim to …`` after a sentence. A marker makes the line an AI
candidate; whether it holds a task is judged afterwards (``AI: sounds good`` does not).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.minutes import lexicon
from tracker.minutes.names import Names

MARKER_WORDS = r"(?:AIs?|A\.I\.|action[ -]?items?(?:\(s\))?|action[ -]?points?|actions?|todo|to-do)"
HINT = re.compile(r"a\.i\.|action|todo|to-do|\bai\b")
"""Every marker holds one of these (case-folded); most lines hold none."""


CLUES = ("a.i.", "action", "todo", "to-do")
"""Literal clues of a marker in the case-folded line: the quick pre-check's share for
this rule, with :func:`has_ai_word` for the bare ``AI``."""


def has_ai_word(low: str) -> bool:
    """``AI`` or ``AIs`` as a word of the case-folded line (``__AI__:`` too): no ASCII
    letter or digit on either side."""
    # A find loop rather than a regex search with look-arounds: "ai" is inside many
    # words ("wait", "email"), and looking only where it occurs costs less.
    at = low.find("ai")
    while at != -1:
        end = at + 3 if low[at + 2 : at + 3] == "s" else at + 2
        if not _word_char(low[at - 1 : at]) and not _word_char(low[end : end + 1]):
            return True
        at = low.find("ai", at + 2)
    return False


def _word_char(char: str) -> bool:
    return char.isascii() and char.isalnum()


_START = re.compile(rf"^[*_]?{MARKER_WORDS}[*_]?(?:\s*:|\s+[-–—])\s*(?P<rest>.*)$", re.IGNORECASE)
# "Action item, I'll update the doc": only the singular marker words take a comma.
_START_COMMA = re.compile(r"^(?:AI|action item)\s*,\s*(?P<rest>.+)$", re.IGNORECASE)
_MEETBOT = re.compile(r"^#(?:action|todo)\b\s*:?\s*(?P<rest>.+)$", re.IGNORECASE)
# "[AI]", "[AI: kim]", "(ACTION kim)", "[Action item]" at the start.
_BRACKET_START = re.compile(
    r"^[\[(]\s*(?:AI|action(?:[ -]item)?|todo)\b\s*(?:[:\-]\s*)?(?P<owners>[^\])]{0,80}?)\s*[\])]"
    r"\s*(?:[:\-–—]\s*)?(?P<rest>.*)$",
    re.IGNORECASE,
)
# "… [AI: gerrod]", "… (AI kim)." at the end. Possessive runs keep it linear on any line.
_BRACKET_END = re.compile(
    r"[\[(]\s*+(?:AI|action(?:[ -]item)?)\b\s*+(?:[:\-]\s*+)?(?P<owners>[^\])]{0,80})[\])]\W{0,3}$",
    re.IGNORECASE,
)
_MIDLINE = re.compile(
    r"(?:[.,;!?]|\s[-–—]{1,2})\s++[*_]?(?:AI|(?i:action items?))[*_]?\s*+:\s*+(?P<rest>.+)$"
)
# "AI Kim to …", "AI open a task …", "AI for kim to …": the bare upper-case word.
_BARE_AI = re.compile(r"^(?:AI|ACTION(?: ITEM)?)\s+(?:(?i:for)\s+)?(?P<rest>\S.*)$")


@dataclass(frozen=True, slots=True)
class Marked:
    """A line with a marker: the owners the marker named, and the words after it."""

    owners: tuple[str, ...]
    rest: str
    where: str
    """``start``, ``bracket``, ``end``, ``midline`` or ``bare``, for ``--explain``."""


class Markers:
    def __init__(self, names: Names) -> None:
        self.names = names
        names_pattern = names.names_pattern()
        self._marker_owners = re.compile(
            rf"^[*_]?{MARKER_WORDS}[*_]?\s*[\[(](?P<owners>[^\])]{{1,80}})[\])]\s*(?:[:\-–—]\s*)?(?P<rest>.+)$",
            re.IGNORECASE,
        )
        self._ai_name_colon = re.compile(
            rf"^(?:AI|(?i:{MARKER_WORDS})\s+for)\s+{names_pattern}\s*(?::|\s[-–—])\s*(?P<rest>.+)$"
        )

    def find(self, plain: str) -> Marked | None:
        """The marker on ``plain`` (emphasis and pointers already removed), or None."""
        if "AI" not in plain and not HINT.search(plain.casefold()):
            return None
        match = _START.match(plain) or _MEETBOT.match(plain) or _START_COMMA.match(plain)
        if match:
            return Marked((), match.group("rest"), "start")
        owners = self.names.owners
        match = self._marker_owners.match(plain)
        if match:
            found = owners(match.group("owners"), allow_unknown=True, allow_spaces=True)
            if found:
                return Marked(found, match.group("rest"), "start")
        match = self._ai_name_colon.match(plain)
        if match:
            found = owners(match.group("owners"), allow_unknown=True)
            if found:
                return Marked(found, match.group("rest"), "start")
        match = _BRACKET_START.match(plain)
        if match:
            found = owners(match.group("owners"), allow_unknown=True, allow_spaces=True)
            return Marked(found, match.group("rest"), "bracket")
        if "[" in plain or "(" in plain:
            match = _BRACKET_END.search(plain)
            if match and plain[: match.start()].strip():
                found = owners(match.group("owners").strip(), allow_unknown=True, allow_spaces=True)
                return Marked(found, plain[: match.start()], "end")
        if ":" in plain:
            match = _MIDLINE.search(plain)
            if match:
                return Marked((), match.group("rest"), "midline")
        match = _BARE_AI.match(plain)
        if match and _bare_marker_holds_a_task(match.group("rest"), self.names):
            return Marked((), match.group("rest"), "bare")
        return None


def _bare_marker_holds_a_task(rest: str, names: Names) -> bool:
    """``AI Kim to …``, ``AI open a task``: a bare ``AI`` word marks the line only when
    what follows starts with an owner or a verb (not ``AI models are …``)."""
    first = re.split(r"[\s/,:]", rest, maxsplit=1)[0]
    low = first.casefold()
    if low in lexicon.IMPERATIVE_VERBS:
        return True
    return names.known(first) or (first[:1].isupper() and low not in lexicon.NOT_NAMES)
