"""``tracker check``: is the config valid, and will the minutes sync as their authors meant?
(issue 11; also a pre-commit hook, see ``.pre-commit-hooks.yaml``)

Reads no GitHub. Errors (exit 1): a config or minutes file tracker cannot use, a label
over GitHub's 50 characters. Warnings (exit 0): AIs too long for an issue (sync quotes
them shortened), owners the config does not know, AIs with no owner, meetings without a
date, and lines that look like AIs but were not taken, with the recogniser's
own reason (an AI marker with no task after it; an assignment to someone neither the
config nor the minutes show to be a person).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from tracker.config import Config, load_config
from tracker.errors import ConfigError, InputError
from tracker.issue import SHORTENED, IssueMaker, new_issue
from tracker.locations import Kind, locate
from tracker.minutes import dates, parse_sources
from tracker.minutes.assignments import starts_with_verb
from tracker.minutes.names import is_capitalized_name
from tracker.minutes.outline import Entry, SectionTitles, build_outline
from tracker.minutes.people import people_in
from tracker.minutes.reading import Source
from tracker.minutes.recognise import Line, Recogniser
from tracker.model import Minutes
from tracker.sources import Texts, read_texts
from tracker.words import counted

#: GitHub refuses an issue body longer than this (characters); the config loader checks labels.
MAX_BODY = 65_536

ERROR = "error"
WARNING = "warning"

_WORD = re.compile(r"[A-Za-z][\w.\-']{0,38}")
_LINK = re.compile(r"\s(?:to|will|shall|is going to)\s", re.IGNORECASE)


@dataclass(frozen=True)
class Finding:
    """One thing to fix (an error) or to look at (a warning), where it is."""

    level: str
    title: str
    """What kind of finding: ``unknown owner``, ``AI marker but no task``, …"""
    message: str
    source: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = self.source or "tracker"
        if self.line is not None:
            where += f":{self.line}"
        return f"{where}: {self.level}: {self.message}"


@dataclass(frozen=True)
class CheckResult:
    """What ``tracker check`` found, in the order of the files and lines."""

    findings: tuple[Finding, ...]
    meetings: int = 0
    action_items: int = 0
    not_read: int = 0
    """Sources on the web left unread (``--offline``)."""

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.level == ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.level == WARNING)

    def summary(self) -> str:
        offline = f" ({self.not_read} on the web not read: --offline)" if self.not_read else ""
        return (
            f"tracker check: {counted(self.meetings, 'meeting')}, "
            f"{counted(self.action_items, 'action item')}{offline}: "
            f"{counted(self.errors, 'error')}, {counted(self.warnings, 'warning')}"
        )


def check(
    paths: Iterable[str],
    *,
    config_path: str | None = None,
    stdin: BinaryIO | None = None,
    offline: bool = False,
) -> CheckResult:
    """Check the config (``config_path``, else the default files) and the minutes;
    ``offline``: minutes on the web are checked by how they are written, not read."""
    try:
        loaded = load_config(config_path)
    except ConfigError as exc:
        return CheckResult((Finding(ERROR, "config", exc.detail, exc.path, exc.line),))
    config = loaded.config
    findings = [_config_warning(w, config) for w in loaded.warnings]
    given = list(paths) or list(config.sources)
    web = [spec for spec in given if _on_the_web(spec)] if offline else []
    given = [spec for spec in given if spec not in web]
    try:
        # Files, Markdown URLs and Discourse topics alike; none given: the config's sources.
        texts = read_texts(given, config=config, stdin=stdin) if given or not web else Texts(())
    except InputError as exc:
        findings.append(Finding(ERROR, "unreadable minutes", exc.message, exc.path, exc.line))
        return CheckResult(tuple(findings))
    sources = list(texts.sources)
    minutes = parse_sources(sources, config=config)
    # A forum post not read as minutes (issue 13: who may add AIs) leads, where it is.
    found = [Finding(WARNING, "post not read", w.message, w.source, w.line) for w in texts.warnings]
    found += [_parse_warning(w.message, w.source, w.line) for w in minutes.warnings]
    found += _ownerless(minutes)
    found += _over_limits(minutes, config)
    found += _not_taken(sources, minutes, config)
    order = {source.name: i for i, source in enumerate(sources)}
    found.sort(key=lambda f: (order.get(f.source or "", -1), f.line or 0))
    return CheckResult(
        tuple(findings + found),
        len(minutes.meetings),
        len(minutes.distinct_action_items),
        len(web),
    )


def _on_the_web(spec: str) -> bool:
    """A source that is not a path; a malformed one is left for reading to report."""
    try:
        return locate(spec).kind is not Kind.PATH
    except ValueError:
        return False


# --------------------------------------------------------------------------- the config


def _config_warning(text: str, config: Config) -> Finding:
    path = config.path or "<config>"
    return Finding(WARNING, "config", text.removeprefix(f"{path}: "), path)


# --------------------------------------------------------------------------- the minutes


def _parse_warning(message: str, source: str, line: int) -> Finding:
    if message.startswith("unknown owner"):
        title = "unknown owner"
    elif message.startswith(("no meeting date", "no year")):
        title = "meeting without a date"
    else:
        title = "minutes"
    return Finding(WARNING, title, message, source, line)


def _ownerless(minutes: Minutes) -> Iterator[Finding]:
    for ai in minutes.distinct_action_items:
        if not ai.owners and ai.form != "blocker":
            yield Finding(
                WARNING,
                "AI with no owner",
                "an AI with no owner: its issue stays unassigned (write one: AI: [login] task)",
                ai.source,
                ai.line,
            )


def _over_limits(minutes: Minutes, config: Config) -> Iterator[Finding]:
    """The AIs whose issue would be over GitHub's limits as written: sync shortens them (the
    body quotes a shortened line and says where the whole line is), so a warning."""
    repo = config.repo or "owner/name"
    # A link to the minutes goes into each body; measure with one of a usual length.
    link_base = f"https://github.com/{repo}/blob/main"
    for ai in minutes.distinct_action_items:
        maker = IssueMaker(config, repo=repo, assignable=ai.assignees, link_base=link_base)
        fields = new_issue(ai, maker.fields(ai))
        if SHORTENED in fields.body:
            yield Finding(
                WARNING,
                "over GitHub's limits",
                f"the line is too long for an issue (GitHub takes {MAX_BODY:,} characters at "
                "most): its issue quotes it shortened, with a link to the whole line",
                ai.source,
                ai.line,
            )


def _not_taken(sources: list[Source], minutes: Minutes, config: Config) -> Iterator[Finding]:
    """Lines the parser passed over that look like AIs: a marker with no task after it, or
    an assignment the recogniser believes once the owner is known to be a person."""
    taken = {(ai.source, ai.line) for ai in minutes.action_items}
    titles = SectionTitles.of(config)
    outlines = [
        build_outline(s.text, titles=titles, name_date=dates.date_in_name(Path(s.name).name))
        for s in sources
    ]
    people = people_in(o.entries for o in outlines)
    recogniser = Recogniser(config, people)
    # Lines that could assign a task to a name nobody knows: "<name> to|will <task>".
    maybe: list[tuple[str, Entry, set[str]]] = []
    for source, outline in zip(sources, outlines):
        for entry in outline.entries:
            if entry.row is not None or (source.name, entry.line) in taken:
                continue
            if entry.section is not None or recogniser.may_hold(entry.text):
                verdict = recogniser.action_item(Line.of(entry))
                if verdict.found is None and any(s.startswith("marker (") for s in verdict.steps):
                    yield Finding(
                        WARNING,
                        "AI marker but no task",
                        f"AI marker but no task, so no AI was taken: {verdict.reason}",
                        source.name,
                        entry.line,
                    )
                    continue
            if _LINK.search(entry.text):
                words = {w for w in _WORD.findall(entry.text) if not recogniser.names.known(w)}
                maybe.append((source.name, entry, words))
    yield from _unknown_assignments(maybe, config, people)


def _unknown_assignments(
    maybe: list[tuple[str, Entry, set[str]]], config: Config, people: frozenset[str]
) -> Iterator[Finding]:
    """Judge the passed-over lines again as if their unknown words were people: a line the
    recogniser then takes as "<owner> to|will <task>" assigns a task to someone unknown."""
    every = {word.casefold() for _name, _entry, words in maybe for word in words}
    if not every:
        return
    what_if = Recogniser(config, people | every)
    for name, entry, words in maybe:
        verdict = what_if.action_item(Line.of(entry))
        found = verdict.found
        if found is None or not any(s.startswith("assignment (link)") for s in verdict.steps):
            continue
        owners = [o for o in found.owners if o in words and _name_like(o, found.text, entry)]
        if owners:
            shown = ", ".join(repr(o) for o in owners)
            yield Finding(
                WARNING,
                "assignment to someone unknown",
                f"assignment to someone the config does not know ({shown}), so no AI was "
                f"taken: add them to people: in the config, or write AI: {owners[0]} to …",
                name,
                entry.line,
            )


def _name_like(word: str, task: str, entry: Entry) -> bool:
    """Before a task that opens with a verb: a capitalized name (``Zed``), or a lowercase
    one (``bob``, a login) opening a list item; a lowercase word elsewhere is more often
    prose ("happy to share")."""
    if not starts_with_verb(task):
        return False
    if is_capitalized_name(word):
        return True
    return word.islower() and entry.bullet and entry.text.lstrip("*_ ").startswith(word + " ")
