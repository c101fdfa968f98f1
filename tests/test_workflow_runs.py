"""The shipped workflows and the action, run step by step with bash in a temporary git
repository against the local GitHub emulator, with the real tracker (issue 11): what a
maintainer would see in Actions, and what lands in the repository."""

from __future__ import annotations

import subprocess
from pathlib import Path
from textwrap import dedent

import pytest

from tests.actions_runner import ROOT, Runner, Shown, load

REPO = "widgets/minutes"
WORKFLOWS = ROOT / ".github" / "workflows"
CONFIG = "people:\n  kim-l: [Kim]\n  lee-k: [Lee]\n"
MINUTES = {
    "minutes/2024-03-05.md": dedent(
        """\
        # Storage team 2024-03-05

        - AI: [Kim] benchmark the parser
        - AI: [Zed] tag the release
        """
    ),
    "minutes/2024-03-12.md": dedent(
        """\
        # Storage team 2024-03-12

        - AI: [Lee] write the migration guide

        ## Pending AIs
        """
    ),
}


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


@pytest.fixture
def origin(tmp_path) -> Path:
    """A repository (the "GitHub" side of git) holding the minutes, the config and the
    shipped workflows on main."""
    bare = tmp_path / "origin.git"
    git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(bare))
    seed = tmp_path / "seed"
    git(tmp_path, "clone", "--quiet", str(bare), str(seed))
    for name, text in {**MINUTES, "tracker.yml": CONFIG}.items():
        (seed / name).parent.mkdir(parents=True, exist_ok=True)
        (seed / name).write_text(text, encoding="utf-8")
    for name in ("tracker-sync.yml", "tracker-pending.yml"):
        (seed / ".github" / "workflows").mkdir(parents=True, exist_ok=True)
        (seed / ".github" / "workflows" / name).write_bytes((WORKFLOWS / name).read_bytes())
    git(seed, "add", "-A")
    git(seed, "commit", "--quiet", "-m", "Minutes")
    git(seed, "push", "--quiet", "origin", "HEAD:main")
    return bare


@pytest.fixture
def actions(github_emulator, origin, tmp_path):
    """``actions(n)``: a runner in a fresh checkout of main, as each workflow run gets."""
    github_emulator.add_repo(REPO, collaborators=["kim-l", "lee-k"])
    token = github_emulator.installation_token(REPO)

    def runner(run: int, *, path: tuple[Path, ...] = ()) -> Runner:
        workspace = tmp_path / f"run{run}" / "workspace"
        workspace.parent.mkdir()
        git(tmp_path, "clone", "--quiet", str(origin), str(workspace))
        env = {
            "GITHUB_ACTIONS": "true",
            "CI": "true",
            "GITHUB_REPOSITORY": REPO,
            "GITHUB_API_URL": github_emulator.url,
            "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_REF_NAME": "main",
            "GITHUB_REF_TYPE": "branch",
            "GITHUB_SHA": git(workspace, "rev-parse", "HEAD").strip(),
            "RUNNER_OS": "Linux",
            "TRACKER_THROTTLE": "0",  # no pacing against the local emulator
        }
        return Runner(workspace, env, token=token, path=path)

    return runner


def commits(origin: Path, ref: str = "main") -> list[str]:
    return git(origin, "log", "--format=%an: %s", ref).splitlines()


