"""``tracker stats``: the weekly burn-down of AIs (issue 12).

Per week (Monday to Sunday): AIs opened, closed as completed and as not planned, open at
the week's end and the median age of those. Pure: computed from the statuses of the one
issue listing every command reads (``closed_at``, ``state_reason``; an AI counts as opened
at its meeting, or, with no date in the minutes, when its issue was created), so it costs
no request of its own. Rendered as text, JSON and a Mermaid ``xychart-beta`` chart, which
GitHub draws in Markdown (the job summary, an issue, the Pending AIs section).
"""

from __future__ import annotations

import datetime
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from tracker.status import DROPPED_REASONS, AIStatus, State

WEEK = datetime.timedelta(days=7)


@dataclass(frozen=True)
class Week:
    """One week's counts."""

    start: datetime.date
    """Its Monday."""
    opened: int
    completed: int
    not_planned: int
    open: int
    """Open at the end of its Sunday (or of the last day counted)."""
    median_age: float | None
    """Median days since their meeting of the AIs open then (None: none open)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "week": self.start.isoformat(),
            "opened": self.opened,
            "completed": self.completed,
            "not_planned": self.not_planned,
            "open": self.open,
            "median_age_days": self.median_age,
        }


@dataclass(frozen=True)
class _Life:
    opened: datetime.date
    closed: datetime.date | None
    dropped: bool


def weekly(statuses: Iterable[AIStatus], *, today: datetime.date, weeks: int) -> tuple[Week, ...]:
    """The last ``weeks`` weeks up to the one holding ``today``, oldest first."""
    lives = [life for status in statuses if (life := _life(status)) is not None]
    last = today - datetime.timedelta(days=today.weekday())
    result = []
    for back in range(weeks - 1, -1, -1):
        start = last - back * WEEK
        end = min(start + WEEK - datetime.timedelta(days=1), today)
        closed = [x for x in lives if x.closed is not None and start <= x.closed <= end]
        still = [x for x in lives if x.opened <= end and (x.closed is None or x.closed > end)]
        ages = [(end - x.opened).days for x in still]
        result.append(
            Week(
                start,
                opened=sum(1 for x in lives if start <= x.opened <= end),
                completed=sum(1 for x in closed if not x.dropped),
                not_planned=sum(1 for x in closed if x.dropped),
                open=len(still),
                median_age=statistics.median(ages) if ages else None,
            )
        )
    return tuple(result)


def _life(status: AIStatus) -> _Life | None:
    opened = status.meeting or (status.created_at.date() if status.created_at else None)
    if opened is None:
        return None
    closed = None
    if status.state is State.CLOSED:
        closed = status.closed_at.date() if status.closed_at else opened
    return _Life(opened, closed, status.state_reason in DROPPED_REASONS)


def text(weeks: Iterable[Week]) -> str:
    """One line per week, for the terminal."""
    head = f"{'week of':<10}  {'opened':>6}  {'completed':>9}  {'not planned':>11}  {'open':>4}"
    lines = [f"{head}  {'median age':>10}"]
    for week in weeks:
        age = "-" if week.median_age is None else f"{week.median_age:g}d"
        lines.append(
            f"{week.start.isoformat()}  {week.opened:>6}  {week.completed:>9}  "
            f"{week.not_planned:>11}  {week.open:>4}  {age:>10}"
        )
    return "\n".join(lines) + "\n"


def mermaid(weeks: Iterable[Week]) -> str:
    """A Mermaid ``xychart-beta`` burn-down in a fenced block: the AIs open at each week's end
    (the line) and those closed in it (the bars)."""
    shown = list(weeks)
    labels = ", ".join(f'"{week.start.strftime("%m-%d")}"' for week in shown)
    top = max([week.open for week in shown] + [week.completed + week.not_planned for week in shown])
    return (
        "```mermaid\n"
        "xychart-beta\n"
        '    title "AIs open at the end of each week (line) and closed in it (bars)"\n'
        f"    x-axis [{labels}]\n"
        f'    y-axis "AIs" 0 --> {max(top, 1)}\n'
        f"    bar [{', '.join(str(w.completed + w.not_planned) for w in shown)}]\n"
        f"    line [{', '.join(str(w.open) for w in shown)}]\n"
        "```\n"
    )
