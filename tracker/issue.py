"""The issue an AI should have: its title, body, assignees, labels and milestone, and the
write record that goes with them.

Pure: :mod:`tracker.plan` compares these wanted fields with what GitHub holds.
The body comes from the ``issue.md.j2`` template (the team's own, when its
template folder has one); :func:`tracker.record.with_record` adds the hidden
marker and write record to it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote

from tracker import escape, templating
from tracker.config import Config
from tracker.identity import without_annotation
from tracker.model import ActionItem
from tracker.record import FIELDS, WriteRecord, field_hash, with_record

#: GitHub rejects longer issue titles (422), counted in characters.
MAX_TITLE = 256
#: GitHub rejects longer issue bodies (422).
MAX_BODY = 65_536
#: Room kept in a body for tracker's hidden comments (the marker and the write record).
RECORD_ROOM = 4_096
#: When a body would be too long, each text from the minutes in it is cut to this length.
MAX_QUOTE = 1_000
#: What a quote cut to :data:`MAX_QUOTE` says before where the whole line is.
SHORTENED = "(shortened; the whole line: "
#: The issue body's template, in templates/ or the team's template folder.
BODY_TEMPLATE = "issue.md.j2"
#: The topic shown after the task in a title is cut to this length.
MAX_CONTEXT = 80

_URL_RE = re.compile(r"https?://\S+")


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


class IssueMaker:
    """The issue each AI should have in one repository.

    The assignees are the logins the parser resolved the owners to
    (:attr:`ActionItem.assignees`; it warned about the owners it does not know). Those the
    repository cannot assign are left out, each with a warning naming the minutes line
    (collected in :attr:`warnings`).
    """

    def __init__(
        self, config: Config, *, repo: str, assignable: Iterable[str], link_base: str | None
    ) -> None:
        self.config = config
        self.repo = repo
        self.link_base = link_base
        self.warnings: list[str] = []
        self._assignable = {login.casefold(): login for login in assignable}
        self._body = BodyRenderer(config)

    def fields(self, ai: ActionItem) -> IssueFields:
        """What the AI's issue should hold (the body without its hidden comments)."""
        return IssueFields(
            title=issue_title(ai, mentions=self.config.mentions),
            body=self._body(ai, link_base=self.link_base),
            assignees=self._assignees(ai),
            labels=wanted_labels(ai, self.config),
            milestone=wanted_milestone(ai, self.config),
        )

    def _assignees(self, ai: ActionItem) -> tuple[str, ...]:
        where = f"{ai.source}:{ai.line}"
        logins: list[str] = []
        for login in ai.assignees:
            canonical = self._assignable.get(login.casefold())
            if canonical is None:
                self.warnings.append(
                    f"{where}: warning: {login} cannot be assigned in {self.repo}; the issue stays"
                    " unassigned (hint: give them access to the repository, or fix people: in the"
                    " config)"
                )
            elif canonical not in logins:
                logins.append(canonical)
        return tuple(sorted(logins, key=str.casefold))


def new_issue(ai: ActionItem, fields: IssueFields) -> IssueFields:
    """The fields of a create: the body carries the marker and a record of every field."""
    hashes = {name: field_hash(name, getattr(fields, name)) for name in FIELDS}
    return replace(fields, body=with_record(fields.body, record_for(ai, hashes), ai.id))


def record_for(ai: ActionItem, hashes: Mapping[str, str]) -> WriteRecord:
    """The write record of ``ai`` with these field hashes."""
    return WriteRecord(
        hashes=dict(hashes),
        meeting=ai.meeting.isoformat() if ai.meeting else None,
        source=ai.source,
        line=ai.line,
        text=ai.text,
        owners=ai.owners,
        topic=ai.topic,
    )


