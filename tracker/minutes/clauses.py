"""One line, split where people join separate thoughts.

A bullet can hold a topic, a decision and an assignment: ``Sunset policy -- AI Kim to
draft the wording``, ``decision: option 2, @kim to update the PR``, ``Interested (Kim
will ping the auth group)``. A clause starts at the line's start and after each
separator people use (`` -- ``, `` - ``, ``; ``, a sentence end, ``label:``, ``, ``, an
opening parenthesis, an arrow, a leading issue reference ``#123``, ``asks`` or
``assigned to`` before a name); it runs to the end of its sentence (or of its
parenthesis), so a task keeps its trailing detail (``Kim to draft it - due Friday``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_START = re.compile(
    r"\s[-–—]{1,2}\s+|;\s+|(?<=[.!?])\s+(?=\S)|\(\s*|,\s+|:\s+|\s(?:->|=>|→)\s*"
    # A leading issue reference, as triage minutes write it: "#57210 Kim to bisect".
    r"|^(?:(?:PR|issue)\s*)?#\d{1,9}:?\s+"
    # Someone asking or assigning someone else: "Teodor asks Hans to review it",
    # "Assigned to @sam to backport it".
    r"|(?:^|\s)(?:[Aa]sk(?:s|ed)|[Aa]ssign(?:s|ed)?(?: to)?)\s+(?=[@A-Za-z])"
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z@\[])|;\s+")


@dataclass(frozen=True, slots=True)
class Clause:
    text: str
    start: int
    """Offset in the line, for ``--explain``."""
    after: str
    """The separator before it (empty for the first clause)."""


MOST_CLAUSES = 32
"""A line of prose holds a few clauses; a pathological one (``Kim, Kim, Kim, …`` 25,000
times) must not make the rules run once per comma over the whole rest of the line."""
LONGEST_CLAUSE = 2_000


def split_clauses(line: str) -> list[Clause]:
    """The clauses of ``line``, first the whole line, then each later start in order
    (at most :data:`MOST_CLAUSES`, each at most :data:`LONGEST_CLAUSE` characters)."""
    found = [Clause(line[:LONGEST_CLAUSE], 0, "")]
    for match in _START.finditer(line):
        if len(found) >= MOST_CLAUSES:
            break
        start = match.end()
        if start >= len(line):
            continue
        separator = match.group().strip()
        if separator == "(":
            close = line.find(")", start)
            end = close if close != -1 else len(line)
        else:
            sentence = _SENTENCE_END.search(line, start)
            end = sentence.start() if sentence else len(line)
        text = line[start : min(end, start + LONGEST_CLAUSE)].strip()
        if text:
            found.append(Clause(text, start, separator))
    return found
