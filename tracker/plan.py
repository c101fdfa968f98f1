"""Minutes + what GitHub holds -> the Plan: what ``tracker sync`` will do, and why.

Pure: no network, no printing. ``tracker.github`` reads a :class:`Snapshot`,
:func:`make_plan` decides, ``tracker.github`` applies the :class:`Plan`.

How an issue is tied to its AI (issue #4):

- The body (:mod:`tracker.record`) carries the AI's marker and a
  second hidden comment, the *write record*: a short hash of each field as
  tracker last wrote it (title, body, assignees, labels, milestone) plus where
  the AI was (meeting, source, line, text, owners, topic).
- Per field, a three-way comparison of the record (base), GitHub (current) and
  the minutes (wanted) tells a minutes change (current == base: write it) from
  a human edit (current != base: keep it; report a conflict when the minutes
  changed that field too).
- Editing an AI's text gives it a new id. An AI with no issue and an issue
  whose AI vanished are paired when they belong to the same meeting and share
  the line, or most of the text, or topic and owners. The issue then follows
  the AI: its marker is rewritten to the new id, so that everything keyed by
  id (status, the Pending AIs section) finds it.
"""

from __future__ import annotations

import difflib
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from tracker.config import Config
from tracker.identity import find_marker, index_markers, meeting_of, normalize_text
from tracker.identity import trusted_authors as identity_trusted_authors
from tracker.issue import IssueFields, IssueMaker, managed_labels, new_issue, record_for
from tracker.model import ActionItem, Minutes
from tracker.record import FIELDS, WriteRecord, field_hash, with_record
from tracker.snapshot import ExistingIssue, LabelSpec, Snapshot

# --------------------------------------------------------------------------- the plan


class Kind(enum.Enum):
    """What the plan does with one AI or issue."""

    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"
    """A field was edited on GitHub and the minutes changed it too: GitHub's value is kept."""
    ORPHANED = "orphaned"
    """An issue whose AI is no longer in the minutes: reported, never closed."""
    DUPLICATE = "duplicate"
    """A later open issue carrying an AI's marker (two syncs ran at once): closed as a
    duplicate of the AI's issue, with a comment linking it."""


@dataclass(frozen=True)
class Action:
    """One line of the plan."""

    kind: Kind
    reason: str
    ai_id: str | None = None
    where: str | None = None
    """``source:line`` of the AI in the minutes."""
    issue: int | None = None
    """The existing issue's number (None for a create)."""
    target: IssueFields | None = None
    """What to send: every field for a create, the fields in ``send`` for an update."""
    send: tuple[str, ...] = ()
    """The fields an update sends (``body`` also carries the refreshed write record)."""
    changed: tuple[str, ...] = ()
    """Fields the minutes changed and tracker writes."""
    conflicts: tuple[str, ...] = ()
    """Fields edited on GitHub that the minutes changed too: left alone."""
    original: int | None = None
    """For a duplicate: the AI's issue, which it repeats."""

    @property
    def writes(self) -> bool:
        """Does applying this action send a request that changes GitHub?"""
        return self.kind in (Kind.CREATE, Kind.DUPLICATE) or bool(self.send)

    @property
    def title(self) -> str:
        return self.target.title if self.target else ""

    def to_json(self) -> dict[str, Any]:
        return {
            "action": self.kind.value,
            "reason": self.reason,
            "ai": self.ai_id,
            "where": self.where,
            "issue": self.issue,
            "title": self.title or None,
            "changed": list(self.changed),
            "conflicts": list(self.conflicts),
            "fields": self.target.to_json() if self.target else None,
            "duplicate_of": self.original,
        }


