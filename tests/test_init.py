"""`tracker init`: a repository set up in one command; then check and a dry run pass."""

from __future__ import annotations

from textwrap import dedent

import pytest
import yaml

MINUTES = dedent(
    """\
    # Storage team 2024-03-12

    - AI: [Kim] benchmark the parser
    - AI: [@lee-k] write the migration guide
    - AI: [Kim] tag the release
    """
)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("GITHUB_ACTIONS", "GITHUB_TOKEN", "GH_TOKEN", "GITHUB_REPOSITORY"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "minutes").mkdir()
    (tmp_path / "minutes" / "2024-03-05.md").write_text("# 2024-03-05\n\n- AI: [Kim] old\n")
    (tmp_path / "minutes" / "2024-03-12.md").write_text(MINUTES, encoding="utf-8")
    return tmp_path


def test_init_then_check_then_a_dry_run(cli, repo, github_emulator, monkeypatch):
    """Three commands in a new repository: init writes the files, check passes (warnings
    only), and the dry run plans only the newest meeting's AIs (sync.since)."""
    result = cli("init")
    assert result.stdout.startswith(
        "tracker: wrote tracker.yml, .github/workflows/tracker-sync.yml, "
        ".github/workflows/tracker-pending.yml\n\nNext steps:\n"
    )
    config = (repo / "tracker.yml").read_text(encoding="utf-8")
    assert "  lee-k: []  # 1 AI, first at minutes/2024-03-12.md:4\n" in config
    assert "  # LOGIN: [Kim]  # 3 AIs, first at minutes/2024-03-05.md:3\n" in config
    assert "  since: 2024-03-12\n" in config
    assert "uses: minutes-tracker/tracker@" in (
        repo / ".github" / "workflows" / "tracker-sync.yml"
    ).read_text(encoding="utf-8")

    check = cli("check")
    assert check.stdout.endswith(
        "tracker check: 2 meetings, 4 action items: 0 errors, 3 warnings\n"
    )

    github_emulator.add_repo("widgets/minutes", collaborators=["lee-k"])
    monkeypatch.setenv("GITHUB_TOKEN", github_emulator.user_token("widgets"))
    monkeypatch.setenv("TRACKER_THROTTLE", "0")
    dry = cli(
        "sync",
        "--dry-run",
        "--repo",
        "widgets/minutes",
        "--api-url",
        github_emulator.url,
        "minutes",
    )
    assert "dry run: would create 3, update 0" in dry.stdout
    assert "tracker: 1 AI of meetings before sync.since left out\n" in dry.stderr
    assert github_emulator.writes() == 0


def test_init_never_overwrites_without_force(cli, repo):
    (repo / "tracker.yml").write_text("repo: o/r\n", encoding="utf-8")
    result = cli("init", code=1)
    assert result.stderr == (
        "tracker: error: tracker.yml: already there; nothing was written "
        "(hint: rerun with --force to overwrite)\n"
    )
    assert not (repo / ".github").exists()
    cli("init", "--force")
    assert (repo / "tracker.yml").read_text(encoding="utf-8").startswith("# tracker's config")


