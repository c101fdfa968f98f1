"""Assignments: an owner, a word that commits them, and a task.

``Kim to draft the wording``, ``Lee will send it``, ``Lee is going to create patches``,
``kim owns the makefile``, ``Kim add a comment`` (a known person and a bare verb),
``EVERYONE -- go through the sheet``, ``@kim: is this only for nightly builds?`` (a
question put to someone), and, after a marker or in an Action items section, the
owner forms ``[kim] task``, ``kim: task``, ``task (kim)``, ``task - kim``, ``task @kim``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.minutes import lexicon
from tracker.minutes.names import MENTION, Names, is_capitalized_name

_LINKS = (
    r"(?P<link>to|will|shall|is going to|are going to|(?:is|are) to|owns|own"
    # "Kim agreed to …", "Kim volunteered to …", "Kim takes the action to …"
    r"|agree[sd]? to|volunteer(?:s|ed)? to|signed up to"
    r"|(?:takes?|took|will take) (?:the|an) action(?: item)? to)"
)
_TRAILING_MENTIONS = re.compile(
    rf"^(?P<text>.*?\w.*?)\s+\(?(?P<owners>{MENTION}(?:\s*(?:,|and|&)?\s*{MENTION})*)\)?\W{{0,2}}$"
)
_BRACKET = re.compile(r"^\[(?P<owners>[^\[\]]{1,80})\]\s*(?:[:\-–—]\s*)?(?P<text>.*)$")
_PARENTHESIS = re.compile(r"^\((?P<owners>[^()]{1,80})\)\s*(?:[:\-–—]\s*)?(?P<text>.*)$")
_MENTIONS_FIRST = re.compile(
    rf"^(?P<owners>{MENTION}(?:\s*(?:[,&+/]|and)?\s*{MENTION}){{0,9}})\s*(?P<colon>:)?\s+(?P<text>.+)$"
)


# Literal spaces and lower case: the clue is searched on every line and must be cheap;
# "Kim Will send" (a capital link word) is caught by the rules' other clues or missed.
_LINK_CLUE = re.compile(r" (?:to|will|shall|owns?|is going to|are going to|is to|are to) ")
CLUES = ("@", " you ", " to be ", ": please ")
"""The clues of an @mention, of ``Kenji, can you …``, of ``sam: please …`` and of a
passive (case-folded); the
rest of this rule's clue needs the names, in :meth:`Assignments.may_hold`."""
_PARTICIPLE_ENDS = ("ed", "en", "ne", "wn", "nt", "de", "ght")
_NOTE_AFTER_NAMES = re.compile(r"\s[-–—]+\s|[;(]")
_SHORT_PARTICIPLES = frozenset(["set", "put", "cut", "run", "read", "shut", "split"])
_SPELLINGS = [
    (b, a)
    for b in ("", "[", "(", "@", "**", "__", "<")
    for a in ("", ":", ",", "]", ")", "**", "__", ">", "'s", "**:", ":**", "__:", "]:", "):", ">:")
]
_PUNCTUATION = '()[]{}*_,.:;!?"`<>'
_DASHES = frozenset(["-", "--", "–", "—"])


_VOCATIVE = re.compile(
    r"^(?P<owner>@?[A-Za-z][\w.\-']{0,30}),\s+(?:can|could|would|will) you\s+(?:please\s+)?"
    r"(?P<text>.+)$",
    re.IGNORECASE,
)
_HEDGES = frozenset(["not", "probably", "likely", "maybe", "possibly", "hopefully", "need"])
"""Words after ``will`` that make it no promise: ``will not merge``, ``will probably``."""
# "sam: please forward it", "sam: can you send it upstream?", "sam: would you mind
# writing it up?": in a chat, a request put to someone by their nick.
_ADDRESSED = re.compile(
    r"^(?P<owner>[A-Za-z][\w.\-|`^]{0,30}):\s+"
    r"(?:please\s+|(?:can|could|would|will) you\s+(?:please\s+)?(?:mind\s+)?)(?P<text>\w.*)$",
    re.IGNORECASE,
)
_ASIDE = re.compile(r"^(\S+)\s+\([^()]{1,40}\)\s+(.+)$")


