"""Is this line an action item? A pipeline of small steps that reads a line as a person does.

1. **Prepare**: drop emphasis, a leading pointer (``=>``, ``→``), the ``(#12)`` a sync
   wrote, and note a task-list checkbox.
2. **Speaker**: ``[Kim] …``, ``Lee: …``, ``<sam> …`` say who is talking
   (:mod:`~tracker.minutes.speakers`).
3. **Marker**: ``AI:``, ``ACTION(kim):``, ``… [AI: kim]`` (:mod:`~tracker.minutes.markers`).
4. **Assignment**: in each clause (:mod:`~tracker.minutes.clauses`), an owner and a word
   that commits them (:mod:`~tracker.minutes.assignments`); after a speaker, a
   first-person commitment (``I'll …``, ``will …``).
5. **Section**: in an Action items section, an item that reads as a task.
6. **Judge**: the task must be a task: not empty, an acknowledgement, a status report,
   a report of work done, an offer, or (without a marker) a question.

Every step that decides leaves a :class:`Verdict` saying which rule (its ``form``) and
why, so ``tracker parse --explain`` prints the same trail the tests assert.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from tracker.config import Config
from tracker.identity import ANNOTATION, SECTION_NOTE
from tracker.minutes import assignments, blockers, lexicon, markers, speakers
from tracker.minutes.assignments import Assigned, Assignments, first_word, starts_with_verb
from tracker.minutes.clauses import Clause, split_clauses
from tracker.minutes.markers import Markers
from tracker.minutes.names import Names
from tracker.minutes.outline import Entry, Section, TableRow
from tracker.minutes.people import is_attendance_line
from tracker.minutes.speakers import Speaker, find_speaker
from tracker.model import Blocker

FORMS = ("pattern", "task-list", "marker", "speaker", "assignment", "section", "table")
"""The rules that can take a line, as ``ActionItem.form`` names them."""

_EMPHASIS = re.compile(r"\*\*|__")
_POINTERS = ("-->", "==>", "=>", "->", "→", "➡", "👉", "▶", "►", "⇒")
_TASK_BOXES = ("[ ]", "[x]", "[X]")
_LEADS = _POINTERS + ("[ ]", "[x]")
"""A pointer or a task box opening the line (case-folded): the clue of those rules."""
_TASK_BOX = re.compile(r"^\[(?P<mark>[ xX])\]\s+(?P<rest>.*)$")
_AGENDA_NUMBER = re.compile(r"^(?:\d+(?:\.\d+)+\.?|[A-Z]\.|\d+\))\s")
_PLACEHOLDERS = frozenset(
    ["none", "n/a", "na", "nothing", "-", "--", "tbd", "(none)", "no action items", "no ais"]
    + ["nothing new", "none.", "n/a."]
)
_COMMAND_WORD = re.compile(r"#[a-z]\w*\.?$")
_LEADING_LINK = re.compile(r"^(?:to|will|shall)\s+", re.IGNORECASE)
_MEETBOT_SAID = re.compile(r"\([^(),\s]{1,40}, \d{1,2}:\d{2}(?::\d{2})?\)$")
_REPORT_AFTER_OWNER = re.compile(
    r"^(?:has|have|had|already|just|was|were|is|are)\b|^\w+ed\b", re.IGNORECASE
)
"""``has opened …``, ``merged the fix``: a report, wherever it is."""
_DONE_NEWS = re.compile(r"^\w+'d\b|^(?:\S+ ){1,3}\w+ed\b", re.IGNORECASE)
"""``RTBC'd it``, ``summary updated, finally``, ``staging DB moved to …``: news of work
done. In an Action items section that is no task; a Pending AIs section restates its AIs
in just these words (``[dkliban] CodeQL issues opened``), so there it stays one."""


@dataclass(frozen=True, slots=True)
class Found:
    """What a line says as an action item."""

    owners: tuple[str, ...]
    text: str
    form: str
    implicit: bool = False
    done: bool = False
    issue: int | None = None


@dataclass(frozen=True, slots=True)
class Verdict:
    """The answer for one line, with the trail of steps that led to it."""

    found: Found | None
    reason: str
    steps: tuple[str, ...] = field(default=())
    also: tuple[Found, ...] = ()
    """Further AIs of the same line: other owners, each given a task of their own
    (``Kim to update the docs; Lee to review the PR``)."""


@dataclass(frozen=True, slots=True)
class Line:
    """One entry of the outline, as the recogniser sees it."""

    text: str
    """Without indentation and bullet."""
    bullet: bool = True
    section: Section | None = None
    leaf: bool = True
    top: bool = True
    """Directly under its section's title (not a sub-item of another item)."""

    @classmethod
    def of(cls, entry: Entry) -> Line:
        """What the recogniser needs to know of an outline entry."""
        return cls(
            entry.text,
            bullet=entry.bullet,
            section=entry.section,
            leaf=not entry.has_children,
            top=entry.top,
        )


