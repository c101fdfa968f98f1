"""The GitHub Actions workflows: least privilege, pinned actions, real tracker commands."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from tracker.cli import main

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as True.
    data["on"] = data.pop(True, data.get("on"))
    return data


def steps(workflow: dict):
    for job in workflow["jobs"].values():
        yield from job["steps"]


def test_there_are_workflows_for_tests_sync_and_the_weekly_section():
    names = {p.name for p in WORKFLOWS}
    assert {"ci.yml", "tracker-sync.yml", "tracker-pending.yml", "tracker-weekly.yml"} <= names


def test_sync_runs_on_push_and_pending_weekly():
    by_name = {p.name: load(p) for p in WORKFLOWS}
    assert "push" in by_name["tracker-sync.yml"]["on"]
    assert by_name["tracker-sync.yml"]["permissions"] == {"contents": "read", "issues": "write"}
    schedule = by_name["tracker-pending.yml"]["on"]["schedule"]
    assert [entry["cron"].split()[-1] for entry in schedule] == ["1"]  # once a week


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_least_privilege_pinned_actions_and_no_persisted_credentials(path):
    assert_hardened(load(path))


def assert_hardened(workflow: dict) -> None:
    assert "permissions" in workflow, "set top-level permissions explicitly"
    assert "write-all" not in str(workflow["permissions"])
    assert "concurrency" in workflow
    for step in steps(workflow):
        uses = step.get("uses")
        if uses:
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", uses), f"pin {uses} by SHA"
        if uses and uses.startswith("actions/checkout@"):
            assert step.get("with", {}).get("persist-credentials") is False


def test_the_repository_s_workflows_are_what_tracker_init_writes(tmp_path, monkeypatch):
    """tracker-sync.yml and tracker-pending.yml are `tracker init`'s output, so the
    examples here and what a team gets are one and the same."""
    from tracker.init import init

    init(tmp_path)
    for name in ("tracker-sync.yml", "tracker-pending.yml"):
        written = (tmp_path / ".github" / "workflows" / name).read_text(encoding="utf-8")
        assert written == (ROOT / ".github" / "workflows" / name).read_text(encoding="utf-8")


def test_the_action_is_pinned_to_a_commit_of_this_repository_that_has_action_yml():
    """The pin in the workflows and in `tracker init` names a real commit with the action."""
    from tracker.init import ACTION_COMMIT

    done = subprocess.run(
        ["git", "cat-file", "-e", f"{ACTION_COMMIT}:action.yml"], cwd=ROOT, check=False
    )
    assert done.returncode == 0
    for path in WORKFLOWS:
        for step in steps(load(path)):
            if "/tracker@" in step.get("uses", ""):
                assert step["uses"].endswith("@" + ACTION_COMMIT), path.name


def test_the_pinned_commit_s_action_is_the_action_of_this_tree():
    """The workflows (and `tracker init`) run the action as this tree has it: a change to
    action.yml is followed by a commit moving the pin onto it, or a workflow would pass
    inputs the pinned action does not know."""
    from tracker.init import ACTION_COMMIT

    pinned = subprocess.run(
        ["git", "show", f"{ACTION_COMMIT}:action.yml"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert pinned == (ROOT / "action.yml").read_text(encoding="utf-8")


def test_every_tracker_option_the_action_passes_exists():
    """The action's script passes only options that sync, check or pending have."""
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    script = next(s["run"] for s in action["runs"]["steps"] if s.get("name") == "Run tracker")
    known = {
        opt
        for name in ("sync", "check", "pending")
        for param in main.commands[name].params
        for opt in getattr(param, "opts", [])
    }
    used = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", script))
    assert used and used <= known
    commands = set(re.findall(r"^\s*tracker (\w+)", script, re.MULTILINE))
    assert commands == {"sync", "check", "pending"}


