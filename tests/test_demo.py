"""`tracker demo` (issue 12): the whole loop on a local GitHub, with nothing left behind."""

from __future__ import annotations

import json
import os
import queue
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from tracker import load_config, parse, parse_text
from tracker.demo import CLOSINGS, running

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "tracker" / "example"
# What the example holds, counted by hand from tracker/example/minutes/.
OPEN_AIS = {
    "needs a tracking issue, add to 2.4 blockers",
    "draft the 2.4 release notes",
    "review the contributor guide",
    "check the upgrade path on a copy of the production data",
    "ask the infrastructure team for a spare runner",
}
CLOSED_AIS = {c.text for c in CLOSINGS}


@pytest.fixture
def nowhere_else(tmp_path, monkeypatch):
    """An empty current folder and an empty temporary folder; yields both, to check after."""
    cwd, tmp = tmp_path / "cwd", tmp_path / "tmp"
    cwd.mkdir()
    tmp.mkdir()
    monkeypatch.chdir(cwd)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    return cwd, tmp


def section_of(output: str) -> str:
    """The section the demo printed: after step 3's line, up to step 4 (the digest)."""
    match = re.search(
        r"^3\. tracker pending [^\n]*\n\n(.*?)\n4\. tracker digest",
        output,
        re.DOTALL | re.MULTILINE,
    )
    assert match, output
    return match.group(1)


def test_demo_prints_the_loop_with_the_running_emulators_issue_urls_and_leaves_nothing(
    cli, nowhere_else
):
    # The section lists exactly the open AIs, each linked to its issue at the emulator.
    out = cli("demo").stdout
    api = re.match(r"tracker demo: a GitHub on this machine at (http://127\.0\.0\.1:\d+), ", out)
    assert api, out
    issues = f"{api.group(1)}/repos/example-org/storage/issues"
    assert [int(n) for n in re.findall(r"^  create +#(\d+) ", out, re.MULTILINE)] == list(
        range(1, 8)
    )
    for closing in CLOSINGS:
        assert re.search(rf"^  #\d+ {closing.text}: closed as .* {issues}/\d+$", out, re.MULTILINE)
    section = section_of(out)
    # Pasted under the next meeting's heading, it reads as the open AIs and nothing else.
    next_meeting = f"# 2024-05-21\n\n{section}"
    carried = parse_text(next_meeting, config=load_config(EXAMPLE / "tracker.yml").config)
    assert {ai.text for ai in carried.action_items} == OPEN_AIS
    for ai in carried.action_items:
        assert ai.issue is not None and f"{issues}/{ai.issue}" in section
    assert "github.com" not in out
    # Nothing is left: not in the current folder, not in the temporary one.
    assert [list(folder.iterdir()) for folder in nowhere_else] == [[], []]


def test_the_refreshed_minutes_parse_back_with_every_open_ai_a_carry_over(nowhere_else):
    # The library returns each step's data; the section it wrote adds no AI to the minutes.
    with running() as run:
        assert {c.text: c.reason for c in run.closed} == {
            "disable the flaky test until the fix lands": "completed",
            "compare the cost of a dedicated runner": "not_planned",
        }
        assert run.sync.result.progress == (7, 7, 0)
        assert run.pending.pending.open_count == len(OPEN_AIS)
        # The digest: every open AI once, under its owner, and no closed one.
        listed = re.findall(r"^- (.+) \(\[#\d+\]\(", run.digest.text, re.MULTILINE)
        assert sorted(listed) == sorted(OPEN_AIS)
        assert re.findall(r"^### (\S+): \d+ open$", run.digest.text, re.MULTILINE) == [
            "hrivera",
            "mlindqvist",
            "okafor",
            "tchen",
            "team",
        ]
        config = load_config(run.folder / "tracker.yml").config
        again = parse([str(run.folder / "minutes")], config=config)
        folder = run.folder
    assert {ai.text for ai in again.distinct_action_items} == OPEN_AIS | CLOSED_AIS
    assert not folder.exists()


def test_keep_leaves_the_example_with_its_refreshed_section_in_dir(cli, nowhere_else, tmp_path):
    # --keep DIR: the config and the minutes, the newest with the section as step 3 wrote it.
    out = cli("demo", "--keep", "kept").stdout
    kept = nowhere_else[0] / "kept"
    assert "copied to kept" in out
    assert sorted(p.name for p in kept.rglob("*")) == [
        "2024-05-07.md",
        "2024-05-14.md",
        "minutes",
        "tracker.yml",
    ]
    assert section_of(out) in (kept / "minutes" / "2024-05-14.md").read_text(encoding="utf-8")
    assert list(nowhere_else[1].iterdir()) == []


