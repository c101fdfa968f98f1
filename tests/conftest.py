"""Shared fixtures: the CLI runner that shows output on failure."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from click.testing import CliRunner

from tracker.cli import main

pytest_plugins = [
    "tests.github_emulator.pytest_plugin",
    "tests.discourse_emulator.pytest_plugin",
]


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def cli() -> Callable[..., CliResult]:
    """Run ``tracker ARGS``; asserts the exit code (0 unless ``code=`` says otherwise)."""

    def invoke(*args: str, code: int | None = 0, input: str | bytes | None = None) -> CliResult:
        runner = CliRunner()
        result = runner.invoke(main, list(args), input=input, catch_exceptions=True)
        out = CliResult(result.exit_code, result.stdout, result.stderr)
        print(f"$ tracker {' '.join(args)}\n--- stdout\n{out.stdout}--- stderr\n{out.stderr}")
        if result.exc_info and not isinstance(result.exception, SystemExit):
            traceback.print_exception(*result.exc_info)
        if code is not None:
            assert out.exit_code == code, f"exit {out.exit_code}, expected {code}"
        return out

    return invoke