@dataclass(frozen=True, slots=True)
class _Prepared:
    plain: str
    issue: int | None
    box: bool | None
    """None: no checkbox; else whether it is checked."""


_CLUES = markers.CLUES + blockers.CLUES + speakers.CLUES + assignments.CLUES
"""Every rule's literal clues: plain substrings, which ``in`` finds faster than one
regex alternation would; the rules that need the names add theirs in
:meth:`Recogniser.may_hold`."""


def _has_clue(low: str) -> bool:
    for clue in _CLUES:  # a plain loop: ``any()`` over a generator costs a third more here
        if clue in low:
            return True
    return False


class Recogniser:
    """The pipeline for one parse: the config's names and the people the minutes show."""

    def __init__(self, config: Config, people: frozenset[str] = frozenset()) -> None:
        self.config = config
        self.names = Names(config).with_people(people)
        self.markers = Markers(self.names)
        self.assignments = Assignments(self.names)
        self.blockers = blockers.Blockers(config)
        self._first_words = self.names.first_words()
        self._always = bool(config.action_item_patterns or config.blocker_patterns)

    # -- the quick pre-check ----------------------------------------------------

    def may_hold(self, text: str) -> bool:
        """Whether any rule could take ``text`` outside a section: the rules' own clues
        (each module says what every line it takes must hold), so a line every clue
        misses is done with at once. A test holds it to never dropping a taken line."""
        if self._always:
            return True
        low = text.casefold()
        return (
            _has_clue(low)
            or markers.has_ai_word(low)
            or low.lstrip(" *_").startswith(_LEADS)
            or self.assignments.may_hold(text, low)
        )

    # -- action items -------------------------------------------------------------

    def action_item(self, line: Line) -> Verdict:
        prepared = _prepare(line.text)
        steps: list[str] = []
        verdict = self._recognise(prepared, line, steps)
        found = verdict.found
        if found is None:
            return Verdict(None, verdict.reason, tuple(steps))
        task = _LEADING_LINK.sub("", found.text.strip().lstrip(":-–— ,")).strip()
        problem = _task_problem(task, found.form)
        if problem:
            steps.append(f"judge: {problem}")
            return Verdict(None, problem, tuple(steps))
        steps.append(f"taken by the {found.form} rule")
        done = found.done or bool(prepared.box)
        found = Found(found.owners, task, found.form, found.implicit, done, prepared.issue)
        others = _other_owners(self.assignments, prepared.plain, found)
        if others:
            steps.append(f"{len(others)} more owner(s), each with a task of their own")
            first, *more = _split_tasks(found, others)
            return Verdict(first, verdict.reason, tuple(steps), tuple(more))
        return Verdict(found, verdict.reason, tuple(steps))

    def _recognise(self, prepared: _Prepared, line: Line, steps: list[str]) -> Verdict:
        plain = prepared.plain
        for pattern in self.config.action_item_patterns:
            # The team wrote the pattern against the line as they see it.
            match = pattern.search(line.text.strip()) or pattern.search(plain)
            if match:
                groups = match.groupdict()
                owner = groups.get("owner") or groups.get("owners") or ""
                steps.append(f"pattern {pattern.pattern!r} matched")
                found = Found(self.names.split(owner), match.group("text"), "pattern")
                return Verdict(found, "a pattern from the config matched")
        if line.section is Section.ATTENDANCE or is_attendance_line(plain):
            return Verdict(None, "an attendance list")
        if prepared.box is not None and line.bullet:
            return self._task_list(plain, line, steps)
        speaker = find_speaker(plain, self.names)
        if speaker is not None:
            steps.append(f"speaker: {speaker.name} ({speaker.style})")
        said = speaker.rest if speaker else plain
        marked = self.markers.find(said) or self._marker_in_a_clause(said)
        if marked is not None:
            return self._marked(marked, speaker, steps)
        if speaker is not None:
            return self._spoken(speaker, line, steps)
        assigned = self._assigned(plain, steps)
        if assigned is not None:
            return assigned
        if plain is not line.text and _pointed(line.text) and starts_with_verb(plain):
            steps.append("an arrow pointing at a task")
            return Verdict(Found((), plain, "marker"), "an arrow to an ownerless task")
        if _by_position(line):
            return self._section_item(plain, line, steps)
        return Verdict(None, "no marker, no owner committed to a task")

    def _marker_in_a_clause(self, said: str) -> markers.Marked | None:
        """``Sunset policy -- AI Kim to draft the wording``: a marker opening a later clause."""
        if "AI" not in said and not markers.HINT.search(said.casefold()):
            return None
        for clause in split_clauses(said)[1:]:
            if clause.after in ("(", ","):
                continue
            marked = self.markers.find(clause.text)
            if marked is not None and marked.where in ("start", "bare"):
                return markers.Marked(marked.owners, marked.rest, "clause")
        return None

    def _task_list(self, plain: str, line: Line, steps: list[str]) -> Verdict:
        steps.append("a task-list item")
        marked = self.markers.find(plain)
        rest = marked.rest if marked else plain
        owners = marked.owners if marked else ()
        if not owners:
            assigned = self.assignments.after_marker(rest)
            if assigned is not None:
                owners, rest = assigned.owners, assigned.text
        # Agendas tick their items off too: "[x] Welcome, CoC reminder" is no task.
        if not (owners or marked or line.section or _reads_as_task(rest, owned=False)):
            return Verdict(None, "a checkbox on an agenda item (no owner, not a task)")
        return Verdict(Found(owners, rest, "task-list"), "a Markdown task")

    def _marked(self, marked: markers.Marked, speaker: Speaker | None, steps: list[str]) -> Verdict:
        steps.append(f"marker ({marked.where}); the rest: {marked.rest.strip()!r}")
        owners, task = marked.owners, marked.rest
        if not owners:
            commitment = _first_person(task)
            if commitment is not None and speaker is not None:
                owners, task = (speaker.name,), commitment
            else:
                assigned = self.assignments.after_marker(task)
                if assigned is not None:
                    steps.append(f"owner after the marker ({assigned.how})")
                    owners, task = assigned.owners, assigned.text
                elif speaker is not None:
                    owners = (speaker.name,)
        return Verdict(Found(owners, task, "marker"), "an AI marker with a task")

    def _spoken(self, speaker: Speaker, line: Line, steps: list[str]) -> Verdict:
        said = speaker.rest.strip()
        commitment = _first_person(said)
        if commitment is None:
            commitment = next(
                (c for c in map(_first_person, (k.text for k in split_clauses(said)[1:])) if c),
                None,
            )
        if commitment is not None:
            steps.append("a first-person commitment")
            return Verdict(Found((speaker.name,), commitment, "speaker"), "the speaker commits")
        asked = assignments.addressed(said, self.names)
        if asked is not None:  # "<kim> sam: can you send it upstream?"
            steps.append(f"a request put to {asked.owners[0]} by name")
            return Verdict(Found(asked.owners, asked.text, "assignment"), "a request to someone")
        if said.endswith("?"):
            return Verdict(None, "a speaker's question")
        if said[:3].casefold() == "to " and speaker.style == "bracket":
            steps.append("[owner] to <task>")
            return Verdict(
                Found((speaker.name,), said[3:], "assignment"), "an owner in brackets, then 'to'"
            )
        assigned = self._assigned(said, steps)
        if assigned is not None:
            return assigned
        if _by_position(line) and _owned_item_is_a_task(said, line.section):
            steps.append("an owned item of an Action items section")
            return Verdict(Found((speaker.name,), said, "section"), "an item of its section")
        if speaker.style == "colon" and self.names.known(speaker.name) and starts_with_verb(said):
            # "Ben: revise the draft …" gives Ben a task; "[Ben] Review of …" names a topic.
            steps.append("a known person, a colon, then a task")
            return Verdict(Found((speaker.name,), said, "assignment"), "a task for a known person")
        return Verdict(None, "a speaker's remark (no commitment, no task given to anyone)")

    def _assigned(self, text: str, steps: list[str]) -> Verdict | None:
        for clause in split_clauses(text):
            assigned = self.assignments.in_clause(clause.text)
            if assigned is None:
                continue
            if assigned.how == "mention" and first_word(assigned.text) in lexicon.NOT_NAMES:
                continue
            # "Kim to confirm?", "Kim will send slides? not sure": a question, not a task
            # given (one put to someone, "@kim: can you …?", is theirs to answer).
            if assigned.how != "address" and "?" in assigned.text:
                continue
            where = f"clause {clause.start}" if clause.start else "the line"
            steps.append(f"assignment ({assigned.how}) in {where}: {clause.text!r}")
            implicit = not all(o.startswith("@") for o in assigned.owners)
            found = Found(
                assigned.owners, _close_parenthesis(assigned.text), "assignment", implicit
            )
            return Verdict(found, "an owner committed to a task")
        if " will " not in text:
            return None
        for clause in split_clauses(text):
            later = self.assignments.then_will(text[clause.start :])
            if later is not None:
                steps.append(f"an owner's news, then what they will do: {later.text!r}")
                found = Found(later.owners, later.text, "assignment", implicit=True)
                return Verdict(found, "an owner committed to a task")
        return None

    def _section_item(self, plain: str, line: Line, steps: list[str]) -> Verdict:
        assert line.section is not None
        if line.section is Section.EVERY_ITEM:
            return self._every_item(plain, steps)
        if not line.leaf:
            return Verdict(None, "a heading of sub-items in its section (a topic or an agenda)")
        owned: Assigned | None = self.assignments.after_marker(plain)
        if owned is None:
            owned = self.assignments.trailing(plain, allow_unknown=True)
        if owned is not None and owned.how == "trailing" and line.section is Section.ACTIONS:
            task = owned.text
            owned = (
                owned if _reads_as_task(task, owned=True) and not _DONE_NEWS.match(task) else None
            )
        if owned is not None:
            steps.append(f"section item with its owner ({owned.how})")
            return Verdict(
                Found(owned.owners, owned.text, "section"), "an owned item of its section"
            )
        if line.section is Section.PENDING:
            if line.bullet and _reads_as_task(plain, owned=False):
                steps.append("a leaf of a Pending AIs section")
                return Verdict(Found((), plain, "section"), "an item of a Pending AIs section")
            return Verdict(None, "not a list item of its section")
        if _AGENDA_NUMBER.match(plain):
            return Verdict(None, "a numbered agenda heading")
        if line.bullet and _reads_as_task(plain, owned=False):
            steps.append("a task of an Action items section")
            return Verdict(Found((), plain, "section"), "an ownerless task of its section")
        return Verdict(None, "in an Action items section, but not written as a task")

    def _every_item(self, plain: str, steps: list[str]) -> Verdict:
        """The config says this section holds only AIs: the item is one, its owner given
        the ways a section's items give one (``kim: …``, ``… (kim)``) or none."""
        owned = self.assignments.after_marker(plain) or self.assignments.trailing(
            plain, allow_unknown=True
        )
        steps.append("an item of a section the config lists in sections.every_item")
        if owned is not None:
            return Verdict(Found(owned.owners, owned.text, "section"), "every item is an AI")
        return Verdict(Found((), plain, "section"), "every item is an AI (no owner written)")

    # -- tables and blockers --------------------------------------------------------

    def table_row(self, row: TableRow) -> Found | None:
        """A row of an action-items table: its owner cell names the owners."""
        prepared = _prepare(row.task)
        task = prepared.plain.strip()
        if not task or task.casefold() in _PLACEHOLDERS:
            return None
        written = _EMPHASIS.sub("", row.owner).strip()
        owners = () if written.casefold() in _PLACEHOLDERS else self.names.split(written)
        return Found(owners, task, "table", done=row.done, issue=prepared.issue)

    def blocker(self, text: str, topic: tuple[str, ...]) -> Blocker | None:
        return self.blockers.blocker(text, topic)


