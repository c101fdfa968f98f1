"""`tracker sync` against the local GitHub: issues made once, kept in step, never duplicated."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path
from textwrap import dedent

import pytest
import yaml
from github import Auth, Github

from tests.corpus import CORPUS, corpus_config, needs_corpus
from tracker import parse
from tracker.config import Config
from tracker.identity import find_marker
from tracker.plan import Kind
from tracker.settings import Settings
from tracker.sync import SyncResult, sync

REPO = "pulp/pulpcore"
PEOPLE = ("dkliban", "ggainey", "gerrod")
CONFIG = Config(
    people={"dkliban": ("Dennis",), "ggainey": (), "gerrod": ()}, groups=("team", "all")
)

MINUTES = dedent(
    """\
    # Pulpcore meeting

    ## 2023-01-10

    - 3.22 release
      - AI: [ggainey] post to discourse
      - domains: needs issue, add to 3.22 blockers [AI: gerrod]
    - AI: [team] review 3427
    - AI: [Dennis] investigate the failing test
    """
)


@pytest.fixture
def emu(github_emulator):
    """The local GitHub with pulp/pulpcore, where the people of the minutes can be assigned."""
    github_emulator.add_repo(REPO, collaborators=list(PEOPLE))
    return github_emulator


@pytest.fixture
def minutes_dir(tmp_path, monkeypatch):
    """Minutes in a folder that is the working directory, so sources are relative paths."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "minutes.md").write_text(MINUTES, encoding="utf-8")
    return tmp_path


def settings(emu, token: str) -> Settings:
    return Settings.unpaced(token=token, repo=REPO, api_url=emu.url)


def run(emu, token: str, *, config: Config = CONFIG, path: str = "minutes.md", **kw) -> SyncResult:
    """Sync ``path`` with a fresh request log, so emu.reads()/writes() are this run's."""
    emu.clear_log()
    return sync(parse([path], config=config), config=config, settings=settings(emu, token), **kw)


def issues(emu, token: str) -> list:
    """The repo's issues as PyGithub sees them (read after the run, not counted in it)."""
    g = Github(
        auth=Auth.Token(token),
        base_url=emu.url,
        seconds_between_requests=None,
        seconds_between_writes=None,
    )
    return sorted(g.get_repo(REPO).get_issues(state="all"), key=lambda i: i.number)


def test_first_sync_opens_one_issue_per_ai_with_labels_milestone_and_assignees(emu, minutes_dir):
    """Four AIs -> four issues; the blocker is in milestone 3.22; the team's AI is labelled, not assigned."""
    token = emu.user_token("pulp")
    result = run(emu, token)
    # Request economy: every write is a creation; the reads are the snapshot's 5, and one
    # listing of the issues updated last (an issue that lost its label is adopted, not doubled).
    assert (emu.writes(), emu.reads()) == (4 + 3 + 1, 5 + 1)
    assert (result.writes, result.reads) == (emu.writes(), emu.reads())
    assert result.error is None
    assert [o.action.kind for o in result.outcomes] == [Kind.CREATE] * 4
    made = issues(emu, token)
    assert [(i.title, sorted(a.login for a in i.assignees)) for i in made] == [
        ("Post to discourse (3.22 release)", ["ggainey"]),
        ("Domains: needs issue, add to 3.22 blockers (3.22 release)", ["gerrod"]),
        ("Review 3427", []),
        ("Investigate the failing test", ["dkliban"]),
    ]
    assert [sorted(label.name for label in i.labels) for i in made] == [
        ["action-item"],
        ["action-item", "release-blocker"],
        ["action-item", "owner:team"],
        ["action-item"],
    ]
    assert [i.milestone.title if i.milestone else None for i in made] == [None, "3.22", None, None]
    assert result.labels_created == ("action-item", "release-blocker", "owner:team")
    assert result.milestones_created == ("3.22",)


def test_the_body_quotes_the_line_and_carries_the_marker(emu, minutes_dir):
    """The body has the meeting, topic, owners as written, the line quoted and the hidden marker."""
    token = emu.user_token("pulp")
    result = run(emu, token)
    body = issues(emu, token)[0].body
    assert "- **Meeting:** 2023-01-10" in body
    assert "- **Topic:** 3.22 release" in body
    assert "- **Owners:** ggainey" in body
    assert "- **Minutes:** `minutes.md` line 6" in body
    assert "> AI: [ggainey] post to discourse" in body
    assert find_marker(body) == result.outcomes[0].action.ai_id


