"""tracker: action items in meeting minutes <-> GitHub issues.

The public API; the CLI and the tests call these same functions. One function per
command (``tracker parse``, ``sync``, ``status``, ``pending``, ``agenda``, ``check``,
``init``), each returning data, and the pure steps they are made of (plan, statuses, the section).
Importing tracker loads nothing else: each name is imported the first time it is used
(PEP 562), so that ``tracker --help`` and ``tracker parse`` load neither Jinja2 nor PyGithub
(issue 14), and the commands that talk to GitHub load PyGithub when they run.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

#: Where each public name lives (``module:name`` when it is called otherwise there).
_WHERE = {
    "DigestRun": "tracker.commands",
    "check_minutes": "tracker.check:check",
    "init_repository": "tracker.init:init",
    "PendingRun": "tracker.commands",
    "StatsRun": "tracker.commands",
    "StatusRead": "tracker.commands",
    "SyncRun": "tracker.commands",
    "agenda": "tracker.commands",
    "digest": "tracker.commands",
    "pending_section": "tracker.commands",
    "read_status": "tracker.commands",
    "sync_minutes": "tracker.commands",
    "weekly_stats": "tracker.commands",
    "Config": "tracker.config",
    "load_config": "tracker.config",
    "TrackerError": "tracker.errors",
    "parse": "tracker.minutes",
    "parse_text": "tracker.minutes",
    "ActionItem": "tracker.model",
    "Blocker": "tracker.model",
    "Meeting": "tracker.model",
    "Minutes": "tracker.model",
    "ParseWarning": "tracker.model",
    "Plan": "tracker.plan",
    "make_plan": "tracker.plan",
    "Pending": "tracker.section",
    "build_pending": "tracker.section",
    "render_pending": "tracker.section",
    "Settings": "tracker.settings",
    "settings_from_env": "tracker.settings",
    "AIStatus": "tracker.status",
    "ai_statuses": "tracker.status",
    # Minutes on the web (issue 13).
    "gather": "tracker.sources",
    "post_section": "tracker.posting",
    # tracker demo (issue 12): the whole loop on a local GitHub, as a context manager.
    "run_demo": "tracker.demo:running",
}


def __getattr__(name: str) -> Any:
    """Import a public name (or a submodule, ``tracker.minutes``) when it is first used."""
    if name in _WHERE:
        module, _, there = _WHERE[name].partition(":")
        value = getattr(importlib.import_module(module), there or name)
        globals()[name] = value
        return value
    try:
        return importlib.import_module(f"{__name__}.{name}")
    except ModuleNotFoundError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None


if TYPE_CHECKING:
    from tracker.check import check as check_minutes
    from tracker.commands import (
        DigestRun,
        PendingRun,
        StatsRun,
        StatusRead,
        SyncRun,
        agenda,
        digest,
        pending_section,
        read_status,
        sync_minutes,
        weekly_stats,
    )
    from tracker.config import Config, load_config
    from tracker.demo import running as run_demo
    from tracker.errors import TrackerError
    from tracker.init import init as init_repository
    from tracker.minutes import parse, parse_text
    from tracker.model import ActionItem, Blocker, Meeting, Minutes, ParseWarning
    from tracker.plan import Plan, make_plan
    from tracker.posting import post_section
    from tracker.section import Pending, build_pending, render_pending
    from tracker.settings import Settings, settings_from_env
    from tracker.sources import gather
    from tracker.status import AIStatus, ai_statuses

__all__ = [
    "AIStatus",
    "ActionItem",
    "Blocker",
    "Config",
    "DigestRun",
    "Meeting",
    "Minutes",
    "ParseWarning",
    "Pending",
    "PendingRun",
    "Plan",
    "Settings",
    "StatsRun",
    "StatusRead",
    "SyncRun",
    "TrackerError",
    "agenda",
    "ai_statuses",
    "build_pending",
    "check_minutes",
    "digest",
    "gather",
    "init_repository",
    "load_config",
    "make_plan",
    "parse",
    "parse_text",
    "pending_section",
    "post_section",
    "read_status",
    "render_pending",
    "run_demo",
    "settings_from_env",
    "sync_minutes",
    "weekly_stats",
]