def test_sync_then_two_weekly_runs(actions, origin, github_emulator):
    """Sync opens the issues, shows them in the job summary and puts the unknown owner on
    its line; the weekly run commits the section once, and the next one commits nothing."""
    sync = actions(1)
    [job] = sync.run_workflow(WORKFLOWS / "tracker-sync.yml").values()
    assert job.failed is None, "\n".join(job.log)
    assert job.skipped == [
        "actions/checkout",
        "actions/setup-python",
        "actions/cache",
        "Install tracker",
    ]
    issues = github_emulator.repo(REPO).issues
    assert [(i.title, i.assignees) for i in issues] == [
        ("Benchmark the parser", ["kim-l"]),
        ("Tag the release", []),
        ("Write the migration guide", ["lee-k"]),
    ]
    assert job.outputs["run"] == {"created": "3", "updated": "0", "conflicts": "0"}
    warning = "unknown owner 'Zed': add their GitHub login to `people:` in the config"
    assert job.annotations == [
        Shown("warning", warning, "minutes/2024-03-05.md", 4, "tracker sync")
    ]
    summary = sync.summary.read_text(encoding="utf-8")
    url = f"https://github.com/{REPO}/issues"
    assert summary.startswith("### tracker sync\n\n**Done.** widgets/minutes: 3 created, 0 updated")
    assert summary.endswith(
        dedent(
            f"""\
            | | issue | title | minutes | why |
            | --- | --- | --- | --- | --- |
            | created | [#1]({url}/1) | Benchmark the parser | minutes/2024-03-05.md:3 | new AI |
            | created | [#2]({url}/2) | Tag the release | minutes/2024-03-05.md:4 | new AI |
            | created | [#3]({url}/3) | Write the migration guide | minutes/2024-03-12.md:3 | new AI |

            #### Warnings (1)

            - minutes/2024-03-05.md:4: warning: {warning}

            """
        )
    )

    weekly = actions(2)
    [job] = weekly.run_workflow(WORKFLOWS / "tracker-pending.yml").values()
    assert job.failed is None, "\n".join(job.log)
    assert commits(origin)[0] == "github-actions[bot]: Refresh the Pending AIs section"
    section = git(origin, "show", "main:minutes/2024-03-12.md")
    assert "- AI: [Zed] tag the release ([#2](" in section
    assert weekly.summary.read_text(encoding="utf-8").startswith(
        "### tracker pending\n\n`minutes/2024-03-12.md`: refreshed; 3 open AIs"
    )

    again = actions(3)
    before = commits(origin)
    [job] = again.run_workflow(WORKFLOWS / "tracker-pending.yml").values()
    assert job.failed is None, "\n".join(job.log)
    assert commits(origin) == before
    assert job.outputs["run"]["changed"] == "false"
    assert len(github_emulator.repo(REPO).issues) == 3


def test_the_reusable_weekly_workflow_syncs_and_commits_once(actions, origin, github_emulator):
    """workflow_call: sync then pending in one job; a second run changes nothing."""
    weekly = load(WORKFLOWS / "tracker-weekly.yml")
    job = actions(1).run_job(weekly["jobs"]["weekly"], inputs={"minutes": "minutes"})
    assert job.failed is None, "\n".join(job.log)
    assert len(github_emulator.repo(REPO).issues) == 3
    assert job.outputs["sync"]["created"] == "3" and job.outputs["pending"]["open"] == "3"
    first = commits(origin)
    assert first[0] == "github-actions[bot]: Refresh the Pending AIs section"
    job = actions(2).run_job(weekly["jobs"]["weekly"], inputs={"minutes": "minutes"})
    assert job.failed is None, "\n".join(job.log)
    assert commits(origin) == first
    assert job.outputs["sync"]["created"] == "0"


def test_with_pull_request_the_section_goes_to_a_branch_and_a_pull_request(
    actions, origin, tmp_path
):
    """pending.pull_request: true: main is left alone; the branch gets the commit and
    `gh pr create` is asked for a pull request."""
    seed = tmp_path / "seed"
    (seed / "tracker.yml").write_text(CONFIG + "pending:\n  pull_request: true\n", "utf-8")
    git(seed, "commit", "--quiet", "-am", "Pull requests")
    git(seed, "push", "--quiet", "origin", "HEAD:main")
    stub = tmp_path / "stub"
    stub.mkdir()
    (stub / "gh").write_text(f'#!/bin/sh\necho "gh $*" >> {tmp_path}/gh.log\n', "utf-8")
    (stub / "gh").chmod(0o755)
    before = commits(origin)
    [job] = actions(1, path=(stub,)).run_workflow(WORKFLOWS / "tracker-pending.yml").values()
    assert job.failed is None, "\n".join(job.log)
    assert commits(origin) == before
    assert commits(origin, "tracker/pending-ais")[0] == (
        "github-actions[bot]: Refresh the Pending AIs section"
    )
    calls = (tmp_path / "gh.log").read_text(encoding="utf-8").splitlines()
    assert calls[0].startswith("gh pr list --head tracker/pending-ais --state open")
    assert calls[1].startswith(
        "gh pr create --head tracker/pending-ais --base main --title Refresh the Pending AIs section"
    )


# ------------------------------------------------------------------ minutes on the web (issue 13)

FORUM_KEY = "posting-key"
TOPIC_POSTS = (
    "## 2024-03-05\n\n- AI: [Kim] benchmark the parser\n",
    "## 2024-03-12\n\n- AI: [Lee] write the migration guide\n",
)


