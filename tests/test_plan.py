"""The sync plan: which AI gets which issue, what changes, and what is left to people."""

from __future__ import annotations

import datetime
import json
from dataclasses import replace

from tests.factories import CONFIG, ai
from tracker import parse_text
from tracker.identity import action_item_id, find_marker
from tracker.model import ActionItem, Blocker, Minutes
from tracker.plan import Kind, Plan, make_plan
from tracker.snapshot import ExistingIssue, Snapshot

REPO = "pulp/pulpcore"


def snapshot(*issues: ExistingIssue, viewer: str | None = "tracker-bot", **kw: object) -> Snapshot:
    values: dict[str, object] = {
        "repo": REPO,
        "viewer": viewer,
        "issues": issues,
        "labels": ("bug", "action-item"),
        "milestones": (),
        "assignable": ("dkliban", "ggainey", "tracker-bot"),
    }
    values.update(kw)
    return Snapshot(**values)  # type: ignore[arg-type]


def github_after(
    plan: Plan, *, author: str = "tracker-bot", first: int = 1
) -> tuple[ExistingIssue, ...]:
    """The issues GitHub would hold once ``plan``'s creates are applied to an empty repo."""
    issues = []
    for n, action in enumerate((a for a in plan.actions if a.kind is Kind.CREATE), start=first):
        assert action.target is not None
        t = action.target
        issues.append(
            ExistingIssue(n, t.title, t.body, author, "open", t.assignees, t.labels, t.milestone)
        )
    return tuple(issues)


def plan_for(*ais: ActionItem, snap: Snapshot | None = None, **kw: object) -> Plan:
    return make_plan(Minutes(action_items=ais), snap or snapshot(), CONFIG, **kw)  # type: ignore[arg-type]


def test_a_new_ai_becomes_one_issue_with_title_label_assignee_and_marker():
    """An AI with no issue is created: readable title, tracker label, its owner assigned, marker in the body."""
    item = ai("post to discourse")
    plan = plan_for(item)
    [action] = plan.actions
    assert action.kind is Kind.CREATE
    assert action.where == "minutes/2022.md:10"
    assert action.target is not None
    assert action.target.title == "Post to discourse (3.22 release schedule)"
    assert action.target.labels == ("action-item",)
    assert action.target.assignees == ("ggainey",)
    assert action.target.milestone is None
    assert find_marker(action.target.body) == item.id
    assert "> AI: ggainey to post to discourse" in action.target.body
    assert plan.writes == 1


def test_carry_overs_get_no_issue_of_their_own():
    """A line restating an earlier AI (carry_over_of set) is not a distinct AI."""
    first = ai("post to discourse")
    again = replace(ai("post to discourse", line=40), id="x", carry_over_of=first.id)
    plan = plan_for(first, again)
    assert [a.kind for a in plan.actions] == [Kind.CREATE]


def test_a_group_owner_gets_the_group_label_instead_of_assignees():
    """`[team]` owns it: label owner:team, nobody assigned, the label created once."""
    plan = plan_for(
        ai("move a departing maintainer to emeritus", owners=("team",)),
        ai("review 3427", owners=("team",), line=11),
    )
    assert {a.target.labels for a in plan.actions if a.target} == {("action-item", "owner:team")}
    assert all(a.target and a.target.assignees == () for a in plan.actions)
    assert [label.name for label in plan.labels] == ["owner:team"]


def test_a_blocker_gets_its_label_and_the_release_milestone_created_once():
    """A blocker decision: release-blocker label, milestone named by the config, each created once."""
    blocker = Blocker(release="3.22", subject="domains")
    plan = plan_for(
        ai("needs issue, add to 3.22 blockers", owners=("gerrod",), blocker=blocker),
        ai("also block on this", line=12, blocker=blocker),
    )
    assert {a.target.milestone for a in plan.actions if a.target} == {"3.22"}
    assert plan.milestones == ("3.22",)
    assert [label.name for label in plan.labels] == ["release-blocker"]
    assert plan.writes == 2 + 1 + 1


def test_the_milestone_name_comes_from_the_config():
    """`milestone: "v{release}"` names the blockers' milestone v3.22."""
    item = ai("fix it", blocker=Blocker("3.22", "domains"))
    plan = make_plan(
        Minutes(action_items=(item,)), snapshot(), replace(CONFIG, milestone="v{release}")
    )
    assert plan.milestones == ("v3.22",)


def test_an_unassignable_owner_leaves_the_issue_unassigned_with_a_warning_naming_the_line():
    """Dennis is dkliban, who cannot be assigned in the repo: create anyway, unassigned, and say so."""
    plan = plan_for(
        ai("investigate", owners=("Dennis",), line=51), snap=snapshot(assignable=("ggainey",))
    )
    [action] = plan.actions
    assert action.kind is Kind.CREATE and action.target and action.target.assignees == ()
    assert plan.warnings == (
        (
            "minutes/2022.md:51: warning: dkliban cannot be assigned in pulp/pulpcore; the issue stays "
            "unassigned (hint: give them access to the repository, or fix people: in the config)"
        ),
    )


