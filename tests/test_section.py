"""The Pending AIs section: built from statuses and rendered (the agenda around it too)."""

from __future__ import annotations

import datetime
from textwrap import dedent

from tracker.config import Config
from tracker.model import Blocker
from tracker.section import START_MARKER, build_pending, render_agenda, render_pending
from tracker.status import AIStatus, State

UTC = datetime.UTC


def status(n: int, text: str, **kw) -> AIStatus:
    values = {
        "ai_id": f"id{n}",
        "text": text,
        "state": State.OPEN,
        "owners": ("alice",),
        "group": None,
        "meeting": datetime.date(2024, 3, 5),
        "where": f"m.md:{n}",
        "issue": n,
        "url": f"https://github.com/o/r/issues/{n}",
    }
    return AIStatus(**(values | kw))


# ------------------------------------------------------------------------------- build and render


def test_the_rendered_section_in_full():
    """Open AIs by topic, group-owned ones under the group, blockers per milestone, closed since."""
    closed = datetime.datetime(2024, 3, 13, 9, tzinfo=UTC)
    statuses = [
        status(1, "benchmark it", topic=("Parser",)),
        status(
            2,
            "speed up the cache",
            topic=("Parser",),
            owners=("bob",),
            is_blocker=True,
            milestone="2.10",
            blocker=Blocker("2.10", "the cache"),
        ),
        status(
            3,
            "old blocker",
            is_blocker=True,
            milestone="2.9",
            state=State.CLOSED,
            closed_at=closed,
            blocker=Blocker("2.9", "the parser"),
            state_reason="completed",
        ),
        status(4, "review the docs", owners=(), group="team"),
        status(5, "write notes", owners=("alice", "bob"), meeting=datetime.date(2024, 3, 12)),
        status(
            6, "long gone", state=State.CLOSED, closed_at=datetime.datetime(2024, 3, 1, tzinfo=UTC)
        ),
        status(7, "drop it", state=State.CLOSED, state_reason="not_planned", closed_at=closed),
        status(
            8,
            "new one",
            state=State.NOT_SYNCED,
            issue=None,
            url=None,
            meeting=datetime.date(2024, 3, 12),
        ),
        status(9, "blocks 2.9 too", is_blocker=True, milestone="2.9", topic=("Parser",)),
    ]
    pending = build_pending(reversed(statuses), since=datetime.date(2024, 3, 12))
    text = render_pending(pending, Config())
    assert text == dedent(
        """\
        ## Pending AIs

        - Parser
          - AI: [alice] benchmark it (#1)
            from 2024-03-05, https://github.com/o/r/issues/1
          - AI: [bob] speed up the cache (#2)
            from 2024-03-05, https://github.com/o/r/issues/2
          - AI: [alice] blocks 2.9 too (#9)
            from 2024-03-05, https://github.com/o/r/issues/9
        - AI: [alice, bob] write notes (#5)
          from 2024-03-12, https://github.com/o/r/issues/5
        - AI: [alice] new one
          from 2024-03-12, not on GitHub yet
        - team:
          - AI: [team] review the docs (#4)
            from 2024-03-05, https://github.com/o/r/issues/4

        ## Release blockers

        - 2.9: 1 open, 1 closed
          - [#9](https://github.com/o/r/issues/9) Parser, alice, from 2024-03-05
        - 2.10: 1 open, 0 closed
          - [#2](https://github.com/o/r/issues/2) the cache, bob, from 2024-03-05

        ## Closed since the previous meeting

        - Completed since 2024-03-12:
          - [#3](https://github.com/o/r/issues/3) the parser, blocking 2.9, alice, closed 2024-03-13
        - Dropped:
          - [#7](https://github.com/o/r/issues/7) drop it, alice, closed 2024-03-13
        """
    )
    assert pending.open_count == 6


def test_nothing_pending_says_so():
    """No AI at all: a sentence, never an empty list that reads as an AI."""
    text = render_pending(build_pending([], since=None), Config())
    assert text == dedent(
        """\
        ## Pending AIs

        Nothing is pending.

        ## Release blockers

        None open.

        ## Closed since the previous meeting

        - Completed: none
        - Dropped: none
        """
    )


def test_the_team_s_own_template_is_used(tmp_path):
    """A pending.md.j2 in the config's template folder replaces the built-in one."""
    (tmp_path / "pending.md.j2").write_text(
        "{% for t in pending.topics %}{% for ai in t.items %}* {{ ai.owner }}: {{ ai.text }}\n"
        "{% endfor %}{% endfor %}",
        encoding="utf-8",
    )
    text = render_pending(
        build_pending([status(1, "do it")], since=None), Config(templates=str(tmp_path))
    )
    assert text == "* alice: do it\n"


def test_the_same_state_gives_byte_identical_output():
    """Stable order: the statuses' input order does not matter."""
    statuses = [status(n, f"task {n}", topic=(f"T{n % 2}",)) for n in range(1, 6)]
    one = render_pending(build_pending(statuses, since=None), Config())
    two = render_pending(build_pending(list(reversed(statuses)), since=None), Config())
    assert one == two


def test_the_agenda_holds_the_section_between_its_markers():
    """The next meeting's skeleton: its heading, the section between the markers, the previous meeting."""
    text = render_agenda(
        Config(),
        date=datetime.date(2024, 3, 19),
        previous=datetime.date(2024, 3, 12),
        section="## Pending AIs\n\nNothing is pending.\n",
    )
    assert "2024-03-19" in text
    assert (
        f"{START_MARKER}\n## Pending AIs\n\nNothing is pending.\n<!-- tracker:pending:end -->\n"
        in text
    )
