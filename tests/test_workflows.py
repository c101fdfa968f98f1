"""The GitHub Actions workflows: least privilege, pinned actions, real tracker commands."""

from __future__ import annotations

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
    workflow = load(path)
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
