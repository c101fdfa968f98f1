"""Recognising one line as an action item (and as a blocker decision).

The forms, each seen in real minutes:

* a marker with the owner after it: ``AI: [dkliban] add decko``, ``AI: ggainey to post``,
  ``[AI] ggainey to post``, ``[AI DKliban] look``, ``Action item: a, b: task``,
  ``ACTION: x``, ``#action alice to x``, ``AI alice: x``, ``**Action item**: name to x``;
* the marker at the end: ``needs issue, add to 3.22 blockers [AI: gerrod]``;
* no marker but a clear owner: ``[dkliban] to update``, ``@alice to x``, ``@alice: x``,
  Markdown tasks (``- [ ] @alice x``), and ``<known person> to|will <task>``;
* in a Pending AIs or Action items section, ``[name] task``, ``name: task`` and plain
  leaf bullets.

What it rejects matters as much: reports of work done (``[decko] reviewed …``),
decisions (``[team] decided to …``), offers (``x9c4 is willing to do``), the name of
who raised a topic (``[lmjachky] Review of …``) and statements (``bmbouter scheduling …``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.config import Config
from tracker.minutes.outline import Section, TableRow
from tracker.model import Blocker


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that stand before "to" or ":" without naming a person ("AI: need to check",
# "AI: Note: …", "AI: Send mail to the list"); an unknown owner is only believed when
# it is none of these. Known people are always believed, whatever their name.
_NOT_NAMES = _words(
    """
    a an the this that these those it its we i you he she they them us our your their his her my
    someone somebody anyone anybody everyone everybody nobody noone people folks others other
    who what when where why how which whether if then than so as and or but not no yes also still
    need needs needed want wants have has had going plan plans planned try tries tried remember
    continue continues ought used due back up down out in on at by for from of off over into onto
    with about time way nothing something anything everything able ready sure reach talk speak
    respond reply move switch go get come listen related according next prior close similar order
    begin start started forget fail refuse attempt expect hope like love prefer agree agreed decide
    decided intend be is are was were been being do does did done would should could can may
    might must shall let lets make makes made link links access changes change changed add added
    note notes followup follow update updates decision decisions question questions idea ideas
    proposal summary fyi status reminder blocked todo action actions item items ai ais task tasks
    discussion discuss topic topics issue issues pr prs bug bugs fix fixes docs doc documentation
    release releases meeting meetings mtg agenda please ask asked ping check verify investigate
    review reviews reviewed look follow-up tbd na n/a none
    send write create open file schedule post set draft prepare finish merge publish tag test share
    invite organize contact email find figure document implement clean remove delete rename port
    backport announce collect gather coordinate confirm clarify research explore evaluate consider
    think keep put take give read build deploy install upgrade migrate land approve help assign
    track monitor report present demo summarize reach-out reach_out run cut book call
    """
)
_DETERMINERS = _words(
    "the a an this that these those our their his her my your its all each every some any"
)
_PLACEHOLDERS = frozenset(
    [
        "none",
        "n/a",
        "na",
        "nothing",
        "-",
        "--",
        "tbd",
        "(none)",
        "no action items",
        "no ais",
        "nothing new",
    ]
)
_NO_TASK_VERB = _DETERMINERS | _words("be been being")
_PRONOUN_SUBJECTS = _words("it this that them these those one")

# "=> AI: …", "→ @alice to …", "👉 AI: …": a pointer in front of the line.
_POINTERS = frozenset("=>→➡👉▶►")
_LEAD_CHARS = "*_ " + "".join(sorted(_POINTERS))
_EMPHASIS = re.compile(r"\*\*|__")
_TASK = re.compile(r"^\[(?P<mark>[ xX])\]\s+(?P<rest>.*)$")
_ANNOTATION = re.compile(r"\s*\(#(?P<number>\d{1,9})\)\s*$")
_MARKER_WORDS = (
    r"(?:AIs?|A\.I\.|action[ -]?items?(?:\(s\))?|action[ -]?points?|actions?|todo|to-do)"
)
_START_MARKER = re.compile(
    rf"^[*_]?{_MARKER_WORDS}[*_]?(?:\s*:|\s+[-–—])\s*(?P<rest>.*)$", re.IGNORECASE
)
_MEETBOT = re.compile(r"^#(?:action|todo)\b\s*:?\s*(?P<rest>.+)$", re.IGNORECASE)
_BRACKET_START = re.compile(
    r"^[\[(]\s*(?:AI|action(?:[ -]item)?)\b\s*(?:[:\-]\s*)?(?P<owners>[^\])]{0,80}?)\s*[\])]"
    r"\s*(?:[:\-–—]\s*)?(?P<rest>.*)$",
    re.IGNORECASE,
)
_BRACKET_END = re.compile(
    r"\s*[\[(]\s*(?:AI|action(?:[ -]item)?)\b\s*(?:[:\-]\s*)?(?P<owners>[^\])]{0,80}?)\s*[\])]\W{0,3}$",
    re.IGNORECASE,
)
_MIDLINE_MARKER = re.compile(
    r"(?:[.,;!?]|\s[-–—])\s+[*_]?(?:AI|(?i:action items?))[*_]?\s*:\s*(?P<rest>.+)$"
)
# Every marker form holds one of these; most lines hold none and are done with at once.
_MARKER_HINT = re.compile(r"a\.i\.|action|todo|to-do|\bai\b")
_TRAILING_MENTIONS = re.compile(
    r"^(?P<text>.*?\w.*?)\s+\(?(?P<owners>@[A-Za-z0-9][\w.\-]*(?:\[bot\])?"
    r"(?:\s*(?:,|and|&)?\s*@[A-Za-z0-9][\w.\-]*(?:\[bot\])?)*)\)?\W{0,2}$"
)
_VERB_HINT = re.compile(r" (?:to|will|should|must|shall) ", re.IGNORECASE)
_LEADING_VERB = re.compile(r"^(?:to|will|should|must|shall)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Found:
    """What a line says as an action item."""

    owners: tuple[str, ...]
    text: str
    implicit: bool = False
    done: bool = False
    issue: int | None = None


class Forms:
    """The AI and blocker forms, with the names a config knows compiled in."""

    def __init__(self, config: Config) -> None:
        self.config = config
        known = sorted({n for n in config.known_names if " " in n}, key=len, reverse=True)
        multi = "".join(f"{re.escape(n)}(?![\\w])|" for n in known)
        # A full name ("Ana Lima") reads as one owner; the checks in _names decide
        # whether it is a person or two words of a sentence.
        name = rf"(?:@[A-Za-z0-9][\w.\-]*(?:\[bot\])?|{multi}(?-i:[A-Z][a-z'\-]+ [A-Z][a-z'\-]+)(?=[\s,/&:])|[A-Za-z][\w.\-']*)"
        sep = r"(?:\s*[,/&+]\s*(?:and\s+)?|\s+and\s+|\s+(?=@))"
        names = rf"(?P<owners>{name}(?:{sep}{name}){{0,9}})"
        trailing_names = names.replace("(?P<owners>", "(?P<trailing>", 1)
        self._split = re.compile(sep)
        self._first_words = frozenset(
            n.split()[0].casefold() for n in config.known_names if n.split()
        )
        self._always = bool(config.action_item_patterns or config.blocker_patterns)
        self._owners_to = re.compile(
            rf"^{names}\s+(?P<verb>to|will|should|must|shall)\s+(?P<text>.+)$", re.IGNORECASE
        )
        self._owners_colon = re.compile(rf"^{names}\s*(?::|\s[-–—])\s+(?P<text>.+)$", re.IGNORECASE)
        self._ai_name_colon = re.compile(
            rf"^(?:AI|(?i:{_MARKER_WORDS})\s+for)\s+{names}\s*(?::|\s[-–—])\s*(?P<text>.+)$"
        )
        self._marker_owners = re.compile(
            rf"^[*_]?{_MARKER_WORDS}[*_]?\s*[\[(](?P<owners>[^\])]{{1,80}})[\])]\s*(?:[:\-–—]\s*)?(?P<rest>.+)$",
            re.IGNORECASE,
        )
        self._bracket = re.compile(r"^\[(?P<owners>[^\[\]]{1,80})\]\s*(?:[:\-–—]\s*)?(?P<text>.*)$")
        mention = r"@[A-Za-z0-9][\w.\-]*(?:\[bot\])?"
        self._mention = re.compile(
            rf"^(?P<owners>{mention}(?:\s*(?:[,&+/]|and)?\s*{mention}){{0,9}})\s+(?P<text>.+)$"
        )
        self._trailing = re.compile(
            rf"^(?P<text>.+?)\s*(?:\(\s*{names}\s*\)|\s[-–—]\s*{trailing_names})\W{{0,2}}$"
        )

    # -- action items ---------------------------------------------------------

    def action_item(
        self, text: str, *, bullet: bool, section: Section | None, leaf: bool
    ) -> Found | None:
        """The AI a line holds, or None. ``text`` is the line without indent and bullet."""
        plain = _EMPHASIS.sub("", text).strip() if ("**" in text or "__" in text) else text.strip()
        if plain[:1] in _POINTERS:
            plain = plain.lstrip("".join(_POINTERS) + " ")
        issue = None
        annotation = _ANNOTATION.search(plain) if "(#" in plain else None
        if annotation:
            issue = int(annotation.group("number"))
            plain = plain[: annotation.start()]
        found = self._recognise(plain, bullet=bullet, section=section, leaf=leaf)
        if found is None:
            return None
        cleaned = _LEADING_VERB.sub("", found.text.strip().lstrip(":-–— ")).strip()
        if not cleaned or cleaned.casefold() in _PLACEHOLDERS:
            return None
        return Found(found.owners, cleaned, found.implicit, found.done, issue)

    def may_hold(self, text: str) -> bool:
        """A quick test that every AI or blocker decision outside a section passes: a
        marker word, an owner markup, a known name first, or "blocker". Most lines fail
        it and cost nothing more."""
        if self._always or "AI" in text:
            return True
        if "**" in text or "__" in text:
            text = _EMPHASIS.sub("", text)
        low = text.casefold()
        if (
            "action" in low
            or "blocker" in low
            or "todo" in low
            or "to-do" in low
            or "ai:" in low
            or "[ai" in low
            or "(ai" in low
            or "a.i." in low
        ):
            return True
        text = text.lstrip(_LEAD_CHARS)
        if text[:2].casefold() == "ai":
            return True
        head = text[:1]
        if head == "[" or head == "@" or head == "(":
            return True
        first = text.split(None, 1)[0] if text else ""
        return first.casefold().strip("*_,:/").split("/")[0].strip("*_") in self._first_words

    def _recognise(
        self, plain: str, *, bullet: bool, section: Section | None, leaf: bool
    ) -> Found | None:
        for pattern in self.config.action_item_patterns:
            match = pattern.search(plain)
            if match:
                owner = match.groupdict().get("owner") or match.groupdict().get("owners") or ""
                return Found(self._split_names(owner), match.group("text"))

        first = plain[:1]
        task = _TASK.match(plain) if first == "[" else None
        if task and bullet:
            done = task.group("mark") != " "
            marked = self._explicit(task.group("rest"))
            if marked is not None:
                return Found(marked.owners, marked.text, done=done)
            owners, rest = self._owner_and_task(task.group("rest"), explicit=True)
            return Found(owners, rest, done=done)

        explicit = self._explicit(plain)
        if explicit is not None:
            return explicit

        in_section = section is not None
        if not (bullet or in_section):
            return None
        if not in_section and first != "[" and first != "@":
            # Outside a section only a known name can start an unmarked AI.
            head = plain.split(None, 1)[0].rstrip(",:/").casefold() if plain else ""
            if head.split("/")[0] not in self._first_words:
                return None
        bracket = self._bracket.match(plain) if first == "[" else None
        if bracket:
            rest = bracket.group("text")
            if in_section or rest[:3].casefold() == "to ":
                owners = self._names(bracket.group("owners"), allow_unknown=True, allow_spaces=True)
                if owners:
                    return Found(owners, rest)
        # Outside a section, "name: task" needs an @mention, and "name to task" a verb.
        mention = None
        if in_section or first == "@" or _VERB_HINT.search(plain):
            mention = self._owners_to.match(plain)
        if mention is None and (in_section or first == "@"):
            mention = self._owners_colon.match(plain)
        if mention:
            owners = self._names(mention.group("owners"), allow_unknown=in_section)
            if owners and self._believable(mention, owners, in_section=in_section):
                implicit = not in_section and not all(o.startswith("@") for o in owners)
                return Found(owners, mention.group("text"), implicit=implicit)
        at = self._mention.match(plain) if first == "@" else None
        if at and (in_section or plain.startswith("@")):
            return Found(self._split_names(at.group("owners")), at.group("text"))
        if in_section and bullet:
            trailing = self._trailing_owner(plain)
            if trailing is not None:
                return trailing
            if leaf:
                return Found((), plain)
        return None

    def table_row(self, row: TableRow) -> Found | None:
        """A row of an action-items table: its owner cell names the owners."""
        task = _EMPHASIS.sub("", row.task).strip()
        issue = None
        annotation = _ANNOTATION.search(task)
        if annotation:
            issue = int(annotation.group("number"))
            task = task[: annotation.start()].strip()
        if not task or task.casefold() in _PLACEHOLDERS:
            return None
        written = _EMPHASIS.sub("", row.owner).strip()
        owners = () if written.casefold() in _PLACEHOLDERS else self._split_names(written)
        return Found(owners, task, done=row.done, issue=issue)

    def _believable(
        self, match: re.Match[str], owners: tuple[str, ...], *, in_section: bool
    ) -> bool:
        """``name to x`` is an assignment when the names are people, not words."""
        known = all(o.startswith("@") or self._is_known(o) for o in owners)
        if "verb" not in match.groupdict():  # "name: task"
            return in_section or all(o.startswith("@") for o in owners)
        if known:
            return True
        return in_section and match.group("verb").casefold() == "to" and self._verb_follows(match)

    def _explicit(self, plain: str) -> Found | None:
        """Lines with an AI marker: the marker makes them AIs, whatever follows."""
        if "AI" not in plain and not _MARKER_HINT.search(plain.casefold()):
            return None
        match = _START_MARKER.match(plain) or _MEETBOT.match(plain)
        if match:
            rest = match.group("rest")
            if not rest.strip():
                return None
            owners, task = self._owner_and_task(rest, explicit=True)
            return Found(owners, task)
        match = self._marker_owners.match(plain)
        if match:
            owners = self._names(match.group("owners"), allow_unknown=True, allow_spaces=True)
            if owners:
                return Found(owners, match.group("rest"))
        match = self._ai_name_colon.match(plain)
        if match:
            return Found(
                self._names(match.group("owners"), allow_unknown=True), match.group("text")
            )
        match = _BRACKET_START.match(plain)
        if match:
            owners = self._names(match.group("owners"), allow_unknown=True, allow_spaces=True)
            if owners:
                return Found(owners, match.group("rest"))
            found_owners, task = self._owner_and_task(match.group("rest"), explicit=True)
            return Found(found_owners, task)
        if "[" in plain or "(" in plain:
            match = _BRACKET_END.search(plain)
            if match and plain[: match.start()].strip():
                owners = self._names(match.group("owners"), allow_unknown=True, allow_spaces=True)
                return Found(owners, plain[: match.start()])
        if ":" in plain:
            match = _MIDLINE_MARKER.search(plain)
            if match:
                owners, task = self._owner_and_task(match.group("rest"), explicit=True)
                return Found(owners, task)
        return None

    def _owner_and_task(self, rest: str, *, explicit: bool) -> tuple[tuple[str, ...], str]:
        """Split what follows a marker into its owners and its task."""
        rest = rest.strip()
        bracket = self._bracket.match(rest)
        if bracket:
            owners = self._names(bracket.group("owners"), allow_unknown=True, allow_spaces=True)
            if owners:
                return owners, bracket.group("text")
        at = self._mention.match(rest)
        if at and not self._owners_to.match(rest) and not self._owners_colon.match(rest):
            return self._split_names(at.group("owners")), at.group("text")
        for pattern in (self._owners_to, self._owners_colon):
            match = pattern.match(rest)
            if match:
                owners = self._names(
                    match.group("owners"), allow_unknown=explicit, allow_spaces=explicit
                )
                if owners and (
                    all(o.startswith("@") or self._is_known(o) for o in owners)
                    or ("verb" in match.groupdict() and self._verb_follows(match))
                    or "verb" not in match.groupdict()
                ):
                    return owners, match.group("text")
        trailing = self._trailing_owner(rest)
        if trailing is not None:
            return trailing.owners, trailing.text
        return (), rest

    def _trailing_owner(self, plain: str) -> Found | None:
        """An owner after the task: ``task (alice)``, ``task - alice``, ``task @alice``."""
        if "@" in plain and (mentions := _TRAILING_MENTIONS.match(plain)):
            task = mentions.group("text").rstrip(" -–—>→=:")
            return Found(self._split_names(mentions.group("owners")), task)
        if (
            not plain.endswith((")", "]"))
            and "-" not in plain
            and "—" not in plain
            and "–" not in plain
        ):
            return None
        match = self._trailing.match(plain)
        if not match:
            return None
        written = match.group("owners") or match.group("trailing")
        owners = self._names(written, allow_unknown=False)
        if not owners:
            return None
        return Found(owners, match.group("text"))

    @staticmethod
    def _verb_follows(match: re.Match[str]) -> bool:
        """``x to <verb>``: an article or a passive ("plugins to be updated") names no owner."""
        following = match.group("text").split(None, 1)
        return bool(following) and following[0].casefold() not in _NO_TASK_VERB

    def _is_known(self, name: str) -> bool:
        return self.config.login_for(name) is not None or self.config.group_for(name) is not None

    def _split_names(self, written: str) -> tuple[str, ...]:
        return tuple(n.strip() for n in self._split.split(written.strip()) if n.strip())

    def _names(
        self, written: str, *, allow_unknown: bool, allow_spaces: bool = False
    ) -> tuple[str, ...]:
        """The owner names in ``written``; empty when any of them is no name."""
        names = self._split_names(written)
        if not names:
            return ()
        for name in names:
            bare = name.lstrip("@")
            if name.startswith("@") or self._is_known(name):
                continue
            if not allow_unknown or bare.casefold() in _NOT_NAMES:
                return ()
            pattern = r"[A-Za-z][\w.\-']{0,38}" + (
                r"(?: [A-Za-z][\w.\-']{0,38}){0,2}" if allow_spaces else ""
            )
            if not re.fullmatch(pattern, bare):
                return ()
            if allow_spaces and any(w.casefold() in _NOT_NAMES for w in bare.split()):
                return ()
        return names

    # -- blocker decisions ------------------------------------------------------

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
            if match and not _NEGATED.search(plain[: match.start()]):
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
