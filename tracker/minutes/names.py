"""Who can own an action item: the people the config names and those the minutes show.

A name in an owner's place is believed when the config knows it, when it is an
@mention, or when the minutes themselves show it is a person: someone in an
attendance list, a speaker (``[Kim] …``, ``**Lee**: …``, ``<sam> …``), or an owner a
marker named. Teams rarely list everyone in the config; a person the minutes show is
still a person, and only the config maps them to a GitHub login.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from tracker.config import Config
from tracker.minutes import lexicon

MENTION = r"@[A-Za-z0-9][\w.\-]*(?:\[bot\])?(?:/[A-Za-z0-9][\w.\-]*)?"
"""A GitHub @mention: ``@kim``, ``@dependabot[bot]``, ``@org/team``."""

SEPARATOR = r"(?:\s*[,/&+]\s*(?:and\s+)?|\s+and\s+|\s+(?=@))"
"""Between two owners: ``Kim/Lee``, ``Kim, Lee``, ``Kim and Lee``, ``@kim @lee``."""

_NAME_SHAPE = re.compile(r"[A-Za-z][\w.\-']{0,38}")
_SPACED_NAME_SHAPE = re.compile(r"[A-Za-z][\w.\-']{0,38}(?: [A-Za-z][\w.\-']{0,38}){0,2}")
_SPLIT = re.compile(SEPARATOR)


def is_capitalized_name(word: str) -> bool:
    """``Kim``, ``McKenzie``, ``O'Neil``: a capital first letter and a lowercase rest."""
    return (
        len(word) >= 2
        and word[0].isupper()
        and word[1:2].islower()
        and word.casefold() not in lexicon.NOT_NAMES
        and word.casefold() not in lexicon.LABELS
        and word.casefold() not in lexicon.IMPERATIVE_VERBS
    )


@dataclass(frozen=True)
class Names:
    """The names an owner can be written as, for one parse."""

    config: Config
    people: frozenset[str] = frozenset()
    """Case-folded names the minutes show to be people (see the module docstring)."""

    def with_people(self, names: Iterable[str]) -> Names:
        found = {n.lstrip("@").strip().casefold() for n in names if n.strip()}
        found -= lexicon.NOT_NAMES | lexicon.LABELS | lexicon.TAGS
        return Names(self.config, self.people | frozenset(found))

    def configured(self, name: str) -> bool:
        config = self.config
        return config.login_for(name) is not None or config.group_for(name) is not None

    def known(self, name: str) -> bool:
        """The config or the minutes say this name is a person or a group."""
        return (
            name.startswith("@")
            or self.configured(name)
            or name.lstrip("@").casefold() in self.people
        )

    def first_words(self) -> frozenset[str]:
        """The first word of every known name, case-folded: the quick pre-check's clue."""
        words = {n.split()[0] for n in self.config.known_names if n.split()}
        words |= {n.split()[0] for n in self.people if n.split()}
        return frozenset(words)

    @staticmethod
    def split(written: str) -> tuple[str, ...]:
        return tuple(n.strip() for n in _SPLIT.split(written.strip()) if n.strip())

    def owners(
        self, written: str, *, allow_unknown: bool, allow_spaces: bool = False
    ) -> tuple[str, ...]:
        """The owner names in ``written``; empty when any of them is no name.

        ``allow_unknown`` believes a name nobody knows when it has a name's shape and
        is not an ordinary word (``AI: zed to …``: the marker vouches for it).
        """
        names = self.split(written)
        if not names:
            return ()
        for name in names:
            if self.known(name):
                continue
            bare = name.lstrip("@")
            low = bare.casefold()
            if not allow_unknown or low in lexicon.NOT_NAMES or low in lexicon.LABELS:
                return ()
            shape = _SPACED_NAME_SHAPE if allow_spaces else _NAME_SHAPE
            if not shape.fullmatch(bare):
                return ()
            if allow_spaces and any(w.casefold() in lexicon.NOT_NAMES for w in bare.split()):
                return ()
        return names

    def name_pattern(self, *, full_names: bool = True) -> str:
        """A regex for one owner: an @mention, a known full name, a capitalized full name
        (unless ``full_names`` is off), or a single word (the callers decide whether to
        believe it)."""
        known = sorted(
            {n for n in (*self.config.known_names, *self.people) if " " in n},
            key=len,
            reverse=True,
        )
        multi = "".join(f"{re.escape(n)}(?![\\w])|" for n in known)
        full = r"(?-i:[A-Z][a-z'\-]+ [A-Z][a-z'\-]+)(?=[\s,/&:])|" if full_names else ""
        return rf"(?:{MENTION}|{multi}{full}[A-Za-z][\w.\-']*)"

    def names_pattern(self, group: str = "owners", *, full_names: bool = True) -> str:
        name = self.name_pattern(full_names=full_names)
        return rf"(?P<{group}>{name}(?:{SEPARATOR}{name}){{0,9}})"