def test_a_second_run_with_nothing_changed_makes_no_write(emu, minutes_dir):
    """Idempotent: the rerun only reads (the same 5 requests) and reports every AI unchanged."""
    token = emu.user_token("pulp")
    run(emu, token)
    again = run(emu, token)
    assert emu.writes() == 0 and emu.reads() == 5
    assert [o.action.kind for o in again.outcomes] == [Kind.UNCHANGED] * 4


def test_editing_one_ai_line_updates_its_issue_with_one_write(emu, minutes_dir):
    """The AI's text is edited (a new id): its issue is updated in one PATCH, nothing is created."""
    token = emu.user_token("pulp")
    run(emu, token)
    text = MINUTES.replace("post to discourse", "post the 3.22 schedule to discourse")
    (minutes_dir / "minutes.md").write_text(text, encoding="utf-8")
    result = run(emu, token)
    assert emu.writes() == 1
    [write] = [r for r in emu.log if r.is_write]
    assert (write.method, write.path) == ("PATCH", f"/repos/{REPO}/issues/1")
    first = issues(emu, token)[0]
    assert first.title == "Post the 3.22 schedule to discourse (3.22 release)"
    assert find_marker(first.body) == result.outcomes[0].action.ai_id
    assert len(issues(emu, token)) == 4


def test_dry_run_prints_the_plan_and_writes_nothing(emu, minutes_dir):
    """--dry-run: the plan (4 creates) and no write request at all."""
    lines: list[str] = []
    result = run(emu, emu.user_token("pulp"), dry_run=True, report=lines.append)
    assert emu.writes() == 0
    assert result.plan.count(Kind.CREATE) == 4 and len(lines) == 4
    assert lines[0].startswith(
        "create         -  minutes.md:6  'Post to discourse (3.22 release)': new AI"
    )
    assert result.summary().startswith(
        "pulp/pulpcore: dry run: would create 4, update 0, create 3 labels and 1 milestone;"
    )


def test_with_actions_installation_token_the_bot_s_issues_are_recognised(emu, minutes_dir):
    """GITHUB_TOKEN of Actions cannot read /user; github-actions[bot]'s issues are still tracker's."""
    token = emu.installation_token(repo=REPO)
    run(emu, token)
    assert {i.user.login for i in issues(emu, token)} == {"github-actions[bot]"}
    again = run(emu, token)
    assert emu.writes() == 0
    assert again.plan.count(Kind.UNCHANGED) == 4


def test_an_owner_who_cannot_be_assigned_leaves_the_issue_unassigned_with_a_warning(
    github_emulator, minutes_dir
):
    """gerrod has no access to the repo: his AI is created unassigned and the line is named."""
    github_emulator.add_repo(REPO, collaborators=["dkliban", "ggainey"])
    token = github_emulator.user_token("pulp")
    result = run(github_emulator, token)
    assert result.error is None and len(issues(github_emulator, token)) == 4
    assert issues(github_emulator, token)[1].assignees == []
    assert result.warnings == (
        (
            "minutes.md:7: warning: gerrod cannot be assigned in pulp/pulpcore; the issue stays "
            "unassigned (hint: give them access to the repository, or fix people: in the config)"
        ),
    )


def test_a_create_whose_answer_is_lost_is_found_not_duplicated(emu, minutes_dir):
    """GitHub creates the issue but the answer is a 502: the marker is looked up, no second POST."""
    token = emu.user_token("pulp")
    emu.fail_next(method="POST", path_regex=r"/issues$", status=502, apply=True)
    result = run(emu, token)
    assert result.error is None
    assert len(issues(emu, token)) == 4
    assert result.outcomes[0].note == "answer lost; found the created issue"
    assert len(list(emu.requests("POST", r"/issues$"))) == 4  # the failed one was not resent


