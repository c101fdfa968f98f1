"""The crash log: where it goes and what a bug report needs from it."""

from __future__ import annotations

from pathlib import Path

from tracker.crash import crash_report, log_path, versions, write_log


def test_the_log_goes_to_the_user_s_cache_folder():
    """$XDG_CACHE_HOME/tracker/tracker.log, else ~/.cache/tracker/tracker.log."""
    assert log_path({"XDG_CACHE_HOME": "/c"}) == Path("/c/tracker/tracker.log")
    assert log_path({}) == Path.home() / ".cache" / "tracker" / "tracker.log"


def test_the_report_names_the_versions_the_command_and_the_traceback():
    """tracker, Python, PyGithub and the platform; the command line; the exception's traceback."""
    try:
        raise ValueError("bad value")
    except ValueError as exc:
        report = crash_report(exc, argv=["sync", "minutes/"], options={"dry_run": True})
    assert list(versions()) == ["tracker", "Python", "PyGithub", "platform"]
    assert "\ncommand line: tracker sync minutes/\noptions: dry_run=True\n" in report
    assert "\nValueError: bad value\n```\n\n```\nTraceback (most recent call last):\n" in report
    assert report.endswith("ValueError: bad value\n```\n")


def test_an_unwritable_log_is_reported_as_none(tmp_path):
    """The CLI then prints the report instead of a path."""
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    assert write_log("text", path=blocker / "tracker" / "tracker.log") is None
    assert write_log("text", path=tmp_path / "logs" / "tracker.log") == (
        tmp_path / "logs" / "tracker.log"
    )
