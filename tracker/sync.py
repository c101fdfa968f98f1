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
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tracker.config import Config
from tracker.errors import GitHubError, Unfinished
from tracker.github import AmbiguousWrite, GitHub
from tracker.model import Minutes
from tracker.pacing import span
from tracker.plan import Action, Kind, Plan, make_plan
from tracker.settings import Settings

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
                f", create {len(plan.labels)} labels and {len(plan.milestones)} milestones"
            )
        else:
            created = sum(1 for o in self.outcomes if o.done and o.action.kind is Kind.CREATE)
            updated = sum(1 for o in self.outcomes if o.done and o.action.kind is not Kind.CREATE)
            did = (
                f"{created} created, {updated} updated"
                f", {len(self.labels_created)} labels and {len(self.milestones_created)} milestones created"
            )
        counts = (
            f"{plan.count(Kind.UNCHANGED)} unchanged, {plan.count(Kind.CONFLICT)} conflicts"
            f", {plan.count(Kind.ORPHANED)} orphaned"
        )
        rate = (
            f"; rate limit {self.rate_limit[0]}/{self.rate_limit[1]} left"
            if self.rate_limit
            else ""
        )
        waited = f"; waited {span(self.waited)} for GitHub's limits" if self.waited else ""
        line = (
            f"{plan.repo}: {did}; {counts}; {self.reads + self.writes} API requests "
            f"({self.reads} reads, {self.writes} writes){rate}{waited}"
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
        applier = _Applier(github, plan, report or (lambda line: None), dry_run=dry_run)
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
        )
    finally:
        github.close()


class _Applier:
    def __init__(self, github: GitHub, plan: Plan, report: Reporter, *, dry_run: bool) -> None:
        self.github = github
        self.plan = plan
        self.report = report
        self.dry_run = dry_run
        self.outcomes: list[Outcome] = []
        self.labels: list[str] = []
        self.milestones: list[str] = []
        self.warnings: list[str] = []
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
        if self.dry_run or not action.writes or action.target is None:
            outcome = Outcome(action, action.issue, done=False)
        elif action.kind is Kind.CREATE:
            outcome = self._create(action)
        else:
            assert action.issue is not None
            dropped = self.github.update_issue(action.issue, action.target, action.send)
            self._dropped(action, dropped)
            outcome = Outcome(action, action.issue, done=True)
        self.outcomes.append(outcome)
        self.report(format_outcome(outcome))

    def _create(self, action: Action) -> Outcome:
        assert action.target is not None and action.ai_id is not None
        try:
            created = self.github.create_issue(action.target)
        except AmbiguousWrite:
            # The POST may have created the issue before its answer was lost: look first.
            found = self.github.find_issue(action.ai_id)
            if found is not None:
                return Outcome(
                    action, found, done=True, note="answer lost; found the created issue"
                )
            created = self.github.create_issue(action.target)
        self._dropped(action, created.dropped_assignees)
        return Outcome(action, created.number, done=True)

    def _dropped(self, action: Action, dropped: tuple[str, ...]) -> None:
        if dropped:
            self.warnings.append(
                f"{action.where}: warning: GitHub refused to assign {', '.join(dropped)}; "
                "the issue stays unassigned"
            )