def run_action_step(tmp_path: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run the action's "Run tracker" step as Actions would (bash -eo pipefail), with a
    stand-in `tracker` on PATH that logs its arguments and exits with $FAKE_EXIT."""
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    step = next(s for s in action["runs"]["steps"] if s.get("name") == "Run tracker")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    fake = bin_dir / "tracker"
    fake.write_text('#!/bin/sh\necho "tracker $*"\nexit "${FAKE_EXIT:-0}"\n', encoding="utf-8")
    fake.chmod(0o755)
    (tmp_path / "minutes").mkdir(exist_ok=True)
    output = tmp_path / "output"
    full_env = {
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "HOME": str(tmp_path),
        "COMMAND": "sync",
        "MINUTES": "minutes",
        "GITHUB_OUTPUT": str(output),
        **env,
    }
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=tmp_path,
        env=full_env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_sync_that_stopped_within_its_limits_succeeds_and_says_more_to_do(tmp_path):
    """Exit code 4 (a budget spent, the rest left to the next run) is not a failure: the
    action's step succeeds, says the next scheduled run continues, and sets more-to-do."""
    result = run_action_step(tmp_path, {"FAKE_EXIT": "4"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("tracker sync --format github minutes\n")
    assert "::notice title=tracker sync::stopped within its limits" in result.stdout
    assert (tmp_path / "output").read_text(encoding="utf-8") == "more-to-do=true\n"


@pytest.mark.parametrize("code", [1, 3])
def test_a_failed_sync_fails_the_action_s_step(tmp_path, code):
    result = run_action_step(tmp_path, {"FAKE_EXIT": str(code)})
    assert result.returncode == code
    assert not (tmp_path / "output").exists()


def test_the_sync_also_runs_hourly_to_continue_a_big_first_sync():
    """A first sync of a big archive takes several runs: the schedule continues it."""
    workflow = load(next(p for p in WORKFLOWS if p.name == "tracker-sync.yml"))
    [entry] = workflow["on"]["schedule"]
    assert entry["cron"].split()[1:] == ["*", "*", "*", "*"]  # every hour
    assert workflow["jobs"]["sync"]["timeout-minutes"] == 15  # the default time budget fits
    assert workflow["concurrency"] == {"group": "tracker-sync", "cancel-in-progress": False}


# ------------------------------------------------------------------ minutes on the web (issue 13)

#: Nothing answers here: `tracker init` writes the files without reading the minutes.
UNREACHABLE = "discourse:http://127.0.0.1:9/t/minutes/1"


@pytest.mark.parametrize(
    ("minutes", "options"),
    [(UNREACHABLE, {}), (UNREACHABLE, {"post": True}), ("http://127.0.0.1:9/m.md", {})],
    ids=["topic", "topic-posting", "url"],
)
def test_init_s_workflows_for_minutes_on_the_web_are_hardened_and_scheduled(
    tmp_path, minutes, options
):
    """Least privilege, every action pinned by SHA (actions/cache included), no persisted
    credentials; the sync on a schedule, as no push follows a post's edit; secrets only in
    the step that posts."""
    from tracker.init import init

    init(tmp_path, minutes=minutes, **options)
    folder = tmp_path / ".github" / "workflows"
    sync, pending = load(folder / "tracker-sync.yml"), load(folder / "tracker-pending.yml")
    for workflow in (sync, pending):
        assert_hardened(workflow)
    assert set(sync["on"]) == {"schedule", "workflow_dispatch"}
    assert sync["permissions"] == {"contents": "read", "issues": "write"}
    assert pending["permissions"] == {"contents": "read", "issues": "read"}
    caches = [s for s in steps(pending) if s.get("uses", "").startswith("actions/cache@")]
    assert len(caches) == (1 if minutes.startswith("discourse:") else 0)
    [tracker] = [s for s in steps(pending) if "/tracker@" in s.get("uses", "")]
    secrets = {k for k, v in tracker["with"].items() if "secrets." in str(v)}
    assert secrets == ({"discourse-api-key", "discourse-api-username"} if options else set())
    assert "secrets." not in str(sync)


@pytest.mark.parametrize(
    ("env", "called"),
    [
        ({"COMMAND": "sync"}, f"tracker sync --format github {UNREACHABLE}"),
        ({"COMMAND": "check"}, f"tracker check --format github {UNREACHABLE}"),
        ({"COMMAND": "pending"}, f"tracker pending --format github {UNREACHABLE}"),
        (
            {"COMMAND": "pending", "POST": UNREACHABLE},
            f"tracker pending --format github --post {UNREACHABLE} {UNREACHABLE}",
        ),
        (
            {"COMMAND": "pending", "EDIT_POST": "1002"},
            f"tracker pending --format github --edit-post 1002 --post {UNREACHABLE} {UNREACHABLE}",
        ),
        (
            {"COMMAND": "pending", "POST": UNREACHABLE, "DRY_RUN": "true"},
            f"tracker pending --format github {UNREACHABLE}",
        ),
    ],
    ids=["sync", "check", "pending", "post", "edit-post", "dry-run"],
)
def test_the_action_takes_minutes_on_the_web(tmp_path, env, called):
    """The minutes input may be a source: nothing on disk to look for, nothing to commit;
    pending posts only when asked, and never in a dry run."""
    result = run_action_step(tmp_path, {"MINUTES": UNREACHABLE, **env})
    assert result.returncode == 0, result.stderr
    assert result.stdout == called + "\n"
