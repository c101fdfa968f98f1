"""`tracker check`: the config and the minutes checked before a sync, GitHub not read."""

from __future__ import annotations

from textwrap import dedent

import pytest

MINUTES = dedent(
    """\
    # Team sync 2024-03-05

    Attendees: Kim, Lee

    - AI: [kim] update the docs
    - AI: sounds good
    - bob to fix the CI
    - AI: fix the flaky test
    - AI: [Zed] tag the release
    """
)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A repository with minutes/2024-03-05.md and a tracker.yml that knows Kim."""
    monkeypatch.chdir(tmp_path)
    for name in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "GITHUB_OUTPUT"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "minutes").mkdir()
    (tmp_path / "minutes" / "2024-03-05.md").write_text(MINUTES, encoding="utf-8")
    (tmp_path / "tracker.yml").write_text("people:\n  kim-l: [Kim]\n", encoding="utf-8")
    return tmp_path


def test_warnings_name_the_line_and_why_and_exit_0(cli, repo):
    """Unknown owners, an ownerless AI, a marker with no task and an assignment to someone
    unknown are warnings, each on its line with the recogniser's reason; exit 0."""
    result = cli("check")
    assert result.stdout == dedent(
        """\
        minutes/2024-03-05.md:6: warning: AI marker but no task, so no AI was taken: an acknowledgement, not a task
        minutes/2024-03-05.md:7: warning: assignment to someone the config does not know ('bob'), so no AI was taken: add them to people: in the config, or write AI: bob to …
        minutes/2024-03-05.md:8: warning: an AI with no owner: its issue stays unassigned (write one: AI: [login] task)
        minutes/2024-03-05.md:9: warning: unknown owner 'Zed': add their GitHub login to `people:` in the config
        tracker check: 1 meeting, 3 action items: 0 errors, 4 warnings
        """
    )
    assert result.stderr == ""


def test_a_meeting_without_a_date_and_an_unknown_config_key_are_warnings(cli, repo):
    (repo / "minutes" / "notes.md").write_text("# Notes\n\n- AI: [kim] file it\n", encoding="utf-8")
    (repo / "tracker.yml").write_text("people:\n  kim-l: [Kim]\nlabls: {}\n", encoding="utf-8")
    result = cli("check", "minutes/notes.md")
    assert result.stdout == dedent(
        """\
        tracker.yml: warning: unknown key `labls` ignored; did you mean `labels`?
        minutes/notes.md:1: warning: no meeting date found: add a date heading or name the file like 2023-01-10.md
        tracker check: 1 meeting, 1 action item: 0 errors, 2 warnings
        """
    ).replace("tracker.yml:", f"{repo / 'tracker.yml'}:")


def test_an_ai_too_long_for_an_issue_is_a_warning(cli, repo):
    """A body over 65,536 characters as written: sync quotes the line shortened (so GitHub
    takes the issue), and check says so without failing."""
    long_line = "- AI: [kim] " + "paste the log " * 5000 + "\n"
    (repo / "minutes" / "2024-03-12.md").write_text("# 2024-03-12\n\n" + long_line, "utf-8")
    result = cli("check", "minutes/2024-03-12.md", code=0)
    assert result.stdout == (
        "minutes/2024-03-12.md:3: warning: the line is too long for an issue (GitHub takes "
        "65,536 characters at most): its issue quotes it shortened, with a link to the whole "
        "line\n"
        "tracker check: 1 meeting, 1 action item: 0 errors, 1 warning\n"
    )


def test_a_label_over_github_s_limit_is_an_error_on_the_config(cli, repo):
    (repo / "tracker.yml").write_text("labels:\n  blocker: " + "b" * 51 + "\n", "utf-8")
    result = cli("check", code=1)
    assert result.stdout.startswith(
        f"{repo / 'tracker.yml'}: error: labels.blocker: a label name "
        "has at most 50 characters on GitHub, got 51\n"
    )


