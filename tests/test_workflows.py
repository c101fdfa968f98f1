"""The GitHub Actions workflows: least privilege, pinned actions, real tracker commands."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from tracker.cli import main

WORKFLOWS = sorted((Path(__file__).resolve().parents[1] / ".github" / "workflows").glob("*.yml"))


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
    assert {"ci.yml", "tracker-sync.yml", "tracker-pending.yml"} <= names


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


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_tracker_commands_in_workflows_exist_with_those_options(path):
    """Every `tracker ...` line names a real command and only options it has."""
    for step in steps(load(path)):
        for line in str(step.get("run", "")).splitlines():
            line = line.split("|")[0].strip()
            if not line.startswith("tracker "):
                continue
            words = shlex.split(line)
            command = main.commands[words[1]]
            known = {opt for param in command.params for opt in getattr(param, "opts", [])}
            for word in words[2:]:
                if word.startswith("--"):
                    assert word.split("=")[0] in known, f"{path.name}: {line}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_a_step_that_pipes_tracker_fails_when_tracker_fails(path):
    """Actions' default shell has no pipefail: `tracker … | tee` would hide a failure."""
    for step in steps(load(path)):
        run = str(step.get("run", ""))
        if re.search(r"^\s*tracker .*\|", run, re.MULTILINE):
            assert step.get("shell") == "bash" or "pipefail" in run, step.get("name")
