"""A local, stateful GitHub REST emulator for the tracker's tests.

No test machine reaches github.com, so PyGithub talks to this real HTTP server
instead. It keeps repositories, issues, labels, milestones and comments in
memory, answers with GitHub's object shapes, headers and error bodies (see
``shared/GITHUB_FIDELITY.md``), records every request, and can inject faults.

Typical use::

    emu = GitHubEmulator.start()
    emu.add_repo("octo/minutes", collaborators=["alice"])
    g = Github(base_url=emu.url, auth=Auth.Token(emu.user_token("octo")), ...)
    ...
    emu.stop()

In tests, use the ``github_emulator`` fixture from
``tests.github_emulator.pytest_plugin`` instead: it also checks every response
against GitHub's official OpenAPI description on teardown.
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
