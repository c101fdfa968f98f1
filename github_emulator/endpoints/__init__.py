"""The REST endpoints; importing this package registers them all in ``api.ROUTES``."""

from __future__ import annotations

from . import comments, issue_edges, issues, labels, milestones, users

__all__ = ["comments", "issue_edges", "issues", "labels", "milestones", "users"]
