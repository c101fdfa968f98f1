"""Minutes + what GitHub holds -> the Plan: what ``tracker sync`` will do, and why.

Pure: no network, no printing. ``tracker.github`` reads a :class:`Snapshot`,
:func:`make_plan` decides, ``tracker.github`` applies the :class:`Plan`.

How an issue is tied to its AI (issue #4):

- The body (:mod:`tracker.issue`) carries the AI's marker and a
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

import datetime
import difflib
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from tracker.config import Config
from tracker.identity import find_marker, normalize_text
from tracker.issue import (
    FIELDS,
    BodyRenderer,
    IssueFields,
    WriteRecord,
    field_hash,
    issue_title,
    managed_labels,
    wanted_labels,
    wanted_milestone,
    with_record,
)
from tracker.model import ActionItem, Minutes

# --------------------------------------------------------------------------- GitHub's side


@dataclass(frozen=True)
class ExistingIssue:
    """A tracker-labelled issue as GitHub holds it."""

    number: int
    title: str
    body: str
    author: str
    """Login of whoever opened it (``github-actions[bot]`` for Actions' token)."""
    state: str = "open"
    assignees: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    milestone: str | None = None
    url: str = ""
    state_reason: str | None = None
    """Why it was closed: ``completed``, ``not_planned`` (or ``reopened``, None)."""
    closed_at: datetime.datetime | None = None
    closed_by: str | None = None
    """Who closed it, when the listing says (GitHub's issue list leaves it out)."""


@dataclass(frozen=True)
class Snapshot:
    """Everything the plan needs from GitHub, read once per run."""

    repo: str
    viewer: str | None
    """The token's login; None when ``GET /user`` is refused (an installation token)."""
    issues: tuple[ExistingIssue, ...] = ()
    labels: tuple[str, ...] = ()
    milestones: tuple[str, ...] = ()
    assignable: tuple[str, ...] = ()


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

    @property
    def writes(self) -> bool:
        """Does applying this action send a request that changes GitHub?"""
        return self.kind is Kind.CREATE or bool(self.send)

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
        }


@dataclass(frozen=True)
class LabelSpec:
    """A label the plan creates before any issue uses it."""

    name: str
    color: str
    description: str

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "color": self.color, "description": self.description}


@dataclass(frozen=True)
class Plan:
    """Everything ``tracker sync`` will do, in order: labels, milestones, then issues."""

    repo: str
    actions: tuple[Action, ...] = ()
    labels: tuple[LabelSpec, ...] = ()
    milestones: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    def count(self, kind: Kind) -> int:
        return sum(1 for action in self.actions if action.kind is kind)

    @property
    def writes(self) -> int:
        """The number of write requests applying the plan takes (no failures assumed)."""
        return len(self.labels) + len(self.milestones) + sum(1 for a in self.actions if a.writes)

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


# --------------------------------------------------------------------------- the write record


# --------------------------------------------------------------------------- what the minutes want


def _assignees(
    ai: ActionItem, config: Config, assignable: Mapping[str, str], repo: str, warnings: list[str]
) -> tuple[str, ...]:
    where = f"{ai.source}:{ai.line}"
    logins: list[str] = []
    for login in ai.assignees:
        canonical = assignable.get(login.casefold())
        if canonical is None:
            warnings.append(
                f"{where}: warning: {login} cannot be assigned in {repo}; the issue stays unassigned"
                " (hint: give them access to the repository, or fix people: in the config)"
            )
        elif canonical not in logins:
            logins.append(canonical)
    for owner in ai.owners:
        if (
            config.group_for(owner) is None
            and config.login_for(owner) is None
            and owner not in ai.assignees
        ):
            warnings.append(
                f"{where}: warning: owner {owner!r} is not a known person or group; the issue stays"
                " unassigned (hint: add them under people: in the config)"
            )
    return tuple(sorted(logins, key=str.casefold))


# --------------------------------------------------------------------------- the planner


@dataclass
class _Tracked:
    issue: ExistingIssue
    ai_id: str
    record: WriteRecord | None