def _by_position(line: Line) -> bool:
    """A Pending AIs section restates AIs at any depth; an Action items section's own
    items are its top ones (sub-items are notes on them, or an agenda's details)."""
    return line.section is Section.PENDING or (
        line.section in (Section.ACTIONS, Section.EVERY_ITEM) and line.top
    )


def _prepare(text: str) -> _Prepared:
    plain = _EMPHASIS.sub("", text).strip() if ("**" in text or "__" in text) else text.strip()
    if plain[:1] in lexicon.STATUS_MARKS:
        plain = plain.lstrip(lexicon.STATUS_MARKS + "\ufe0f ")
    if plain.startswith("~~"):
        plain = plain.replace("~~", "")
    for pointer in _POINTERS:
        if plain.startswith(pointer):
            plain = plain[len(pointer) :].lstrip()
            break
    issue = None
    annotation = ANNOTATION.search(plain) if "(#" in plain else None
    if annotation is None and plain.endswith(")") and ("([#" in plain or "(not on" in plain):
        annotation = SECTION_NOTE.search(plain)
    if annotation:
        number = annotation.group("number")
        issue = int(number) if number else None
        plain = plain[: annotation.start()].rstrip()
    said = _MEETBOT_SAID.search(plain) if plain.endswith(")") else None
    if said:  # MeetBot's "(nick, 14:05:12)": who typed it, and when
        plain = plain[: said.start()].rstrip()
    box = None
    task = _TASK_BOX.match(plain) if plain[:1] == "[" else None
    if task:
        box = task.group("mark") != " "
        plain = task.group("rest")
    return _Prepared(plain, issue, box)


