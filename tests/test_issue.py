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
    # ?plain=1: GitHub shows a Markdown file rendered, where #L10 would point nowhere (issue 12).
    assert "(https://github.com/pulp/minutes/blob/main/minutes/2022.md?plain=1#L10)" in body


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


# ---------------------------------------------------------------- GitHub's limits (issue #10, item 7)


def test_a_line_too_long_for_a_body_is_quoted_shortened_with_a_link_to_the_line():
    """A 70,000-character AI line: the body (hidden comments included) stays within GitHub's
    65,536 characters; the quote is cut and says where the whole line is."""
    long_text = "check the " + "very " * 14_000 + "long thing"
    item = ai(long_text, raw=f"AI: ggainey to {long_text}")
    link_base = "https://github.com/pulp/minutes/blob/main"
    created = new_issue(item, fields(item, link_base=link_base))
    assert len(created.body) <= 65_536 and len(created.title) <= 256
    quote = next(line for line in created.body.splitlines() if line.startswith("> "))
    assert quote.endswith(
        "… (shortened; the whole line: "
        "https://github.com/pulp/minutes/blob/main/minutes/2022.md?plain=1#L10)"
    )
    assert len(quote) < 1_200
    assert find_marker(created.body) == item.id


def test_a_title_full_of_mentions_stays_within_256_characters():
    """Defusing a mention adds a character: the title is cut after, not before."""
    title = fields(ai("ping " + "@kim " * 80)).title
    assert len(title) <= 256 and title.endswith("…") and "@kim" not in title


def test_a_write_record_of_a_huge_topic_and_owners_list_stays_small():
    """The hidden record is cut to 3,000 characters, whatever the AI's topic and owners hold."""
    item = ai(
        "post to discourse",
        topic=tuple("<topic> " * 500 for _ in range(30)),
        owners=tuple(f"owner{n}" * 50 for n in range(40)),
    )
    body = new_issue(item, fields(item)).body
    record = body[body.index("<!-- tracker:state") :]
    assert len(record) <= 3_000 and len(body) <= 65_536


def test_labels_sent_to_github_fit_its_limits():
    """Label names within 50 characters and descriptions within 100 (GitHub answers 422 past
    them): the config refuses longer names; tracker's own descriptions are short."""
    from tracker import parse_text
    from tracker.plan import make_plan
    from tracker.snapshot import Snapshot

    minutes = parse_text(
        "## 2024-03-05\n\n- add to 3.22 blockers [AI: ggainey]\n- AI: [team] review it\n",
        source="m.md",
        config=CONFIG,
    )
    plan = make_plan(minutes, Snapshot(repo=REPO, viewer="pulp"), CONFIG)
    assert len(plan.labels) == 3
    assert all(len(label.name) <= 50 and len(label.description) <= 100 for label in plan.labels)


def test_one_huge_ai_line_no_longer_blocks_the_ais_after_it(
    cli, github_emulator, tmp_path, monkeypatch
):
    """GitHub answers 422 to a body over 65,536 characters: a 70,000-character AI line gets a
    capped issue, and the AIs after it get theirs; a rerun writes nothing."""
    from pathlib import Path

    github_emulator.add_repo(REPO, collaborators=["ggainey"])
    monkeypatch.chdir(tmp_path)
    huge = "x" * 70_000
    Path("m.md").write_text(
        f"## 2024-03-05\n\n- AI: [ggainey] {huge}\n- AI: [ggainey] tag the release\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("GITHUB_TOKEN", github_emulator.user_token("pulp"))
    monkeypatch.setenv("TRACKER_THROTTLE", "0")
    args = ("sync", "--repo", REPO, "--api-url", github_emulator.url, "m.md")
    assert cli(*args).stdout.splitlines()[-1].startswith(f"{REPO}: 2 created")
    first, second = github_emulator.repo(REPO).issues
    assert len(first.title) == 256 and len(first.body) <= 65_536
    assert "(shortened; the whole line: m.md line 3)" in first.body
    assert second.title == "Tag the release"
    github_emulator.clear_log()
    cli(*args)
    assert github_emulator.writes() == 0


# ------------------------------------------------------------ the body as an owner reads it (issue 12)


def test_the_body_quotes_the_task_once_and_a_task_list_line_without_its_box():
    """The title says the task; the body quotes the minutes line once, without `[ ]`."""
    item = ai("review the docs", owners=("team",), raw="[ ] team: review the docs")
    body = fields(item).body
    assert body.startswith("> team: review the docs\n\n- **Meeting:** 2022-11-15\n")
    assert body.count("review the docs") == 1 and "[ ]" not in body


def test_an_unassigned_issue_says_why_its_owner_is_not_assigned():
    """An owner the config does not know, or one GitHub cannot assign, is named with the reason."""
    unknown = fields(ai("ping the list", owners=("Tao",))).body
    assert (
        "- **Owners:** Tao (not assigned: the config's `people:` does not name them)\n" in unknown
    )
    maker = IssueMaker(CONFIG, repo=REPO, assignable=("ggainey",), link_base=None)
    barred = maker.fields(ai("tag it", owners=("Dennis",))).body
    assert f"- **Owners:** Dennis (not assigned: dkliban cannot be assigned in {REPO})\n" in barred
    assert "- **Owners:** ggainey\n" in fields(ai("tag it")).body
    assert "- **Owners:** team\n" in fields(ai("tag it", owners=("team",))).body