@dataclass(frozen=True)
class Plan:
    """Everything ``tracker sync`` will do, in order: labels, milestones, then issues."""

    repo: str
    actions: tuple[Action, ...] = ()
    labels: tuple[LabelSpec, ...] = ()
    milestones: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    linked: tuple[int, ...] = ()
    """Issues the minutes link an AI to (`` (#N)``) that are not among the tracker's issues:
    read before applying, to adopt one that lost its label (see :func:`needs_lookup`)."""

    def count(self, kind: Kind) -> int:
        return sum(1 for action in self.actions if action.kind is kind)

    @property
    def writes(self) -> int:
        """The number of write requests applying the plan takes (no failures assumed)."""
        return len(self.labels) + len(self.milestones) + sum(1 for a in self.actions if a.writes)

    @property
    def needs_lookup(self) -> bool:
        """Would this plan open an issue, or do the minutes link to issues tracker has not
        listed? Then the issues without the tracker's label are worth reading first: one of
        them may be the AI's issue, its label or hidden comments removed (issue 10)."""
        return bool(self.linked) or any(a.kind is Kind.CREATE for a in self.actions)

    def to_json(self) -> dict[str, Any]:
        return {
            "repo": self.repo,
            "summary": {kind.value: self.count(kind) for kind in Kind}
            | {"labels_to_create": len(self.labels), "milestones_to_create": len(self.milestones)},
            "labels_to_create": [label.to_json() for label in self.labels],
            "milestones_to_create": list(self.milestones),
            "actions": [action.to_json() for action in self.actions],
            "warnings": list(self.warnings),
        }


# --------------------------------------------------------------------------- the planner


@dataclass
class _Tracked:
    issue: ExistingIssue
    ai_id: str
    record: WriteRecord | None


@dataclass
class _Issues:
    """The snapshot's issues by the AI id in their marker."""

    tracked: dict[str, _Tracked]
    """Trusted issues: the lowest number carrying each marker."""
    untrusted: dict[str, ExistingIssue]
    """Issues by other authors that carry a marker: never edited, never duplicated."""
    duplicates: list[tuple[ExistingIssue, int]]
    """Later trusted twins (two syncs at once) and the number of the issue they repeat."""
    unmarked: list[ExistingIssue] = field(default_factory=list)
    """Trusted issues without a marker (their hidden comments removed by hand): tracker's
    own if an AI's minutes line links to one, or its text still matches (adoption)."""
    unlabelled: set[int] = field(default_factory=set)
    """Numbers of the issues above that lack the tracker's label."""


def trusted_authors(config: Config, viewer: str | None) -> frozenset[str]:
    """Who may have opened tracker's own issues (casefolded): ``bot_authors`` and the token's
    user. Only their issues stand for an AI (the rule lives in :mod:`tracker.identity`)."""
    return identity_trusted_authors(config.bot_authors, viewer)


def make_plan(
    minutes: Minutes,
    snapshot: Snapshot,
    config: Config,
    *,
    link_base: str | None = None,
) -> Plan:
    """Decide, for each distinct AI and each tracker issue, what a sync does and why."""
    issues = _index(snapshot, config)
    ais = minutes.distinct_action_items
    restated = {ai.carry_over_of: ai for ai in minutes.action_items if ai.carry_over_of}
    pairs = _pairs(ais, issues, restated)
    maker = IssueMaker(
        config, repo=snapshot.repo, assignable=snapshot.assignable, link_base=link_base
    )
    wanted = {ai.id: maker.fields(ai) for ai in ais}
    adopted = _adoptions(
        [ai for ai in ais if ai.id not in issues.tracked and ai.id not in pairs],
        wanted,
        issues.unmarked,
    )
    actions = [_ai_action(ai, wanted[ai.id], issues, pairs, adopted, config) for ai in ais]
    actions += _issue_actions(issues, {ai.id for ai in ais}, restated, pairs)
    known = {issue.number for issue in snapshot.issues} | {i.number for i in snapshot.unlabelled}
    return Plan(
        repo=snapshot.repo,
        actions=tuple(actions),
        labels=_labels_to_create(actions, snapshot, config),
        milestones=_milestones_to_create(actions, snapshot),
        warnings=tuple(dict.fromkeys(maker.warnings)),
        linked=tuple(
            sorted(
                {
                    ai.issue
                    for ai in ais
                    if ai.issue is not None
                    and ai.issue not in known
                    and ai.id not in issues.tracked
                }
            )
        ),
    )


