"""The Pending AIs section: built from statuses and rendered (the agenda around it too)."""

from __future__ import annotations

import datetime
from textwrap import dedent

from tracker.config import Config
from tracker.minutes import parse_text
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
    pending = build_pending(
        reversed(statuses), since=datetime.date(2024, 3, 12), today=datetime.date(2024, 3, 19)
    )
    text = render_pending(pending, Config())
    assert text == dedent(
        """\
        ## Pending AIs

        - Parser
          - AI: [alice] benchmark it ([#1](https://github.com/o/r/issues/1), from 2024-03-05, carried 2 weeks)
          - AI: [bob] speed up the cache ([#2](https://github.com/o/r/issues/2), from 2024-03-05, carried 2 weeks)
          - AI: [alice] blocks 2.9 too ([#9](https://github.com/o/r/issues/9), from 2024-03-05, carried 2 weeks)
        - AI: [alice, bob] write notes ([#5](https://github.com/o/r/issues/5), from 2024-03-12, carried 1 week)
        - AI: [alice] new one (not on GitHub yet, from 2024-03-12, carried 1 week)
        - team:
          - AI: [team] review the docs ([#4](https://github.com/o/r/issues/4), from 2024-03-05, carried 2 weeks)

        ## Release blockers

        - 2.9: 1 open, 1 closed
          - Parser ([#9](https://github.com/o/r/issues/9), alice, from 2024-03-05)
        - 2.10: 1 open, 0 closed
          - the cache ([#2](https://github.com/o/r/issues/2), bob, from 2024-03-05)

        ## Closed since the previous meeting

        - Completed since 2024-03-12:
          - the parser, blocking 2.9 ([#3](https://github.com/o/r/issues/3), alice, closed 2024-03-13)
        - Dropped:
          - drop it ([#7](https://github.com/o/r/issues/7), alice, closed 2024-03-13)
        """
    )
    assert pending.open_count == 6


def test_ais_outside_any_topic_stay_in_meeting_order_between_the_topics():
    """Topics in the order of their first AI, each by meeting; an AI of no topic sits where its
    meeting puts it (issue 12: they were gathered under the first one, January before December)."""
    day = datetime.date
    statuses = [
        status(1, "early, no topic", meeting=day(2022, 11, 29)),
        status(2, "in CI", topic=("CI",), meeting=day(2022, 12, 6)),
        status(3, "late, no topic", meeting=day(2023, 1, 24)),
        status(4, "in CI again", topic=("CI",), meeting=day(2023, 2, 7)),
        status(5, "latest, no topic", meeting=day(2023, 2, 7)),
    ]
    pending = build_pending(reversed(statuses), since=None)
    assert [(t.title, [ai.text for ai in t.items]) for t in pending.topics] == [
        (None, ["early, no topic"]),
        ("CI", ["in CI", "in CI again"]),
        (None, ["late, no topic", "latest, no topic"]),
    ]


def test_an_ai_nobody_owns_is_written_without_an_owner_and_read_back_without_one():
    """No `[nobody]` that the next parse would read as part of the task (issue 12)."""
    statuses = [status(1, "pick a release date", owners=())]
    text = render_pending(build_pending(statuses, since=None), Config())
    line = "- AI: pick a release date ([#1](https://github.com/o/r/issues/1), from 2024-03-05)\n"
    assert line in text
    (ai,) = parse_text("## 2024-03-19\n\n" + text, source="s.md", config=Config()).action_items
    assert (ai.owners, ai.text, ai.issue) == ((), "pick a release date", 1)


def test_ages_are_counted_in_weeks_to_the_section_s_day_and_stale_ones_are_bold():
    """`carried N weeks` to the meeting the section is for; past ageing.stale_after, in bold."""
    day = datetime.date
    statuses = [
        status(1, "old", meeting=day(2024, 1, 2)),
        status(2, "last week", meeting=day(2024, 3, 12)),
        status(3, "today", meeting=day(2024, 3, 19)),
        status(4, "undated", meeting=None),
    ]
    pending = build_pending(statuses, since=None, today=day(2024, 3, 19), stale_after=4)
    lines = [line for line in render_pending(pending, Config()).splitlines() if "AI:" in line]
    assert [line.split(", from ")[1] for line in lines] == [
        "2024-01-02, **carried 11 weeks**)",
        "2024-03-12, carried 1 week)",
        "2024-03-19, new)",
        "undated)",
    ]


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
