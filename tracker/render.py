"""Plain-text renderings of library results for the terminal (the CLI prints them).

Every text from the minutes or GitHub is shown through :func:`tracker.escape.printable`:
a BEL or an escape sequence in a minutes line is shown as ``\\x07`` or ``\\x1b``, never
sent to the terminal (issue #10), as ``tracker sync`` shows a title.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from tracker.escape import printable
from tracker.model import Minutes
from tracker.status import AIStatus, State
from tracker.words import counted


def minutes_table(minutes: Minutes) -> str:
    """Meetings in input order, each with its AIs: one readable line per AI."""
    by_meeting: dict[tuple[str, datetime.date | None], list[str]] = {}
    lines: list[str] = []
    for ai in minutes.action_items:
        owners = ", ".join(ai.owners) or "(no owner)"
        flags = []
        if ai.carry_over_of:
            flags.append(f"carry-over of {ai.carry_over_of}")
        if ai.implicit:
            flags.append("implicit")
        if ai.blocker:
            flags.append(f"blocker {ai.blocker.release}: {ai.blocker.subject}")
        suffix = f"  [{'; '.join(flags)}]" if flags else ""
        row = printable(f"  {ai.source}:{ai.line}  {owners}: {ai.text}{suffix}")
        by_meeting.setdefault((ai.source, ai.meeting), []).append(row)
    for meeting in minutes.meetings:
        date = meeting.date.isoformat() if meeting.date else "(undated)"
        skipped = " (skipped)" if meeting.skipped else ""
        lines.append(printable(f"{date}{skipped}  {meeting.source}:{meeting.line}"))
        rows = by_meeting.pop((meeting.source, meeting.date), [])
        lines.extend(rows or ["  (no action items)"])
    for (source, day), rows in by_meeting.items():
        lines.append(printable(f"{day.isoformat() if day else '(undated)'}  {source}"))
        lines.extend(rows)
    distinct = len(minutes.distinct_action_items)
    blockers = sum(1 for ai in minutes.distinct_action_items if ai.blocker)
    lines.append(
        f"{counted(len(minutes.meetings), 'meeting')}, "
        f"{counted(len(minutes.action_items), 'action item')} ({distinct} distinct), "
        f"{counted(blockers, 'blocker decision')}, {counted(len(minutes.warnings), 'warning')}"
    )
    return "\n".join(lines) + "\n"


def status_table(statuses: Sequence[AIStatus]) -> str:
    """One line per AI for the terminal: issue, state, meeting, age, owner, task, then notes."""
    lines = []
    for s in statuses:
        issue = f"#{s.issue}" if s.issue else "-"
        state = s.state.value
        if s.state is State.CLOSED:
            state = "dropped" if s.dropped else "done"
        if s.stray:
            state = "forged" if s.forged_by else "duplicate"
        meeting = s.meeting.isoformat() if s.meeting else "(undated)"
        age = f"{s.age}d" if s.age is not None else "-"
        notes = _stray_notes(s)
        if s.milestone:
            notes.append(f"milestone {s.milestone}")
        if s.closed_at:
            by = f" by {s.closed_by}" if s.closed_by else ""
            notes.append(f"closed {s.closed_at.date().isoformat()}{by}")
        if not s.in_minutes:
            notes.append("gone from the minutes")
        elif s.where:
            notes.append(s.where)
        lines.append(
            printable(
                f"{issue:>6}  {state:<10} {meeting}  {age:>5}  [{s.owner}] {s.text}"
                f"  ({'; '.join(notes)})"
            )
        )
    ais = [s for s in statuses if not s.stray]
    counts = {
        "open": sum(1 for s in ais if s.state is State.OPEN),
        "done": sum(1 for s in ais if s.state is State.CLOSED and not s.dropped),
        "dropped": sum(1 for s in ais if s.dropped),
        "not synced": sum(1 for s in ais if s.state is State.NOT_SYNCED),
        "gone from the minutes": sum(1 for s in ais if not s.in_minutes),
    }
    strays = {
        "duplicate issue": sum(1 for s in statuses if s.duplicate_of is not None),
        "forged issue": sum(1 for s in statuses if s.forged_by is not None),
    }
    shown = [f"{n} {what}" for what, n in counts.items()]
    shown += [counted(n, what) for what, n in strays.items() if n]
    lines.append(", ".join(shown))
    return "\n".join(lines) + "\n"


def _stray_notes(status: AIStatus) -> list[str]:
    """What a duplicate or forged issue is, and what tracker does about it."""
    if status.duplicate_of is not None:
        if status.state is State.OPEN:
            return [f"duplicate of #{status.duplicate_of}: the next sync closes it"]
        return [f"duplicate of #{status.duplicate_of}"]
    if status.forged_by is not None:
        return [f"opened by {status.forged_by}, who is not a trusted author: ignored"]
    return []
