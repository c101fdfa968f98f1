"""Extraction quality on hand-labelled minutes: precision, recall, F1 and owner accuracy.

    python -m benchmarks.extraction [--fixtures DIR] [--errors/--no-errors] [--json]

A labelled document is a pair in DIR (default tests/fixtures/minutes): ``<name>.md``
or ``<name>.txt`` and ``<name>.labels.yaml`` (the format: every AI line with its
owners and task, and lines that could fool a parser, with why they are not AIs).
Files without a labels file are ignored.

Scoring is line by line: a predicted AI is a true positive when its line is a
labelled AI line. Precision = TP / predicted lines, recall = TP / labelled lines,
F1 their harmonic mean; a ratio of 0/0 counts as 1.0 (nothing to get wrong).
Owner accuracy is the share of TPs whose owners match the label's, compared as
sets of normalised names (no ``@``, brackets or emphasis, case-folded, a known
person's name read as their login). OVERALL is micro-averaged over every line.

A figure, not a test: the corpus is small and each line is one labeller's reading,
so it prints the lines it got wrong (``--no-errors`` to leave them out) and leaves
judging to the reader.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

import tracker
from tracker.config import Config, parse_config
from tracker.errors import ConfigError, TrackerError
from tracker.minutes.reading import decode, split_lines
from tracker.model import ActionItem

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FIXTURES = ROOT / "tests" / "fixtures" / "minutes"
LABELS_SUFFIX = ".labels.yaml"
MINUTES_SUFFIXES = (".md", ".txt")

_TOP_KEYS = {"style", "config", "action_items", "not_action_items"}
_AI_KEYS = {"line", "owner", "text", "restates"}
_NOT_AI_KEYS = {"line", "why"}
# Label text sharing fewer of its words with its line than this is probably on another line.
_TEXT_MATCH = 0.5
_WORD = re.compile(r"\w+")
_DECORATION = "[]()*_ \t"


class LabelError(TrackerError):
    """A labelled document that cannot be scored; ``str()`` names the file."""


@dataclass(frozen=True)
class Missed:
    """A labelled AI line the parser did not find."""

    line: int
    owners: tuple[str, ...]
    """The label's owners."""
    text: str
    """The label's task."""
    written: str
    """The minutes line as written."""


@dataclass(frozen=True)
class Junk:
    """A predicted AI on a line not labelled as an AI."""

    line: int
    owners: tuple[str, ...]
    """The owners predicted, as written."""
    text: str
    """The task predicted."""
    why: str | None
    """Why the line is not an AI, when it is labelled in ``not_action_items``."""
    form: str
    """Which parser rule took the line."""


@dataclass(frozen=True)
class WrongOwner:
    """A true positive whose owners differ from the label's."""

    line: int
    expected: tuple[str, ...]
    """The label's owners."""
    predicted: tuple[str, ...]
    """The owners predicted, as written."""
    text: str
    """The label's task."""


@dataclass(frozen=True)
class DocumentScore:
    """The scores of one labelled document."""

    name: str
    source: str
    """The minutes file scored."""
    labelled: int
    predicted: int
    true_positives: int
    owners_correct: int
    precision: float
    recall: float
    f1: float
    owner_accuracy: float
    missed: tuple[Missed, ...] = ()
    junk: tuple[Junk, ...] = ()
    wrong_owner: tuple[WrongOwner, ...] = ()
    label_warnings: tuple[str, ...] = ()
    """Doubts about the labels themselves (a text that is not on its line, ...)."""


@dataclass(frozen=True)
class Report:
    """Every document's scores and the micro-averaged overall figures."""

    documents: tuple[DocumentScore, ...]
    labelled: int
    predicted: int
    true_positives: int
    owners_correct: int
    precision: float
    recall: float
    f1: float
    owner_accuracy: float
    parse_seconds: float = field(default=0.0, compare=False)
    """Wall time spent in ``tracker.parse``, all documents together."""


@dataclass(frozen=True)
class _LabelledAI:
    line: int
    owners: tuple[str, ...]
    text: str
    restates: int | None


@dataclass(frozen=True)
class _Labels:
    config: Config
    action_items: dict[int, _LabelledAI]
    not_action_items: dict[int, str]
    warnings: tuple[str, ...]


