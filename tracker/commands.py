"""What each command does, as library functions that return data (issue 9).

The CLI turns options into arguments, calls one of these, and turns the result into
text; a library caller gets the same results without a terminal. Each takes the parsed
minutes, the config and the GitHub settings, reads GitHub once, and returns what was
found and done, with what it cost. An error met after GitHub was read (a write, the
annotations, a stale file under ``--check``) comes back in the result's ``failure``,
so that what was done can still be reported before it.

PyGithub is loaded only when a command talks to GitHub.
"""

from __future__ import annotations

import datetime
import os
import shlex
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from tracker import ageing, files, stats
from tracker import annotate as annotating
from tracker.config import Config
from tracker.digests import Digest, build_digest, render_digest
from tracker.errors import GitHubError, InputError, TrackerError
from tracker.identity import trusted_authors
from tracker.minutes import parse
from tracker.model import Minutes
from tracker.plan import Kind
from tracker.section import (
    MARKERS,
    Pending,
    build_pending,
    previous_meeting,
    render_agenda,
    render_pending,
)
from tracker.settings import Settings
from tracker.status import AIStatus, ai_statuses, forgeries, select, stray_issues
from tracker.words import counted

if TYPE_CHECKING:  # importing tracker.github loads PyGithub
    from tracker.github import GitHub
    from tracker.sync import Reporter, SyncResult


#: Weeks the section's burn-down chart shows (``pending.chart``).
CHART_WEEKS = 12


class OutOfDate(TrackerError):
    """``pending --check``: the file's section differs from what ``--write`` would put there."""


@contextmanager
def _github(settings: Settings, config: Config) -> Iterator[GitHub]:
    from tracker.github import GitHub  # here, so that parsing never loads PyGithub

    github = GitHub(settings, label=config.label)
    try:
        yield github
    finally:
        github.close()


# --------------------------------------------------------------------------- tracker sync


class TooManyCreates(TrackerError):
    """The plan opens more issues than ``sync.max_creates``: nothing was written (issue 11)."""


@dataclass(frozen=True)
class SyncRun:
    """``tracker sync``: the sync's result and, with ``annotate``, the lines annotated."""

    result: SyncResult
    annotated: tuple[annotating.Annotated, ...] = ()
    failure: TrackerError | None = None
    """Why the run stopped early (a rerun finishes it), why annotating failed, or that the
    plan opens more issues than ``sync.max_creates`` (then ``result`` is a dry run)."""
    left_out: int = 0
    """AIs of meetings before ``sync.since`` that were left out."""
    flagged: tuple[int, ...] = ()
    """Issues of stale AIs flagged by this run (``ageing.escalate``), each once ever."""


def live_since(minutes: Minutes, since: datetime.date) -> tuple[Minutes, int]:
    """The minutes without the AIs of meetings before ``since``, unless a later Pending AIs
    section still carries them (a carry-over from ``since`` on keeps its original); undated
    AIs stay. Returns them and how many AIs were left out."""

    def recent(day: datetime.date | None) -> bool:
        return day is None or day >= since

    carried = {
        ai.carry_over_of for ai in minutes.action_items if ai.carry_over_of and recent(ai.meeting)
    }
    kept = tuple(
        ai
        for ai in minutes.action_items
        if recent(ai.meeting) or (ai.carry_over_of is None and ai.id in carried)
    )
    return replace(minutes, action_items=kept), len(minutes.action_items) - len(kept)


