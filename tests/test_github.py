"""The GitHub session's HTTP layer: what it may retry, and how requests are counted.

(The session's reads and writes are tested against the emulator in test_sync.py,
test_github_cli.py and, replayed from recordings, test_github_cassettes.py.)
"""

from __future__ import annotations

import pytest

from tracker.github.http import RequestCount, SafeRetry


@pytest.mark.parametrize(
    ("method", "status", "retried"),
    [
        ("GET", 502, True),  # reads are safe to resend
        ("POST", 502, False),  # the create may have happened: never resend it blindly
        ("PATCH", 502, True),  # an update sends whole values: sending it twice is harmless
        ("POST", 403, True),  # GithubRetry then resends only a rate-limit 403
        ("POST", 422, False),
    ],
)
def test_creates_are_never_resent_by_the_http_layer(method, status, retried):
    """The retry policy: urllib3 may resend reads, but not a POST after a 5xx."""
    counter = RequestCount()
    assert SafeRetry(counter, total=3).is_retry(method, status) is retried
    assert counter.total == 1


def test_retries_share_one_request_counter():
    """urllib3 copies the Retry on each attempt; the copies keep counting into one counter."""
    counter = RequestCount()
    retry = SafeRetry(counter, total=3).new(total=2)
    retry.is_retry("GET", 200)
    assert counter.reads == 1