def score(fixtures: Path) -> Report:
    """Score the parser on every labelled document in ``fixtures``.

    Raises :class:`LabelError` naming the file for a labels file that cannot be read,
    is malformed or names a line outside its document (and ``TrackerError`` for
    minutes the parser cannot read).
    """
    documents = []
    parse_seconds = 0.0
    for labels_path, minutes_path in _labelled_documents(Path(fixtures)):
        lines = _read_lines(minutes_path)
        labels = _load_labels(labels_path, lines)
        start = time.perf_counter()
        minutes = tracker.parse([str(minutes_path)], config=labels.config)
        parse_seconds += time.perf_counter() - start
        name = labels_path.name[: -len(LABELS_SUFFIX)]
        documents.append(_score_document(name, minutes_path, lines, labels, minutes.action_items))
    labelled = sum(d.labelled for d in documents)
    predicted = sum(d.predicted for d in documents)
    true_positives = sum(d.true_positives for d in documents)
    owners_correct = sum(d.owners_correct for d in documents)
    precision = _ratio(true_positives, predicted)
    recall = _ratio(true_positives, labelled)
    return Report(
        documents=tuple(documents),
        labelled=labelled,
        predicted=predicted,
        true_positives=true_positives,
        owners_correct=owners_correct,
        precision=precision,
        recall=recall,
        f1=_f1(precision, recall),
        owner_accuracy=_ratio(owners_correct, true_positives),
        parse_seconds=parse_seconds,
    )


def normalize_owner(name: str, config: Config) -> str:
    """An owner as compared: bare, case-folded, a known person's name as their login."""
    bare = name.strip(_DECORATION).lstrip("@").strip(_DECORATION).casefold()
    login = config.login_for(bare)
    if login is not None:
        return login.casefold()
    group = config.group_for(bare)
    if group is not None:
        return group.casefold()
    return bare


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def _f1(precision: float, recall: float) -> float:
    total = precision + recall
    return 2 * precision * recall / total if total else 0.0


def _labelled_documents(fixtures: Path) -> list[tuple[Path, Path]]:
    if not fixtures.is_dir():
        raise LabelError(f"{fixtures}: no such folder")
    pairs = []
    for labels_path in sorted(fixtures.glob("*" + LABELS_SUFFIX)):
        stem = labels_path.name[: -len(LABELS_SUFFIX)]
        candidates = [fixtures / (stem + s) for s in MINUTES_SUFFIXES]
        found = [c for c in candidates if c.is_file()]
        if not found:
            raise LabelError(f"{labels_path}: no minutes beside it ({stem}.md or {stem}.txt)")
        if len(found) > 1:
            raise LabelError(f"{labels_path}: both {found[0].name} and {found[1].name} exist")
        pairs.append((labels_path, found[0]))
    if not pairs:
        raise LabelError(f"{fixtures}: no labelled documents (*{LABELS_SUFFIX})")
    return pairs