def sync_minutes(
    minutes: Minutes,
    *,
    config: Config,
    settings: Settings,
    dry_run: bool = False,
    annotate: bool = False,
    yes: bool = False,
    report: Reporter | None = None,
    notify: Reporter | None = None,
    today: datetime.date | None = None,
) -> SyncRun:
    """Bring GitHub in line with the minutes; with ``annotate``, then write each AI's issue
    number at the end of its line. ``report`` gets each line of the plan as it is applied,
    ``notify`` each wait for a rate limit. With ``ageing.escalate`` in the config, the
    issues of AIs open longer than ``ageing.stale_after`` weeks (to ``today``) are then
    flagged, each once ever (:func:`flag_stale`).

    With ``annotate``, a minutes file that cannot be annotated (read-only, UTF-16, not a
    regular file) is an :class:`InputError` raised before GitHub is read or written.

    The safe first run (issue 11): with ``sync.since`` in the config, older AIs are left
    out (see :func:`live_since`); a plan that opens more than ``sync.max_creates`` issues is
    not applied unless ``yes``: the result is then its dry run, with a
    :class:`TooManyCreates` failure. Checking costs a second read of GitHub, made only when
    the minutes hold more AIs than the cap.
    """
    from tracker.sync import sync

    if annotate and not dry_run:
        annotating.check_files(minutes)
    left_out = 0
    if config.since is not None:
        minutes, left_out = live_since(minutes, config.since)
    if not (dry_run or yes):
        refused = _over_the_cap(minutes, config=config, settings=settings, notify=notify)
        if refused is not None:
            return replace(refused, left_out=left_out)
    result = sync(
        minutes, config=config, settings=settings, dry_run=dry_run, report=report, notify=notify
    )
    failure = _sync_failure(result)
    flagged: tuple[int, ...] = ()
    if failure is None and not dry_run and config.escalate:
        flagged, failure = _flag(minutes, result, config=config, settings=settings, today=today)
    if not annotate or dry_run:
        return SyncRun(result, failure=failure, left_out=left_out, flagged=flagged)
    numbers = annotating.issue_numbers((o.action.ai_id, o.issue) for o in result.outcomes)
    try:
        annotated = annotating.annotate(minutes, numbers)
    except InputError as exc:
        return SyncRun(result, failure=exc, left_out=left_out, flagged=flagged)
    return SyncRun(result, annotated, failure, left_out, flagged)


def _flag(
    minutes: Minutes,
    result: SyncResult,
    *,
    config: Config,
    settings: Settings,
    today: datetime.date | None,
) -> tuple[tuple[int, ...], TrackerError | None]:
    """:func:`flag_stale` after a sync: the issues flagged, or why flagging stopped."""
    try:
        return flag_stale(
            minutes, result, config=config, settings=settings, today=today or _today()
        ), None
    except GitHubError as exc:
        return (), exc


def _over_the_cap(
    minutes: Minutes, *, config: Config, settings: Settings, notify: Reporter | None
) -> SyncRun | None:
    """The dry run of a plan that opens more than ``sync.max_creates`` issues, with its
    :class:`TooManyCreates` failure; None when the plan stays within the cap."""
    from tracker.sync import sync

    cap = config.max_creates
    if len(minutes.distinct_action_items) <= cap:
        return None
    preview = sync(minutes, config=config, settings=settings, dry_run=True, notify=notify)
    creates = preview.plan.count(Kind.CREATE)
    if creates <= cap or preview.stopped is not None:
        return None
    stop = TooManyCreates(
        f"the plan opens {counted(creates, 'issue')}, more than sync.max_creates ({cap}): "
        "nothing was written",
        hint="check the plan with --dry-run, then rerun with --yes to open them all, "
        "or narrow the run: set sync.since: YYYY-MM-DD in the config to leave out "
        "the AIs of older meetings",
    )
    return SyncRun(preview, failure=stop)


def _today() -> datetime.date:
    return datetime.datetime.now(datetime.UTC).date()


def flag_stale(
    minutes: Minutes,
    result: SyncResult,
    *,
    config: Config,
    settings: Settings,
    today: datetime.date,
) -> tuple[int, ...]:
    """Comment once on, and label, the issue of each AI open longer than
    ``ageing.stale_after`` weeks (issue 12); returns the issues flagged.

    Reads the sync's own listing: an issue already labelled, or without comments, costs
    nothing; one without the label but with comments costs one read of them, where
    tracker's marker says it was flagged before (someone removed the label): it is left
    alone.
    """
    snapshot = result.snapshot
    if snapshot is None or config.stale_after is None:
        return ()
    statuses = ai_statuses(minutes, snapshot.issues, config, today=today, viewer=snapshot.viewer)
    due = ageing.due(statuses, today=today, after=config.stale_after, label=config.stale_label)
    if not due:
        return ()
    trusted = trusted_authors(config.bot_authors, snapshot.viewer)
    flagged = []
    with _github(settings, config) as github:
        if config.stale_label.casefold() not in {n.casefold() for n in snapshot.labels}:
            github.create_label(ageing.label_spec(config.stale_label))
        for stale in due:
            if stale.comments and ageing.already_flagged(github.comments(stale.issue), trusted):
                continue
            comment = ageing.comment(stale, after=config.stale_after)
            github.flag(stale.issue, comment=comment, label=config.stale_label)
            flagged.append(stale.issue)
    return tuple(flagged)