@dataclass(frozen=True, slots=True)
class Assigned:
    owners: tuple[str, ...]
    text: str
    how: str
    """Which shape: ``link`` (``to``/``will``), ``verb``, ``dash``, ``mention``,
    ``bracket``, ``colon``, ``trailing``, ``address`` (a request put to them),
    ``then-will`` (news of theirs, then ``, will …``)."""


def first_word(text: str) -> str:
    return text.split(None, 1)[0].strip("*_,.:;!?()[]\"'`").casefold() if text.strip() else ""


def _asks_them(text: str) -> bool:
    """``@kim: can you confirm …?``, ``@Kim: what is the plan for …?``: a question put to
    them, which they must answer; not one the speaker asks the room (``could we …?``)."""
    low = text.casefold().lstrip()
    if low.startswith(_REQUESTS):  # even when the question wraps onto the next line
        return True
    return low.endswith("?") and not low.startswith(_ROOM_QUESTIONS)


_REQUESTS = tuple(
    f"{verb} you "
    for verb in ("can", "could", "would", "will", "do", "did", "are", "have", "please")
) + ("please ",)


_ROOM_QUESTIONS = tuple(
    f"{verb} {who} "
    for verb in ("can", "could", "should", "shall", "do", "did", "would", "will", "may", "must")
    for who in ("we", "i", "us")
) + ("we ", "i ", "maybe ", "perhaps ", "why not ", "how about ", "what about ")


def starts_with_verb(text: str) -> bool:
    """``draft the wording``, ``Review the PR``: the task opens with a bare verb."""
    return first_word(text) in lexicon.IMPERATIVE_VERBS


