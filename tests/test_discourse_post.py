"""``tracker pending --post`` / ``--edit-post`` (issue 13): the Pending AIs section where the
team reads its minutes, against the Discourse and GitHub emulators. Opt-in, never twice the
same, and never over a human's edit."""

from __future__ import annotations

from textwrap import dedent

import pytest

from tracker.discourse import OWN_POST_MARKER
from tracker.section import END_MARKER, START_MARKER

REPO = "widgets/core"
KEY = "posting-key"
MEETING = dedent(
    """\
    ## 2024-03-05

    - Parser rewrite
      - AI: [alice] publish the benchmark numbers
      - AI: [bob] profile the tokenizer
    """
)
NEXT = dedent(
    f"""\
    ## 2024-03-12

    ### Pending AIs

    {START_MARKER}
    {END_MARKER}

    - Storage backend
      - nothing new
    """
)


@pytest.fixture
def site(discourse_emulator):
    """A topic of two meetings, the second with an empty Pending AIs section; a key that may
    write as tracker-bot (an admin: it may edit the facilitator's post)."""
    emu = discourse_emulator
    topic = emu.forum.create_topic("Widgets minutes", user="lead")
    emu.forum.add_post(topic.id, MEETING, user="lead")
    emu.forum.add_post(topic.id, NEXT, user="lead")
    emu.forum.add_key(KEY, username="tracker-bot")
    return emu, topic


@pytest.fixture
def run(cli, site, github_emulator, tmp_path, monkeypatch):
    """``tracker ARGS`` in a project synced once to the GitHub emulator."""
    emu, topic = site
    github_emulator.add_repo(REPO, collaborators=["alice", "bob"])
    monkeypatch.chdir(tmp_path)
    spec = f"discourse:{emu.url}/t/{topic.slug}/{topic.id}"
    (tmp_path / "tracker.yml").write_text(
        f"repo: {REPO}\npeople: {{alice: [], bob: []}}\nsources: ['{spec}']\n", encoding="utf-8"
    )
    monkeypatch.setenv("GITHUB_TOKEN", github_emulator.user_token("widgets"))
    monkeypatch.setenv("GITHUB_API_URL", github_emulator.url)
    monkeypatch.setenv("TRACKER_THROTTLE", "0")
    monkeypatch.setenv("DISCOURSE_API_KEY", KEY)
    monkeypatch.setenv("DISCOURSE_API_USERNAME", "tracker-bot")
    cli("sync")

    def invoke(*args: str, code: int = 0):
        emu.log.clear()
        return cli(*args, code=code)

    invoke.spec = spec  # type: ignore[attr-defined]
    return invoke


def writes(emu):
    return [(r.method, r.operation, r.status) for r in emu.log if r.method != "GET"]


def test_post_replies_with_the_section_once(run, site):
    """The reply holds tracker's marker and the section; a second run with nothing changed
    posts nothing, and the reply is never read back as minutes."""
    emu, topic = site
    first = run("pending", "--post", run.spec)
    assert writes(emu) == [("POST", "/posts.json", 200)]
    reply = topic.posts[-1]
    assert reply.user.username == "tracker-bot"
    assert reply.raw == f"{OWN_POST_MARKER}\n{START_MARKER}\n{first.stdout}{END_MARKER}".strip()
    assert "publish the benchmark numbers ([#1](" in reply.raw
    assert f"{emu.url}/t/{topic.slug}/{topic.id}/3: posted" in first.stderr
    again = run("pending", "--post", run.spec)
    assert writes(emu) == []
    assert f"{emu.url}/t/{topic.slug}/{topic.id}/3: is up to date" in again.stderr
    assert len(topic.posts) == 3
    assert "0 created, 0 updated" in run("sync").stdout