def _sync_failure(result: SyncResult) -> TrackerError | None:
    """Why the sync's exit code is not 0: it stopped early, or GitHub refused some issues."""
    if result.stopped is None and result.refused:
        return GitHubError(
            f"GitHub refused {counted(len(result.refused), 'issue')} (see above); "
            "the other AIs were synced"
        )
    return result.stopped


# --------------------------------------------------------------------------- tracker status


@dataclass(frozen=True)
class StatusRead:
    """Statuses and what reading them cost."""

    statuses: tuple[AIStatus, ...]
    """Every AI, then the issues carrying a marker that are not their AI's (duplicates and
    forgeries, :attr:`AIStatus.stray`)."""
    reads: int
    warnings: tuple[str, ...] = ()
    """Issues carrying an AI's marker that were opened by someone tracker does not trust."""


def read_status(
    minutes: Minutes,
    *,
    config: Config,
    settings: Settings,
    owner: str | None = None,
    state: str = "all",
    today: datetime.date | None = None,
) -> StatusRead:
    """Every AI's status (of one owner and/or state, see :func:`tracker.status.select`), then
    the duplicate and forged issues (see :func:`tracker.status.stray_issues`): who the token is (to trust its issues, as ``tracker sync`` does) and one list request
    per 100 tracker issues, combined with the minutes."""
    with _github(settings, config) as github:
        # The same trust as the sync's snapshot: the token's user and bot_authors (issue #10).
        viewer = github.viewer()
        issues = github.read_issues()
        reads = github.requests.reads
    day = today or datetime.date.today()
    statuses = ai_statuses(minutes, issues, config, today=day, viewer=viewer)
    strays = stray_issues(minutes, issues, config, today=day, viewer=viewer)
    return StatusRead(
        select(statuses + strays, owner=owner, state=state),
        reads,
        forgeries(issues, config, viewer=viewer),
    )


# --------------------------------------------------------------------------- tracker pending, agenda


@dataclass(frozen=True)
class PendingRun:
    """The rendered section (or agenda), what reading GitHub cost, and what was written."""

    text: str
    pending: Pending
    reads: int
    written: files.WriteResult | None = None
    """What ``write`` did to the file (None without one)."""
    failure: TrackerError | None = None
    """``check`` found the file out of date, or the file could not be written."""
    warnings: tuple[str, ...] = ()
    """As :attr:`StatusRead.warnings`."""


def pending_section(
    minutes: Minutes,
    *,
    config: Config,
    settings: Settings,
    since: datetime.date | None = None,
    write: str | os.PathLike[str] | None = None,
    check: bool = False,
    date: datetime.date | None = None,
    today: datetime.date | None = None,
) -> PendingRun:
    """The Pending AIs section from one read of the tracker's issues; with ``write``, put
    between the markers of that file (``check``: only compared with it).

    The section is for the meeting on ``date``, by default the meeting of ``write`` (else
    ``today``): each open AI's age is counted to it. Completed and dropped list what was
    closed on or after ``since``, by default the latest meeting of the minutes before that
    meeting (or the latest of all).
    """
    meeting = date or (_meeting_in(write, minutes, config) if write else None)
    run = _pending(
        minutes, config=config, settings=settings, since=since, meeting=meeting, today=today
    )
    if write is None:
        return run
    try:
        written = files.write_between(write, run.text, markers=MARKERS, check=check)
    except InputError as exc:
        return replace(run, failure=exc)
    stale = None
    if check and written.changed:
        stale = OutOfDate(f"{write}: the Pending AIs section is out of date; run without --check")
    return replace(run, written=written, failure=stale)