class Assignments:
    def __init__(self, names: Names) -> None:
        self.names = names
        self._known_words = names.first_words()
        # The ways a known name stands as a whitespace-separated word, so that one set
        # test tells whether a line names anyone at all.
        self._spelled = frozenset(
            f"{before}{word}{after}" for word in self._known_words for before, after in _SPELLINGS
        )
        owners = names.names_pattern()
        self._link = re.compile(rf"^{owners},?\s+{_LINKS}\s+(?P<text>.+)$", re.IGNORECASE)
        # "Kim/Lee Review the PR": single words, so "Lee Review" is not read as one name.
        single = names.names_pattern(full_names=False)
        self._verb = re.compile(rf"^{single}\s+(?P<text>[A-Za-z].*)$", re.IGNORECASE)
        self._dash = re.compile(rf"^{owners}\s*(?:--?|[–—]|:)\s+(?P<text>.+)$", re.IGNORECASE)
        # "Mei has last year's profile, will dig it out", "@nadia noted the branch is
        # green and will open the PR": news of the owner's, then what they will do.
        self._then_will = re.compile(
            rf"^{owners}\s+[^,;]+?(?:,|\s+and)\s+(?:then\s+)?will\s+(?P<text>\w.+)$",
            re.IGNORECASE,
        )
        trailing = names.names_pattern("trailing")
        self._trailing = re.compile(
            rf"^(?P<text>.+?)\s*+(?:\(\s*{owners}\s*\)|\s[-–—]\s*{trailing})\W{{0,2}}$"
        )

    def may_hold(self, text: str, low: str) -> bool:
        """The clues an assignment leaves: an @mention, a link word after a name-like
        word, or a known name soon followed by a verb or a dash (``Kim/Lee review …``,
        ``EVERYONE -- go …``, ``Kim add …``: the minutes' people are known names)."""
        # Every link word holds " to ", " will ", " shall " or " own": three `in` tests
        # spare most lines the regex search.
        linked = " to " in text or " will " in text or " shall " in text or " own" in text
        match = _LINK_CLUE.search(text) if linked else None
        while match is not None:
            end = match.start()
            word = text[text.rfind(" ", 0, end) + 1 : end].strip("(*_,:")
            if word[:1].isupper() or word[-1:] in ")]" or word.casefold() in self._known_words:
                return True
            match = _LINK_CLUE.search(text, match.end() - 1)
        words = low.split()
        if "/" in low:
            words = [p for w in words for p in w.split("/")]
        spelled = self._spelled
        if spelled.isdisjoint(words):
            return False
        verbs = lexicon.IMPERATIVE_VERBS
        # "Kim/Lee review …", "Ana Lima -- go …": a known name, then soon a verb or a dash.
        for i, word in enumerate(words):
            if word in spelled:
                for following in words[i + 1 : i + 4]:
                    bare = following.strip(_PUNCTUATION)
                    if bare in verbs or bare in _DASHES:
                        return True
        return False

    @staticmethod
    def commitments(text: str) -> int:
        """How many owners ``text`` may commit at most: its link words (``to``, ``will``,
        …) and @mentions. A line that gives two owners a task each has two."""
        return text.count("@") + len(_LINK_CLUE.findall(text))

    # -- without a marker -----------------------------------------------------

    def in_clause(self, clause: str) -> Assigned | None:
        """The assignment a clause opens with, believed only when its owner is someone."""
        aside = _ASIDE.match(clause)
        if aside:  # "ivvy (via tmoss) will upload …"
            clause = aside.group(1) + " " + aside.group(2)
        first = clause[:1]
        if first == "@":
            found = self._mentions_first(clause)
            if found is not None:
                return found
        if first == "[":
            bracket = _BRACKET.match(clause)
            if bracket and bracket.group("text")[:3].casefold() == "to ":
                owners = self.names.owners(
                    bracket.group("owners"), allow_unknown=True, allow_spaces=True
                )
                if owners:
                    return Assigned(owners, bracket.group("text")[3:], "bracket")
            return None
        match = _VOCATIVE.match(clause)
        if match and self.names.known(match.group("owner")):  # "Kenji, can you check …?"
            return Assigned((match.group("owner"),), match.group("text").rstrip("?"), "address")
        match = self._link.match(clause)
        if match and self._believable_link(match):
            return Assigned(self.names.split(match.group("owners")), match.group("text"), "link")
        match = self._verb.match(clause)
        if (
            match
            and starts_with_verb(match.group("text"))
            and self._all_known(match)
            and not _third_person(match.group("text"))
        ):
            return Assigned(self.names.split(match.group("owners")), match.group("text"), "verb")
        match = self._dash.match(clause)
        if (
            match
            and ":" not in clause[: match.start("text")]
            and self._all_known(match)
            and starts_with_verb(match.group("text"))
        ):
            return Assigned(self.names.split(match.group("owners")), match.group("text"), "dash")
        return self._passive(clause)

    def then_will(self, clause: str) -> Assigned | None:
        """``Mei has the profile, will dig it out``: a known owner, something said of
        them, then ``, will`` or ``and will`` and their task."""
        first = clause[: clause.find(" ")].strip("*_[(,:").casefold()
        if first[:1] != "@" and first not in self._known_words:  # most clauses: at once
            return None
        match = self._then_will.match(clause)
        if match is None or not self._all_known(match):
            return None
        text = match.group("text")
        word = first_word(text)
        if word in lexicon.NOT_COMMITMENTS or word in _HEDGES:  # "…, will be out in May"
            return None
        return Assigned(self.names.split(match.group("owners")), text, "then-will")

    def _passive(self, clause: str) -> Assigned | None:
        """``The CLA process to be documented by Kim``, ``… will be sent by @lee``: the task,
        then the known person who does it."""
        low = clause.casefold()
        be = max(low.find(" to be "), low.find(" will be "))
        by = low.rfind(" by ")
        if be == -1 or by < be:
            return None
        participle = low[low.find(" be ", be) + 4 :].split(" ", 1)[0]
        if not participle.endswith(_PARTICIPLE_ENDS) and participle not in _SHORT_PARTICIPLES:
            return None
        # "… by Kim - carried over", "… by Kim (out this month)": the names, then a note.
        written = _NOTE_AFTER_NAMES.split(clause[by + 4 :], maxsplit=1)[0]
        owners = self.names.owners(written.strip(" .,;:!)"), allow_unknown=False)
        if not owners:
            return None
        return Assigned(owners, clause[:by].strip(), "passive")

    def _mentions_first(self, clause: str) -> Assigned | None:
        shown = _display_name(clause, self.names)
        if shown is not None:
            return _after_mentions(*shown)
        match = _MENTIONS_FIRST.match(clause)
        if not match:
            return None
        owners = self.names.split(match.group("owners"))
        return _after_mentions(owners, match.group("text"), bool(match.group("colon")))

    def _all_known(self, match: re.Match[str]) -> bool:
        return all(self.names.known(o) for o in self.names.split(match.group("owners")))

    def _believable_link(self, match: re.Match[str]) -> bool:
        """``Kim to draft``: the owner is someone, and a task follows the link word."""
        text = match.group("text")
        if _no_task_after_link(text, match.group("link")):
            return False
        owners = self.names.split(match.group("owners"))
        if all(self.names.known(o) for o in owners):
            return True
        # A name nobody listed: believed in the minutes' own idiom ("Zed to tag the RC")
        # when it looks like a name and a verb follows; "Jenkins will run …" is prose.
        if match.group("link").casefold() != "to":
            return False
        return starts_with_verb(text) and all(
            is_capitalized_name(o) or self.names.owners(o, allow_unknown=False) for o in owners
        )

    # -- after a marker, or in an Action items section --------------------------

    def after_marker(self, rest: str) -> Assigned | None:
        """Who a marker's words name: ``[kim] task``, ``kim to task``, ``kim: task``,
        ``Kim/Lee Review …``, ``task (kim)``, ``task @kim``; None when nobody."""
        rest = rest.strip()
        bracket = None
        if rest[:1] == "[":
            bracket = _BRACKET.match(rest)
        elif rest[:1] == "(":  # "Action item: (Anna) follow up with infra"
            bracket = _PARENTHESIS.match(rest)
        if bracket:
            owners = self.names.owners(
                bracket.group("owners"), allow_unknown=True, allow_spaces=True
            )
            if owners:
                text = bracket.group("text")
                return Assigned(
                    owners, text[3:] if text[:3].casefold() == "to " else text, "bracket"
                )
        if rest[:1] == "@":
            found = self._mentions_first(rest)
            if found is not None:
                return found
        owned = self.owned(rest, allow_unknown=True)
        if owned is not None:
            return owned
        return self.trailing(rest)

    def owned(self, text: str, *, allow_unknown: bool) -> Assigned | None:
        """``kim to task``, ``kim: task``, ``Kim/Lee Review …`` with the owner first."""
        match = self._link.match(text)
        if match and not _no_task_after_link(match.group("text"), match.group("link")):
            owners = self.names.owners(
                match.group("owners"), allow_unknown=allow_unknown, allow_spaces=allow_unknown
            )
            if owners:
                return Assigned(owners, match.group("text"), "link")
        match = self._dash.match(text)
        if match:
            owners = self.names.owners(
                match.group("owners"), allow_unknown=allow_unknown, allow_spaces=allow_unknown
            )
            known = all(self.names.known(o) for o in owners)
            # "Sofie: the campaign is planned …" reports; "Tariq: survey of …" is a task.
            if owners and (known or first_word(match.group("text")) not in lexicon.NOT_NAMES):
                return Assigned(owners, match.group("text"), "colon")
        match = self._verb.match(text)
        # "Kim/Lee Review the PR" needs people the config or the minutes know: an unknown
        # word before a verb is as often a noun ("Parser rewrite").
        if match and starts_with_verb(match.group("text")) and self._all_known(match):
            return Assigned(self.names.split(match.group("owners")), match.group("text"), "verb")
        return None

    def trailing(self, text: str, *, allow_unknown: bool = False) -> Assigned | None:
        """An owner after the task: ``task (alice)``, ``task - alice``, ``task @alice``.
        ``allow_unknown`` (in a section) believes a capitalized name after a task that
        starts with a verb: ``Create the badges - Alexandra Brenner``."""
        if "@" in text and (mentions := _TRAILING_MENTIONS.match(text)):
            task = mentions.group("text").rstrip(" -–—>→=:")
            return Assigned(self.names.split(mentions.group("owners")), task, "trailing")
        if not text.endswith((")", "]")) and not any(c in text for c in "-—–"):
            return None
        match = self._trailing.match(text)
        if not match:
            return None
        written = match.group("owners") or match.group("trailing")
        owners = self.names.owners(written, allow_unknown=False)
        if not owners and allow_unknown and starts_with_verb(match.group("text")):
            owners = tuple(
                o
                for o in self.names.owners(written, allow_unknown=True, allow_spaces=True)
                if all(is_capitalized_name(w) for w in o.split())
            )
            if len(owners) != len(self.names.split(written)):
                owners = ()
        if not owners:
            return None
        return Assigned(owners, match.group("text"), "trailing")