@pytest.fixture
def forum(discourse_emulator, github_emulator, tmp_path, monkeypatch):
    """A topic on the Discourse emulator and a repository holding only what `tracker init
    --minutes discourse:… --post` wrote (the people mapped); ``forum(n)`` is run n's runner,
    with the Discourse key and user in the repository's secrets."""
    from tracker.init import init

    monkeypatch.setenv("TRACKER_THROTTLE", "0")
    emu = discourse_emulator
    topic = emu.forum.create_topic("Storage team minutes", user="lead")
    for raw in TOPIC_POSTS:
        emu.forum.add_post(topic.id, raw, user="lead")
    emu.forum.add_key(FORUM_KEY, username="tracker-bot")
    spec = f"discourse:{emu.url}/t/{topic.slug}/{topic.id}"
    bare, seed = tmp_path / "origin.git", tmp_path / "seed"
    git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(bare))
    git(tmp_path, "clone", "--quiet", str(bare), str(seed))
    init(seed, minutes=spec, post=True)
    config = (seed / "tracker.yml").read_text(encoding="utf-8")
    (seed / "tracker.yml").write_text(config.replace("people:\n", CONFIG, 1), "utf-8")
    git(seed, "add", "-A")
    git(seed, "commit", "--quiet", "-m", "tracker init")
    git(seed, "push", "--quiet", "origin", "HEAD:main")
    github_emulator.add_repo(REPO, collaborators=["kim-l", "lee-k"])
    token = github_emulator.installation_token(REPO)
    secrets = {"DISCOURSE_API_KEY": FORUM_KEY, "DISCOURSE_API_USERNAME": "tracker-bot"}

    def runner(run: int) -> Runner:
        workspace = tmp_path / f"run{run}" / "workspace"
        workspace.parent.mkdir()
        git(tmp_path, "clone", "--quiet", str(bare), str(workspace))
        env = {
            "GITHUB_ACTIONS": "true",
            "GITHUB_REPOSITORY": REPO,
            "GITHUB_API_URL": github_emulator.url,
            "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_REF_NAME": "main",
            "RUNNER_OS": "Linux",
            "TRACKER_THROTTLE": "0",
        }
        return Runner(workspace, env, token=token, secrets=secrets)

    runner.topic = topic  # type: ignore[attr-defined]
    runner.workflows = seed / ".github" / "workflows"  # type: ignore[attr-defined]
    return runner


def test_a_forum_s_minutes_synced_hourly_and_the_section_posted_back_weekly(
    forum, discourse_emulator, github_emulator
):
    """What `tracker init` writes for a Discourse topic, run as Actions would: the sync reads
    the topic (no Discourse secret), the weekly job replies with the section as the secrets'
    user and its summary says so; the next week, with nothing changed, nothing is posted."""
    emu, topic = discourse_emulator, forum.topic
    sync = forum(1)
    [job] = sync.run_workflow(forum.workflows / "tracker-sync.yml").values()
    assert job.failed is None, "\n".join(job.log)
    assert "actions/cache" in job.skipped
    # init set sync.since to the newest meeting: only its AI gets an issue.
    assert [(i.title, i.assignees) for i in github_emulator.repo(REPO).issues] == [
        ("Write the migration guide", ["lee-k"])
    ]
    assert all("api-key" not in r.request_headers for r in emu.log)

    weekly = forum(2)
    [job] = weekly.run_workflow(forum.workflows / "tracker-pending.yml").values()
    assert job.failed is None, "\n".join(job.log)
    reply = topic.posts[-1]
    assert (len(topic.posts), reply.user.username) == (3, "tracker-bot")
    assert "write the migration guide ([#1](" in reply.raw
    url = f"{emu.url}/t/{topic.slug}/{topic.id}/3"
    summary = weekly.summary.read_text(encoding="utf-8")
    assert summary.startswith(
        "### tracker pending\n\nrendered the section; 2 open AIs; 2 API requests\n\n"
        f"Discourse: {url}: posted; 2 Discourse requests\n\n```markdown\n"
    )
    assert "write the migration guide ([#1](" in summary

    again = forum(3)
    [job] = again.run_workflow(forum.workflows / "tracker-pending.yml").values()
    assert job.failed is None, "\n".join(job.log)
    assert len(topic.posts) == 3
    assert f"Discourse: {url}: is up to date; " in again.summary.read_text(encoding="utf-8")