def _index(snapshot: Snapshot, config: Config) -> _Issues:
    """Issues by marker: the lowest number wins; later twins are reported.

    The issues without the tracker's label (read only when the plan would open issues)
    count as tracker's own when a trusted author opened them.
    """
    trusted = trusted_authors(config, snapshot.viewer)
    mine = [i for i in (*snapshot.issues, *snapshot.unlabelled) if i.author.casefold() in trusted]
    own = index_markers(mine)
    others = index_markers(i for i in snapshot.issues if i.author.casefold() not in trusted)
    return _Issues(
        tracked={
            ai_id: _Tracked(issue, ai_id, WriteRecord.from_body(issue.body))
            for ai_id, issue in own.first.items()
        },
        untrusted=dict(others.first),
        duplicates=[(twin, first.number) for twin, first in own.twins],
        unmarked=[i for i in mine if find_marker(i.body) is None],
        unlabelled={i.number for i in snapshot.unlabelled},
    )


def _adoptions(
    ais: Sequence[ActionItem],
    wanted: Mapping[str, IssueFields],
    unmarked: Sequence[ExistingIssue],
) -> dict[str, tuple[ExistingIssue, str]]:
    """AIs with no issue matched to trusted issues whose hidden comments were removed: the
    minutes line links to it (`` (#N)``), or its title is the AI's title (and its body names
    the AI's meeting). Each issue goes to one AI, the links first, then in minutes order."""
    free = {issue.number: issue for issue in unmarked}
    found: dict[str, tuple[ExistingIssue, str]] = {}
    for ai in ais:
        if ai.issue is not None and ai.issue in free:
            found[ai.id] = (free.pop(ai.issue), f"the minutes link it to #{ai.issue}")
    for ai in ais:
        if ai.id in found:
            continue
        title = normalize_text(wanted[ai.id].title)
        meeting = ai.meeting.isoformat() if ai.meeting else ""
        for number, issue in sorted(free.items()):
            if normalize_text(issue.title) == title and meeting in issue.body:
                found[ai.id] = (free.pop(number), "its title matches")
                break
    return found


def _pairs(
    ais: Sequence[ActionItem], issues: _Issues, restated: Mapping[str, ActionItem]
) -> dict[str, _Tracked]:
    """AIs with no issue paired to issues whose AI vanished (the AI's text was edited)."""
    wanted_ids = {ai.id for ai in ais}
    unmatched = [ai for ai in ais if ai.id not in issues.tracked]
    spare = [
        t for t in issues.tracked.values() if t.ai_id not in wanted_ids and t.ai_id not in restated
    ]
    return _pair_edited(unmatched, spare)


def _ai_action(
    ai: ActionItem,
    fields: IssueFields,
    issues: _Issues,
    pairs: Mapping[str, _Tracked],
    adopted: Mapping[str, tuple[ExistingIssue, str]],
    config: Config,
) -> Action:
    """What the sync does for one distinct AI of the minutes."""
    where = f"{ai.source}:{ai.line}"
    if ai.id in issues.tracked:
        item = issues.tracked[ai.id]
        return _compare(ai, fields, item, config, where, note=_relabel(item, issues))
    if ai.id in pairs:
        item = pairs[ai.id]
        note = f"AI text edited (was {item.ai_id})"
        return _compare(ai, fields, item, config, where, note=_relabel(item, issues, note))
    if ai.id in adopted:
        issue, why = adopted[ai.id]
        # No record to compare with: take the minutes' fields as what tracker last wrote, so
        # that what differs on GitHub counts as a human's edit and is kept.
        hashes = {name: field_hash(name, getattr(fields, name)) for name in FIELDS}
        item = _Tracked(issue, ai.id, record_for(ai, hashes))
        note = f"adopted #{issue.number} ({why}); its hidden comments restored"
        return _compare(ai, fields, item, config, where, note=_relabel(item, issues, note))
    if ai.issue is not None:
        return Action(
            Kind.UNCHANGED,
            f"the minutes link it to #{ai.issue}; no issue created",
            ai_id=ai.id,
            where=where,
            issue=ai.issue,
        )
    reason = f"new AI, blocker for {ai.blocker.release}" if ai.blocker else "new AI"
    if ai.id in issues.untrusted:
        # Anyone can open an issue carrying a computable marker: it never stands in for the AI.
        other = issues.untrusted[ai.id]
        reason += (
            f"; #{other.number} carries its marker but was opened by {other.author}, who is not"
            " a trusted author: not used (hint: if it is tracker's own, add them to bot_authors)"
        )
    return Action(Kind.CREATE, reason, ai_id=ai.id, where=where, target=new_issue(ai, fields))


