"""Every way minutes write an action item, and the lines that only look like one.

Each case is one bullet inside a small dated meeting, parsed through the public
``parse_text``; the config knows alice, bob (written "Robert") and carol, and the
groups team and all.
"""

from __future__ import annotations

import pytest

from tracker import parse_text
from tracker.config import parse_config

CONFIG = parse_config(
    {
        "people": {"alice": ["Alice"], "bob": ["Robert", "Bob B"], "carol": []},
        "groups": ["team", "all"],
    }
).config


def parse_bullet(line: str, *, prefix: str = "- "):
    text = f"# Team meeting 2024-03-05\n\n- Topic one\n  {prefix}{line}\n"
    return parse_text(text, source="m.md", config=CONFIG)


def only_ai(line: str, **kwargs):
    minutes = parse_bullet(line, **kwargs)
    assert len(minutes.action_items) == 1, minutes.action_items
    return minutes.action_items[0]


@pytest.mark.parametrize(
    ("line", "owners", "text"),
    [
        ("AI: [alice] add carol to the team", ["alice"], "add carol to the team"),
        ("AI: [alice] to remove from the invite", ["alice"], "remove from the invite"),
        ("AI: alice to post to discourse", ["alice"], "post to discourse"),
        ("[AI] alice to post to discourse", ["alice"], "post to discourse"),
        ("[AI alice] look for an issue.", ["alice"], "look for an issue."),
        ("[AI: alice] look for an issue", ["alice"], "look for an issue"),
        ("needs a release note [AI: alice]", ["alice"], "needs a release note"),
        ("needs a release note (AI: alice)", ["alice"], "needs a release note"),
        ("[alice] to update the release docs", ["alice"], "update the release docs"),
        ("AI: this needs a lot of discussion", [], "this needs a lot of discussion"),
        ("Action item: alice to write the summary", ["alice"], "write the summary"),
        ("Action Item(s): alice to write the summary", ["alice"], "write the summary"),
        ("Action items: alice, bob: write the summary", ["alice", "bob"], "write the summary"),
        ("ACTION: carol to file the bug", ["carol"], "file the bug"),
        ("#action carol to file the bug", ["carol"], "file the bug"),
        ("AI alice: draft the proposal", ["alice"], "draft the proposal"),
        ("AI: zed to draft the proposal", ["zed"], "draft the proposal"),
        ("@zed to review the PR", ["@zed"], "review the PR"),
        ("@zed: review the PR", ["@zed"], "review the PR"),
        ("[ ] @zed update the wiki", ["@zed"], "update the wiki"),
        ("[ ] alice: update the wiki", ["alice"], "update the wiki"),
        ("[ ] update the wiki", [], "update the wiki"),
        ("AI: [alice/bob] pair on the migration", ["alice", "bob"], "pair on the migration"),
        ("AI: alice and carol to pair on it", ["alice", "carol"], "pair on it"),
        ("AI: alice, carol: pair on it", ["alice", "carol"], "pair on it"),
        ("**Action item**: alice to write it up", ["alice"], "write it up"),
        ("**AI:** alice to write it up", ["alice"], "write it up"),
        ("AI: [team] move them to Contributor", ["team"], "move them to Contributor"),
        ("AI: Robert to book the room", ["Robert"], "book the room"),
        ("AI: [Bob B] book the room", ["Bob B"], "book the room"),
        ("TODO: alice to rotate the keys", ["alice"], "rotate the keys"),
        ("We agreed on the plan. AI: alice to send it out", ["alice"], "send it out"),
        ("AI - alice to send it out", ["alice"], "send it out"),
        ("AI (alice): send it out", ["alice"], "send it out"),
        ("Action item for @zed - send it out", ["@zed"], "send it out"),
        ("Action: zed will send it out", ["zed"], "send it out"),
        ("[ ] send it out @zed", ["@zed"], "send it out"),
        ("[ ] send it out (@zed, @amy)", ["@zed", "@amy"], "send it out"),
        ("[ ] send it out → @zed", ["@zed"], "send it out"),
        ("=> AI: alice to send it out", ["alice"], "send it out"),
        ("→ @zed to send it out", ["@zed"], "send it out"),
        ("AI - @zed - send it out", ["@zed"], "send it out"),
        ("@zed @amy to send it out", ["@zed", "@amy"], "send it out"),
        ("[ ] @zed @amy send it out", ["@zed", "@amy"], "send it out"),
        ("ACTION(alice): send it out", ["alice"], "send it out"),
        ("[ ] Action: @zed send it out", ["@zed"], "send it out"),
        ("TODO(alice): send it out", ["alice"], "send it out"),
        ("ACTION ITEM: Ana Lima to send it out", ["Ana Lima"], "send it out"),
        ("AI: Ana Lima, Bo Stone: send it out", ["Ana Lima", "Bo Stone"], "send it out"),
        ("AI: Send Email to the list", [], "Send Email to the list"),
        ("AI: rework plugin to use the new API", [], "rework plugin to use the new API"),
        ("AI: plugins to be updated", [], "plugins to be updated"),
        ("AI: Review PR 12 to unblock the release", [], "Review PR 12 to unblock the release"),
    ],
)
def test_explicit_forms(line, owners, text):
    """A marker (or an explicit owner markup) makes the line an AI with its owners."""
    ai = only_ai(line)
    assert list(ai.owners) == owners
    assert ai.text == text
    assert ai.implicit is False


