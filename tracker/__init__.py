"""tracker: action items in meeting minutes <-> GitHub issues.

The public API; the CLI and the tests call these same functions.
"""

from __future__ import annotations

from tracker.config import Config, load_config
from tracker.errors import TrackerError
from tracker.minutes import parse, parse_text
from tracker.model import ActionItem, Blocker, Meeting, Minutes, ParseWarning

__all__ = [
    "ActionItem",
    "Blocker",
    "Config",
    "Meeting",
    "Minutes",
    "ParseWarning",
    "TrackerError",
    "load_config",
    "parse",
    "parse_text",
]