def _issue_actions(
    issues: _Issues,
    wanted_ids: set[str],
    restated: Mapping[str, ActionItem],
    pairs: Mapping[str, _Tracked],
) -> list[Action]:
    """What the sync does for the tracked issues no AI of the minutes claimed."""
    paired = {t.issue.number for t in pairs.values()}
    actions: list[Action] = []
    for item in issues.tracked.values():
        if item.ai_id in wanted_ids or item.issue.number in paired:
            continue
        if item.issue.number in issues.unlabelled:
            continue  # read only in some runs: reported by none
        if item.ai_id in restated:
            carry = restated[item.ai_id]
            reason = f"restated as a carry-over at {carry.source}:{carry.line}"
            actions.append(
                Action(Kind.UNCHANGED, reason, ai_id=item.ai_id, issue=item.issue.number)
            )
            continue
        actions.append(
            Action(
                Kind.ORPHANED,
                f"its AI is no longer in the minutes; left {item.issue.state}",
                ai_id=item.ai_id,
                issue=item.issue.number,
            )
        )
    for issue, first in issues.duplicates:
        if issue.state != "open":
            reason = f"duplicate of #{first} (same marker), closed"
            kind = Kind.UNCHANGED
        else:
            reason = f"duplicate of #{first} (same marker; two syncs at once?): closed, linked"
            kind = Kind.DUPLICATE
        ai_id = find_marker(issue.body)
        actions.append(Action(kind, reason, ai_id=ai_id, issue=issue.number, original=first))
    return actions


def _relabel(item: _Tracked, issues: _Issues, note: str | None = None) -> str | None:
    """The note for an issue tracker found without its label: the label goes back on."""
    if item.issue.number not in issues.unlabelled:
        return note
    restored = "its tracker label was removed; put back"
    return f"{note}; {restored}" if note else restored


# --------------------------------------------------------------------------- comparing one issue


@dataclass
class _Verdict:
    """The three-way comparison of every field: the write record, GitHub, the minutes."""

    changed: list[str] = field(default_factory=list)
    """Changed in the minutes only: tracker writes them."""
    conflicts: list[str] = field(default_factory=list)
    """Changed on GitHub and in the minutes (or no record to tell): GitHub's value stays."""
    kept: list[str] = field(default_factory=list)
    """Edited on GitHub, unchanged in the minutes: GitHub's value stays."""
    base: dict[str, str] = field(default_factory=dict)
    """The hashes the refreshed write record keeps."""


def _current(issue: ExistingIssue, name: str, managed: frozenset[str]) -> object:
    if name == "labels":
        return tuple(label for label in issue.labels if label.casefold() in managed)
    return getattr(issue, name)


def _three_way(
    wanted: IssueFields, issue: ExistingIssue, record: WriteRecord | None, managed: frozenset[str]
) -> _Verdict:
    base = dict(record.hashes) if record else {}
    verdict = _Verdict()
    for name in FIELDS:
        want = field_hash(name, getattr(wanted, name))
        have = field_hash(name, _current(issue, name, managed))
        if have == want:
            verdict.base[name] = want
        elif name in base and have == base[name]:
            verdict.changed.append(name)
            verdict.base[name] = want
        elif name in base and want == base[name]:
            verdict.kept.append(name)  # edited on GitHub, unchanged in the minutes: GitHub's stays
            verdict.base[name] = base[name]
        else:
            verdict.conflicts.append(name)
            if name in base:
                verdict.base[name] = base[name]
    return verdict


