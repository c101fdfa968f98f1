"""``tracker sync``: read GitHub, plan, apply; report what was done.

The order of writes makes every crash recoverable by a rerun: labels and
milestones first (so every issue carries the tracker label that the next run's
listing finds it by), then issues in minutes order. A create whose response is
lost is looked up by its marker before anything else is sent for it.

A run writes within its limits (see :mod:`tracker.pacing`): when its time or creation
budget is spent, or a rate limit asks for a longer wait than allowed, it stops cleanly
(``Unfinished``, exit code 4) with what it did and what is left, and the next run continues
from GitHub's state: what was created is found by its marker, so nothing is duplicated
(issue 14: a big archive's first sync spread over several scheduled runs).

Two syncs at once (issue 10): before a create, when the listing is older than
``Settings.relook_after`` seconds, the AI's marker is looked up again among the
newest issues; once another run is seen creating, before every create. What
still slips through is repaired by the next run (the plan closes later twins as
duplicates). GitHub refusing one issue (422) is reported with its minutes line
and the field, and the others go on.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from tracker.config import Config
from tracker.errors import GitHubError, Unfinished
from tracker.github import AmbiguousWrite, GitHub, Refused
from tracker.identity import index_markers
from tracker.model import Minutes
from tracker.pacing import span
from tracker.plan import Action, Kind, Plan, make_plan, trusted_authors
from tracker.settings import Settings
from tracker.snapshot import Snapshot
from tracker.words import counted

#: Called with each line of the plan as it is applied (text output).
Reporter = Callable[[str], None]


@dataclass(frozen=True)
class Outcome:
    """What applying one action did."""

    action: Action
    issue: int | None
    """The issue the AI now has (None when nothing exists for it)."""
    done: bool
    """The action's write went through (False for actions that write nothing, and in a dry run)."""
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return self.action.to_json() | {
            "issue": self.issue,
            "done": self.done,
            "note": self.note or None,
        }


@dataclass(frozen=True)
class SyncResult:
    """The plan, what was applied of it, and what it cost."""

    plan: Plan
    dry_run: bool
    outcomes: tuple[Outcome, ...] = ()
    labels_created: tuple[str, ...] = ()
    milestones_created: tuple[str, ...] = ()
    reads: int = 0
    writes: int = 0
    rate_limit: tuple[int, int] | None = None
    """(remaining, limit) after the last request."""
    stopped: GitHubError | None = None
    """Why the run stopped early (``Unfinished``: within its limits); a rerun finishes the rest."""
    waited: float = 0.0
    """Seconds spent waiting for rate limits."""
    warnings: tuple[str, ...] = field(default_factory=tuple)
    refused: tuple[str, ...] = ()
    """``source:line: …`` for each AI whose issue GitHub refused (422): the others went on."""
    snapshot: Snapshot | None = None
    """What GitHub held when the run began (its one listing of the tracker's issues)."""

    @property
    def error(self) -> str | None:
        """Why the run stopped early, as one line."""
        return str(self.stopped) if self.stopped is not None else None

    @property
    def unfinished(self) -> bool:
        """Stopped within its limits with work left: the next run continues (exit code 4)."""
        return isinstance(self.stopped, Unfinished)

    @property
    def progress(self) -> tuple[int, int, int]:
        """(created, creates planned, writes left undone) by this run."""
        creates = [o for o in self.outcomes if o.action.kind is Kind.CREATE]
        left = sum(1 for o in self.outcomes if o.action.writes and not o.done)
        return sum(1 for o in creates if o.done), len(creates), left

    def summary(self) -> str:
        """One line: what was (or would be) done, the requests made, the rate limit left."""
        plan = self.plan
        if self.dry_run:
            did = (
                f"dry run: would create {plan.count(Kind.CREATE)}, update {plan.count(Kind.UPDATE)}"
                f", create {counted(len(plan.labels), 'label')} and "
                f"{counted(len(plan.milestones), 'milestone')}"
            )
        else:
            done = [o.action.kind for o in self.outcomes if o.done]
            created = done.count(Kind.CREATE)
            updated = len(done) - created - done.count(Kind.DUPLICATE)
            did = (
                f"{created} created, {updated} updated"
                f", {counted(len(self.labels_created), 'label')} and "
                f"{counted(len(self.milestones_created), 'milestone')} created"
            )
            if Kind.DUPLICATE in done:
                did += f", {counted(done.count(Kind.DUPLICATE), 'duplicate')} closed"
            if self.refused:
                did += f", {len(self.refused)} refused by GitHub"
        counts = (
            f"{plan.count(Kind.UNCHANGED)} unchanged, {counted(plan.count(Kind.CONFLICT), 'conflict')}"
            f", {plan.count(Kind.ORPHANED)} orphaned"
        )
        rate = (
            f"; rate limit {self.rate_limit[0]}/{self.rate_limit[1]} left"
            if self.rate_limit
            else ""
        )
        waited = f"; waited {span(self.waited)} for GitHub's limits" if self.waited else ""
        line = (
            f"{plan.repo}: {did}; {counts}; {counted(self.reads + self.writes, 'API request')} "
            f"({counted(self.reads, 'read')}, {counted(self.writes, 'write')}){rate}{waited}"
        )
        if isinstance(self.stopped, Unfinished):
            created, planned, left = self.progress
            line += f"; created {created:,} of {planned:,}, {left:,} left: the next run continues"
            if self.stopped.resume_at is not None:
                line += f" (not before {_shown(self.stopped.resume_at)})"
        elif self.stopped is not None:
            line += "; stopped early: rerun to finish"
        return line

    def to_json(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "plan": self.plan.to_json(),
            "applied": [o.to_json() for o in self.outcomes],
            "labels_created": list(self.labels_created),
            "milestones_created": list(self.milestones_created),
            "requests": {"reads": self.reads, "writes": self.writes},
            "rate_limit": (
                {"remaining": self.rate_limit[0], "limit": self.rate_limit[1]}
                if self.rate_limit
                else None
            ),
            "error": self.error,
            "unfinished": self.unfinished,
            "resume_at": (
                self.stopped.resume_at.isoformat()
                if isinstance(self.stopped, Unfinished) and self.stopped.resume_at
                else None
            ),
            "waited_seconds": round(self.waited, 1),
            "warnings": list(self.warnings),
            "refused": list(self.refused),
        }


