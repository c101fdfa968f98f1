"""The issue an AI should have: title, body, assignees, labels and milestone."""

from __future__ import annotations

from dataclasses import replace

from tests.factories import CONFIG, ai, issue_fields
from tracker.identity import find_marker
from tracker.issue import IssueMaker, new_issue

REPO = "pulp/pulpcore"


fields = issue_fields


def test_the_title_names_the_topic_without_its_links():
    """A terse AI gets its topic in brackets, URLs dropped."""
    item = ai(
        "investigate", topic=("Labels PR needs review: https://github.com/pulp/pulpcore/pull/3427",)
    )
    assert fields(item).title == "Investigate (Labels PR needs review)"


def test_titles_are_at_most_256_characters():
    """GitHub's title limit holds for the longest AI."""
    title = fields(ai("word " * 100)).title
    assert len(title) <= 256 and title.endswith("…")


def test_the_body_links_the_minutes_line_when_the_minutes_live_in_a_repository():
    """With a link base, the body links `source#Lline`."""
    body = fields(
        ai("post to discourse"), link_base="https://github.com/pulp/minutes/blob/main"
    ).body
    assert "(https://github.com/pulp/minutes/blob/main/minutes/2022.md#L10)" in body


def test_the_body_quotes_the_line_without_its_annotation():
    """`sync --annotate` adds ` (#12)` to the line: the quote, and so the body, stay the same."""
    plain = ai("post to discourse")
    annotated = replace(plain, issue=12, raw=plain.raw + " (#12)")
    assert fields(annotated).body == fields(plain).body


def test_a_team_template_folder_overrides_the_issue_body(tmp_path):
    """`templates:` in the config: the team's issue.md.j2 is used instead of the built-in one."""
    (tmp_path / "issue.md.j2").write_text(
        "{{ ai.text }} for {{ owners }}\n\n{{ marker }}\n", encoding="utf-8"
    )
    item = ai("post to discourse")
    created = new_issue(item, fields(item, config=replace(CONFIG, templates=str(tmp_path))))
    assert created.body.startswith("post to discourse for ggainey\n\n<!-- tracker:ai:")


def test_the_marker_is_written_once_by_the_record_not_by_the_template():
    """The rendered body holds no marker; a create's body holds exactly one, before the record."""
    item = ai("post to discourse")
    wanted = fields(item)
    assert find_marker(wanted.body) is None
    body = new_issue(item, wanted).body
    assert body.count("<!-- tracker:ai:") == 1 and find_marker(body) == item.id
    assert body.index("<!-- tracker:ai:") < body.index("<!-- tracker:state")


def test_labels_and_milestone_follow_the_config():
    """The tracker label always, the blocker label and milestone for a blocker, a group label."""
    item = ai("fix it", owners=("team",), blocker=None)
    assert (fields(item).labels, fields(item).milestone, fields(item).assignees) == (
        ("action-item", "owner:team"),
        None,
        (),
    )


def test_owners_the_repository_cannot_assign_are_left_out_with_a_warning():
    """Assignees are the logins the parser resolved, as GitHub spells them, if assignable."""
    maker = IssueMaker(CONFIG, repo=REPO, assignable=("GGainey",), link_base=None)
    item = ai("post to discourse", owners=("ggainey", "Dennis"))
    assert maker.fields(item).assignees == ("GGainey",)
    assert maker.warnings == [
        (
            "minutes/2022.md:10: warning: dkliban cannot be assigned in pulp/pulpcore; the issue"
            " stays unassigned (hint: give them access to the repository, or fix people: in the"
            " config)"
        )
    ]
