"""The ``github_emulator`` fixture: a fresh emulator per test, checked on teardown.

Enable it with ``pytest_plugins = ["tests.github_emulator.pytest_plugin"]`` in the
top-level conftest. Teardown validates every response the test received against
GitHub's OpenAPI description (``openapi.check_log``) and fails the test on any
mismatch; a test that deliberately provokes something unfaithful can set
``emu.check_responses = False``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from github_emulator import GitHubEmulator

from . import openapi


@pytest.fixture(scope="session")
def github_openapi_spec() -> dict[str, object]:
    """GitHub's description, loaded once per session; fails (never skips) without ``npm ci``."""
    try:
        return openapi.load_spec()
    except openapi.MissingReferences as missing:
        pytest.fail(str(missing), pytrace=False)


@pytest.fixture
def github_emulator(github_openapi_spec: dict[str, object]) -> Iterator[GitHubEmulator]:
    """A running emulator with no repositories yet; stopped and checked after the test."""
    emu = GitHubEmulator.start()
    try:
        yield emu
    finally:
        emu.stop()
    if emu.crashes:
        pytest.fail("the emulator crashed:\n  " + "\n  ".join(emu.crashes), pytrace=False)
    if emu.check_responses:
        found = openapi.check_log(emu.log)
        if found:
            pytest.fail(
                "the emulator answered unlike GitHub:\n  " + "\n  ".join(found), pytrace=False
            )


@pytest.fixture
def http(emu: GitHubEmulator) -> requests.Session:
    """A plain HTTP client of the test module's ``emu``, as user ``octo`` (no PyGithub in
    between), for tests of the emulator's answers themselves."""
    session = requests.Session()
    session.headers["Authorization"] = f"token {emu.user_token('octo')}"
    return session