def test_an_unknown_owner_is_warned_about_once_by_the_parser_not_again_by_the_plan():
    """An owner nobody configured is named once, with its line: the parser's warning (issue 9)."""
    minutes = parse_text(
        "## 2022-11-15\n- AI: MDellweg to write a story\n", source="minutes/2022.md", config=CONFIG
    )
    assert [str(w) for w in minutes.warnings] == [
        (
            "minutes/2022.md:2: warning: unknown owner 'MDellweg': add their GitHub login to "
            "`people:` in the config"
        )
    ]
    [item] = minutes.action_items
    assert (item.owners, item.assignees, item.group) == (("MDellweg",), (), None)
    plan = make_plan(minutes, snapshot(), CONFIG)
    assert plan.warnings == ()
    assert plan.actions[0].target and plan.actions[0].target.assignees == ()


def test_a_second_plan_after_the_first_is_applied_does_nothing():
    """Idempotence: nothing changed in the minutes, nothing changed on GitHub -> zero writes."""
    items = (ai("post to discourse"), ai("fix it", line=12, blocker=Blocker("3.22", "domains")))
    first = plan_for(*items)
    again = plan_for(
        *items,
        snap=snapshot(
            *github_after(first), milestones=("3.22",), labels=("action-item", "release-blocker")
        ),
    )
    assert [a.kind for a in again.actions] == [Kind.UNCHANGED, Kind.UNCHANGED]
    assert again.writes == 0
    assert again.actions[0].reason == "up to date"


def test_an_installation_token_trusts_issues_opened_by_github_actions():
    """GET /user refused (viewer None): issues by github-actions[bot] are tracker's own."""
    item = ai("post to discourse")
    issues = github_after(plan_for(item), author="github-actions[bot]")
    plan = plan_for(item, snap=snapshot(*issues, viewer=None))
    assert [a.kind for a in plan.actions] == [Kind.UNCHANGED]


def test_an_issue_with_the_marker_from_an_untrusted_author_never_stands_in_for_the_ai():
    """Someone else's issue carries the marker (an id is computable from the minutes): it is
    never edited, the AI gets its own issue, and the reason names the forgery (issue #10)."""
    item = ai("post to discourse")
    issues = github_after(plan_for(item), author="mallory")
    [action] = plan_for(item, snap=snapshot(*issues)).actions
    assert action.kind is Kind.CREATE and action.issue is None
    assert action.reason == (
        "new AI; #1 carries its marker but was opened by mallory, who is not a trusted author: "
        "not used (hint: if it is tracker's own, add them to bot_authors)"
    )


def test_a_changed_owner_updates_the_assignees_and_the_body_that_quotes_the_owner():
    """The owner changes in the minutes: one update of the assignees and of the body, whose quote
    of the line names the owner."""
    issues = github_after(plan_for(ai("post to discourse")))
    [action] = plan_for(ai("post to discourse", owners=("Dennis",)), snap=snapshot(*issues)).actions
    assert action.kind is Kind.UPDATE
    assert action.changed == (
        "body",
        "assignees",
    )  # the body quotes the line, which names the owner
    assert action.target and action.target.assignees == ("dkliban",)
    assert action.send == ("body", "assignees")


def test_a_login_changed_in_the_config_updates_only_the_assignees():
    """`people:` now maps the same written owner to another login: the line and the body stay,
    one update sends the assignees (and the body's refreshed write record)."""
    item = ai("post to discourse", owners=("Dennis",))
    issues = github_after(plan_for(item))
    [action] = plan_for(replace(item, assignees=("ggainey",)), snap=snapshot(*issues)).actions
    assert action.kind is Kind.UPDATE
    assert action.changed == ("assignees",)
    assert action.target and action.target.assignees == ("ggainey",)


def test_a_moved_line_updates_the_body():
    """The AI moved to another line: the body (line number, link) is updated."""
    issues = github_after(plan_for(ai("post to discourse")))
    [action] = plan_for(ai("post to discourse", line=99), snap=snapshot(*issues)).actions
    assert action.kind is Kind.UPDATE and action.changed == ("body",)
    assert action.target and "line 99" in action.target.body


def test_an_edited_ai_text_updates_its_issue_and_moves_the_marker_to_the_new_id():
    """Text edited -> new id; the issue of the same meeting and line follows it, no new issue."""
    old = ai("post to discourse")
    issues = github_after(plan_for(old))
    new = ai("post the 3.22 schedule to discourse")
    plan = plan_for(new, snap=snapshot(*issues))
    [action] = plan.actions
    assert action.kind is Kind.UPDATE and action.issue == 1
    assert action.changed == ("title", "body")
    assert action.reason.startswith(f"AI text edited (was {old.id})")
    assert action.target and find_marker(action.target.body) == new.id
    assert plan.writes == 1


