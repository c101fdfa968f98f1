"""Results as terminal text: the parse table and the status table."""

from __future__ import annotations

import datetime
from textwrap import dedent

from tracker.model import ActionItem, Blocker, Meeting, Minutes
from tracker.render import minutes_table, status_table
from tracker.status import AIStatus, State


def test_the_minutes_table_lists_each_meeting_with_its_ais_and_counts_them():
    """Meetings in input order, each AI on a line with its flags, then the totals."""
    day = datetime.date

    def item(line: int, owner: str, text: str, meeting: datetime.date, **kw) -> ActionItem:
        return ActionItem(f"id{line}", "m.md", line, meeting, (owner,), (), None, text, (), **kw)

    minutes = Minutes(
        meetings=(
            Meeting(day(2024, 3, 5), "m.md", 1),
            Meeting(day(2024, 3, 12), "m.md", 3, skipped=True),
            Meeting(day(2024, 3, 19), "m.md", 4),
        ),
        action_items=(
            item(2, "alice", "tag 3.22", day(2024, 3, 5), implicit=True),
            item(5, "bob", "add to 3.22 blockers", day(2024, 3, 19), blocker=Blocker("3.22", "x")),
            item(7, "alice", "tag 3.22", day(2024, 3, 19), carry_over_of="id2"),
            item(9, "carol", "lost", day(2024, 4, 2)),
        ),
    )
    assert minutes_table(minutes) == dedent(
        """\
        2024-03-05  m.md:1
          m.md:2  alice: tag 3.22  [implicit]
        2024-03-12 (skipped)  m.md:3
          (no action items)
        2024-03-19  m.md:4
          m.md:5  bob: add to 3.22 blockers  [blocker 3.22: x]
          m.md:7  alice: tag 3.22  [carry-over of id2]
        2024-04-02  m.md
          m.md:9  carol: lost
        3 meetings, 4 action items (3 distinct), 1 blocker decision, 0 warnings
        """
    )


def test_the_status_table_has_one_line_per_ai_then_the_counts():
    """Issue, state (done or dropped for a closed one), meeting, age, owner, task and notes."""
    closed = datetime.datetime(2024, 3, 13, tzinfo=datetime.UTC)
    statuses = [
        AIStatus(
            "a",
            "tag it",
            State.OPEN,
            ("alice",),
            None,
            datetime.date(2024, 3, 5),
            where="m.md:2",
            issue=1,
            age=14,
            milestone="3.22",
        ),
        AIStatus(
            "b",
            "drop it",
            State.CLOSED,
            (),
            "team",
            None,
            issue=2,
            closed_at=closed,
            state_reason="not_planned",
            in_minutes=False,
        ),
        AIStatus(
            "c",
            "new",
            State.NOT_SYNCED,
            ("bob",),
            None,
            datetime.date(2024, 3, 12),
            where="m.md:9",
            age=7,
        ),
    ]
    assert status_table(statuses) == (
        "    #1  open       2024-03-05    14d  [alice] tag it  (milestone 3.22; m.md:2)\n"
        "    #2  dropped    (undated)      -  [team] drop it  (closed 2024-03-13; gone from the "
        "minutes)\n"
        "     -  not synced 2024-03-12     7d  [bob] new  (m.md:9)\n"
        "1 open, 0 done, 1 dropped, 1 not synced, 1 gone from the minutes\n"
    )
