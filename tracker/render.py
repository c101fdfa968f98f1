"""Plain-text renderings of library results for the terminal (the CLI prints them)."""

from __future__ import annotations

import datetime

from tracker.model import Minutes


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
        row = f"  {ai.source}:{ai.line}  {owners}: {ai.text}{suffix}"
        by_meeting.setdefault((ai.source, ai.meeting), []).append(row)
    for meeting in minutes.meetings:
        date = meeting.date.isoformat() if meeting.date else "(undated)"
        skipped = " (skipped)" if meeting.skipped else ""
        lines.append(f"{date}{skipped}  {meeting.source}:{meeting.line}")
        rows = by_meeting.pop((meeting.source, meeting.date), [])
        lines.extend(rows or ["  (no action items)"])
    for (source, day), rows in by_meeting.items():
        lines.append(f"{day.isoformat() if day else '(undated)'}  {source}")
        lines.extend(rows)
    distinct = len(minutes.distinct_action_items)
    blockers = sum(1 for ai in minutes.distinct_action_items if ai.blocker)
    lines.append(
        f"{len(minutes.meetings)} meetings, {len(minutes.action_items)} action items "
        f"({distinct} distinct), {blockers} blocker decisions, {len(minutes.warnings)} warnings"
    )
    return "\n".join(lines) + "\n"