def _compare(
    ai: ActionItem,
    wanted: IssueFields,
    item: _Tracked,
    config: Config,
    where: str,
    *,
    note: str | None,
) -> Action:
    """The update (or nothing) that brings an existing issue in line with its AI.

    ``note`` says why the issue needs its hidden comments rewritten even when no field
    changed (an edited AI's new marker, an adopted issue); the tracker's label goes back on
    an issue that lost it.
    """
    managed = managed_labels(config, wanted.labels)
    verdict = _three_way(wanted, item.issue, item.record, managed)
    send = list(verdict.changed)
    target = wanted
    if verdict.changed or note is not None:
        if "body" not in send:
            send.append("body")  # carries the refreshed write record (and the new marker)
        target = _update_target(ai, wanted, item.issue, verdict, managed)
    labelled = any(label.casefold() == config.label.casefold() for label in item.issue.labels)
    if not labelled and "labels" not in send:
        # Without its label the next run's listing would not find the issue: put it back.
        send.append("labels")
        target = replace(target, labels=(*item.issue.labels, config.label))
    if verdict.conflicts:
        kind = Kind.CONFLICT
    else:
        kind = Kind.UPDATE if send else Kind.UNCHANGED
    return Action(
        kind,
        _reason(verdict, note=note, has_record=item.record is not None),
        ai_id=ai.id,
        where=where,
        issue=item.issue.number,
        target=target,
        send=tuple(name for name in FIELDS if name in send),
        changed=tuple(verdict.changed),
        conflicts=tuple(verdict.conflicts),
    )


def _update_target(
    ai: ActionItem,
    wanted: IssueFields,
    issue: ExistingIssue,
    verdict: _Verdict,
    managed: frozenset[str],
) -> IssueFields:
    """The fields an update sends: the body keeps a human's text, the labels people's own."""
    body = wanted.body if "body" in verdict.changed else issue.body
    labels = wanted.labels
    if "labels" in verdict.changed:
        # Keep the labels people added; replace only tracker's own.
        labels = tuple(l for l in issue.labels if l.casefold() not in managed) + wanted.labels
    body = with_record(body, record_for(ai, verdict.base), ai.id)
    return replace(wanted, body=body, labels=labels)


def _reason(verdict: _Verdict, *, note: str | None, has_record: bool) -> str:
    notes = []
    if note is not None:
        notes.append(note)
    if verdict.changed:
        notes.append("minutes changed " + ", ".join(verdict.changed))
    if verdict.kept:
        notes.append("edited on GitHub, kept: " + ", ".join(verdict.kept))
    if verdict.conflicts:
        why = "edited on GitHub and in the minutes" if has_record else "no write record"
        notes.append(f"{why}: {', '.join(verdict.conflicts)} left as on GitHub")
    return "; ".join(notes) or "up to date"


# --------------------------------------------------------------------------- edited AIs


def _pair_edited(ais: Sequence[ActionItem], spare: Sequence[_Tracked]) -> dict[str, _Tracked]:
    """Pair AIs with no issue to issues whose AI vanished: the same AI, its text edited.

    Near-linear (issue 14): the spare issues are indexed by meeting, line and word, and an
    AI is compared only with those of its meeting on its line and a bounded few sharing
    the most words with it, never with every spare issue.
    """
    by_meeting: dict[str | None, _SpareIndex] = {}
    for j, item in enumerate(spare):
        if item.record is not None:
            meeting = item.record.meeting or meeting_of(item.ai_id)
            by_meeting.setdefault(meeting, _SpareIndex()).add(j, item.record)
    scored: list[tuple[float, int, int]] = []
    for i, ai in enumerate(ais):
        index = by_meeting.get(ai.meeting.isoformat() if ai.meeting else None)
        if index is None:
            continue
        for j in index.candidates(ai):
            record = spare[j].record
            assert record is not None
            score = _similarity(ai, record)
            if score is not None:
                scored.append((score, i, j))
    pairs: dict[str, _Tracked] = {}
    used_ai: set[int] = set()
    used_issue: set[int] = set()
    for _score, i, j in sorted(scored, key=lambda s: (-s[0], s[1], s[2])):
        if i in used_ai or j in used_issue:
            continue
        used_ai.add(i)
        used_issue.add(j)
        pairs[ais[i].id] = spare[j]
    return pairs