def issue_title(ai: ActionItem, *, mentions: bool = False) -> str:
    """A readable title: the task, then the innermost topic for context; at most 256 chars.

    Shown as written, but for control characters (dropped), tags and hidden comments
    (defused) and, unless ``mentions``, mentions (defused): see :mod:`tracker.escape`.
    """
    text = " ".join(escape.plain(ai.text, mentions=mentions).split()) or "(action item)"
    text = text[:1].upper() + text[1:]
    topic = escape.plain(ai.topic[-1], mentions=mentions) if ai.topic else ""
    context = " ".join(_URL_RE.sub("", topic).split()).strip(" :-")
    if len(context) > MAX_CONTEXT:
        context = context[: MAX_CONTEXT - 1].rstrip() + "…"
    title = f"{text} ({context})" if context and context.casefold() not in text.casefold() else text
    if len(title) > MAX_TITLE:
        title = title[: MAX_TITLE - 1].rstrip() + "…"
    return title


def minutes_link(ai: ActionItem, link_base: str | None) -> str | None:
    """The URL of the AI's line in the repository holding the minutes, when there is one;
    for minutes on the web, where they are read (a Discourse post, the Markdown's URL)."""
    if ai.link:
        return ai.link
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


class BodyRenderer:
    """Renders ``issue.md.j2`` for many AIs, loading and compiling it once.

    The template gets the AI with every text from the minutes escaped for Markdown
    (:func:`tracker.escape.markdown`: no hidden comment, tag, heading, fence or control
    character of the minutes reaches the body, nor a mention unless the config allows
    them), so a team's own template is as safe as the built-in one. A body that would
    pass GitHub's limit is rendered again with those texts shortened, the quote ending
    with where the whole line is.
    """

    def __init__(self, config: Config) -> None:
        self.config = config

    @functools.cached_property
    def _template(self) -> templating.Template:
        return templating.compiled(self.config, BODY_TEMPLATE)

    def __call__(self, ai: ActionItem, *, link_base: str | None) -> str:
        if ai.issue is not None:
            # `sync --annotate` adds " (#N)" to the line: quoting it must not change the body.
            ai = replace(ai, raw=without_annotation(ai.raw))
        link = minutes_link(ai, link_base)
        body = self._render(self._escaped(ai), link)
        if len(body) > MAX_BODY - RECORD_ROOM:
            body = self._render(self._escaped(_shortened(ai, link)), link)
        if len(body) > MAX_BODY - RECORD_ROOM:  # a template that repeats the text many times
            body = body[: MAX_BODY - RECORD_ROOM - 1] + "…"
        # The template's own text too: nothing but tracker's record may look like its comments.
        return escape.defuse_tracker_comments(body)

    def _render(self, ai: ActionItem, link: str | None) -> str:
        return self._template(
            ai=ai,
            meeting=ai.meeting.isoformat() if ai.meeting else "(undated)",
            topic=" › ".join(ai.topic),
            owners=", ".join(ai.owners),
            link=link,
            marker="",  # tracker.record.with_record writes the marker; kept for older templates
        )

    def _escaped(self, ai: ActionItem) -> ActionItem:
        mentions = self.config.mentions

        def md(text: str) -> str:
            return escape.markdown(text, mentions=mentions)

        blocker = ai.blocker
        if blocker is not None:
            blocker = replace(blocker, release=md(blocker.release), subject=md(blocker.subject))
        return replace(
            ai,
            text=md(ai.text),
            raw=md(ai.raw),
            source=md(ai.source),
            owners=tuple(md(owner) for owner in ai.owners),
            topic=tuple(md(topic) for topic in ai.topic),
            blocker=blocker,
        )


def _shortened(ai: ActionItem, link: str | None) -> ActionItem:
    """``ai`` with each text cut to :data:`MAX_QUOTE` characters; the quote says where the
    whole line is."""

    def cut(text: str) -> str:
        return text if len(text) <= MAX_QUOTE else text[: MAX_QUOTE - 1] + "…"

    where = link or f"{ai.source} line {ai.line}"
    raw = ai.raw or ai.text
    if len(raw) > MAX_QUOTE:
        raw = f"{raw[: MAX_QUOTE - 1]}… {SHORTENED}{where})"
    blocker = ai.blocker
    if blocker is not None:
        blocker = replace(blocker, release=cut(blocker.release), subject=cut(blocker.subject))
    return replace(
        ai,
        text=cut(ai.text),
        raw=raw,
        source=cut(ai.source),
        owners=tuple(cut(owner) for owner in ai.owners[:20]),
        topic=tuple(cut(topic) for topic in ai.topic[-5:]),
        blocker=blocker,
    )