def _shown(moment: datetime.datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def format_outcome(outcome: Outcome) -> str:
    """One line of the plan: action, issue, minutes line, title, reason."""
    action = outcome.action
    issue = f"#{outcome.issue}" if outcome.issue else "-"
    title = f"  {action.title!r}" if action.title else ""
    note = f" [{outcome.note}]" if outcome.note else ""
    return f"{action.kind.value:<9} {issue:>6}  {action.where or '-'}{title}: {action.reason}{note}"


def sync(
    minutes: Minutes,
    *,
    config: Config,
    settings: Settings,
    dry_run: bool = False,
    report: Reporter | None = None,
    notify: Reporter | None = None,
) -> SyncResult:
    """Bring GitHub in line with the minutes (or, with ``dry_run``, only say how).

    Errors before anything is written raise ``GitHubError`` (``Unfinished`` when a rate
    limit stops the run within its limits); an error while applying stops the run and is
    returned in ``SyncResult.stopped`` with what was done. ``notify`` hears of each wait.
    """
    github = GitHub(settings, label=config.label, notify=notify)
    try:
        try:
            snapshot = github.read_snapshot()
        except Unfinished as exc:
            raise Unfinished(
                f"{exc.message}; nothing was written", resume_at=exc.resume_at
            ) from exc
        plan = make_plan(minutes, snapshot, config, link_base=settings.link_base)
        if plan.needs_lookup:
            # An issue that lost its label (or the line's ``(#N)``) is adopted, not opened twice.
            snapshot = replace(snapshot, unlabelled=github.recent_unlabelled(plan.linked))
            plan = make_plan(minutes, snapshot, config, link_base=settings.link_base)
        applier = _Applier(
            github,
            plan,
            report or (lambda line: None),
            dry_run=dry_run,
            trusted=trusted_authors(config, snapshot.viewer),
            known={issue.number for issue in snapshot.issues + snapshot.unlabelled},
        )
        applier.run()
        return SyncResult(
            plan=plan,
            dry_run=dry_run,
            outcomes=tuple(applier.outcomes),
            labels_created=tuple(applier.labels),
            milestones_created=tuple(applier.milestones),
            reads=github.requests.reads,
            writes=github.requests.writes,
            rate_limit=github.rate_limit,
            stopped=applier.error,
            waited=github.pacer.waited,
            warnings=tuple(str(w) for w in minutes.warnings)
            + plan.warnings
            + tuple(applier.warnings),
            refused=tuple(applier.refused),
            snapshot=snapshot,
        )
    finally:
        github.close()


class _Applier:
    def __init__(
        self,
        github: GitHub,
        plan: Plan,
        report: Reporter,
        *,
        dry_run: bool,
        trusted: frozenset[str],
        known: set[int],
    ) -> None:
        self.github = github
        self.plan = plan
        self.report = report
        self.dry_run = dry_run
        self.trusted = trusted
        self.known = known
        """Issues this run has seen or made: any other one with a marker is another run's."""
        self.racing = False
        """Another sync was seen creating: look up before every create from then on."""
        self.outcomes: list[Outcome] = []
        self.labels: list[str] = []
        self.milestones: list[str] = []
        self.warnings: list[str] = []
        self.refused: list[str] = []
        self.error: GitHubError | None = None

    def run(self) -> None:
        pending = list(self.plan.actions)
        try:
            if not self.dry_run:
                for label in self.plan.labels:
                    self.github.create_label(label)
                    self.labels.append(label.name)
                for title in self.plan.milestones:
                    self.github.create_milestone(title)
                    self.milestones.append(title)
            while pending:
                self._apply(pending[0])
                pending.pop(0)
        except GitHubError as exc:
            self.error = exc
            for action in pending:
                note = (
                    ("next run" if isinstance(exc, Unfinished) else "not done")
                    if action.writes
                    else ""
                )
                self.outcomes.append(Outcome(action, action.issue, done=False, note=note))

    def _apply(self, action: Action) -> None:
        try:
            outcome = self._outcome(action)
        except Refused as exc:
            # This issue only: GitHub will refuse it again until the minutes change (issue 10).
            where = action.where or f"#{action.issue}"
            self.refused.append(f"{where}: error: {exc}")
            outcome = Outcome(action, action.issue, done=False, note="refused by GitHub")
        self.outcomes.append(outcome)
        self.report(format_outcome(outcome))

    def _outcome(self, action: Action) -> Outcome:
        if self.dry_run or not action.writes:
            return Outcome(action, action.issue, done=False)
        if action.kind is Kind.DUPLICATE:
            assert action.issue is not None and action.original is not None
            self.github.close_as_duplicate(action.issue, action.original)
            return Outcome(action, action.issue, done=True)
        if action.kind is Kind.CREATE:
            return self._create(action)
        assert action.issue is not None and action.target is not None
        dropped = self.github.update_issue(action.issue, action.target, action.send)
        self._dropped(action, dropped)
        return Outcome(action, action.issue, done=True)

    def _create(self, action: Action) -> Outcome:
        assert action.target is not None and action.ai_id is not None
        listed_at = self.github.listed_at
        stale = (
            listed_at is None or time.monotonic() - listed_at >= self.github.settings.relook_after
        )
        if self.racing or stale:
            found = self._look_up(action.ai_id)
            if found is not None:
                return Outcome(action, found, done=False, note="opened meanwhile by another run")
        try:
            created = self.github.create_issue(action.target)
        except AmbiguousWrite:
            # The POST may have created the issue before its answer was lost: look first.
            found = self._look_up(action.ai_id)
            if found is not None:
                return Outcome(
                    action, found, done=True, note="answer lost; found the created issue"
                )
            created = self.github.create_issue(action.target)
        self.known.add(created.number)
        self._dropped(action, created.dropped_assignees)
        return Outcome(action, created.number, done=True)

    def _look_up(self, ai_id: str) -> int | None:
        """The AI's issue among the newest ones by trusted authors (one request), if any.

        An issue carrying a marker that this run neither listed nor made means another sync
        is creating at the same time: from then on every create looks up first.
        """
        newest = self.github.newest_issues()
        mine = [issue for issue in newest if issue.author.casefold() in self.trusted]
        strangers = sorted(i.number for i in mine if i.number not in self.known)
        if strangers and not self.racing:
            self.racing = True
            self.warnings.append(
                f"warning: another sync seems to be running on {self.plan.repo} (it opened "
                f"#{strangers[0]} meanwhile); looking each AI up before creating its issue"
            )
        self.known.update(strangers)
        issue = index_markers(mine).first.get(ai_id)
        return issue.number if issue is not None else None

    def _dropped(self, action: Action, dropped: tuple[str, ...]) -> None:
        if dropped:
            self.warnings.append(
                f"{action.where}: warning: GitHub refused to assign {', '.join(dropped)}; "
                "the issue stays unassigned"
            )