@pytest.mark.parametrize(
    ("line", "owners", "text"),
    [
        ("alice to investigate", ["alice"], "investigate"),
        (
            "Robert to continue following up on the issue",
            ["Robert"],
            "continue following up on the issue",
        ),
        ("alice and bob to sync on the schedule", ["alice", "bob"], "sync on the schedule"),
        ("carol will fix the flaky test", ["carol"], "fix the flaky test"),
        ("team to review the PR by Friday", ["team"], "review the PR by Friday"),
    ],
)
def test_implicit_forms_need_a_known_person(line, owners, text):
    """``<known person> to|will <task>`` is an assignment even without a marker."""
    ai = only_ai(line)
    assert list(ai.owners) == owners
    assert ai.text == text
    assert ai.implicit is True


@pytest.mark.parametrize(
    "line",
    [
        "[alice] reviewed/approved 3427",  # work already done
        "[team] decided to keep the nightly job",  # a decision
        "carol is willing to do it, given quick reviews",  # an offer
        "[zed] Review of the plugin API",  # who raised the topic
        "alice scheduling the working group",  # a statement
        "moved some AIs from alice/bob to carol",  # a reassignment report
        "alice: leaning yes",  # an opinion in a discussion
        "talk to carol if you want to be involved",
        "zed to investigate",  # unknown name without a marker
        "need to check the logs",
        "AI:",  # a marker with nothing to do
        "Action items: none",
        "alice",
        "AI-assisted triage was demoed",
        "Robert: I think we should wait",
    ],
)
def test_lines_that_are_not_action_items(line):
    assert parse_bullet(line).action_items == ()


def test_a_checked_task_is_an_action_item_already_done():
    ai = only_ai("[x] alice: update the wiki")
    assert ai.done is True and list(ai.owners) == ["alice"]


def test_an_annotated_line_is_linked_to_its_issue():
    """``(#123)`` at the end (written by ``sync --annotate``) links the AI to that issue."""
    ai = only_ai("AI: alice to update the docs (#123)")
    assert ai.issue == 123
    assert ai.text == "update the docs"


def test_star_plus_and_numbered_bullets_all_work():
    for prefix in ("* ", "+ ", "1. ", "2) ", "• "):
        assert list(only_ai("AI: alice to ship it", prefix=prefix).owners) == ["alice"]


def test_owners_resolve_to_logins_and_groups():
    ai = only_ai("AI: [Robert/team] book the room")
    assert ai.assignees == ("bob",)
    assert ai.group == "team"


def test_an_unknown_owner_is_kept_with_a_warning():
    minutes = parse_bullet("AI: zed to draft the proposal")
    assert minutes.action_items[0].owners == ("zed",)
    assert minutes.action_items[0].assignees == ()
    [warning] = minutes.warnings
    assert (warning.source, warning.line) == ("m.md", 4)
    assert "unknown owner 'zed'" in warning.message


def test_names_match_case_insensitively():
    ai = only_ai("AI: ROBERT to book the room")
    assert ai.assignees == ("bob",)


def test_a_custom_pattern_from_the_config():
    """Teams can teach tracker their own form with a regex that has ``text`` (and ``owner``)."""
    config = parse_config(
        {
            "people": {"alice": []},
            "patterns": {"action_items": [r"^=> (?P<owner>\w+) must (?P<text>.+)$"]},
        }
    ).config
    minutes = parse_text("# 2024-03-05\n\n- => alice must renew the cert\n", config=config)
    [ai] = minutes.action_items
    assert (ai.owners, ai.text, ai.assignees) == (("alice",), "renew the cert", ("alice",))


# -- sections -------------------------------------------------------------------

ACTION_ITEMS_SECTION = """\
# Infra sync 2024-03-05

## Notes
- alice: leaning yes on the migration

## Action items
- alice: migrate the runners
- [bob] rotate the keys
- carol to write the post-mortem
- order new hardware (@dave)
- erin - book the venue
- renew the certificate
"""


def test_every_item_of_an_action_items_section_is_an_action_item():
    minutes = parse_text(ACTION_ITEMS_SECTION, source="m.md", config=CONFIG)
    got = [(list(ai.owners), ai.text) for ai in minutes.action_items]
    assert got == [
        (["alice"], "migrate the runners"),
        (["bob"], "rotate the keys"),
        (["carol"], "write the post-mortem"),
        (["@dave"], "order new hardware"),
        (["erin"], "book the venue"),
        ([], "renew the certificate"),
    ]


def test_a_bold_action_items_paragraph_heads_a_section_too():
    text = "# 2024-03-05\n\n**Action items:**\n\n- alice: migrate the runners\n- renew the cert\n"
    minutes = parse_text(text, config=CONFIG)
    assert [ai.text for ai in minutes.action_items] == ["migrate the runners", "renew the cert"]


