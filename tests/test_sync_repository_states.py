"""`tracker sync` and `tracker status` on what a real repository holds besides tracker's
issues (issue 10): issues turned off, an issue deleted or transferred away, pull requests in
the issue listing."""

from __future__ import annotations

import pytest

from tests.test_sync import CONFIG, MINUTES, PEOPLE, REPO, run
from tracker import parse
from tracker.commands import read_status
from tracker.errors import GitHubError
from tracker.identity import marker
from tracker.plan import Kind
from tracker.settings import Settings

OTHER = "pulp/pulp_rpm"


@pytest.fixture
def emu(github_emulator):
    github_emulator.add_repo(REPO, collaborators=list(PEOPLE))
    return github_emulator


@pytest.fixture
def minutes_dir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "minutes.md").write_text(MINUTES, encoding="utf-8")
    return tmp_path


def test_a_repository_with_issues_turned_off_is_one_clear_error(emu, minutes_dir):
    """GitHub answers 410 to every issue endpoint: the message says so and how to fix it."""
    emu.repo(REPO).has_issues = False
    with pytest.raises(GitHubError) as raised:
        run(emu, emu.user_token("pulp"))
    assert str(raised.value) == (
        "issues are turned off in pulp/pulpcore (410 Issues are disabled for this repo) "
        "(hint: turn them on in the repository's settings (General, Features, Issues), or set "
        "--repo to the repository that holds the issues)"
    )
    assert emu.writes() == 0


def test_a_deleted_issue_s_ai_gets_a_new_issue_and_nothing_else_changes(emu, minutes_dir):
    """GitHub drops a deleted issue from the listing (its number answers 410): the next sync
    opens the AI a new issue, once, and leaves the others alone."""
    token = emu.user_token("pulp")
    assert run(emu, token).error is None
    emu.delete_issue(REPO, 1)
    again = run(emu, token)
    assert again.error is None
    assert [(o.action.kind, o.issue) for o in again.outcomes if o.done] == [(Kind.CREATE, 5)]
    assert emu.writes() == 1
    assert run(emu, token).plan.writes == 0


def test_an_issue_transferred_away_is_never_edited_and_the_line_linking_it_opens_no_twin(
    emu, minutes_dir
):
    """A transferred issue leaves the listing (its old number answers 301 to its new home):
    the line that links it (``(#1)``) keeps it as the AI's issue, so nothing is opened here,
    and tracker writes nothing to another repository."""
    token = emu.user_token("pulp")
    emu.add_repo(OTHER, collaborators=list(PEOPLE))
    assert run(emu, token).error is None
    moved = emu.transfer_issue(REPO, 1, OTHER)
    text = (minutes_dir / "minutes.md").read_text(encoding="utf-8")
    (minutes_dir / "minutes.md").write_text(
        text.replace("post to discourse", "post to discourse (#1)"), encoding="utf-8"
    )
    body_before = moved.body
    again = run(emu, token)
    assert again.error is None and emu.writes() == 0
    [linked] = [o for o in again.outcomes if o.issue == 1]
    assert linked.action.reason == "the minutes link it to #1; no issue created"
    assert emu.repo(OTHER).issue(moved.number).body == body_before
    assert len(emu.repo(REPO).issues) == 4


def test_a_pull_request_is_never_taken_for_an_ai_s_issue(emu, minutes_dir):
    """Pull requests share the issue listing: one carrying an AI's marker and title, by the
    token's own user, is neither adopted by sync nor listed by status."""
    token = emu.user_token("pulp")
    ai = parse(["minutes.md"], config=CONFIG).action_items[0]
    emu.add_pull_request(
        REPO, "Post to discourse (3.22 release)", user="pulp", body=f"x\n\n{marker(ai.id)}\n"
    )
    result = run(emu, token)
    assert result.error is None
    created = {o.action.ai_id: o.issue for o in result.outcomes if o.action.kind is Kind.CREATE}
    assert created[ai.id] == 2  # the pull request is #1
    assert [r for r in emu.log if r.is_write and r.path.endswith("/issues/1")] == []
    settings = Settings.unpaced(token=token, repo=REPO, api_url=emu.url)
    read = read_status(parse(["minutes.md"], config=CONFIG), config=CONFIG, settings=settings)
    assert 1 not in {s.issue for s in read.statuses}
