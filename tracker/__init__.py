"""tracker: action items in meeting minutes <-> GitHub issues.

The public API; the CLI and the tests call these same functions. The GitHub side
lives in ``tracker.sync.sync`` (imported on demand, so that parsing never loads
PyGithub).
"""

from __future__ import annotations

from tracker.config import Config, load_config
from tracker.errors import TrackerError
from tracker.minutes import parse, parse_text
from tracker.model import ActionItem, Blocker, Meeting, Minutes, ParseWarning
from tracker.plan import Plan, make_plan

__all__ = [
    "ActionItem",
    "Blocker",
    "Config",
    "Meeting",
    "Minutes",
    "ParseWarning",
    "Plan",
    "TrackerError",
    "load_config",
    "make_plan",
    "parse",
    "parse_text",
]
