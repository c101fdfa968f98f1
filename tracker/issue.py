"""The issue an AI should have: its title, body, labels and milestone, and the hidden
record of what tracker last wrote to it.

Pure: :mod:`tracker.plan` compares these wanted fields with what GitHub holds.
The body comes from the ``issue.md.j2`` template (the team's own, when its
template folder has one) and carries two hidden comments: the AI's marker
(:func:`tracker.identity.marker`) and the :class:`WriteRecord`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote

import jinja2

from tracker import templating
from tracker.config import Config
from tracker.identity import find_marker, marker
from tracker.model import ActionItem

#: GitHub rejects longer issue titles.
MAX_TITLE = 256
#: The issue body's template, in templates/ or the team's template folder.
BODY_TEMPLATE = "issue.md.j2"
#: The topic shown after the task in a title is cut to this length.
MAX_CONTEXT = 80
#: The fields tracker owns, in the order they are reported.
FIELDS = ("title", "body", "assignees", "labels", "milestone")

_STATE_RE = re.compile(r"\n*<!-- tracker:state (\{[^>]*\}) -->\n?")
_STATE_VERSION = 1
_URL_RE = re.compile(r"https?://\S+")
_ANNOTATION_RE = re.compile(r"\s*\(#\d{1,9}\)\s*$")


@dataclass(frozen=True)
class IssueFields:
    """The values of the fields tracker owns."""

    title: str
    body: str
    assignees: tuple[str, ...]
    labels: tuple[str, ...]
    milestone: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "assignees": list(self.assignees),
            "labels": list(self.labels),
            "milestone": self.milestone,
        }


@dataclass(frozen=True)
class WriteRecord:
    """What tracker last wrote to an issue, kept in a hidden comment in its body."""

    hashes: Mapping[str, str]
    meeting: str | None = None
    source: str | None = None
    line: int | None = None
    text: str = ""
    owners: tuple[str, ...] = ()
    topic: tuple[str, ...] = ()

    def comment(self) -> str:
        data = {
            "v": _STATE_VERSION,
            "h": dict(self.hashes),
            "meeting": self.meeting,
            "source": self.source,
            "line": self.line,
            "text": self.text[:300],
            "owners": list(self.owners),
            "topic": list(self.topic),
        }
        text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        # No ">" may appear inside, or the comment would end early.
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        return f"<!-- tracker:state {text} -->"

    @classmethod
    def from_body(cls, body: str) -> WriteRecord | None:
        """The record in an issue body; None when absent or unreadable."""
        match = _STATE_RE.search(body or "")
        if not match:
            return None
        try:
            data = json.loads(match.group(1))
            hashes = {str(k): str(v) for k, v in data["h"].items()}
            line = data.get("line")
            return cls(
                hashes=hashes,
                meeting=data.get("meeting"),
                source=data.get("source"),
                line=line if isinstance(line, int) else None,
                text=str(data.get("text") or ""),
                owners=tuple(str(o) for o in data.get("owners") or ()),
                topic=tuple(str(t) for t in data.get("topic") or ()),
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            return None


def visible_body(body: str) -> str:
    """The body without tracker's hidden comments, as compared for human edits."""
    body = _STATE_RE.sub("\n", (body or "").replace("\r\n", "\n"))
    ai_id = find_marker(body)
    if ai_id:
        body = body.replace(marker(ai_id), "")
    return body.strip()


def field_hash(field_name: str, value: object) -> str:
    if field_name == "body":
        text = visible_body(str(value))
    elif field_name in ("assignees", "labels"):
        text = "\n".join(sorted(str(v).casefold() for v in value))  # type: ignore[attr-defined]
    else:
        text = "" if value is None else str(value)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def with_record(body: str, record: WriteRecord, ai_id: str) -> str:
    """``body`` with its marker set to ``ai_id`` and its write record replaced."""
    body = _STATE_RE.sub("\n", (body or "").replace("\r\n", "\n")).rstrip()
    old = find_marker(body)
    if old is None:
        body = f"{body}\n\n{marker(ai_id)}"
    elif old != ai_id:
        body = body.replace(marker(old), marker(ai_id))
    return f"{body}\n{record.comment()}\n"


def issue_title(ai: ActionItem) -> str:
    """A readable title: the task, then the innermost topic for context; at most 256 chars."""
    text = " ".join(ai.text.split()) or "(action item)"
    text = text[:1].upper() + text[1:]
    context = " ".join(_URL_RE.sub("", ai.topic[-1]).split()).strip(" :-") if ai.topic else ""
    if len(context) > MAX_CONTEXT:
        context = context[: MAX_CONTEXT - 1].rstrip() + "…"
    title = f"{text} ({context})" if context and context.casefold() not in text.casefold() else text
    if len(title) > MAX_TITLE:
        title = title[: MAX_TITLE - 1].rstrip() + "…"
    return title


def minutes_link(ai: ActionItem, link_base: str | None) -> str | None:
    """The URL of the AI's line in the repository holding the minutes, when there is one."""
    source = ai.source.replace("\\", "/")
    if not link_base or source == "-" or source.startswith(("/", "../")) or ":" in source:
        return None
    source = source.removeprefix("./")
    return f"{link_base.rstrip('/')}/{quote(source)}#L{ai.line}"


def wanted_labels(ai: ActionItem, config: Config) -> tuple[str, ...]:
    labels = [config.label]
    if ai.blocker:
        labels.append(config.blocker_label)
    if ai.group:
        labels.append(config.group_label.format(group=ai.group))
    return tuple(labels)


def wanted_milestone(ai: ActionItem, config: Config) -> str | None:
    return config.milestone.format(release=ai.blocker.release) if ai.blocker else None


def managed_labels(config: Config, extra: Iterable[str] = ()) -> frozenset[str]:
    """Labels tracker may add or remove (casefolded); any other label is left as it is."""
    names = [config.label, config.blocker_label, *extra]
    names += [config.group_label.format(group=group) for group in config.groups]
    return frozenset(name.casefold() for name in names)


def render_body(ai: ActionItem, config: Config, *, link_base: str | None) -> str:
    """The issue body from ``issue.md.j2`` (without the write record)."""
    return BodyRenderer(config)(ai, link_base=link_base)


class BodyRenderer:
    """Renders ``issue.md.j2`` for many AIs, loading and compiling it once."""

    def __init__(self, config: Config) -> None:
        self.config = config
        try:
            self.template: jinja2.Template | None = templating.environment(config).get_template(
                BODY_TEMPLATE
            )
        except jinja2.TemplateError:
            self.template = None  # templating.render reports it, with the file and line

    def __call__(self, ai: ActionItem, *, link_base: str | None) -> str:
        if ai.issue is not None:
            # `sync --annotate` adds " (#N)" to the line: quoting it must not change the body.
            ai = replace(ai, raw=_ANNOTATION_RE.sub("", ai.raw))
        context = {
            "ai": ai,
            "meeting": ai.meeting.isoformat() if ai.meeting else "(undated)",
            "topic": " › ".join(ai.topic),
            "owners": ", ".join(ai.owners),
            "link": minutes_link(ai, link_base),
            "marker": marker(ai.id),
        }
        if self.template is not None:
            try:
                return self.template.render(**context)
            except jinja2.TemplateError:
                pass
        return templating.render(self.config, BODY_TEMPLATE, **context)