def _pointed(text: str) -> bool:
    stripped = text.lstrip("*_ ")
    return stripped.startswith(_POINTERS)


def prepared_text(text: str) -> str:
    """The line as the rules read it: no emphasis, pointer, annotation or checkbox."""
    return _prepare(text).plain


def _first_person(said: str) -> str | None:
    """``I'll open a thread`` -> ``open a thread``; ``will send it`` -> ``send it``."""
    words = said.split(None, 3)
    while len(words) > 1 and words[0].casefold().strip(",.!") in lexicon.FILLERS:
        said = said.split(None, 1)[1]  # "sure, I'll …", "ok then I'll …"
        words = words[1:]
    low = said.casefold()
    for start in lexicon.FIRST_PERSON:
        if low.startswith(start):
            rest = said[len(start) :].strip()
            if rest.casefold().startswith(("take the action item to ", "take the ai to ")):
                rest = rest.split(" to ", 1)[1]
            if first_word(rest) in lexicon.NOT_COMMITMENTS:
                return None
            return rest
    if low.startswith("will ") and first_word(said[5:]) not in lexicon.NOT_COMMITMENTS:
        return said[5:].strip()
    return None


def _owned_item_is_a_task(text: str, section: Section | None) -> bool:
    """What an owner is given in a section (``Kim: …``, ``[Kim] …``): every item of an
    every-item section; a restatement in a Pending AIs section however worded; in an
    Action items section, a task but not news of work done."""
    if section is Section.EVERY_ITEM:
        return True
    if not _reads_as_task(text, owned=True):
        return False
    return section is Section.PENDING or not _DONE_NEWS.match(text)