def test_a_create_that_failed_before_reaching_github_is_sent_again_once(emu, minutes_dir):
    """A 502 that created nothing: the lookup finds no marker, so the create is sent again."""
    token = emu.user_token("pulp")
    emu.fail_next(method="POST", path_regex=r"/issues$", status=502)
    result = run(emu, token)
    assert result.error is None and len(issues(emu, token)) == 4
    assert len(list(emu.requests("POST", r"/issues$"))) == 5


@pytest.mark.parametrize("drop", [False, True], ids=["502", "connection-dropped"])
def test_a_run_stopped_by_faults_is_finished_by_a_rerun_without_duplicates(emu, minutes_dir, drop):
    """A failed create, then a lost answer to its second try: the run stops; the rerun completes it."""
    token = emu.user_token("pulp")
    emu.fail_next(method="POST", path_regex=r"/issues$", status=502)
    emu.fail_next(method="POST", path_regex=r"/issues$", status=502, apply=True, drop=drop)
    emu.check_responses = not drop  # a dropped connection has no response to check
    first = run(emu, token)
    assert first.error is not None and first.error.startswith(
        "could not create an issue in pulp/pulpcore"
    )
    assert "1 created" not in first.summary() and "rerun to finish" in first.summary()
    rerun = run(emu, token)
    assert rerun.error is None
    assert [o.action.kind for o in rerun.outcomes] == [Kind.UNCHANGED] + [Kind.CREATE] * 3
    made = issues(emu, token)
    assert len(made) == 4 and len({find_marker(i.body) for i in made}) == 4


def test_a_run_killed_midway_is_finished_by_a_rerun_without_duplicates(emu, minutes_dir):
    """The process dies after two creates; the rerun creates the other two and nothing twice."""
    token = emu.user_token("pulp")
    seen: list[str] = []

    def die_after_two(line: str) -> None:
        seen.append(line)
        if len(seen) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(emu, token, report=die_after_two)
    assert len(issues(emu, token)) == 2
    rerun = run(emu, token)
    assert [o.action.kind for o in rerun.outcomes] == [Kind.UNCHANGED] * 2 + [Kind.CREATE] * 2
    assert emu.writes() == 2
    assert len(issues(emu, token)) == 4


def test_a_title_edited_on_github_is_kept_and_a_conflicting_minutes_change_is_reported(
    emu, minutes_dir
):
    """A maintainer retitles an issue; the minutes change that AI's topic: the title stays theirs."""
    token = emu.user_token("pulp")
    run(emu, token)
    issues(emu, token)[0].edit(title="Announce 3.22 on Discourse")
    assert run(emu, token).plan.count(Kind.UNCHANGED) == 4  # the edit alone: kept, nothing written
    (minutes_dir / "minutes.md").write_text(
        MINUTES.replace("- 3.22 release", "- 3.22 GA"), encoding="utf-8"
    )
    result = run(emu, token)
    first = result.outcomes[0]
    assert first.action.kind is Kind.CONFLICT and first.action.conflicts == ("title",)
    assert issues(emu, token)[0].title == "Announce 3.22 on Discourse"
    assert "- **Topic:** 3.22 GA" in issues(emu, token)[0].body


def expected_logins() -> dict[int, set[str]]:
    expected = yaml.safe_load(
        (CORPUS / "pulpcore-minutes.expected.yaml").read_text(encoding="utf-8")
    )
    aliases = expected["aliases"]
    return {
        ai["line"]: ({aliases[ai["owner"]]} if ai["owner"] in aliases else set())
        for ai in expected["action_items"]
        if "carry_over" not in ai
    }


