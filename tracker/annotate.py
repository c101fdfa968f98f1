"""``tracker sync --annotate``: write each AI's issue number at the end of its minutes line.

``- AI: [alice] benchmark the parser`` becomes ``- AI: [alice] benchmark the parser (#12)``.
The parser reads the annotation back as the AI's issue (:attr:`ActionItem.issue`), so the
link survives any later rewording of the line (issue #5). Only those lines change: every
other byte of the file, its newline style and trailing spaces stay as they were, and a
line already annotated is left alone, so running it twice changes nothing. A file that
cannot be rewritten (a pipe, read-only, UTF-16) is refused by :func:`check_files` before
the sync, and a link is written through to its target (:mod:`tracker.files`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from tracker.files import atomic_write, read_for_rewrite
from tracker.identity import annotation
from tracker.minutes.reading import STDIN_NAME, split_lines
from tracker.model import ActionItem, Minutes


@dataclass(frozen=True)
class Annotated:
    """The lines annotated in one file."""

    path: str
    lines: tuple[int, ...]
    skipped: tuple[int, ...] = ()
    """Lines that no longer hold their AI (the file changed since it was read): left alone."""


def issue_numbers(pairs: Iterable[tuple[str | None, int | None]]) -> dict[str, int]:
    """AI id -> issue number, from (id, issue) pairs such as a sync's outcomes."""
    return {ai_id: number for ai_id, number in pairs if ai_id and number}


def check_files(minutes: Minutes) -> None:
    """Raise the error annotating would meet, before anything is synced: each file holding an
    AI line not annotated yet must be a regular, writable UTF-8 file
    (:func:`tracker.files.read_for_rewrite`)."""
    for path in dict.fromkeys(_annotatable(minutes)):
        read_for_rewrite(path)


def _annotatable(minutes: Minutes) -> Iterable[str]:
    for ai in minutes.action_items:
        # Minutes on the web (a link) are not files tracker can annotate (issue 13).
        if ai.issue is None and ai.source != STDIN_NAME and ai.link is None:
            yield ai.source


def annotate(minutes: Minutes, issues: Mapping[str, int]) -> tuple[Annotated, ...]:
    """Append `` (#N)`` to the line of every AI (and carry-over) whose issue is known.

    Lines read from stdin and lines already annotated are skipped. Each file is
    rewritten at most once, atomically; files with nothing to add are not touched. On a
    line that gives two owners a task each, every task but the last gets its number right
    after its own words (``Kim to X (#3); Lee to Y (#4)``), where the parser reads it back.
    """
    by_file: dict[str, dict[int, list[tuple[ActionItem, int]]]] = {}
    tasks_on: dict[tuple[str, int], list[str]] = {}
    for ai in minutes.action_items:
        tasks_on.setdefault((ai.source, ai.line), []).append(ai.text)
        if ai.issue is not None or ai.source == STDIN_NAME or ai.link is not None:
            continue
        number = issues.get(ai.id) or (issues.get(ai.carry_over_of) if ai.carry_over_of else None)
        if number:
            by_file.setdefault(ai.source, {}).setdefault(ai.line, []).append((ai, number))
    return tuple(
        _annotate_file(path, wanted, {n: tasks_on[(path, n)] for n in wanted})
        for path, wanted in by_file.items()
    )


def _annotate_file(
    path: str,
    wanted: Mapping[int, list[tuple[ActionItem, int]]],
    tasks_on: Mapping[int, list[str]],
) -> Annotated:
    target = Path(path)
    text = read_for_rewrite(target) or ""
    lines = split_lines(text)
    done: list[int] = []
    skipped: list[int] = []
    for number, numbered in sorted(wanted.items()):
        if number > len(lines):
            skipped.append(number)
            continue
        line = lines[number - 1]
        content = line.rstrip("\r\n")
        ending = line[len(content) :]
        body = content.rstrip()
        if body.lstrip().startswith("|"):
            continue  # a table row: text after its last cell would break the table
        raw = numbered[0][0].raw.strip()
        if not raw or raw not in body:
            skipped.append(number)
            continue
        body = _annotated(body, numbered, tasks_on[number])
        lines[number - 1] = f"{body}{content[len(content.rstrip()) :]}{ending}"
        done.append(number)
    if done:
        atomic_write(target, "".join(lines).encode("utf-8"))
    return Annotated(path, tuple(done), tuple(skipped))


def _annotated(body: str, annotations: list[tuple[ActionItem, int]], tasks: list[str]) -> str:
    """``body`` with each AI's number: at the end for a line's last task, else after the
    task's own words."""
    last = max(tasks, key=body.rfind)
    at_end = ""
    # Right to left, so that each insertion leaves the offsets of the next one valid.
    for ai, issue in sorted(annotations, key=lambda pair: body.rfind(pair[0].text), reverse=True):
        if ai.text == last or len(tasks) == 1:
            at_end = annotation(issue)
            continue
        where = body.rfind(ai.text)
        if where != -1:
            end = where + len(ai.text)
            body = body[:end] + annotation(issue) + body[end:]
    return body + at_end