def test_an_action_items_bullet_heads_its_children():
    text = "# 2024-03-05\n\n- Action items:\n  - alice: migrate the runners\n- a discussion point\n"
    minutes = parse_text(text, config=CONFIG)
    assert [ai.text for ai in minutes.action_items] == ["migrate the runners"]


MEETBOT = """\
Meeting summary
---------------
* Releases  (carol, 14:01:12)
  * ACTION: alice to tag the release candidate  (carol, 14:05:33)
  * ACTION: write the upgrade notes  (carol, 14:07:10)

Meeting ended at 14:30:01 UTC.

Action items, by person
-----------------------
* alice
  * alice to tag the release candidate  (carol, 14:05:33)
* **UNASSIGNED**
  * write the upgrade notes  (carol, 14:07:10)
"""


def test_meetbot_summaries_count_each_action_once():
    """MeetBot lists the actions, then again by person: the second list restates the first.
    Its ``(nick, time)`` says who typed the line, and is no part of the task."""
    minutes = parse_text(MEETBOT, source="2024-03-05-team.txt", config=CONFIG)
    distinct = minutes.distinct_action_items
    assert [(ai.owners, ai.text) for ai in distinct] == [
        (("alice",), "tag the release candidate"),
        ((), "write the upgrade notes"),
    ]
    assert len(minutes.action_items) == 4
    assert all(str(ai.meeting) == "2024-03-05" for ai in minutes.action_items)


ACTION_TABLE = """\
# Sync 2024-03-05

| Topic | Notes |
|---|---|
| CI | AI: alice to fix the runner |

## Follow-ups

| Owner | Action item | Status |
|:------|-------------|--------|
| @zed | Update the **docs** | open |
| bob, carol | Plan the 2.0 launch | done |
| - | add #12 to 2.1 blockers | |
| dave | | |

After the table, AI: carol to send the notes.
"""


def test_tables_with_owner_and_action_columns_list_action_items():
    """A table whose header names an owner and an action column: each row is an AI;
    in any other table, a cell may still hold a marked AI."""
    minutes = parse_text(ACTION_TABLE, config=CONFIG)
    got = [(ai.line, list(ai.owners), ai.text, ai.done) for ai in minutes.action_items]
    assert got == [
        (5, ["alice"], "fix the runner", False),
        (11, ["@zed"], "Update the docs", False),
        (12, ["bob", "carol"], "Plan the 2.0 launch", True),
        (13, [], "add #12 to 2.1 blockers", False),
        (16, ["carol"], "send the notes.", False),
    ]
    assert minutes.action_items[0].topic == ("CI",)
    assert minutes.action_items[3].blocker.release == "2.1"


def test_the_quick_pre_check_never_drops_a_line_the_forms_accept():
    """``may_hold`` spares most lines the full forms; it must pass every line they accept."""
    import random

    from tracker.minutes.recognise import Line, Recogniser

    forms = Recogniser(CONFIG)
    pieces = [
        "AI", "AI:", "[AI", "]", "[", "(", ")", "@zed", "@amy", "alice", "Robert", "Bob B", "team",
        " to ", " will ", ":", " - ", "→ ", "=> ", "**", "__", "[ ] ", "[x] ", "TODO", "todo(",
        "Action item", "ACTION", "#action ", "blocker", "add to 3.2 blockers", "3.4 blocker",
        "release blocker for 2.1", "(#12)", "x", " fix the docs", ", ", " and ", "/", "Ana Lima ",
        "*", "_", " ", "a.i.", "A.I.:", "ai", "ai ", "Ai", "ai -", "ai:", "action-item", "To-do",
        "(ai", "action points", " is ", "Actions", "todo", "Kim", "[Kim]", "I'll ", "add",
        " owns ", "going to", "will", "<kim>", "Kim:", "--", " -- ", "EVERYONE", "?", "(",
    ]  # fmt: skip
    for seed in range(3):
        rng = random.Random(seed)
        for _ in range(10_000):
            line = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 7))).strip()
            accepted = (
                forms.action_item(Line(line, bullet=True, section=None)).found is not None
                or forms.blocker(line, ("topic",)) is not None
            )
            assert not accepted or forms.may_hold(line), line


@pytest.mark.parametrize(
    "line",
    [
        "**Kim**: add the release notes",
        "__Kim__: add the release notes",
        "**Kim:** add the release notes",
        "Kim add the release notes",
        "Kim/Lee add the release notes",
    ],
)
def test_the_quick_pre_check_passes_a_known_name_in_emphasis_before_a_task(line):
    """A known name, bare or in emphasis, then a task: taken, so the pre-check passes it."""
    from tracker.minutes.recognise import Line, Recogniser

    forms = Recogniser(CONFIG, frozenset({"kim", "lee"}))
    assert forms.may_hold(line)
    assert forms.action_item(Line(line, bullet=True, section=None)).found is not None
