"""``tracker digest``: each owner's open AIs, oldest first, as Markdown (issue 12).

For a comment, an e-mail or the job summary. Pure: built from the statuses of one issue
listing (:func:`tracker.status.ai_statuses`), rendered from ``digest.md.j2``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from tracker import templating
from tracker.ageing import weeks_carried
from tracker.config import Config
from tracker.escape import one_line
from tracker.section import PendingAI
from tracker.status import AIStatus, State, select

TEMPLATE = "digest.md.j2"


@dataclass(frozen=True)
class OwnerAIs:
    """The open AIs of one owner (a login or a group; None: nobody), oldest first."""

    owner: str | None
    items: tuple[PendingAI, ...]


@dataclass(frozen=True)
class Digest:
    """Every owner's open AIs on one day."""

    day: str
    """The day ages are counted to, ISO."""
    owners: tuple[OwnerAIs, ...]
    """By owner, case-insensitively; the AIs nobody owns last."""

    @property
    def open_count(self) -> int:
        """Distinct open AIs (an AI of two owners is listed under both)."""
        return len({(ai.issue, ai.meeting, ai.text) for o in self.owners for ai in o.items})


def build_digest(
    statuses: Iterable[AIStatus],
    *,
    today: datetime.date,
    owner: str | None = None,
    stale_after: int | None = None,
) -> Digest:
    """Open AIs (and AIs not synced yet) per owner, oldest first; ``owner``: only theirs."""
    chosen = select(tuple(statuses), owner=owner, state="open")
    by_owner: dict[str | None, list[AIStatus]] = {}
    for status in sorted(chosen, key=_oldest_first):
        names = status.owners or ((status.group,) if status.group else (None,))
        for name in names:
            if owner is None or name is None or name.casefold() == owner.lstrip("@").casefold():
                by_owner.setdefault(name, []).append(status)
    ordered = sorted(by_owner.items(), key=lambda kv: (kv[0] is None, (kv[0] or "").casefold()))
    return Digest(
        today.isoformat(),
        tuple(
            OwnerAIs(
                one_line(name) if name else None,
                tuple(_item(s, today, stale_after) for s in items),
            )
            for name, items in ordered
        ),
    )


def _oldest_first(status: AIStatus) -> tuple[datetime.date, str, int]:
    return (status.meeting or datetime.date.max, status.where or "", status.issue or 0)


def _item(status: AIStatus, today: datetime.date, stale_after: int | None) -> PendingAI:
    weeks = weeks_carried(status.meeting, today)
    return PendingAI(
        owner=None,
        text=one_line(status.text),
        issue=status.issue if status.state is not State.NOT_SYNCED else None,
        url=one_line(status.url) if status.url else None,
        meeting=status.meeting.isoformat() if status.meeting else "undated",
        weeks=weeks,
        stale=weeks is not None and stale_after is not None and weeks > stale_after,
    )


def render_digest(digest: Digest, config: Config) -> str:
    """The digest's Markdown from ``digest.md.j2``; ends with a newline."""
    return templating.render(config, TEMPLATE, digest=digest).rstrip("\n") + "\n"