def make_plan(
    minutes: Minutes,
    snapshot: Snapshot,
    config: Config,
    *,
    link_base: str | None = None,
) -> Plan:
    """Decide, for each distinct AI and each tracker issue, what a sync does and why."""
    warnings: list[str] = []
    trusted = {login.casefold() for login in config.bot_authors}
    if snapshot.viewer:
        trusted.add(snapshot.viewer.casefold())
    assignable = {login.casefold(): login for login in snapshot.assignable}
    ais = minutes.distinct_action_items

    # Issues by marker: the lowest number wins; later twins (a crash's duplicates) are reported.
    tracked: dict[str, _Tracked] = {}
    untrusted: dict[str, ExistingIssue] = {}
    duplicates: list[tuple[ExistingIssue, int]] = []
    for issue in sorted(snapshot.issues, key=lambda i: i.number):
        ai_id = find_marker(issue.body)
        if ai_id is None:
            continue
        if issue.author.casefold() not in trusted:
            untrusted.setdefault(ai_id, issue)
            continue
        if ai_id in tracked:
            duplicates.append((issue, tracked[ai_id].issue.number))
            continue
        tracked[ai_id] = _Tracked(issue, ai_id, WriteRecord.from_body(issue.body))

    wanted_ids = {ai.id for ai in ais}
    restated = {ai.carry_over_of: ai for ai in minutes.action_items if ai.carry_over_of}
    unmatched_ais = [ai for ai in ais if ai.id not in tracked and ai.id not in untrusted]
    spare = [t for t in tracked.values() if t.ai_id not in wanted_ids and t.ai_id not in restated]
    pairs = _pair_edited(unmatched_ais, spare)

    actions: list[Action] = []
    render = BodyRenderer(config)
    for ai in ais:
        where = f"{ai.source}:{ai.line}"
        fields = IssueFields(
            title=issue_title(ai),
            body=render(ai, link_base=link_base),
            assignees=_assignees(ai, config, assignable, snapshot.repo, warnings),
            labels=wanted_labels(ai, config),
            milestone=wanted_milestone(ai, config),
        )
        if ai.id in tracked:
            actions.append(_compare(ai, fields, tracked[ai.id], config, where, matched=None))
        elif ai.id in pairs:
            actions.append(
                _compare(ai, fields, pairs[ai.id], config, where, matched=pairs[ai.id].ai_id)
            )
        elif ai.id in untrusted:
            other = untrusted[ai.id]
            actions.append(
                Action(
                    Kind.CONFLICT,
                    f"#{other.number} carries this AI's marker but was opened by {other.author}, "
                    "who is not a trusted author; nothing created (hint: add them to bot_authors)",
                    ai_id=ai.id,
                    where=where,
                    issue=other.number,
                )
            )
        elif ai.issue is not None:
            actions.append(
                Action(
                    Kind.UNCHANGED,
                    f"the minutes link it to #{ai.issue}; no issue created",
                    ai_id=ai.id,
                    where=where,
                    issue=ai.issue,
                )
            )
        else:
            record = _record(
                ai, fields, {name: field_hash(name, getattr(fields, name)) for name in FIELDS}
            )
            body = with_record(fields.body, record, ai.id)
            reason = "new AI"
            if ai.blocker:
                reason += f", blocker for {ai.blocker.release}"
            actions.append(
                Action(
                    Kind.CREATE, reason, ai_id=ai.id, where=where, target=replace(fields, body=body)
                )
            )

    paired = {t.issue.number for t in pairs.values()}
    for item in tracked.values():
        if item.ai_id in wanted_ids or item.issue.number in paired:
            continue
        if item.ai_id in restated:
            carry = restated[item.ai_id]
            actions.append(
                Action(
                    Kind.UNCHANGED,
                    f"restated as a carry-over at {carry.source}:{carry.line}",
                    ai_id=item.ai_id,
                    issue=item.issue.number,
                )
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
    for issue, first in duplicates:
        actions.append(
            Action(
                Kind.ORPHANED,
                f"duplicate of #{first} (same marker); close it by hand",
                ai_id=find_marker(issue.body),
                issue=issue.number,
            )
        )

    return Plan(
        repo=snapshot.repo,
        actions=tuple(actions),
        labels=_labels_to_create(actions, snapshot, config),
        milestones=_milestones_to_create(actions, snapshot),
        warnings=tuple(dict.fromkeys(warnings)),
    )


def _record(ai: ActionItem, fields: IssueFields, hashes: Mapping[str, str]) -> WriteRecord:
    return WriteRecord(
        hashes=dict(hashes),
        meeting=ai.meeting.isoformat() if ai.meeting else None,
        source=ai.source,
        line=ai.line,
        text=ai.text,
        owners=ai.owners,
        topic=ai.topic,
    )


def _current(issue: ExistingIssue, name: str, managed: frozenset[str]) -> object:
    if name == "labels":
        return tuple(label for label in issue.labels if label.casefold() in managed)
    return getattr(issue, name)


def _compare(
    ai: ActionItem,
    wanted: IssueFields,
    item: _Tracked,
    config: Config,
    where: str,
    *,
    matched: str | None,
) -> Action:
    """Three-way compare of each field: the write record, GitHub, the minutes."""
    issue, record = item.issue, item.record
    managed = managed_labels(config, wanted.labels)
    base = dict(record.hashes) if record else {}
    new_base: dict[str, str] = {}
    changed: list[str] = []
    conflicts: list[str] = []
    kept: list[str] = []
    for name in FIELDS:
        want = field_hash(name, getattr(wanted, name))
        have = field_hash(name, _current(issue, name, managed))
        if have == want:
            new_base[name] = want
        elif name in base and have == base[name]:
            changed.append(name)
            new_base[name] = want
        elif name in base and want == base[name]:
            kept.append(name)  # edited on GitHub, unchanged in the minutes: GitHub's value stays
            new_base[name] = base[name]
        else:
            conflicts.append(name)
            if name in base:
                new_base[name] = base[name]

    relabelled = matched is not None
    send = list(changed)
    if changed or relabelled:
        record_out = _record(ai, wanted, new_base)
        body = wanted.body if "body" in changed else issue.body
        if "body" not in send:
            send.append("body")  # carries the refreshed write record (and the new marker)
        labels = wanted.labels
        if "labels" in changed:
            # Keep the labels people added; replace only tracker's own.
            labels = tuple(l for l in issue.labels if l.casefold() not in managed) + wanted.labels
        target = replace(wanted, body=with_record(body, record_out, ai.id), labels=labels)
    else:
        target = wanted

    notes = []
    if relabelled:
        notes.append(f"AI text edited (was {matched})")
    if changed:
        notes.append("minutes changed " + ", ".join(changed))
    if kept:
        notes.append("edited on GitHub, kept: " + ", ".join(kept))
    if conflicts:
        why = "no write record" if record is None else "edited on GitHub and in the minutes"
        notes.append(f"{why}: {', '.join(conflicts)} left as on GitHub")
    if conflicts:
        kind = Kind.CONFLICT
    elif send:
        kind = Kind.UPDATE
    else:
        kind = Kind.UNCHANGED
    reason = "; ".join(notes) or "up to date"
    return Action(
        kind,
        reason,
        ai_id=ai.id,
        where=where,
        issue=issue.number,
        target=target,
        send=tuple(name for name in FIELDS if name in send),
        changed=tuple(changed),
        conflicts=tuple(conflicts),
    )


def _pair_edited(ais: Sequence[ActionItem], spare: Sequence[_Tracked]) -> dict[str, _Tracked]:
    """Pair AIs with no issue to issues whose AI vanished: the same AI, its text edited."""
    scored: list[tuple[float, int, int]] = []
    for i, ai in enumerate(ais):
        meeting = ai.meeting.isoformat() if ai.meeting else None
        for j, item in enumerate(spare):
            record = item.record
            if record is None:
                continue
            their_meeting = record.meeting or item.ai_id.rsplit("-", 1)[0]
            if meeting != their_meeting:
                continue
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
