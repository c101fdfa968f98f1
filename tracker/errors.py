"""The one exception family of tracker.

Every failure a user can act on is a ``TrackerError``; the CLI turns it into a
one-line message and an exit code in exactly one place (``tracker.cli``).
Nothing here imports click, so the library stays usable without a terminal.
"""

from __future__ import annotations

import datetime
import re

#: Exit codes, documented in the README; 0 is success and 2 is left to click's usage errors.
EXIT_ERROR = 1
EXIT_CRASH = 3
#: Stopped within its limits with work left (a budget spent, or a rate-limit wait longer than
#: allowed); what was done is reported and a later run continues. Workflows treat it as success.
EXIT_UNFINISHED = 4
EXIT_INTERRUPTED = 130


_CREDENTIALS = re.compile(r"(\w+://)[^/@\s]+@")


def redact(text: str) -> str:
    """``text`` with the credentials of any URL in it (``https://user:TOKEN@host``) hidden:
    what tracker prints, logs or reports never carries them."""
    return _CREDENTIALS.sub(r"\1***@", text)


#: What a failed connection's text says, and the few words a user needs (requests names
#: only ``ConnectionError`` for all of them).
_NETWORK_REASONS = (
    ("Name or service not known", "host not found"),
    ("nodename nor servname", "host not found"),
    ("Temporary failure in name resolution", "host not found (no DNS?)"),
    ("Connection refused", "connection refused"),
    ("timed out", "timed out"),
    ("CERTIFICATE_VERIFY_FAILED", "its TLS certificate is not trusted"),
    ("RemoteDisconnected", "connection dropped"),
    ("Port could not be cast", "not a port number"),
    ("Failed to parse", "not a URL"),
)


def network_reason(exc: Exception) -> str:
    """Why a request got no answer, in a few words: ``host not found``, ``connection
    refused``, …; else the exception's type."""
    text = str(exc)
    return next((words for needle, words in _NETWORK_REASONS if needle in text), None) or (
        type(exc).__name__
    )


class TrackerError(Exception):
    """A failure the user can fix; ``str()`` is the whole message."""

    exit_code = EXIT_ERROR

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        if self.hint:
            return f"{self.message} (hint: {self.hint})"
        return self.message


class InputError(TrackerError):
    """Minutes that cannot be read: carries the path and, when known, the line."""

    def __init__(
        self, message: str, *, path: str, line: int | None = None, hint: str | None = None
    ) -> None:
        super().__init__(message, hint=hint)
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {super().__str__()}"


class ConfigError(TrackerError):
    """An invalid config file: names the file (and the line, when YAML says) and the key path
    that is wrong."""

    def __init__(
        self,
        message: str,
        *,
        path: str,
        key: str | None = None,
        hint: str | None = None,
        line: int | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.path = path
        self.key = key
        self.line = line

    @property
    def detail(self) -> str:
        """The message without the file: for output that names the file already."""
        what = super().__str__()
        return f"{self.key}: {what}" if self.key else what

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.detail}"


class GitHubError(TrackerError):
    """GitHub refused or could not be reached; the message says what to do."""


class Unfinished(GitHubError):
    """The run stopped within its limits with work left: the time or creation budget is spent,
    or GitHub's rate limit asks for a longer wait than allowed. Not a failure: a later run
    continues where this one stopped (exit code 4)."""

    exit_code = EXIT_UNFINISHED

    def __init__(
        self, message: str, *, resume_at: datetime.datetime | None = None, hint: str | None = None
    ) -> None:
        if hint is None:
            hint = (
                f"rerun after {resume_at:%Y-%m-%d %H:%M} UTC"
                if resume_at is not None
                else "rerun to continue"
            )
        super().__init__(message, hint=hint)
        self.resume_at = resume_at
        """When a rerun can make progress again (UTC), or None: at once."""
