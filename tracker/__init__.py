"""tracker: action items in meeting minutes <-> GitHub issues.

The public API; the CLI and the tests call these same functions. Everything here
is pure (text and data in, data out). The GitHub side, ``tracker.sync.sync`` and
``tracker.status.read_status``, is imported on demand, so that parsing never loads
PyGithub.
"""

from __future__ import annotations

from tracker.config import Config, load_config
from tracker.errors import TrackerError
from tracker.minutes import parse, parse_text
from tracker.model import ActionItem, Blocker, Meeting, Minutes, ParseWarning
from tracker.plan import Plan, make_plan
from tracker.section import Pending, build_pending, render_pending
from tracker.status import AIStatus, ai_statuses

__all__ = [
    "AIStatus",
    "ActionItem",
    "Blocker",
    "Config",
    "Meeting",
    "Minutes",
    "ParseWarning",
    "Pending",
    "Plan",
    "TrackerError",
    "ai_statuses",
    "build_pending",
    "load_config",
    "make_plan",
    "parse",
    "parse_text",
    "render_pending",
]
