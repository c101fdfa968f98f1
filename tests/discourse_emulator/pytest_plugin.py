"""The ``discourse_emulator`` fixture: a fresh emulator per test, checked on teardown.

Enabled by ``pytest_plugins`` in the top-level conftest. Teardown fails the test when the
emulator crashed, or when a response (or a request tracker sent) contradicts Discourse's
OpenAPI subset (``openapi.check_log``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from . import openapi
from .server import DiscourseEmulator


@pytest.fixture
def discourse_emulator() -> Iterator[DiscourseEmulator]:
    emu = DiscourseEmulator.start()
    try:
        yield emu
    finally:
        emu.stop()
    if emu.crashes:
        pytest.fail("the Discourse emulator crashed:\n  " + "\n  ".join(emu.crashes), pytrace=False)
    if emu.check_responses:
        found = openapi.check_log(emu.log)
        if found:
            pytest.fail(
                "the Discourse emulator answered unlike Discourse:\n  " + "\n  ".join(found),
                pytrace=False,
            )