def addressed(said: str, names: Names) -> Assigned | None:
    """What a speaker asks a known person, named before a colon, to do: ``sam:
    please forward it``, ``sam: can you send it upstream?``. A question that asks
    nothing of them (``sam: is it merged?``) is none."""
    match = _ADDRESSED.match(said)
    if match is None or not names.known(match.group("owner")):
        return None
    return Assigned((match.group("owner"),), match.group("text").rstrip("?"), "address")


def _display_name(clause: str, names: Names) -> tuple[tuple[str, ...], str, bool] | None:
    """``@Hamid Rostami cut the release``: Confluence, Google Docs and Jira write a
    mention as the person's display name. Believed only when the config or the
    minutes know that full name, so ``@kim Review the PR`` stays ``@kim``."""
    words = clause[1:].split(" ", 3)
    for count in (3, 2):
        if len(words) <= count:
            continue
        name = " ".join(words[:count])
        bare = name.rstrip(":")
        if bare[:1].isupper() and names.known(bare):
            return (bare,), " ".join(words[count:]).lstrip(), bare != name
    return None


def _after_mentions(owners: tuple[str, ...], text: str, colon: bool) -> Assigned | None:
    """What the mentions opening a clause are given: a task after a link word or
    straight away, or (after a colon) a request put to them."""
    if text[:7].casefold() == "please ":  # "@kim @lee please review it"
        text = text[7:]
    link = re.match(_LINKS + r"\s+", text, re.IGNORECASE)
    if link:
        task = text[link.end() :]
        if _no_task_after_link(task):
            return None
        return Assigned(owners, task, "link")
    if starts_with_verb(text):
        return Assigned(owners, text, "mention")
    if colon and _asks_them(text):
        return Assigned(owners, text, "address")  # "@kim: can you confirm …?"
    # "@kim: the runner got OOM-killed", "@lee: could we cap it?": who is speaking.
    return None


def _no_task_after_link(text: str, link: str = "to") -> bool:
    """``Kim will be out``, ``Kim to the rescue``, ``Lee will probably``: no task follows."""
    words = text.split(None, 2)
    word = first_word(text)
    if link.casefold() in ("owns", "own"):
        return word in ("be", "been", "it", "that", "this")  # "owns the docs update" is a task
    if word in lexicon.NO_TASK_AFTER_TO or word in ("not", "never", "also", "probably", "likely"):
        return True
    if word == "have":
        return len(words) < 2 or words[1].casefold() not in ("a", "another")  # "have a look"
    if word in ("need", "needs", "want", "wants", "like", "prefer"):
        return True
    return word.endswith("ing") and word not in lexicon.IMPERATIVE_VERBS


def _third_person(text: str) -> bool:
    """``Kim reviews``: a report. (Only the first word matters.)"""
    word = first_word(text)
    return word.endswith("s") and word[:-1] in lexicon.IMPERATIVE_VERBS
