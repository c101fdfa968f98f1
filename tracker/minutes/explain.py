"""Why a line is, or is not, an action item: the trail ``tracker parse --explain`` prints.

The explanation replays the same steps the parser takes on that line (the outline's
context, the clauses, the speaker, the recogniser's steps) and reports the parser's
own result for it, so what it says is what ``parse`` did.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tracker.config import Config
from tracker.errors import InputError
from tracker.minutes.clauses import split_clauses
from tracker.minutes.outline import Entry, Section
from tracker.minutes.reading import Source
from tracker.minutes.recognise import Line, Recogniser, Verdict, prepared_text
from tracker.minutes.speakers import find_speaker
from tracker.model import ActionItem, Minutes


@dataclass(frozen=True)
class Explanation:
    """What the parser made of one line."""

    source: str
    line: int
    text: str
    """The line as written."""
    context: str
    """Where it sits: list item or paragraph, section, topic."""
    clauses: tuple[str, ...]
    speaker: str | None
    steps: tuple[str, ...]
    verdict: str
    action_item: ActionItem | None
    owners: tuple[str, ...] = ()
    """Each owner as ``written -> login`` (or ``unknown``)."""

    def render(self) -> str:
        lines = [f"{self.source}:{self.line}: {self.text.strip()}", f"  where:    {self.context}"]
        if self.clauses:
            lines.append("  clauses:  " + " | ".join(repr(c) for c in self.clauses))
        lines.append(f"  speaker:  {self.speaker or 'none'}")
        lines.extend(f"  step:     {step}" for step in self.steps)
        lines.append(f"  verdict:  {self.verdict}")
        ai = self.action_item
        if ai is not None:
            lines.append(f"  owners:   {', '.join(self.owners) or 'none (an ownerless AI)'}")
            lines.append(f"  task:     {ai.text}")
            if ai.carry_over_of:
                lines.append(f"  restates: {ai.carry_over_of}")
            lines.append(f"  id:       {ai.id}")
        return "\n".join(lines) + "\n"


def explain_line(
    sources: list[Source],
    entries: list[list[Entry]],
    minutes: Minutes,
    *,
    source: str,
    line: int,
    config: Config,
    recogniser: Recogniser,
) -> Explanation:
    """Explain line ``line`` of ``source`` (one of ``sources``, already outlined into
    ``entries`` and parsed into ``minutes`` by ``recogniser``)."""
    chosen = next((s for s in sources if s.name == source), None)
    if chosen is None:
        chosen = next((s for s in sources if Path(s.name) == Path(source)), None)
    if chosen is None:
        raise InputError("not among the minutes read: name it as in PATHS", path=source)
    lines = chosen.text.split("\n")
    if not 1 <= line <= len(lines):
        raise InputError(f"line {line} is past the end ({len(lines)} lines)", path=source)
    entry = next((e for e in entries[sources.index(chosen)] if e.line == line), None)
    ai = next((a for a in minutes.action_items if a.source == chosen.name and a.line == line), None)
    text = lines[line - 1]
    if entry is None:
        verdict = "not an AI: a heading, a date line, a table rule, fenced code or a comment"
        return Explanation(chosen.name, line, text, "not an item", (), None, (), verdict, None)
    if entry.row is not None:
        found = recogniser.table_row(entry.row)
        result = Verdict(found, "a row of an action-items table", ("table row",))
    else:
        result = recogniser.action_item(Line.of(entry))
    plain = prepared_text(entry.text)
    speaker = find_speaker(plain, recogniser.names)
    steps = result.steps
    if not recogniser.may_hold(entry.text) and entry.section is None:
        steps = ("the quick pre-check passes over it (no clue of any rule)", *steps)
    if ai is not None:
        verdict = f"an AI, taken by the {ai.form} rule: {result.reason}"
    elif result.found is not None:
        verdict = "not an AI here, though its words read as one (see the steps)"
    else:
        verdict = f"not an AI: {result.reason}"
    return Explanation(
        source=chosen.name,
        line=line,
        text=text,
        context=_context(entry),
        clauses=tuple(c.text for c in split_clauses(plain)[1:]),
        speaker=f"{speaker.name} ({speaker.style})" if speaker else None,
        steps=steps,
        verdict=verdict,
        action_item=ai,
        owners=tuple(_owner(o, config) for o in (ai.owners if ai else ())),
    )


def _context(entry: Entry) -> str:
    kind = "table row" if entry.row else ("list item" if entry.bullet else "paragraph")
    parts = [kind]
    if entry.section is not None:
        parts.append(f"in {_SECTION_NAMES[entry.section]}")
        if not entry.top:
            parts.append("below another item")
    if entry.has_children:
        parts.append("with sub-items")
    if entry.topic:
        parts.append("topic: " + " > ".join(entry.topic))
    return ", ".join(parts)


def _owner(name: str, config: Config) -> str:
    login = config.login_for(name)
    if login is not None:
        return f"{name} -> @{login}"
    group = config.group_for(name)
    if group is not None:
        return f"{name} -> group {group}"
    return f"{name} (unknown: add to people: in the config)"


_SECTION_NAMES = {
    Section.PENDING: "a Pending AIs section",
    Section.ACTIONS: "an Action items section",
    Section.ATTENDANCE: "an attendance list",
    Section.EVERY_ITEM: "a section of AIs only (sections.every_item)",
}
