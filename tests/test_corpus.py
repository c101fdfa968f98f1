"""The real Pulpcore minutes in ../shared/corpus parse exactly as their ground truth says.

This runs whenever ../shared sits beside the checkout (as in CI); the corpus text
itself is never copied into the project.
"""

from __future__ import annotations

import pytest

from tests import corpus
from tracker import parse

pytestmark = corpus.needs_corpus


@pytest.fixture(scope="module")
def expected():
    return corpus.expected()


@pytest.fixture(scope="module")
def minutes():
    return parse([str(corpus.MINUTES)], config=corpus.corpus_config())


def test_meetings_have_the_right_dates_lines_and_skips(minutes, expected):
    """All 21 meeting headings, in document order, with their dates (years inferred)."""
    got = [(str(m.date), m.line, m.skipped) for m in minutes.meetings]
    want = [(str(m["date"]), m["line"], m.get("skipped", False)) for m in expected["meetings"]]
    assert got == want


def test_every_action_item_line_is_found_and_nothing_else(minutes, expected):
    """Exactly the 33 AI lines: none missing, none extra."""
    assert sorted(ai.line for ai in minutes.action_items) == sorted(
        ai["line"] for ai in expected["action_items"]
    )


def test_action_items_have_meeting_owner_text_and_flags(minutes, expected):
    """Each AI's meeting, owner as written, task text, implicit flag and topic match."""
    by_line = {ai.line: ai for ai in minutes.action_items}
    for want in expected["action_items"]:
        got = by_line[want["line"]]
        assert str(got.meeting) == str(want["meeting"]), want
        assert list(got.owners) == ([want["owner"]] if want["owner"] else []), want
        assert got.text == want["text"], want
        assert got.implicit == want.get("implicit", False), want
        if "topic" in want:
            assert got.topic[-1] == want["topic"], want


def test_owners_resolve_to_logins_or_groups(minutes, expected):
    """Every owner is a known login or a group: no unknown-owner warnings."""
    aliases = expected["aliases"]
    for ai in minutes.action_items:
        for owner in ai.owners:
            if owner in expected["groups"]:
                assert ai.group == owner
            else:
                assert aliases[owner] in ai.assignees
    assert [w for w in minutes.warnings if "unknown owner" in w.message] == []


def test_carry_overs_point_at_their_originals(minutes, expected):
    """The 5 Pending AIs restatements point at the original AI's id; 28 AIs are distinct."""
    by_line = {ai.line: ai for ai in minutes.action_items}
    for want in expected["action_items"]:
        got = by_line[want["line"]]
        if "carry_over" in want:
            assert got.carry_over_of == by_line[want["carry_over"]].id
        else:
            assert got.carry_over_of is None
    assert len(minutes.distinct_action_items) == 28


def test_blocker_decisions_have_release_and_subject(minutes, expected):
    """The two blocker decisions: 3.22 for domains, 3.25 for the Django upgrade."""
    got = {
        ai.line: (ai.blocker.release, ai.blocker.subject)
        for ai in minutes.action_items
        if ai.blocker
    }
    want = {
        ai["line"]: (ai["blocker"]["release"], ai["blocker"]["subject"])
        for ai in expected["action_items"]
        if ai.get("blocker")
    }
    assert got == want


def test_lines_that_only_look_like_action_items_are_not(minutes, expected):
    """Reports, decisions, offers, topic raisers and statements are not AIs."""
    found = {ai.line for ai in minutes.action_items}
    for line in expected["not_action_items"]:
        assert line["line"] not in found, line["why"]


def test_ids_are_unique(minutes):
    ids = [ai.id for ai in minutes.action_items]
    assert len(ids) == len(set(ids))


def test_the_pre_check_changes_nothing_on_the_corpus(minutes, monkeypatch):
    from tracker.minutes.recognise import Recogniser

    monkeypatch.setattr(Recogniser, "may_hold", lambda self, text: True)
    assert parse([str(corpus.MINUTES)], config=corpus.corpus_config()) == minutes
