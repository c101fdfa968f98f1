"""tracker: action items in meeting minutes <-> GitHub issues.

The public API; the CLI and the tests call these same functions. One function per
command (``tracker parse``, ``sync``, ``status``, ``pending``, ``agenda``), each
returning data, and the pure steps they are made of (plan, statuses, the section).
Importing tracker does not load PyGithub: the commands that talk to GitHub load it
when they run.
"""

from __future__ import annotations

from tracker.commands import (
    PendingRun,
    StatusRead,
    SyncRun,
    agenda,
    pending_section,
    read_status,
    sync_minutes,
)
from tracker.config import Config, load_config
from tracker.errors import TrackerError
from tracker.minutes import parse, parse_text
from tracker.model import ActionItem, Blocker, Meeting, Minutes, ParseWarning
from tracker.plan import Plan, make_plan
from tracker.section import Pending, build_pending, render_pending
from tracker.settings import Settings, settings_from_env
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
    "PendingRun",
    "Plan",
    "Settings",
    "StatusRead",
    "SyncRun",
    "TrackerError",
    "agenda",
    "ai_statuses",
    "build_pending",
    "load_config",
    "make_plan",
    "parse",
    "parse_text",
    "pending_section",
    "read_status",
    "render_pending",
    "settings_from_env",
    "sync_minutes",
]