def test_keep_refuses_a_folder_that_is_not_empty(cli, nowhere_else):
    (nowhere_else[0] / "full").mkdir()
    (nowhere_else[0] / "full" / "notes.md").write_text("mine\n", encoding="utf-8")
    result = cli("demo", "--keep", "full", code=1)
    assert result.stderr == (
        "tracker: error: full: is not an empty folder; tracker demo --keep writes a new one\n"
    )
    assert (nowhere_else[0] / "full" / "notes.md").read_text(encoding="utf-8") == "mine\n"


def test_keep_where_no_folder_can_be_made_is_an_error_not_a_crash(cli, nowhere_else):
    """A DIR under a file (or anywhere mkdir fails) says so, exit 1 (it was exit 3)."""
    (nowhere_else[0] / "notes.md").write_text("mine\n", encoding="utf-8")
    result = cli("demo", "--keep", "notes.md/kept", code=1)
    assert (
        result.stderr == "tracker: error: notes.md/kept: cannot make the folder: Not a directory\n"
    )
    assert (nowhere_else[0] / "notes.md").read_text(encoding="utf-8") == "mine\n"
    assert list(nowhere_else[1].iterdir()) == []


def test_the_demo_reaches_its_local_github_past_a_proxy_of_the_environment(
    cli, nowhere_else, monkeypatch
):
    # A proxy cannot reach this machine's emulator: the demo goes direct, and restores the
    # environment it found.
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.setenv("NO_PROXY", "example.org")
    cli("demo")
    assert (os.environ.get("no_proxy"), os.environ["NO_PROXY"]) == (None, "example.org")


def test_serve_keeps_the_emulator_running_for_tracker_status_until_ctrl_c(
    cli, tmp_path, monkeypatch
):
    # A real process: it prints the loop and a command within 5 s, that command works
    # against the running emulator, and Ctrl-C ends it with exit 0 and nothing left.
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-c", "from tracker.cli import main; main()", "demo", "--serve"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(tmp), "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lines = _lines_until(process, "  cd ", timeout=20)
        took = time.monotonic() - started
        cd, folder, and_then, *command = shlex.split(lines[-1])
        assert (cd, and_then) == ("cd", "&&")
        monkeypatch.chdir(folder)
        while "=" in command[0]:  # GITHUB_TOKEN=… (and NO_PROXY=… where a proxy is set)
            monkeypatch.setenv(*command.pop(0).split("=", 1))
        assert command[0] == "tracker"
        statuses = json.loads(cli(*command[1:], "--format", "json").stdout)
        # From there, any other command: a sync finds every issue as the demo left it.
        monkeypatch.setenv("TRACKER_THROTTLE", "0")
        synced = cli("sync", *command[2:4], "minutes").stdout
        assert "0 created, 0 updated, 0 labels and 0 milestones created; 7 unchanged" in synced
        process.send_signal(signal.SIGINT)
        process.wait(timeout=10)
        assert process.stderr is not None
        stderr = process.stderr.read()
    finally:
        process.kill()
        process.wait()
    by_text = {s["text"]: (s["state"], s["state_reason"]) for s in statuses}
    assert by_text == {text: ("open", None) for text in OPEN_AIS} | {
        "disable the flaky test until the fix lands": ("closed", "completed"),
        "compare the cost of a dedicated runner": ("closed", "not_planned"),
    }
    assert (process.returncode, stderr) == (0, "tracker: demo stopped\n")
    assert list(tmp.iterdir()) == []
    assert took < 5, f"tracker demo took {took:.1f} s to serve"


def _lines_until(process: subprocess.Popen[str], prefix: str, *, timeout: float) -> list[str]:
    """stdout's lines up to the first starting with ``prefix`` (fails after ``timeout`` s)."""
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    stdout = process.stdout
    threading.Thread(target=lambda: [lines.put(line) for line in stdout], daemon=True).start()
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while not (seen and seen[-1].startswith(prefix)):
        try:
            seen.append(lines.get(timeout=max(0.0, deadline - time.monotonic())))
        except queue.Empty:
            pytest.fail("no command printed in time:\n" + "".join(seen))
    return seen
