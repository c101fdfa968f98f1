"""The command line's help teaches, and errors never show a traceback."""

from __future__ import annotations


def test_help_lists_the_commands(cli):
    """`tracker --help` names the parse command and how to start."""
    result = cli("--help")
    assert "parse" in result.stdout
    assert "tracker parse minutes/" in result.stdout