@needs_corpus
def test_the_pulpcore_minutes_become_28_issues_two_release_milestones_and_stay_in_step(
    github_emulator, tmp_path, monkeypatch
):
    """The real corpus: 28 issues, 3.22 and 3.25 with one blocker each; rerun 0 writes; 1 edit, 1 write."""
    config = corpus_config()
    logins = sorted({login for login in config.people})
    github_emulator.add_repo(REPO, collaborators=logins)
    token = github_emulator.user_token("pulp")
    monkeypatch.chdir(tmp_path)
    text = (CORPUS / "pulpcore-minutes.txt").read_text(encoding="utf-8")
    Path("pulpcore-minutes.txt").write_text(text, encoding="utf-8")

    first = run(github_emulator, token, config=config, path="pulpcore-minutes.txt")
    assert github_emulator.writes() == 28 + 4 + 2  # issues + labels + milestones
    assert github_emulator.reads() <= math.ceil(28 / 100) + 5
    assert first.error is None and first.warnings == ()
    repo = github_emulator.repo(REPO)
    made = issues(github_emulator, token)
    assert len(made) == 28
    by_milestone: dict[str, list[int]] = {}
    for issue in made:
        if issue.milestone:
            by_milestone.setdefault(issue.milestone.title, []).append(issue.number)
            assert "release-blocker" in {label.name for label in issue.labels}
    assert sorted(by_milestone) == ["3.22", "3.25"]
    assert [len(numbers) for numbers in by_milestone.values()] == [1, 1]
    assert first.labels_created == ("action-item", "release-blocker", "owner:team", "owner:all")
    lines = {o.action.where: o.issue for o in first.outcomes}
    wanted = expected_logins()
    assert len(wanted) == 28
    for issue in made:
        line = next(int(w.rsplit(":", 1)[1]) for w, n in lines.items() if n == issue.number)
        assert {a.login for a in issue.assignees} == wanted[line], line
    assert len(repo.issues) == 28

    run(github_emulator, token, config=config, path="pulpcore-minutes.txt")
    assert github_emulator.writes() == 0

    edited = text.replace(
        "AI: ggainey to post to discourse", "AI: ggainey to post the 3.22 plan to discourse"
    )
    assert edited != text
    Path("pulpcore-minutes.txt").write_text(edited, encoding="utf-8")
    again = run(github_emulator, token, config=config, path="pulpcore-minutes.txt")
    assert github_emulator.writes() == 1
    assert again.plan.count(Kind.UPDATE) == 1 and again.plan.count(Kind.CREATE) == 0


def test_an_owner_who_lost_access_during_the_run_is_left_out_not_failed(emu, minutes_dir):
    """GitHub answers 422 for an assignee who cannot be assigned: the issue is created unassigned."""
    token = emu.user_token("pulp")

    def revoke_gerrod(line: str) -> None:
        emu.repo(REPO).collaborators.discard("gerrod")  # after the snapshot, before gerrod's AI

    result = run(emu, token, report=revoke_gerrod)
    assert result.error is None and len(issues(emu, token)) == 4
    assert issues(emu, token)[1].assignees == []
    assert [r.status for r in emu.requests("POST", r"/issues$")] == [201, 422, 201, 201, 201]
    assert result.warnings == (
        "minutes.md:7: warning: GitHub refused to assign gerrod; the issue stays unassigned",
    )