def test_an_edited_ai_is_not_paired_with_an_issue_of_another_meeting():
    """Pairing edited AIs never crosses meetings: the other meeting's issue is orphaned."""
    issues = github_after(plan_for(ai("post to discourse")))
    other = ai("post to discourse again", meeting=datetime.date(2022, 12, 6))
    other = replace(other, id=action_item_id("2022-12-06", other.text))
    kinds = sorted(a.kind.value for a in plan_for(other, snap=snapshot(*issues)).actions)
    assert kinds == ["create", "orphaned"]


def test_in_a_big_meeting_each_reworded_ai_is_paired_with_its_own_issue():
    """40 AIs of one meeting, every one reworded and moved below the others: each follows its
    own issue (compared with a few that share its words, not with all 40), none is created."""
    tasks = [
        f"review pull request {n} of the {topic} plugin" for n in range(40) for topic in ["rpm"]
    ]
    old = [ai(task, line=10 + n) for n, task in enumerate(tasks)]
    issues = github_after(plan_for(*old))
    new = [ai(f"{task}, then merge it", line=100 + n) for n, task in enumerate(tasks)]
    plan = plan_for(*new, snap=snapshot(*issues))
    assert [a.kind for a in plan.actions] == [Kind.UPDATE] * 40
    assert [a.issue for a in plan.actions] == list(range(1, 41))


def test_a_title_edited_on_github_is_kept_when_the_minutes_did_not_change_it():
    """A maintainer retitled the issue; the minutes did not change: no write, the edit is kept."""
    item = ai("post to discourse")
    [issue] = github_after(plan_for(item))
    issue = replace(issue, title="Announce 3.22 schedule on Discourse")
    [action] = plan_for(item, snap=snapshot(issue)).actions
    assert action.kind is Kind.UNCHANGED and not action.writes
    assert action.reason == "edited on GitHub, kept: title"


def test_a_field_edited_on_github_and_in_the_minutes_is_a_conflict_and_left_alone():
    """Both sides changed the title: GitHub's title stays, the body still follows the minutes."""
    [issue] = github_after(plan_for(ai("post to discourse")))
    issue = replace(issue, title="Announce on Discourse")
    [action] = plan_for(
        ai("post to discourse", line=20, topic=("Announcements",)), snap=snapshot(issue)
    ).actions
    assert action.kind is Kind.CONFLICT
    assert action.conflicts == ("title",)
    assert action.send == ("body",)
    assert "edited on GitHub and in the minutes: title left as on GitHub" in action.reason


def test_a_body_edited_on_github_keeps_the_human_text_when_other_fields_change():
    """The body was edited by hand; an owner change rewrites only the hidden comments in it."""
    [issue] = github_after(plan_for(ai("post to discourse")))
    issue = replace(issue, body="We decided to skip this.\n\n" + issue.body)
    [action] = plan_for(ai("post to discourse", owners=("Dennis",)), snap=snapshot(issue)).actions
    assert action.kind is Kind.CONFLICT and action.conflicts == ("body",)
    assert action.target and action.target.body.startswith("We decided to skip this.")
    assert action.send == ("body", "assignees")


def test_labels_people_added_are_kept_when_tracker_changes_its_own():
    """A `bug` label added by hand survives the owner becoming the team."""
    [issue] = github_after(plan_for(ai("post to discourse")))
    issue = replace(issue, labels=("bug", *issue.labels))
    [action] = plan_for(ai("post to discourse", owners=("team",)), snap=snapshot(issue)).actions
    assert action.target and action.target.labels == ("bug", "action-item", "owner:team")
    assert "labels" in action.send


def test_an_issue_whose_ai_left_the_minutes_is_reported_not_closed():
    """An AI removed from the minutes: its issue is orphaned, and no write touches it."""
    issues = github_after(plan_for(ai("post to discourse")))
    plan = plan_for(snap=snapshot(*issues))
    [action] = plan.actions
    assert action.kind is Kind.ORPHANED and action.issue == 1 and plan.writes == 0


def test_duplicates_left_by_a_crash_are_reported_and_the_first_is_kept():
    """Two trusted issues with one marker: the lower number is the AI's issue, the other reported."""
    item = ai("post to discourse")
    [issue] = github_after(plan_for(item))
    plan = plan_for(item, snap=snapshot(issue, replace(issue, number=2)))
    assert [(a.kind, a.issue) for a in plan.actions] == [(Kind.UNCHANGED, 1), (Kind.ORPHANED, 2)]
    assert plan.actions[1].reason == "duplicate of #1 (same marker); close it by hand"


def test_the_plan_is_json():
    """The plan serialises as JSON, with a summary by kind."""
    data = json.loads(json.dumps(plan_for(ai("post to discourse")).to_json()))
    assert data["summary"]["create"] == 1
    assert data["actions"][0]["action"] == "create"
    assert data["actions"][0]["fields"]["assignees"] == ["ggainey"]