def _reads_as_task(text: str, *, owned: bool) -> bool:
    """A section item is a task when it starts with a verb (or, owned, anything but a
    status, a question or a statement)."""
    stripped = text.strip()
    if not stripped or stripped.endswith("?"):
        return False
    if stripped.casefold().startswith(lexicon.AGENDA_PHRASES):
        return False
    if starts_with_verb(stripped):
        return True
    if not owned or stripped.casefold().lstrip("#0123456789 ").startswith(lexicon.STATUS_STARTS):
        return False
    return not _REPORT_AFTER_OWNER.match(stripped)


def _other_owners(assignments: Assignments, plain: str, found: Found) -> list[tuple[Clause, Found]]:
    """Later clauses that give someone else a task (``…; Lee to review the PR``,
    ``…, @sam will test it``): one line, one AI, unless two owners get two tasks."""
    if not found.owners or found.form not in ("marker", "assignment", "speaker"):
        return []
    # The other owner is tied to their task by a link word or is an @mention: one inside
    # the first task's words (which run on to the line's end), or two in the line (the
    # first owner's own, and one after the first task's sentence).
    if assignments.commitments(found.text) < 1 and assignments.commitments(plain) < 2:
        return []
    seen = {o.lstrip("@").casefold() for o in found.owners}
    others: list[tuple[Clause, Found]] = []
    for clause in split_clauses(plain)[1:]:
        if clause.after == "(" or clause.text.rstrip().endswith("?"):
            continue
        said = clause.text
        if said.startswith(("and ", "& ")):  # "…, and @sam will test it"
            said = said[said.find(" ") + 1 :]
        assigned = assignments.in_clause(said)
        if assigned is None or assigned.how not in ("link", "mention"):
            continue
        owners = {o.lstrip("@").casefold() for o in assigned.owners}
        task = _close_parenthesis(assigned.text).strip()
        if owners & seen or _task_problem(task, "assignment"):
            continue
        seen |= owners
        implicit = not all(o.startswith("@") for o in assigned.owners)
        others.append((clause, Found(assigned.owners, task, "assignment", implicit)))
    return others