class _SpareIndex:
    """One meeting's spare issues by minutes line and by word of their AI's text."""

    CANDIDATES = 6
    """Compared per AI besides those on its line: the ones sharing the most words with it."""
    COMMON = 64
    """A word that so many of one meeting's issues share says little; it is not followed."""

    def __init__(self) -> None:
        self._all: list[int] = []
        self._by_line: dict[tuple[str | None, int | None], list[int]] = {}
        self._by_word: dict[str, list[int]] = {}

    def add(self, j: int, record: WriteRecord) -> None:
        self._all.append(j)
        self._by_line.setdefault((record.source, record.line), []).append(j)
        for word in set(normalize_text(record.text).split()):
            self._by_word.setdefault(word, []).append(j)

    def candidates(self, ai: ActionItem) -> list[int]:
        if len(self._all) <= self.CANDIDATES:  # a meeting's usual few: compare them all
            return self._all
        shared: dict[int, int] = {}
        for word in set(normalize_text(ai.text).split()):
            found = self._by_word.get(word, ())
            if len(found) <= self.COMMON:
                for j in found:
                    shared[j] = shared.get(j, 0) + 1
        ranked = sorted(shared, key=lambda j: (-shared[j], j))[: self.CANDIDATES]
        same_line = self._by_line.get((ai.source, ai.line), [])
        return sorted(set(ranked) | set(same_line))


def _similarity(ai: ActionItem, record: WriteRecord) -> float | None:
    """How surely ``ai`` is the AI ``record`` describes, or None when it is not."""
    text = difflib.SequenceMatcher(
        None, normalize_text(ai.text), normalize_text(record.text)
    ).ratio()
    same_line = ai.source == record.source and ai.line == record.line
    same_topic = tuple(ai.topic) == tuple(record.topic)
    same_owners = {o.casefold() for o in ai.owners} == {o.casefold() for o in record.owners}
    if not (same_line or text >= 0.6 or (same_topic and same_owners and text >= 0.3)):
        return None
    return text + same_line + 0.5 * same_topic + 0.25 * same_owners


# --------------------------------------------------------------------------- labels and milestones


def _labels_to_create(
    actions: Sequence[Action], snapshot: Snapshot, config: Config
) -> tuple[LabelSpec, ...]:
    have = {label.casefold() for label in snapshot.labels}
    specs: dict[str, LabelSpec] = {}
    for action in actions:
        if not action.writes or action.target is None:
            continue
        if action.kind is not Kind.CREATE and "labels" not in action.send:
            continue
        for name in action.target.labels:
            key = name.casefold()
            if key in have or key in specs:
                continue
            specs[key] = _label_spec(name, config)
    return tuple(specs.values())


def _label_spec(name: str, config: Config) -> LabelSpec:
    if name == config.label:
        return LabelSpec(name, "1d76db", "An action item from the meeting minutes (tracker)")
    if name == config.blocker_label:
        return LabelSpec(
            name, "b60205", "Decided to block a release in the meeting minutes (tracker)"
        )
    return LabelSpec(name, "c5def5", "Owned by a group, not one person (tracker)")


def _milestones_to_create(actions: Sequence[Action], snapshot: Snapshot) -> tuple[str, ...]:
    have = {m.casefold() for m in snapshot.milestones}
    names: dict[str, str] = {}
    for action in actions:
        if not action.writes or action.target is None or action.target.milestone is None:
            continue
        if action.kind is not Kind.CREATE and "milestone" not in action.send:
            continue
        key = action.target.milestone.casefold()
        if key not in have:
            names.setdefault(key, action.target.milestone)
    return tuple(names.values())