def test_without_minutes_yet_it_says_where_to_put_them(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("init", "--minutes", "docs/meetings", "--pending-file", "docs/next.md")
    assert "  - put the minutes in docs/meetings/ (or rerun with --minutes PATH)\n" in result.stdout
    assert "since:" not in (tmp_path / "tracker.yml").read_text(encoding="utf-8")
    pending = (tmp_path / ".github" / "workflows" / "tracker-pending.yml").read_text("utf-8")
    assert '          pending-file: "docs/next.md"\n' in pending
    sync = (tmp_path / ".github" / "workflows" / "tracker-sync.yml").read_text("utf-8")
    assert '      - "docs/meetings/**"\n' in sync


@pytest.mark.parametrize("action", ["bad", "minutes-tracker/tracker@v1", "o/r@" + "0" * 39])
def test_an_action_not_pinned_by_commit_is_refused_and_nothing_is_written(cli, repo, action):
    """--action must be OWNER/NAME@SHA: `uses: bad` was written, and Actions failed later."""
    result = cli("init", "--action", action, code=2)
    assert (
        "Error: Invalid value for --action: expected OWNER/NAME@SHA, the action pinned by its "
        f"full commit SHA (40 hex digits), got {action!r}\n"
    ) in result.stderr
    assert not (repo / "tracker.yml").exists()
    assert not (repo / ".github").exists()


def test_a_pinned_action_of_a_fork_goes_into_both_workflows(cli, repo):
    pin = "my-org/tracker-fork@" + "a1" * 20
    cli("init", "--action", pin)
    for name in ("tracker-sync.yml", "tracker-pending.yml"):
        workflow = (repo / ".github" / "workflows" / name).read_text(encoding="utf-8")
        assert f"      - uses: {pin}\n" in workflow


def test_next_steps_count_the_people_to_map_in_words(cli, tmp_path, monkeypatch):
    """One person to map is `1 person` (it said `1 people`)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "minutes").mkdir()
    (tmp_path / "minutes" / "2024-03-12.md").write_text("# 2024-03-12\n\n- AI: [Kim] tag it\n")
    result = cli("init")
    assert (
        "  - map the 1 person listed in tracker.yml to their GitHub logins (until then their "
        "AIs stay unassigned)\n"
    ) in result.stdout
    # A dry run needs a token too (it reads the issues): the step says so.
    assert (
        "  - the first sync's plan: GITHUB_TOKEN=… tracker sync --dry-run --repo OWNER/NAME "
        "minutes\n    (a dry run writes nothing, but reads the repository's issues with the "
        "token)\n"
    ) in result.stdout


# ------------------------------------------------------------------ minutes on the web (issue 13)

TOPIC_MEETINGS = (
    "## 2024-03-05\n\n- AI: [Kim] benchmark the parser\n",
    "## 2024-03-12\n\n- AI: [@lee-k] write the migration guide\n- AI: [Kim] tag it\n",
)


@pytest.fixture
def topic(discourse_emulator, monkeypatch):
    """A forum topic of two meetings, and its ``discourse:`` source."""
    monkeypatch.setenv("TRACKER_THROTTLE", "0")
    monkeypatch.delenv("DISCOURSE_API_KEY", raising=False)
    emu = discourse_emulator
    found = emu.forum.create_topic("Storage team minutes", user="lead")
    for raw in TOPIC_MEETINGS:
        emu.forum.add_post(found.id, raw, user="lead")
    return f"discourse:{emu.url}/t/{found.slug}/{found.id}"


def _written(root):
    workflows = root / ".github" / "workflows"
    return (
        (root / "tracker.yml").read_text(encoding="utf-8"),
        (workflows / "tracker-sync.yml").read_text(encoding="utf-8"),
        (workflows / "tracker-pending.yml").read_text(encoding="utf-8"),
    )


def test_init_for_a_discourse_topic_names_it_in_sources_and_syncs_on_a_schedule(
    cli, tmp_path, monkeypatch, topic
):
    """The topic is read once for the people and sync.since, and named in sources:; the sync
    runs hourly (nothing is pushed when a post changes) and keeps the version cache with
    actions/cache; no workflow gets Discourse's secrets unless posting is asked for; check
    then reads the topic through sources:."""
    monkeypatch.chdir(tmp_path)
    result = cli("init", "--minutes", topic)
    assert "  - check the config and the minutes: tracker check\n" in result.stdout
    config, sync, pending = _written(tmp_path)
    assert f'sources: ["{topic}"]\n' in config
    assert "  cache: .tracker-cache/discourse.json\n" in config
    assert "  lee-k: []  # 1 AI, first at storage-team-minutes/2:3\n" in config
    assert "  # LOGIN: [Kim]  # 2 AIs, first at storage-team-minutes/1:3\n" in config
    assert "  since: 2024-03-12\n" in config
    assert "pull_request" not in config
    assert "push:" not in sync and '    - cron: "23 * * * *" # hourly\n' in sync
    cache = "      - uses: actions/cache@5a3ec84eff668545956fd18022155c47e93e2684 # v4.2.3\n"
    assert cache in sync and cache in pending
    assert "          path: .tracker-cache\n" in sync
    assert f'          minutes: "{topic}"\n' in sync
    assert "${{ secrets." not in sync + pending
    assert "post:" not in pending and "rerun `tracker init --force" in pending
    assert not (tmp_path / ".tracker-cache").exists()
    check = cli("check")
    assert check.stdout.endswith(
        "tracker check: 2 meetings, 3 action items: 0 errors, 2 warnings\n"
    )


def test_init_with_post_gives_only_the_weekly_workflow_the_secrets(
    cli, tmp_path, monkeypatch, topic
):
    """--post: the weekly workflow replies to the topic, with the key and user from the
    repository's secrets; --edit-post ID: it rewrites post ID. The sync never gets them."""
    monkeypatch.chdir(tmp_path)
    result = cli("init", "--minutes", topic, "--post")
    assert "  - add the repository secrets DISCOURSE_API_KEY and DISCOURSE_API_USERNAME:\n" in (
        result.stdout
    )
    _config, sync, pending = _written(tmp_path)
    assert pending.endswith(
        f'          post: "{topic}"\n'
        "          discourse-api-key: ${{ secrets.DISCOURSE_API_KEY }}\n"
        "          discourse-api-username: ${{ secrets.DISCOURSE_API_USERNAME }}\n"
    )
    assert "${{ secrets." not in sync
    cli("init", "--minutes", topic, "--edit-post", "1002", "--force")
    _config, sync, pending = _written(tmp_path)
    assert '          edit-post: "1002"\n' in pending and "  post:" not in pending
    assert "${{ secrets.DISCOURSE_API_KEY }}" in pending and "${{ secrets." not in sync


def test_init_for_a_markdown_url_keeps_no_cache_and_cannot_post(cli, tmp_path, monkeypatch):
    """A URL that serves Markdown (here one nothing answers at: the files are written all
    the same, and the next steps say what could not be read); no Discourse cache, no
    posting."""
    monkeypatch.chdir(tmp_path)
    url = "http://127.0.0.1:9/minutes.md"
    result = cli("init", "--minutes", url)
    assert f"  - tracker could not read the minutes: {url}: cannot fetch: connection refused\n" in (
        result.stdout
    )
    config, sync, pending = _written(tmp_path)
    assert f'sources: ["{url}"]\n' in config and "discourse:" not in config
    assert "actions/cache" not in sync + pending and "push:" not in sync
    assert "since:" not in config
    offline = cli("check", "--offline")
    assert offline.stdout == (
        "tracker check: 0 meetings, 0 action items (1 on the web not read: --offline): "
        "0 errors, 0 warnings\n"
    )
    refused = cli("init", "--minutes", url, "--post", "--force", code=1)
    assert refused.stderr == (
        f"tracker: error: {url}: --post and --edit-post post to a Discourse topic "
        "(hint: give --minutes discourse:https://HOST/t/SLUG/ID)\n"
    )


@pytest.mark.parametrize(
    "folder", ["my notes", 'notes "draft"', "notes #3", "a: b", "2024", "notizen ü", "2024-13-45"]
)
def test_any_minutes_folder_name_gives_workflows_that_read_back_as_written(
    cli, tmp_path, monkeypatch, folder
):
    """The folder and the pending file go into the workflows as YAML reads them back: a `"`
    made them invalid YAML, and `#` or `: ` would have changed what Actions runs."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / folder).mkdir()
    (tmp_path / folder / "2024-03-12.md").write_text("# 2024-03-12\n\n- AI: [Kim] tag it\n")
    cli("init", "--minutes", folder, "--pending-file", f"{folder}/next.md")
    workflows = tmp_path / ".github" / "workflows"
    sync = yaml.safe_load((workflows / "tracker-sync.yml").read_text(encoding="utf-8"))
    pending = yaml.safe_load((workflows / "tracker-pending.yml").read_text(encoding="utf-8"))
    assert sync[True]["push"]["paths"][0] == f"{folder}/**"  # YAML 1.1 reads `on:` as True
    (sync_step,) = [s for s in sync["jobs"]["sync"]["steps"] if "command" in s.get("with", {})]
    assert sync_step["with"]["minutes"] == folder
    (step,) = [s for s in pending["jobs"]["pending"]["steps"] if "command" in s.get("with", {})]
    assert (step["with"]["minutes"], step["with"]["pending-file"]) == (folder, f"{folder}/next.md")