def _split_tasks(first: Found, others: list[tuple[Clause, Found]]) -> tuple[Found, ...]:
    """Each owner's task ends where the next owner's clause begins; the ``(#N)`` a sync
    wrote after a task that does not end the line belongs to that task, and the one
    ending the line to the last task."""
    tasks = [first, *(found for _clause, found in others)]
    ends = [clause.text for clause, _found in others]
    last_issue = first.issue
    split: list[Found] = []
    for index, found in enumerate(tasks):
        text = found.text
        issue = None
        if index < len(ends):
            cut = text.find(ends[index])
            if cut > 0:
                text = _without_joiner(text[:cut])
            annotation = ANNOTATION.search(text)
            if annotation:
                issue = int(annotation.group("number"))
                text = text[: annotation.start()]
        else:
            issue = last_issue
        split.append(dataclasses.replace(found, text=text.strip(), issue=issue))
    return tuple(split)


def _without_joiner(text: str) -> str:
    """``update the docs, and `` -> ``update the docs``."""
    text = text.rstrip(_JOINERS)
    if text.endswith((" and", " &")):
        text = text[: text.rfind(" ")].rstrip(_JOINERS)
    return text


_JOINERS = " \t,;:–—-"


def _close_parenthesis(text: str) -> str:
    """``ping the group)`` from ``(Kim will ping the group)``: drop the unmatched closer."""
    if text.endswith(")") and text.count(")") > text.count("("):
        return text[:-1].rstrip()
    return text


def _task_problem(task: str, form: str) -> str | None:
    """Why ``task`` is not a task, or None when it is one."""
    low = task.casefold().strip(" .!")
    if not low or low in _PLACEHOLDERS:
        return "no task after the marker or owner"
    words = low.replace(",", " ").split()
    if len(words) <= 4 and all(w.strip(".!") in lexicon.ACKNOWLEDGEMENTS for w in words):
        return "an acknowledgement, not a task"
    if low.startswith(lexicon.STATUS_STARTS):
        return "a status report, not a new task"
    if low[:1] == "#" and all(
        _COMMAND_WORD.match(w) for w in words
    ):  # MeetBot's "#action #agreed #help …"
        return "a list of chat commands, not a task"
    if form == "marker" and low.startswith(lexicon.NO_TASK_STARTS):
        return "no task after the marker"
    if (
        form == "marker"
        and len(words) <= 3
        and all(w[:1].isupper() for w in task.split())
        and not starts_with_verb(task)
    ):
        return "only a name after the marker, no task"
    if form in ("assignment", "speaker") and any(h in f" {low} " for h in lexicon.HEDGES):
        return "an offer or a possibility: nobody is committed"
    if form == "speaker" and low.endswith("?"):
        return "a question"
    return None