def test_an_invalid_config_is_an_error(cli, repo):
    (repo / "tracker.yml").write_text("sync:\n  max_creates: lots\n", encoding="utf-8")
    result = cli("check", code=1)
    assert result.stdout == (
        f"{repo / 'tracker.yml'}: error: sync.max_creates: expected a "
        "whole number, 0 or more, got 'lots'\n"
        "tracker check: 0 meetings, 0 action items: 1 error, 0 warnings\n"
    )


def test_a_yaml_error_names_the_config_s_line_once(cli, repo):
    """The file and line lead the finding, once (they were printed twice), and a date that
    is no day is such an error (it was a crash)."""
    (repo / "tracker.yml").write_text("people: {}\nsync:\n  since: 2024-13-45\n", "utf-8")
    result = cli("check", code=1)
    assert result.stdout == (
        f"{repo / 'tracker.yml'}:3: error: invalid YAML: '2024-13-45' is no day (month must be "
        "in 1..12); quote it if it is meant as text\n"
        "tracker check: 0 meetings, 0 action items: 1 error, 0 warnings\n"
    )


def test_unreadable_minutes_are_an_error(cli, repo):
    result = cli("check", "nowhere.md", code=1)
    assert result.stdout.startswith("nowhere.md: error: ")


def test_without_paths_and_without_a_minutes_folder_it_asks_which(cli, repo):
    (repo / "minutes" / "2024-03-05.md").unlink()
    (repo / "minutes").rmdir()
    result = cli("check", code=2)
    assert "which minutes? pass PATH... (there is no minutes/ folder here)" in result.stderr


def test_in_github_actions_each_finding_is_an_annotation_with_a_summary(cli, repo, monkeypatch):
    """GITHUB_ACTIONS=true: the same output, plus annotations (stderr), the job summary and
    the step's outputs."""
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(repo / "summary.md"))
    monkeypatch.setenv("GITHUB_OUTPUT", str(repo / "output"))
    result = cli("check")
    assert result.stdout.endswith("0 errors, 4 warnings\n")
    assert result.stderr.splitlines()[3] == (
        "::warning file=minutes/2024-03-05.md,line=9,title=unknown owner::unknown owner 'Zed': "
        "add their GitHub login to `people:` in the config"
    )
    assert (repo / "output").read_text(encoding="utf-8") == "errors=0\nwarnings=4\n"
    summary = (repo / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith(
        "### tracker check\n\n**Passed.** tracker check: 1 meeting, 3 action items: "
        "0 errors, 4 warnings\n\n#### Warnings (4)\n\n- minutes/2024-03-05.md:6: warning: "
    )


def test_offline_checks_how_web_sources_are_written_and_reads_only_the_files(cli, repo):
    """--offline (issue 13): a topic or URL is not read (the summary counts them), a
    malformed one is an error, and the files beside them are checked as ever."""
    topic = "discourse:https://forum.example/t/minutes/12"
    result = cli("check", "--offline", topic, "minutes/")
    assert result.stdout.endswith(
        "tracker check: 1 meeting, 3 action items (1 on the web not read: --offline): "
        "0 errors, 4 warnings\n"
    )
    bad = cli("check", "--offline", "discourse:https://forum.example/minutes", code=1)
    assert bad.stdout == (
        "discourse:https://forum.example/minutes: error: expected "
        "discourse:https://HOST/t/SLUG/ID (a topic's address), got "
        "discourse:https://forum.example/minutes\n"
        "tracker check: 0 meetings, 0 action items: 1 error, 0 warnings\n"
    )


def test_a_job_summary_file_that_cannot_be_written_is_an_error_not_a_crash(cli, repo, monkeypatch):
    """GITHUB_STEP_SUMMARY naming a folder (set by hand, outside Actions): the findings are
    printed, then one line names the variable and why, exit 1 (it was a crash, exit 3)."""
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(repo))
    result = cli("check", code=1)
    assert result.stdout.endswith("0 errors, 4 warnings\n")
    assert result.stderr.splitlines()[-1] == (
        f"tracker: error: cannot write GITHUB_STEP_SUMMARY ({repo}): Is a directory (hint: "
        "Actions sets GITHUB_STEP_SUMMARY; outside Actions, unset it or name a writable file)"
    )