def test_a_look_alike_reply_by_someone_else_is_not_tracker_s(run, site):
    """A reply that copies tracker's marker and section, by anyone but the user tracker posts
    as (or a trusted author), is not tracker's: --post still posts, and the copy's restated
    AIs are not read as minutes."""
    emu, topic = site
    section = run("pending").stdout
    forged = f"{OWN_POST_MARKER}\n{START_MARKER}\n{section}{END_MARKER}"
    emu.forum.add_post(topic.id, forged, user="mallory")
    result = run("pending", "--post", run.spec)
    assert writes(emu) == [("POST", "/posts.json", 200)]
    assert f"{emu.url}/t/{topic.slug}/{topic.id}/4: posted" in result.stderr
    assert topic.posts[-1].user.username == "tracker-bot"
    assert "0 created, 0 updated" in run("sync").stdout


def test_edit_post_rewrites_only_the_section_of_a_minutes_post(run, site):
    """Only the lines between the markers change (sent with the text read, as
    post[original_text]); a second run edits nothing; the minutes read back the same.
    Without --post, the site is the config's first Discourse source."""
    emu, topic = site
    post = topic.posts[1]
    result = run("pending", "--edit-post", str(post.id), "--post", run.spec)
    [put] = [r for r in emu.log if r.method == "PUT"]
    assert put.request_body["post"]["original_text"] == NEXT
    assert post.version == 2
    before, _, rest = NEXT.partition(START_MARKER)
    assert post.raw.startswith(before + START_MARKER + "\n" + result.stdout)
    assert post.raw.endswith(rest.partition(END_MARKER)[1] + rest.partition(END_MARKER)[2].rstrip())
    assert f"{emu.url}/p/{post.id}: edited" in result.stderr
    run("pending", "--edit-post", str(post.id))  # the site: the config's Discourse source
    assert writes(emu) == []
    synced = run("sync")
    assert "0 created, 0 updated" in synced.stdout


def test_edit_post_against_a_post_edited_meanwhile_reports_the_conflict_and_keeps_the_edit(
    run, site
):
    emu, topic = site
    post = topic.posts[1]
    human = NEXT.replace("nothing new", "Kim found a bug in the S3 driver")

    def someone_edits(forum, _record):
        forum.edit_post(post.id, human)

    emu.after("GET", "/posts/{id}.json", someone_edits)
    result = run("pending", "--edit-post", str(post.id), "--post", run.spec, code=1)
    assert writes(emu) == [("PUT", "/posts/{id}.json", 409)]
    assert result.stderr.endswith(
        f"tracker: error: Discourse refused the edit while editing post {post.id}: the post was "
        "edited since tracker read it (409 edit_conflict); it was left as it is (hint: rerun to "
        "edit the post as it is now)\n"
    )
    assert (post.raw, post.version) == (human, 2)


def test_post_needs_a_discourse_topic(run):
    result = run("pending", "--post", "https://example.org/minutes.md", code=2)
    assert "--post takes a topic, discourse:https://HOST/t/SLUG/ID" in result.stderr


def test_the_job_summary_says_what_posting_did(run, site, tmp_path, monkeypatch):
    """In Actions, the summary has Discourse's refusal (and the step fails), or the post's
    link and what was done."""
    emu, topic = site
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    post = topic.posts[1]
    emu.after("GET", "/posts/{id}.json", lambda forum, _r: forum.edit_post(post.id, "edited"))
    run("pending", "--edit-post", str(post.id), "--post", run.spec, "--format", "github", code=1)
    assert (
        "\n\n**Not posted.** Discourse: Discourse refused the edit while editing post "
        f"{post.id}: the post was edited since tracker read it (409 edit_conflict); it was "
        "left as it is (hint: rerun to edit the post as it is now)\n\n"
    ) in summary.read_text("utf-8")
    summary.unlink()
    run("pending", "--post", run.spec, "--format", "github")
    url = f"{emu.url}/t/{topic.slug}/{topic.id}/3"
    assert f"\n\nDiscourse: {url}: posted; 2 Discourse requests\n\n" in summary.read_text("utf-8")
