"""A local, stateful GitHub REST emulator: tracker's tests run against it, and
``tracker demo`` runs the whole loop on it without a GitHub account.

It is shipped with tracker (the ``minutes-tracker`` distribution) and needs nothing
beyond the standard library. It is a real HTTP server on 127.0.0.1 that PyGithub (or
any HTTP client) talks to instead of api.github.com: it keeps repositories, issues,
labels, milestones and comments in memory, answers with GitHub's object shapes, headers
and error bodies (``shared/GITHUB_FIDELITY.md`` in the repository lists the facts it
follows), records every request, and can inject faults. ``README.md`` beside this file
documents it.

Typical use::

    with GitHubEmulator.start() as emu:
        emu.add_repo("octo/minutes", collaborators=["alice"])
        g = Github(base_url=emu.url, auth=Auth.Token(emu.user_token("octo")), ...)
        ...

``python -m github_emulator`` serves one by hand. In tracker's tests, use the
``github_emulator`` fixture from ``tests.github_emulator.pytest_plugin`` instead: it also
checks every response against GitHub's official OpenAPI description on teardown.
"""

from __future__ import annotations

from .clock import Clock
from .faults import CONTENT_CREATION_LIMIT, SECONDARY_RATE_LIMIT, Fault
from .server import GitHubEmulator, RequestRecord
from .state import Comment, ContentLimit, Issue, Label, Milestone, Repo, Token, User

__all__ = [
    "CONTENT_CREATION_LIMIT",
    "SECONDARY_RATE_LIMIT",
    "Clock",
    "Comment",
    "ContentLimit",
    "Fault",
    "GitHubEmulator",
    "Issue",
    "Label",
    "Milestone",
    "Repo",
    "RequestRecord",
    "Token",
    "User",
]