def test_hundreds_of_issues_and_assignable_users_are_read_page_by_page(
    github_emulator, tmp_path, monkeypatch
):
    """150 AIs and 120 collaborators: listings follow pages of 100; reads stay within ceil(n/100) + 5."""
    people = [f"dev{n}" for n in range(120)]
    github_emulator.add_repo(REPO, collaborators=people)
    monkeypatch.chdir(tmp_path)
    lines = ["## 2023-01-10", ""] + [
        f"- AI: [dev{119 - n % 2}] task number {n}" for n in range(150)
    ]
    Path("minutes.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    config = Config(people={login: () for login in people})
    token = github_emulator.user_token("pulp")
    first = run(github_emulator, token, config=config)
    assert first.error is None and first.warnings == ()
    assert {a.login for i in issues(github_emulator, token) for a in i.assignees} == {
        "dev118",
        "dev119",
    }
    run(github_emulator, token, config=config)
    assert github_emulator.writes() == 0
    assert (
        github_emulator.reads() == 1 + 2 + 2 + 1 + 1
    )  # user, issues, assignees, labels, milestones
    assert github_emulator.reads() <= math.ceil(150 / 100) + 5


def test_a_token_that_may_open_but_not_label_issues_stops_the_run(emu, minutes_dir):
    """GitHub drops the labels of an outsider's issue: tracker stops rather than lose track of it."""
    run(emu, emu.user_token("pulp"))
    (minutes_dir / "minutes.md").write_text(
        MINUTES + "- AI: [ggainey] one more thing\n", encoding="utf-8"
    )
    outsider = emu.user_token("outsider")
    result = run(emu, outsider, config=replace(CONFIG, bot_authors=("pulp",)))
    assert result.error == (
        "GitHub opened #5 in pulp/pulpcore without its labels: the token may open issues but not "
        "label them (hint: give it write access to the repository; then label #5 'action-item' by "
        "hand before the next run)"
    )


# --------------------------------------------------------------------------- races (issue 10)


def run_racing(emu, token: str, *, other, after: int = 1, relook_after: float = 3600, **kw):
    """Sync while ``other`` runs a whole second sync right after this one's ``after``-th
    action: the other run lists what this one made so far and creates the rest, as two syncs
    started together do (no thread, no sleep: the interleaving is exact)."""
    seen: list[str] = []

    def hook(line: str) -> None:
        seen.append(line)
        if len(seen) == after:
            other()

    config = kw.pop("config", CONFIG)
    s = replace(settings(emu, token), relook_after=relook_after)
    return sync(parse(["minutes.md"], config=config), config=config, settings=s, report=hook)


def test_two_syncs_at_once_leave_duplicates_that_the_next_run_closes_linking_the_original(
    emu, minutes_dir
):
    """Two runs listing before each other's creates duplicate three AIs; the next run keeps
    the oldest issue of each, closes the others as duplicates with a comment linking it, and
    says so; the run after that writes nothing."""
    token = emu.user_token("pulp")
    run_racing(emu, token, other=lambda: run(emu, token))
    repo = emu.repo(REPO)
    assert len(repo.issues) == 7  # 1 by the first run, 3 by the second, 3 twins by the first
    repair = run(emu, token)
    closed = [
        (o.issue, o.action.original) for o in repair.outcomes if o.action.kind is Kind.DUPLICATE
    ]
    assert closed == [(5, 2), (6, 3), (7, 4)]
    assert "3 duplicates closed" in repair.summary()
    for twin, original in closed:
        issue = repo.issue(twin)
        assert (issue.state, issue.state_reason) == ("closed", "duplicate")
        assert [c.body for c in issue.comments] == [
            (
                f"Duplicate of #{original}: both carry the same action item's marker (two syncs "
                "ran at once). tracker keeps the older issue and closes this one."
            )
        ]
    open_markers = [find_marker(i.body) for i in repo.issues if i.state == "open"]
    assert len(open_markers) == len(set(open_markers)) == 4
    assert run(emu, token).plan.writes == 0 and emu.writes() == 0


def test_a_run_that_finds_another_run_creating_looks_up_before_each_create(emu, minutes_dir):
    """With the listing stale, a create first looks the marker up among the newest issues: the
    second run's issues are adopted, not doubled, and the user is told another run is on."""
    token = emu.user_token("pulp")
    first = run_racing(emu, token, other=lambda: run(emu, token), relook_after=0)
    assert len(emu.repo(REPO).issues) == 4
    assert [o.note for o in first.outcomes] == [""] + ["opened meanwhile by another run"] * 3
    assert first.warnings[-1] == (
        "warning: another sync seems to be running on pulp/pulpcore (it opened #2 meanwhile); "
        "looking each AI up before creating its issue"
    )


def test_a_fresh_listing_costs_no_extra_look_up(emu, minutes_dir):
    """A run that creates within relook_after seconds of its listing makes no extra request."""
    token = emu.user_token("pulp")
    run(emu, token)
    assert len(list(emu.requests("GET", r"/issues$"))) == 2  # the listing, the recent issues


def test_a_github_without_the_duplicate_reason_closes_a_twin_as_not_planned(emu, minutes_dir):
    """Where GitHub refuses state_reason "duplicate" (422), the twin is closed as not planned."""
    token = emu.user_token("pulp")
    run_racing(emu, token, other=lambda: run(emu, token))
    emu.fail_next(
        "PATCH",
        r"/issues/5$",
        status=422,
        message="Validation Failed",
        errors=[{"resource": "Issue", "code": "invalid", "field": "state_reason"}],
    )
    run(emu, token)
    assert [(i.number, i.state_reason) for i in emu.repo(REPO).issues if i.state == "closed"] == [
        (5, "not_planned"),
        (6, "duplicate"),
        (7, "duplicate"),
    ]


# --------------------------------------------------------------------------- adoption (issue 10)


def test_an_issue_whose_tracker_label_was_removed_is_adopted_and_relabelled(emu, minutes_dir):
    """Someone removes the tracker label: the next run finds the issue among those updated
    last (one read), puts the label back (one PATCH) and opens nothing."""
    token = emu.user_token("pulp")
    run(emu, token)
    issues(emu, token)[0].remove_from_labels("action-item")
    result = run(emu, token)
    assert len(emu.repo(REPO).issues) == 4
    assert result.outcomes[0].action.reason == (
        "its tracker label was removed; put back; edited on GitHub, kept: labels"
    )
    assert emu.repo(REPO).issue(1).labels == ["action-item"]
    assert (emu.reads(), emu.writes()) == (5 + 1, 1)
    assert run(emu, token).plan.writes == 0


def test_an_issue_whose_hidden_comments_were_removed_is_adopted_by_its_title(emu, minutes_dir):
    """A hand-edited body without tracker's comments: the issue whose title is the AI's (and
    whose body names its meeting) is adopted; the edit is kept, the comments restored."""
    token = emu.user_token("pulp")
    run(emu, token)
    mine = issues(emu, token)[3]
    mine.edit(body="Meeting of 2023-01-10: Dennis looks into the failing test. Logs attached.")
    result = run(emu, token)
    assert len(emu.repo(REPO).issues) == 4
    assert result.outcomes[3].action.reason == (
        "adopted #4 (its title matches); its hidden comments restored; edited on GitHub, kept: body"
    )
    body = emu.repo(REPO).issue(4).body
    assert body.startswith("Meeting of 2023-01-10: Dennis looks into the failing test.")
    assert find_marker(body) == result.outcomes[3].action.ai_id
    assert run(emu, token).plan.writes == 0


def test_an_issue_the_minutes_link_to_is_adopted_whatever_became_of_it(emu, minutes_dir):
    """The line says ``(#1)``; #1 lost its label and its hidden comments and is not among the
    100 issues updated last: it is read by number (one GET), adopted, relabelled."""
    token = emu.user_token("pulp")
    run(emu, token)
    first = issues(emu, token)[0]
    first.edit(title="Announce it", body="Rewritten by hand.", labels=[])
    emu.clock.advance(60)  # the 100 issues below are updated later than #1
    repo = Github(
        auth=Auth.Token(token),
        base_url=emu.url,
        seconds_between_requests=None,
        seconds_between_writes=None,
    ).get_repo(REPO)
    for n in range(100):
        repo.create_issue(title=f"unrelated {n}")
    text = MINUTES.replace("post to discourse", "post to discourse (#1)")
    (minutes_dir / "minutes.md").write_text(text, encoding="utf-8")
    result = run(emu, token)
    assert result.outcomes[0].action.reason.startswith(
        "adopted #1 (the minutes link it to #1); its hidden comments restored; its tracker label "
        "was removed; put back"
    )
    assert len(list(emu.requests("GET", r"/issues/1$"))) == 1
    adopted = emu.repo(REPO).issue(1)
    assert adopted.labels == ["action-item"] and adopted.title == "Announce it"
    assert len(emu.repo(REPO).issues) == 104


def test_another_author_s_issue_with_the_same_title_is_not_adopted(emu, minutes_dir):
    """Only issues a trusted author opened can be adopted: someone else's look-alike is not."""
    token = emu.user_token("pulp")
    run(emu, token)
    outsider = Github(
        auth=Auth.Token(emu.user_token("gerrod")),
        base_url=emu.url,
        seconds_between_requests=None,
        seconds_between_writes=None,
    )
    outsider.get_repo(REPO).create_issue(
        title="Write the minutes", body="2023-01-10", labels=["action-item"]
    )
    (minutes_dir / "minutes.md").write_text(
        MINUTES + "- AI: [ggainey] write the minutes\n", encoding="utf-8"
    )
    result = run(emu, token)
    assert [o.action.kind for o in result.outcomes][:5] == [Kind.UNCHANGED] * 4 + [Kind.CREATE]
    assert len(emu.repo(REPO).issues) == 6
