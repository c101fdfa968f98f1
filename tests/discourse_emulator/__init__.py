"""A local, stateful Discourse emulator for the tracker's tests (issue 13).

No test reaches a real forum, so tracker's Discourse client talks to this real HTTP server
(standard library only, like ``tests/github_emulator``). It keeps users, API keys, topics
and posts with their versions in memory, answers the five endpoints tracker uses with the
shapes of Discourse's OpenAPI description, records every request, and can answer 429 in
both of Discourse's ways (the application's JSON with ``extras.wait_seconds``, the front
end's text/plain with ``Retry-After``) and run a hook after a request (a human editing a
post meanwhile).

Typical use::

    emu = DiscourseEmulator.start()
    topic = emu.forum.create_topic("Pulpcore meeting minutes", user="ggainey")
    emu.forum.add_post(topic.id, "## 2023-01-10\\n- AI: [kim] ...", user="ggainey")
    ... discourse:{emu.url}/t/{topic.slug}/{topic.id} ...
    emu.stop()

What is taken from Discourse's description (the pinned subset) and what is guessed: the
shapes of the five answers are the subset's; error bodies (``errors``, ``error_type``) follow
Discourse's ``render_json_error``; the 409 for a stale ``post[original_text]`` with
``error_type: edit_conflict``, a private topic answering 403 ``invalid_access`` to a visitor,
and the wording of the front end's text/plain 429 are modelled on Discourse's source and
meta.discourse.org reports, not on recorded traffic.

In tests, use the ``discourse_emulator`` fixture (``tests.discourse_emulator.pytest_plugin``):
it also checks every response against the pinned OpenAPI subset on teardown.
"""

from __future__ import annotations

from .server import DiscourseEmulator, RequestRecord
from .state import Forum, Post, Topic

__all__ = ["DiscourseEmulator", "Forum", "Post", "RequestRecord", "Topic"]