def agenda(
    minutes: Minutes,
    *,
    config: Config,
    settings: Settings,
    date: datetime.date,
    write: str | os.PathLike[str] | None = None,
    today: datetime.date | None = None,
    paths: Sequence[str] = (),
) -> PendingRun:
    """The next meeting's minutes skeleton from ``agenda.md.j2``, its Pending AIs section
    filled in (closed items counted from the meeting before ``date``, ages to ``date``);
    with ``write``, a new file (never overwritten). ``paths``, the minutes read, go into
    the hint for refreshing the file later."""
    since = previous_meeting(minutes, before=date)
    run = _pending(
        minutes, config=config, settings=settings, since=since, meeting=date, today=today
    )
    text = render_agenda(config, date=date, previous=since, section=run.text)
    run = replace(run, text=text)
    if write is not None:
        try:
            files.write_new(write, text, hint=f"refresh its section with: {refresh(paths, write)}")
        except InputError as exc:
            return replace(run, failure=exc)
    return run


def refresh(paths: Sequence[str], write: str | os.PathLike[str]) -> str:
    """The command that refreshes the section in ``write`` from the minutes at ``paths``.

    The minutes and the file both: with the file alone, its AIs would be read as new AIs
    of its own meeting (issue 12: the hint given before did that).
    """
    target = os.fspath(write)
    sources = [p for p in paths if p != target] + [target]
    return shlex.join(["tracker", "pending", *sources, "--write", target])


def _pending(
    minutes: Minutes,
    *,
    config: Config,
    settings: Settings,
    since: datetime.date | None,
    meeting: datetime.date | None,
    today: datetime.date | None,
) -> PendingRun:
    read = read_status(minutes, config=config, settings=settings, today=today)
    pending = build_pending(
        read.statuses,
        since=since or previous_meeting(minutes, before=meeting),
        today=meeting or today or datetime.date.today(),
        stale_after=config.stale_after,
    )
    if config.pending_chart:
        day = meeting or today or datetime.date.today()
        chart = stats.mermaid(stats.weekly(read.statuses, today=day, weeks=CHART_WEEKS))
        pending = replace(pending, chart=chart)
    return PendingRun(render_pending(pending, config), pending, read.reads, warnings=read.warnings)


def _meeting_in(
    path: str | os.PathLike[str], minutes: Minutes, config: Config
) -> datetime.date | None:
    """The latest meeting date of the file the section goes into (None: none, or no file).

    Read from the minutes when the file is among them, else parsed on its own.
    """
    target = Path(path)
    if not target.is_file():
        return None
    sources = {m.source for m in minutes.meetings} | {ai.source for ai in minutes.action_items}
    same = {source for source in sources if _same_file(source, target)}
    meetings = (
        [m for m in minutes.meetings if m.source in same]
        if same
        else list(parse([str(path)], config=config).meetings)
    )
    return max((m.date for m in meetings if m.date is not None), default=None)


def _same_file(source: str, target: Path) -> bool:
    try:
        return os.path.samefile(source, target)
    except OSError:
        return False


# --------------------------------------------------------------------------- tracker digest


@dataclass(frozen=True)
class DigestRun:
    """``tracker digest``: the Markdown, the digest it shows and what reading GitHub cost."""

    text: str
    digest: Digest
    reads: int
    warnings: tuple[str, ...] = ()
    """As :attr:`StatusRead.warnings`."""


def digest(
    minutes: Minutes,
    *,
    config: Config,
    settings: Settings,
    owner: str | None = None,
    date: datetime.date | None = None,
) -> DigestRun:
    """Each owner's open AIs (``owner``: one login or group's), oldest first, with their age
    on ``date`` (default today), from one read of the tracker's issues (issue 12)."""
    day = date or _today()
    read = read_status(minutes, config=config, settings=settings, today=day)
    built = build_digest(read.statuses, today=day, owner=owner, stale_after=config.stale_after)
    return DigestRun(render_digest(built, config), built, read.reads, read.warnings)


# --------------------------------------------------------------------------- tracker stats


@dataclass(frozen=True)
class StatsRun:
    """``tracker stats``: the weekly counts and what reading GitHub cost."""

    weeks: tuple[stats.Week, ...]
    reads: int
    warnings: tuple[str, ...] = ()


def weekly_stats(
    minutes: Minutes,
    *,
    config: Config,
    settings: Settings,
    weeks: int = 12,
    date: datetime.date | None = None,
) -> StatsRun:
    """The last ``weeks`` weeks up to ``date`` (default today), from the one listing of the
    tracker's issues that every command reads: no request of its own (issue 12)."""
    day = date or _today()
    read = read_status(minutes, config=config, settings=settings, today=day)
    return StatsRun(stats.weekly(read.statuses, today=day, weeks=weeks), read.reads, read.warnings)
