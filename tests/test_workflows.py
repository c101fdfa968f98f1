"""The GitHub Actions workflows: least privilege, pinned actions, real tracker commands."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
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


def tracker_lines(path: Path) -> list[str]:
    """The `tracker …` command lines of a workflow's steps (before any pipe)."""
    lines = []
    for step in steps(load(path)):
        for line in str(step.get("run", "")).splitlines():
            line = line.split("|")[0].strip()
            if line.startswith("tracker "):
                lines.append(line)
    return lines


def piping_steps(path: Path) -> list[dict]:
    """The steps whose script pipes a `tracker …` command into another."""
    return [
        step
        for step in steps(load(path))
        if re.search(r"^\s*tracker .*\|", str(step.get("run", "")), re.MULTILINE)
    ]


#: The workflows that run tracker, and those that pipe it (ci.yml runs neither).
RUNS_TRACKER = [p for p in WORKFLOWS if tracker_lines(p)]
PIPES_TRACKER = [p for p in WORKFLOWS if piping_steps(p)]


def test_the_sync_and_pending_workflows_run_tracker_and_the_sync_pipes_it():
    """The two parametrised tests below cover these workflows, each with something to check."""
    assert [p.name for p in RUNS_TRACKER] == ["tracker-pending.yml", "tracker-sync.yml"]
    assert [p.name for p in PIPES_TRACKER] == ["tracker-sync.yml"]


@pytest.mark.parametrize("path", RUNS_TRACKER, ids=lambda p: p.name)
def test_tracker_commands_in_workflows_exist_with_those_options(path):
    """Every `tracker ...` line names a real command and only options it has."""
    for line in tracker_lines(path):
        words = shlex.split(line)
        command = main.commands[words[1]]
        known = {opt for param in command.params for opt in getattr(param, "opts", [])}
        for word in words[2:]:
            if word.startswith("--"):
                assert word.split("=")[0] in known, f"{path.name}: {line}"


@pytest.mark.parametrize("path", PIPES_TRACKER, ids=lambda p: p.name)
def test_a_step_that_pipes_tracker_fails_when_tracker_fails(path):
    """Actions' default shell has no pipefail: `tracker … | tee` would hide a failure."""
    for step in piping_steps(path):
        run = str(step.get("run", ""))
        assert step.get("shell") == "bash" or "pipefail" in run, step.get("name")


def run_step(step: dict, tmp_path: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run a step's script as Actions would (bash -e, pipefail with `shell: bash`), with a
    stand-in `tracker` on PATH that logs its arguments and exits with $FAKE_EXIT."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    fake = bin_dir / "tracker"
    fake.write_text('#!/bin/sh\necho "tracker $*"\nexit "${FAKE_EXIT:-0}"\n', encoding="utf-8")
    fake.chmod(0o755)
    flags = ["-eo", "pipefail"] if step.get("shell") == "bash" else ["-e"]
    full_env = {"PATH": f"{bin_dir}:{os.environ['PATH']}", "HOME": str(tmp_path), **env}
    return subprocess.run(
        ["bash", "--noprofile", "--norc", *flags, "-c", step["run"]],
        cwd=tmp_path,
        env=full_env,
        capture_output=True,
        text=True,
        check=False,
    )


def named_step(workflow: str, name: str) -> dict:
    path = next(p for p in WORKFLOWS if p.name == workflow)
    return next(s for s in steps(load(path)) if s.get("name") == name)


def test_the_weekly_refresh_picks_the_newest_date_named_file(tmp_path):
    step = named_step("tracker-pending.yml", "Refresh the Pending AIs section")
    for name in ("2023/2023-12-05.md", "2024-01-09.md", "2024-01-02-team.md", "README.md", "zz.md"):
        (tmp_path / "minutes" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "minutes" / name).write_text("", encoding="utf-8")
    github_env = tmp_path / "github_env"
    github_env.write_text("", encoding="utf-8")
    result = run_step(
        step, tmp_path, {"MINUTES": "minutes", "PENDING_FILE": "", "GITHUB_ENV": str(github_env)}
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "tracker pending minutes --write minutes/2024-01-09.md\n"
    assert github_env.read_text(encoding="utf-8") == "file=minutes/2024-01-09.md\n"

    (tmp_path / "empty").mkdir()
    result = run_step(
        step, tmp_path, {"MINUTES": "empty", "PENDING_FILE": "", "GITHUB_ENV": str(github_env)}
    )
    assert result.returncode == 1
    assert "set the TRACKER_PENDING_FILE variable" in result.stdout


def test_a_failed_sync_fails_its_step_and_the_summary_stays_readable(tmp_path):
    step = named_step("tracker-sync.yml", "Sync the minutes to issues")
    (tmp_path / "minutes").mkdir()
    summary = tmp_path / "summary.md"
    env = {"MINUTES": "minutes", "GITHUB_STEP_SUMMARY": str(summary), "FAKE_EXIT": "1"}
    result = run_step(step, tmp_path, env)
    assert result.returncode == 1
    assert (
        summary.read_text(encoding="utf-8") == "### tracker sync\n```\ntracker sync minutes\n```\n"
    )


def test_a_sync_that_stopped_within_its_limits_succeeds_and_says_more_to_do(tmp_path):
    """Exit code 4 (a budget spent, the rest left to the next run) is not a failure: the step
    succeeds, and the job summary says the next scheduled run continues."""
    step = named_step("tracker-sync.yml", "Sync the minutes to issues")
    (tmp_path / "minutes").mkdir()
    summary = tmp_path / "summary.md"
    env = {"MINUTES": "minutes", "GITHUB_STEP_SUMMARY": str(summary), "FAKE_EXIT": "4"}
    result = run_step(step, tmp_path, env)
    assert result.returncode == 0, result.stderr
    assert summary.read_text(encoding="utf-8") == (
        "### tracker sync\n```\ntracker sync minutes\n```\n"
        "**More to do:** the run stopped within its limits; the next scheduled run continues.\n"
    )
    assert "::notice title=tracker sync::stopped within its limits" in result.stdout


def test_the_sync_also_runs_hourly_to_continue_a_big_first_sync():
    """A first sync of a big archive takes several runs: the schedule continues it."""
    workflow = load(next(p for p in WORKFLOWS if p.name == "tracker-sync.yml"))
    [entry] = workflow["on"]["schedule"]
    assert entry["cron"].split()[1:] == ["*", "*", "*", "*"]  # every hour
    assert workflow["jobs"]["sync"]["timeout-minutes"] == 15  # the default time budget fits
