"""What an unexpected exception leaves behind: a log to attach to a bug report.

An expected failure is a :class:`tracker.errors.TrackerError` and gets one line. Anything
else is a bug in tracker; the CLI writes the traceback, the command line and the versions
that matter (tracker, Python, PyGithub, the platform) to a log file and prints its path,
following pre-commit's ``error_handler``. The log is Markdown, ready to paste into an issue.
Nothing here prints.
"""

from __future__ import annotations

import importlib.metadata
import os
import platform
import sys
import traceback
from collections.abc import Mapping, Sequence
from pathlib import Path

from tracker.errors import redact

#: The log file, in tracker's folder of the user's cache (``$XDG_CACHE_HOME``, ``~/.cache``).
LOG_NAME = "tracker.log"


def log_path(env: Mapping[str, str] | None = None) -> Path:
    """Where the crash log goes: ``$XDG_CACHE_HOME/tracker/tracker.log``, else ``~/.cache/...``."""
    env = os.environ if env is None else env
    cache = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "tracker" / LOG_NAME


def versions() -> dict[str, str]:
    """The versions a bug report needs."""
    return {
        "tracker": _version("minutes-tracker"),  # the distribution name (issue 11)
        "Python": sys.version.replace("\n", " "),
        "PyGithub": _version("PyGithub"),
        "platform": platform.platform(),
    }


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def crash_report(
    exc: BaseException, *, argv: Sequence[str], options: Mapping[str, object] | None = None
) -> str:
    """The log's text: versions, the command line and its options, the exception and its
    traceback."""
    fence = "```"
    lines = ["### version information", "", fence]
    lines += [f"{name}: {version}" for name, version in versions().items()]
    lines += [fence, "", "### error information", "", fence]
    lines.append(f"command line: tracker {' '.join(argv)}".rstrip())
    if options:
        lines.append("options: " + ", ".join(f"{k}={v!r}" for k, v in options.items()))
    lines += [f"{type(exc).__name__}: {exc}", fence]
    lines += ["", fence, "".join(traceback.format_exception(exc)).rstrip(), fence]
    # A token given in --api-url (https://x:TOKEN@host) must not reach a bug report.
    return redact("\n".join(lines) + "\n")


def write_log(report: str, *, path: Path | None = None) -> Path | None:
    """Write a :func:`crash_report`; its path, or None when it could not be written."""
    target = path or log_path()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(report, encoding="utf-8")
    except OSError:
        return None
    return target
