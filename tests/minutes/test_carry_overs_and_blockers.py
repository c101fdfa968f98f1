"""Pending AIs restate earlier AIs; blocker decisions name a release and a subject."""

from __future__ import annotations

from tracker import parse_text
from tracker.config import parse_config

CONFIG = parse_config({"people": {"alice": [], "bob": ["Robert"]}, "groups": ["team"]}).config

TWO_MEETINGS = """\
# Team sync

## 2024-03-05
- Releases
  - AI: alice to tag 3.22
  - AI: [bob] update the changelog

## 2024-03-12
- Other business

### Pending AIs
- Releases
  - AI: [alice] tag 3.22
  - [Robert] update the change log
- [team] refresh the onboarding doc
"""


def test_a_pending_item_with_an_earlier_twin_is_a_carry_over_of_it():
    minutes = parse_text(TWO_MEETINGS, config=CONFIG)
    by_line = {ai.line: ai for ai in minutes.action_items}
    assert by_line[13].carry_over_of == by_line[5].id
    # Reworded a little, same owner: still the same AI.
    assert by_line[14].carry_over_of == by_line[6].id


def test_a_pending_item_with_no_twin_is_an_action_item_of_that_meeting():
    minutes = parse_text(TWO_MEETINGS, config=CONFIG)
    [new] = [ai for ai in minutes.action_items if ai.line == 15]
    assert new.carry_over_of is None
    assert str(new.meeting) == "2024-03-12"
    assert len(minutes.distinct_action_items) == 3


def test_carry_overs_link_to_an_original_in_another_file():
    """Minutes split one meeting per file still link carry-overs (any file order)."""
    first = "- AI: alice to tag 3.22\n"
    second = "## Pending AIs\n- AI: [alice] tag 3.22\n"
    from tracker.minutes import parse_sources
    from tracker.minutes.reading import Source

    minutes = parse_sources(
        [Source("2024-03-12.md", second), Source("2024-03-05.md", first)], config=CONFIG
    )
    restated, original = minutes.action_items
    assert restated.carry_over_of == original.id


def test_a_carry_over_of_a_carry_over_points_at_the_first_original():
    text = TWO_MEETINGS + "\n## 2024-03-19\n### Pending AIs\n- AI: alice to tag 3.22\n"
    minutes = parse_text(text, config=CONFIG)
    original = next(ai for ai in minutes.action_items if ai.line == 5)
    restated = [ai for ai in minutes.action_items if ai.text.endswith("tag 3.22")][1:]
    assert [ai.carry_over_of for ai in restated] == [original.id, original.id]


def test_configured_pending_section_titles():
    config = parse_config({"people": {"alice": []}, "sections": {"pending": ["Still open"]}}).config
    text = "## 2024-03-05\n- AI: alice to tag\n## 2024-03-12\n### Still open\n- [alice] tag\n"
    first, second = parse_text(text, config=config).action_items
    assert second.carry_over_of == first.id


BLOCKERS = """\
# 2024-03-05
- domains
  - needs issue, add to 3.22 blockers [AI: alice]
- Upgrading the framework
  - [AI bob] look for an issue; add it to 3.25 blockers.
- add #1234 to the 3.26 blocker list
- mark the upload bug as a 3.27 blocker
- the 3.28 release
  - 3.28 blocker
- this is not a 3.29 blocker
- we talked about blockers in general
- the cache
  - it is a release blocker for v3.30
- not a blocker for 3.31
"""


def test_blocker_decisions_take_release_from_the_phrase_and_subject_from_the_topic():
    minutes = parse_text(BLOCKERS, config=CONFIG)
    got = [
        (ai.line, ai.blocker.release, ai.blocker.subject)
        for ai in minutes.action_items
        if ai.blocker
    ]
    assert got == [
        (3, "3.22", "domains"),
        (5, "3.25", "Upgrading the framework"),
        (6, "3.26", "#1234"),
        (7, "3.27", "the upload bug"),
        (9, "3.28", "the 3.28 release"),
        (13, "3.30", "the cache"),
    ]


def test_a_blocker_line_is_one_action_item_with_its_owner():
    minutes = parse_text(BLOCKERS, config=CONFIG)
    first = minutes.action_items[0]
    assert (first.owners, first.text) == (("alice",), "needs issue, add to 3.22 blockers")
    assert len([ai for ai in minutes.action_items if ai.line == 3]) == 1
    # A decision with no owner is still tracked, unowned.
    assert minutes.action_items[2].owners == ()


def test_custom_blocker_pattern():
    config = parse_config(
        {"patterns": {"blockers": [r"must land before (?P<release>[\d.]+)"]}}
    ).config
    [ai] = parse_text(
        "# 2024-03-05\n- pagination\n  - must land before 4.0\n", config=config
    ).action_items
    assert (ai.blocker.release, ai.blocker.subject) == ("4.0", "pagination")


def test_a_line_annotated_with_an_earlier_ais_issue_restates_it():
    """Once `sync --annotate` wrote `(#12)`, rewording the restatement keeps the link."""
    text = (
        "## 2024-03-05\n- AI: alice to tag 3.22 (#12)\n"
        "## 2024-03-12\n### Pending AIs\n- AI: alice to finally cut and tag the 3.22 release (#12)\n"
    )
    original, restated = parse_text(text, config=CONFIG).action_items
    assert original.issue == restated.issue == 12
    assert restated.carry_over_of == original.id
