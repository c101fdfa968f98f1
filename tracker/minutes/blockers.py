"""Release-blocker decisions: ``add to 3.22 blockers``, ``mark it as a 2.4 blocker``,
``a release blocker for 2.1``. The decision names a release and, where it can, its
subject (the object of ``add X to``, else the topic the line sits under).
"""

from __future__ import annotations

import re

from tracker.config import Config
from tracker.model import Blocker

_EMPHASIS = re.compile(r"\*\*|__")
_PRONOUN_SUBJECTS = frozenset(["it", "this", "that", "them", "these", "those", "one"])

HINT = "blocker"
"""Every built-in blocker form holds this word (case-folded)."""
CLUES = (HINT,)
"""The quick pre-check's share for this rule."""


class Blockers:
    def __init__(self, config: Config) -> None:
        self.config = config

    def blocker(self, text: str, topic: tuple[str, ...]) -> Blocker | None:
        """The release-blocker decision a line records, or None."""
        plain = _EMPHASIS.sub("", text)
        for pattern in self.config.blocker_patterns:
            match = pattern.search(plain)
            if match:
                subject = match.groupdict().get("subject")
                return Blocker(
                    match.group("release"), (subject or self._subject(None, topic, plain)).strip()
                )
        if "blocker" not in plain.casefold():
            return None
        for pattern in _BLOCKER_FORMS:
            match = pattern.search(plain)
            if match and not _NEGATED.search(plain[: match.start()]) and not _asked(plain, match):
                obj = match.groupdict().get("obj")
                return Blocker(match.group("release"), self._subject(obj, topic, plain))
        return None

    @staticmethod
    def _subject(obj: str | None, topic: tuple[str, ...], plain: str) -> str:
        if obj and obj.strip().casefold() not in _PRONOUN_SUBJECTS and len(obj) <= 80:
            return obj.strip()
        if topic:
            return topic[-1]
        return plain.strip()


def _asked(plain: str, match: re.Match[str]) -> bool:
    """``can we mark #12 as a 3.7 blocker?``: a question proposes, it does not decide."""
    end = plain.find("?", match.end())
    stop = min((i for i in (plain.find(". ", match.end()), end) if i != -1), default=-1)
    return end != -1 and stop == end


_RELEASE = r"v?(?P<release>\d+(?:\.\d+)+(?:\.[xX])?)"
_OBJECT = r"(?:(?P<obj>[^,;:.!?]{1,80}?)\s+)?"
_BLOCKER_FORMS = (
    re.compile(
        rf"\badd(?:ed|ing)?\s+{_OBJECT}to\s+(?:the\s+)?{_RELEASE}(?:\s+release)?\s+blockers?(?:\s+list)?\b",
        re.IGNORECASE,
    ),
    re.compile(
        rf"\badd(?:ed|ing)?\s+{_OBJECT}to\s+(?:the\s+)?(?:release\s+)?blockers?(?:\s+list)?\s+(?:for|of)\s+(?:release\s+)?{_RELEASE}",
        re.IGNORECASE,
    ),
    re.compile(
        rf"\bmark(?:ed|ing)?\s+{_OBJECT}as\s+(?:an?\s+)?{_RELEASE}(?:\s+release)?\s+blocker\b",
        re.IGNORECASE,
    ),
    re.compile(
        rf"\bmark(?:ed|ing)?\s+{_OBJECT}as\s+(?:an?\s+)?(?:release\s+)?blocker\s+for\s+(?:release\s+)?{_RELEASE}",
        re.IGNORECASE,
    ),
    re.compile(rf"(?<![\w.]){_RELEASE}(?:\s+release)?[\s-]+blocker\b(?!s)", re.IGNORECASE),
    # "a release blocker for 2.4", "blocker for v1.30": the release after the word.
    re.compile(
        rf"\b(?:release[\s-])?blocker\s+for\s+(?:the\s+)?(?:release\s+)?{_RELEASE}(?![\w.])",
        re.IGNORECASE,
    ),
)
_NEGATED = re.compile(
    r"\b(?:not|no longer|isn't|aren't|wasn't|remove[ds]?|drop(?:ped)?)\s+(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)
