"""The one package that talks to GitHub (through PyGithub): read a Snapshot, apply writes.

Everything PyGithub-specific lives here, one idea a module:

- :mod:`tracker.github.http`: how requests go over the wire (retries that never resend a
  create, counting, handing rate-limit refusals to the run's Pacer, the last answer seen);
- :mod:`tracker.github.errors`: GitHub's failures as one-line ``GitHubError`` messages a
  maintainer can act on;
- :mod:`tracker.github.session`: PyGithub set up from :class:`tracker.settings.Settings`;
- :mod:`tracker.github.reads` and :mod:`tracker.github.writes`: the API calls.

Pacing and rate-limit waits are decided by :class:`tracker.pacing.Pacer`: this package tells
it what GitHub answered and asks it before each write.
"""

from __future__ import annotations

from tracker.github.errors import AmbiguousWrite, Refused, translated_errors
from tracker.github.http import RequestCount
from tracker.github.reads import Reads
from tracker.github.writes import Created, Writes

__all__ = [
    "AmbiguousWrite",
    "Created",
    "GitHub",
    "Refused",
    "RequestCount",
    "translated_errors",
]


class GitHub(Reads, Writes):
    """A session with one repository: its reads and its writes.

    ``viewer()`` says who the token is; ``read_snapshot()`` reads everything a plan needs;
    the writes create labels, milestones and issues, update issues and close duplicates.
    """