def _read_lines(path: Path) -> list[str]:
    """The minutes' lines, numbered as the parser numbers them."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LabelError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return [line.rstrip("\n") for line in split_lines(decode(data, str(path)))]


def _load_labels(path: Path, lines: Sequence[str]) -> _Labels:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise LabelError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise LabelError(f"{path}: not valid UTF-8") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        place = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        problem = getattr(exc, "problem", None) or str(exc)
        raise LabelError(f"{place}: invalid YAML: {problem}") from None
    if not isinstance(data, dict):
        raise LabelError(f"{path}: expected a mapping with `config` and `action_items`")
    warnings: list[str] = []
    unknown = sorted(str(k) for k in data if k not in _TOP_KEYS)
    if unknown:
        warnings.append(f"unknown keys ignored: {', '.join(unknown)}")
    try:
        loaded = parse_config(data.get("config") or {}, path=f"{path}: config")
    except ConfigError as exc:
        raise LabelError(str(exc)) from None
    warnings.extend(w.replace(f"{path}: config: ", "config: ") for w in loaded.warnings)

    def where(key: str, index: int) -> str:
        return f"{path}: {key}[{index}]"

    def line_of(entry: Mapping[str, Any], key: str, index: int, field_name: str) -> int:
        line = entry.get(field_name)
        if not isinstance(line, int) or isinstance(line, bool):
            raise LabelError(f"{where(key, index)}: `{field_name}` must be a line number")
        if not 1 <= line <= len(lines):
            raise LabelError(
                f"{where(key, index)}: line {line} is outside the document ({len(lines)} lines)"
            )
        return line

    action_items: dict[int, _LabelledAI] = {}
    previous = 0
    for index, entry in enumerate(_entries(data, "action_items", path)):
        line = line_of(entry, "action_items", index, "line")
        owners = entry.get("owner")
        if not isinstance(owners, list) or not all(isinstance(o, str) for o in owners):
            raise LabelError(f"{where('action_items', index)}: `owner` must be a list of names")
        text = entry.get("text")
        if not isinstance(text, str):
            raise LabelError(f"{where('action_items', index)}: `text` must be a string")
        restates = None
        if "restates" in entry:
            restates = line_of(entry, "action_items", index, "restates")
        extra = sorted(str(k) for k in entry if k not in _AI_KEYS)
        if extra:
            warnings.append(f"action item on line {line}: unknown keys {', '.join(extra)}")
        if line in action_items:
            warnings.append(f"line {line} is labelled as an AI twice")
        if line < previous:
            warnings.append(f"action items not in line order: {line} after {previous}")
        previous = max(previous, line)
        action_items.setdefault(line, _LabelledAI(line, tuple(owners), text, restates))

    not_action_items: dict[int, str] = {}
    for index, entry in enumerate(_entries(data, "not_action_items", path)):
        line = line_of(entry, "not_action_items", index, "line")
        why = entry.get("why")
        if not isinstance(why, str):
            raise LabelError(f"{where('not_action_items', index)}: `why` must be a string")
        if line in not_action_items:
            warnings.append(f"line {line} is labelled as not an AI twice")
        not_action_items.setdefault(line, why)

    warnings.extend(_check(action_items, not_action_items, lines))
    return _Labels(loaded.config, action_items, not_action_items, tuple(warnings))


def _entries(data: Mapping[str, Any], key: str, path: Path) -> list[Mapping[str, Any]]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise LabelError(f"{path}: `{key}` must be a list")
    for index, entry in enumerate(value):
        if not isinstance(entry, dict):
            raise LabelError(f"{path}: {key}[{index}]: expected a mapping with `line`")
    return value


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.casefold()))


def _coverage(words: set[str], line: str) -> float:
    return len(words & _words(line)) / len(words) if words else 1.0


def _check(
    action_items: Mapping[int, _LabelledAI],
    not_action_items: Mapping[int, str],
    lines: Sequence[str],
) -> list[str]:
    """Doubts about labels that load: most often a line number off by a few."""
    warnings = []
    for line, label in sorted(action_items.items()):
        written = lines[line - 1]
        if line in not_action_items:
            warnings.append(f"line {line} is labelled both an AI and not an AI")
        if label.restates is not None and label.restates not in action_items:
            warnings.append(f"line {line} restates line {label.restates}, not a labelled AI")
        if not written.strip():
            warnings.append(f"AI line {line} is blank in the minutes")
            continue
        words = _words(label.text)
        here = _coverage(words, written)
        # An AI wrapped onto the next lines starts on its line: owner and first words here.
        wrapped = " ".join(lines[line - 1 : line + 2])
        starts_here = here > 0 and all(o.casefold() in written.casefold() for o in label.owners)
        if here < _TEXT_MATCH and not (starts_here and _coverage(words, wrapped) >= _TEXT_MATCH):
            best = max(range(1, len(lines) + 1), key=lambda n: _coverage(words, lines[n - 1]))
            better = (
                f" (line {best} matches: {lines[best - 1].strip()!r})"
                if _coverage(words, lines[best - 1]) > here
                else ""
            )
            warnings.append(
                f"AI line {line} does not read like its text {label.text!r}: "
                f"{written.strip()!r}{better}"
            )
        for owner in label.owners:
            if owner.casefold() not in written.casefold():
                warnings.append(f"AI line {line}: owner {owner!r} is not written on the line")
    for line in sorted(not_action_items):
        if not lines[line - 1].strip():
            warnings.append(f"not-AI line {line} is blank in the minutes")
    return warnings


def _score_document(
    name: str,
    path: Path,
    lines: list[str],
    labels: _Labels,
    predictions: Sequence[ActionItem],
) -> DocumentScore:
    by_line: dict[int, list[ActionItem]] = {}
    for ai in predictions:
        if ai.source == str(path):
            by_line.setdefault(ai.line, []).append(ai)
    missed = []
    wrong_owner = []
    owners_correct = 0
    for line, label in sorted(labels.action_items.items()):
        found = by_line.get(line)
        if found is None:
            missed.append(Missed(line, label.owners, label.text, lines[line - 1]))
            continue
        predicted_owners = _owners_of(found)
        expected = {normalize_owner(o, labels.config) for o in label.owners}
        if {normalize_owner(o, labels.config) for o in predicted_owners} == expected:
            owners_correct += 1
        else:
            wrong_owner.append(WrongOwner(line, label.owners, predicted_owners, label.text))
    junk = [
        Junk(
            line,
            _owners_of(found),
            " | ".join(ai.text for ai in found),
            labels.not_action_items.get(line),
            found[0].form,
        )
        for line, found in sorted(by_line.items())
        if line not in labels.action_items
    ]
    labelled = len(labels.action_items)
    predicted = len(by_line)
    true_positives = labelled - len(missed)
    precision = _ratio(true_positives, predicted)
    recall = _ratio(true_positives, labelled)
    return DocumentScore(
        name=name,
        source=str(path),
        labelled=labelled,
        predicted=predicted,
        true_positives=true_positives,
        owners_correct=owners_correct,
        precision=precision,
        recall=recall,
        f1=_f1(precision, recall),
        owner_accuracy=_ratio(owners_correct, true_positives),
        missed=tuple(missed),
        junk=tuple(junk),
        wrong_owner=tuple(wrong_owner),
        label_warnings=labels.warnings,
    )


def _owners_of(found: Sequence[ActionItem]) -> tuple[str, ...]:
    """The owners of every AI predicted on one line, in order, each once."""
    return tuple(dict.fromkeys(owner for ai in found for owner in ai.owners))


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _names(owners: Sequence[str]) -> str:
    return "[" + ", ".join(owners) + "]"


def render_table(report: Report) -> str:
    """The per-document table and the OVERALL row."""
    width = max([len("document"), len("OVERALL")] + [len(d.name) for d in report.documents])
    header = (
        f"{'document':<{width}}  {'labelled':>8}  {'predicted':>9}  {'TP':>4}  "
        f"{'precision':>9}  {'recall':>6}  {'F1':>5}  owners"
    )
    rows = [header, "-" * (len(header) + 8)]
    figures: list[DocumentScore | Report] = [*report.documents, report]
    for item in figures:
        name = item.name if isinstance(item, DocumentScore) else "OVERALL"
        if item is report:
            rows.append("-" * (len(header) + 8))
        rows.append(
            f"{name:<{width}}  {item.labelled:>8}  {item.predicted:>9}  "
            f"{item.true_positives:>4}  {item.precision:>9.3f}  {item.recall:>6.3f}  "
            f"{item.f1:>5.3f}  {item.owner_accuracy:.3f} "
            f"({item.owners_correct}/{item.true_positives})"
        )
    return "\n".join(rows)


def render_errors(report: Report) -> str:
    """The lines each document got wrong, and doubts about its labels."""
    blocks = []
    for doc in report.documents:
        if not (doc.missed or doc.junk or doc.wrong_owner or doc.label_warnings):
            continue
        out = [f"== {doc.name} ({doc.source})"]
        if doc.missed:
            out.append(f"  missed ({len(doc.missed)}):")
            for m in doc.missed:
                out.append(f"    {m.line:>4}  {_names(m.owners)} {m.text}")
                out.append(f"          | {m.written.strip()}")
        if doc.junk:
            out.append(f"  junk ({len(doc.junk)}):")
            for j in doc.junk:
                why = f"not an AI: {j.why}" if j.why is not None else "not labelled either way"
                out.append(f"    {j.line:>4}  {_names(j.owners)} {j.text}  ({j.form})")
                out.append(f"          | {why}")
        if doc.wrong_owner:
            out.append(f"  wrong owners ({len(doc.wrong_owner)}):")
            for w in doc.wrong_owner:
                out.append(
                    f"    {w.line:>4}  labelled {_names(w.expected)}, "
                    f"predicted {_names(w.predicted)}: {w.text}"
                )
        if doc.label_warnings:
            out.append(f"  label doubts ({len(doc.label_warnings)}):")
            out.extend(f"    {warning}" for warning in doc.label_warnings)
        blocks.append("\n".join(out))
    return "\n\n".join(blocks) if blocks else "no errors"


def to_json(report: Report, *, errors: bool = True) -> dict[str, Any]:
    """The report as JSON data; without ``errors``, the figures only."""
    detail = ("missed", "junk", "wrong_owner", "label_warnings")
    documents = []
    for doc in report.documents:
        data = asdict(doc)
        if not errors:
            for key in detail:
                del data[key]
        documents.append(data)
    overall = asdict(report)
    del overall["documents"], overall["parse_seconds"]
    return {
        "documents": documents,
        "overall": overall,
        "parse_seconds": round(report.parse_seconds, 6),
    }


def main(argv: Sequence[str] | None = None) -> int:
    doc = __doc__ or ""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument(
        "--fixtures",
        type=Path,
        default=DEFAULT_FIXTURES,
        help="folder of <name>.md|.txt + <name>.labels.yaml (default: tests/fixtures/minutes)",
    )
    parser.add_argument(
        "--errors",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="list the missed, junk and wrong-owner lines (default: yes)",
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)

    try:
        report = score(args.fixtures)
    except TrackerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(to_json(report, errors=args.errors), indent=2, ensure_ascii=False))
        return 0
    print(render_table(report))
    if args.errors:
        print()
        print(render_errors(report))
    print()
    print(f"parsing: {report.parse_seconds:.3f} s for {_count(len(report.documents), 'document')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
