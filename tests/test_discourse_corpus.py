"""The shared Pulpcore minutes where they came from: a Discourse topic (issue 13, "It must show").

The corpus file is put back on the Discourse emulator as one post per meeting with forum
noise between (``tests/discourse_corpus.py``), and tracker is run on the command line
against it and the GitHub emulator, as a team's weekly workflow would.
"""

from __future__ import annotations

import json
import math

import pytest
import yaml

from tests import corpus
from tests.discourse_corpus import seed_topic, topic_spec
from tracker.identity import find_marker

pytestmark = corpus.needs_corpus

REPO, FROM_FILE = "pulp/pulpcore", "pulp/from-file"
PEOPLE = ["dkliban", "ggainey", "gerrod", "bmbouter", "x9c4", "mdellweg", "decko"]


@pytest.fixture
def site(discourse_emulator):
    """The Discourse emulator holding the corpus as a topic."""
    return discourse_emulator, seed_topic(discourse_emulator.forum)


@pytest.fixture
def github(github_emulator):
    for name in (REPO, FROM_FILE):
        github_emulator.add_repo(name, collaborators=PEOPLE)
    return github_emulator


@pytest.fixture
def project(tmp_path, monkeypatch, github):
    """A folder with the corpus' people in tracker.yml; GitHub and pacing set for the emulator."""
    monkeypatch.chdir(tmp_path)
    config = corpus.corpus_config()
    data = {
        "people": {login: list(names) for login, names in config.people.items()},
        "groups": list(config.groups),
        "discourse": {"cache": "cache/discourse.json"},
    }
    (tmp_path / "tracker.yml").write_text(yaml.safe_dump(data), encoding="utf-8")
    monkeypatch.setenv("GITHUB_TOKEN", github.user_token("pulp"))
    monkeypatch.setenv("TRACKER_THROTTLE", "0")
    for name in ("GITHUB_REPOSITORY", "GITHUB_API_URL", "DISCOURSE_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def sync(cli, github, source: str, repo: str = REPO):
    return cli("sync", "--repo", repo, "--api-url", github.url, "--format", "json", source)


def _same(ai):
    """What must be the same wherever the minutes were read (not where: source, line, link)."""
    return (
        ai["id"],
        ai["meeting"],
        ai["owners"],
        ai["assignees"],
        ai["group"],
        ai["text"],
        ai["topic"],
        ai["implicit"],
        ai["carry_over_of"],
        ai["blocker"],
        ai["done"],
    )


def test_the_topic_parses_to_exactly_the_ais_of_the_file(cli, site, project):
    """Same AIs, owners, carry-overs and blockers; each at SLUG/POST_NUMBER:LINE, linked to its
    post; the whisper with an AI-looking line is not read. (The file's parse is held to the
    ground truth by test_corpus.py.)"""
    emu, topic = site
    from_topic = json.loads(cli("parse", "--format", "json", topic_spec(emu.url, topic)).stdout)
    from_file = json.loads(cli("parse", "--format", "json", str(corpus.MINUTES)).stdout)
    assert [_same(ai) for ai in from_topic["action_items"]] == [
        _same(ai) for ai in from_file["action_items"]
    ]
    assert len(from_topic["action_items"]) == 33
    # The same meetings too: the title post and the replies without AIs are no meetings.
    assert [(m["date"], m["skipped"]) for m in from_topic["meetings"]] == [
        (m["date"], m["skipped"]) for m in from_file["meetings"]
    ]
    assert [w["message"] for w in from_topic["warnings"]] == [
        w["message"] for w in from_file["warnings"]
    ]
    assert sum(ai["carry_over_of"] is not None for ai in from_topic["action_items"]) == 5
    assert [ai["blocker"] for ai in from_topic["action_items"] if ai["blocker"]] == [
        ai["blocker"] for ai in from_file["action_items"] if ai["blocker"]
    ]
    posts = {post.number: post for post in topic.posts}
    for ai in from_topic["action_items"]:
        slug, _, number = ai["source"].partition("/")
        post = posts[int(number)]
        assert slug == topic.slug
        assert ai["link"] == f"{emu.url}/t/{topic.slug}/{topic.id}/{number}"
        assert post.raw.splitlines()[ai["line"] - 1].strip().endswith(ai["raw"])


def test_syncing_from_the_topic_creates_the_same_28_issues_as_from_the_file(
    cli, site, project, github
):
    emu, topic = site
    sync(cli, github, str(corpus.MINUTES), repo=FROM_FILE)
    result = json.loads(sync(cli, github, topic_spec(emu.url, topic)).stdout)
    assert result["plan"]["summary"]["create"] == 28

    def issues(repo):
        state = github.repo(repo)
        titles = {m.number: m.title for m in state.milestones}
        return sorted(
            (
                find_marker(i.body or ""),
                i.title,
                sorted(i.labels),
                sorted(i.assignees),
                titles.get(i.milestone or 0),
            )
            for i in state.issues
        )

    assert issues(REPO) == issues(FROM_FILE)
    assert len(issues(REPO)) == 28
    bodies = [i.body or "" for i in github.repo(REPO).issues]
    assert all(f"{emu.url}/t/{topic.slug}/{topic.id}/" in body for body in bodies)


def test_a_weekly_run_with_no_edit_costs_the_topic_and_its_batches_and_no_github_write(
    cli, site, project, github
):
    emu, topic = site
    spec = topic_spec(emu.url, topic)
    sync(cli, github, spec)
    emu.log.clear()
    github.clear_log()
    result = sync(cli, github, spec)
    posts = len(topic.posts)
    assert len(emu.log) <= 1 + math.ceil(posts / 20)
    assert len(emu.log) == 1 + math.ceil((posts - 20) / 20) == 2
    assert f"tracker: {len(emu.log)} Discourse requests" in result.stderr
    assert all(r.method == "GET" and r.operation != "/posts/{id}.json" for r in emu.log)
    assert github.writes() == 0
    assert json.loads(result.stdout)["plan"]["summary"]["unchanged"] == 28


def test_editing_one_post_changes_exactly_that_ai_s_issue_with_one_write(
    cli, site, project, github
):
    emu, topic = site
    spec = topic_spec(emu.url, topic)
    sync(cli, github, spec)
    post = next(p for p in topic.posts if "AI: ggainey to post to discourse" in p.raw)
    emu.forum.edit_post(
        post.id, post.raw.replace("to post to discourse", "to post the 3.22 schedule to discourse")
    )
    before = {i.number: (i.title, i.body) for i in github.repo(REPO).issues}
    emu.log.clear()
    github.clear_log()
    result = json.loads(sync(cli, github, spec).stdout)
    assert [r.operation for r in emu.log].count("/posts/{id}.json") == 1
    assert github.writes() == 1
    [update] = [a for a in result["plan"]["actions"] if a["action"] == "update"]
    assert update["reason"].startswith("AI text edited (was ")
    after = {i.number: (i.title, i.body) for i in github.repo(REPO).issues}
    changed = [n for n in after if after[n] != before[n]]
    assert changed == [update["issue"]]
    assert after[update["issue"]][0].startswith("Post the 3.22 schedule to discourse")
    assert len(after) == 28


def test_a_hostile_reply_by_a_non_staff_user_opens_nothing(cli, site, project, github):
    """Anyone can reply on a public forum: an AI in a reply by a user who is neither the
    topic's creator nor staff is not read; sync still opens the file's 28 issues, and sync and
    check say once whose post was passed over, and how to trust them."""
    emu, topic = site
    spec = topic_spec(emu.url, topic)
    emu.forum.add_post(topic.id, "AI: [dkliban] give me admin rights", user="mallory")
    emu.forum.add_post(topic.id, "AI: [ggainey] merge my PR unreviewed", user="mallory")
    result = json.loads(sync(cli, github, spec).stdout)
    assert result["plan"]["summary"]["create"] == 28
    titles = [i.title for i in github.repo(REPO).issues]
    assert len(titles) == 28
    assert not any("admin rights" in t or "unreviewed" in t for t in titles)
    number = len(topic.posts) - 1
    warning = (
        f"{topic.slug}/{number}:1: warning: post {number} by mallory holds an AI line but is "
        "not read as minutes: only the posts of the topic's creator or staff are (anyone can "
        "reply on a forum); if mallory writes minutes, add them to the config: "
        "discourse: {authors: [ggainey, dkliban, mallory]}"
    )
    assert [w for w in result["warnings"] if "mallory" in w] == [warning]
    checked = cli("check", spec).stdout
    assert checked.count("mallory") == 3
    assert checked.splitlines()[0] == warning
