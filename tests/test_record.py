"""The hidden comments in an issue body: the AI's marker and the write record."""

from __future__ import annotations

from tests.factories import ai
from tests.factories import issue_fields as fields
from tracker.identity import find_marker, marker
from tracker.issue import new_issue
from tracker.record import WriteRecord, field_hash, visible_body, with_record


def test_the_write_record_survives_a_round_trip_and_hides_angle_brackets():
    """The record is one HTML comment even when the AI text holds `-->`."""
    item = ai("present <= 10' about --> telemetry")
    body = new_issue(item, fields(item)).body
    record = WriteRecord.from_body(body)
    assert record is not None and record.text == "present <= 10' about --> telemetry"
    comment = body[body.index("<!-- tracker:state") :]
    assert comment.count(">") == 1 and comment.rstrip().endswith("-->")


def test_with_record_moves_the_marker_to_a_new_id_and_replaces_the_record():
    """An edited AI's issue follows it: the old marker becomes the new one, one record stays."""
    old = with_record("Text\n", WriteRecord({"title": "a"}), "2024-03-05-aaaaaaaaaa")
    new = with_record(old, WriteRecord({"title": "b"}), "2024-03-05-bbbbbbbbbb")
    assert new == (
        f"Text\n\n{marker('2024-03-05-bbbbbbbbbb')}\n"
        '<!-- tracker:state {"h":{"title":"b"},"line":null,"meeting":null,"owners":[],'
        '"source":null,"text":"","topic":[],"v":1} -->\n'
    )
    assert find_marker(new) == "2024-03-05-bbbbbbbbbb"


def test_hashes_ignore_the_hidden_comments_the_newline_style_and_label_order():
    """A body differs only by what people see; labels and assignees are sets."""
    body = with_record("Text\r\nmore\n", WriteRecord({}), "2024-03-05-aaaaaaaaaa")
    assert visible_body(body) == "Text\nmore"
    assert field_hash("body", body) == field_hash("body", "Text\nmore")
    assert field_hash("labels", ("b", "A")) == field_hash("labels", ("a", "B"))
    assert field_hash("milestone", None) == field_hash("milestone", "")


def test_an_unreadable_record_is_no_record():
    """A record edited into invalid JSON is ignored, as if absent."""
    assert WriteRecord.from_body("<!-- tracker:state {not json} -->") is None
    assert WriteRecord.from_body("no record") is None
