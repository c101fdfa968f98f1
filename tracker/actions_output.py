"""What a maintainer sees in GitHub Actions (issue 11): annotations on the minutes lines,
a Markdown job summary, and the step's outputs.

Pure text: the CLI prints the annotations (workflow commands, read by the runner from
the step's output) and appends the summary and the outputs to the files Actions names in
``GITHUB_STEP_SUMMARY`` and ``GITHUB_OUTPUT`` (:func:`append`). Everything else a command
prints stays as on a terminal.

Escaping follows the runner's rules for workflow commands: in the message (data), ``%``,
``\\r`` and ``\\n``; in a property (``file``, ``line``, ``title``) also ``:`` and ``,``.
"""

from __future__ import annotations

import datetime
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.errors import TrackerError
from tracker.plan import Kind
from tracker.words import counted

if TYPE_CHECKING:  # tracker.sync loads PyGithub
    from tracker.check import CheckResult
    from tracker.commands import PendingRun, SyncRun
    from tracker.sync import SyncResult

#: The rows of a summary table and the warnings listed, at most; the rest are counted.
MAX_ROWS = 100

_WHERE = re.compile(r"^(?P<file>[^\s:][^:]*?):(?P<line>\d+): (?:(?P<level>warning|error): )?")
_FILE_ONLY = re.compile(r"^(?P<file>[^\s:][^:]*?\.ya?ml): ")


def enabled(output_format: str, env: Mapping[str, str] | None = None) -> bool:
    """Annotations and the summary are on with ``--format github`` or inside Actions."""
    env = os.environ if env is None else env
    return output_format == "github" or env.get("GITHUB_ACTIONS") == "true"


def escape_data(text: str) -> str:
    """A workflow command's message: ``%``, ``\\r`` and ``\\n`` escaped."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value: as the data, and ``:`` and ``,`` too."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


@dataclass(frozen=True)
class Annotation:
    """One ``::warning …::`` (or error, notice) line: shown on ``file`` at ``line``."""

    level: str
    message: str
    file: str | None = None
    line: int | None = None
    title: str | None = None

    def command(self) -> str:
        """The workflow command that makes Actions show it."""
        properties = []
        if self.file:
            properties.append(f"file={escape_property(_in_workspace(self.file))}")
        if self.line is not None:
            properties.append(f"line={self.line}")
        if self.title:
            properties.append(f"title={escape_property(self.title)}")
        shown = " " + ",".join(properties) if properties else ""
        return f"::{self.level}{shown}::{escape_data(self.message)}"


def _in_workspace(path: str) -> str:
    """Actions places an annotation by the path from the repository's root: the workspace
    (the working folder, where the workflow runs tracker)."""
    if not os.path.isabs(path):
        return path
    try:
        return Path(path).relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path


def from_message(text: str, *, title: str, level: str = "warning") -> Annotation:
    """The annotation of a warning as tracker prints it: ``path:line: warning: message``
    (on that line of that file), ``config.yml: message`` (on the file), or anything else."""
    match = _WHERE.match(text)
    if match:
        return Annotation(
            match.group("level") or level,
            text[match.end() :],
            match.group("file"),
            int(match.group("line")),
            title,
        )
    match = _FILE_ONLY.match(text)
    if match:
        return Annotation(level, text[match.end() :], match.group("file"), None, title)
    return Annotation(level, text, None, None, title)


def output_lines(values: Mapping[str, str | int]) -> str:
    """``name=value`` lines for ``GITHUB_OUTPUT`` (a value with a newline uses a delimiter)."""
    lines = []
    for name, value in values.items():
        text = str(value)
        if "\n" in text:
            delimiter = "tracker_EOF"
            while delimiter in text:
                delimiter += "_"
            lines.append(f"{name}<<{delimiter}\n{text}\n{delimiter}")
        else:
            lines.append(f"{name}={text}")
    return "\n".join(lines) + "\n"


def append(path: str | os.PathLike[str], text: str, *, variable: str = "the file") -> None:
    """Add ``text`` to a file Actions reads after the step (the summary, the outputs), named by
    ``variable``; one that cannot be written (set by hand outside Actions) is a
    :class:`TrackerError` naming it, after the command's work is done and printed."""
    try:
        with Path(path).open("a", encoding="utf-8") as file:
            file.write(text)
    except OSError as exc:
        raise TrackerError(
            f"cannot write {variable} ({os.fspath(path)}): {exc.strerror}",
            hint=f"Actions sets {variable}; outside Actions, unset it or name a writable file",
        ) from None


# --------------------------------------------------------------------------- Markdown


def cell(text: str) -> str:
    """Text safe inside a Markdown table cell: no pipe, no HTML, no line break."""
    text = " ".join(text.split())
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def warning_list(warnings: Sequence[str]) -> list[str]:
    """The warnings as a Markdown section (none: no section)."""
    if not warnings:
        return []
    lines = ["", f"#### Warnings ({len(warnings)})", ""]
    lines += [f"- {cell(w)}" for w in warnings[:MAX_ROWS]]
    if len(warnings) > MAX_ROWS:
        lines.append(f"- … and {len(warnings) - MAX_ROWS} more (see the log)")
    return lines


@dataclass(frozen=True)
class Row:
    """One line of the summary's table."""

    what: str
    issue: int | None
    title: str
    where: str
    why: str


def table(rows: Sequence[Row], *, issue_url: str) -> list[str]:
    """The summary's table; ``issue_url`` is a format string with ``{number}``."""
    if not rows:
        return []
    lines = ["", "| | issue | title | minutes | why |", "| --- | --- | --- | --- | --- |"]
    for row in rows[:MAX_ROWS]:
        number = f"[#{row.issue}]({issue_url.format(number=row.issue)})" if row.issue else "-"
        lines.append(
            f"| {row.what} | {number} | {cell(row.title)} | {cell(row.where)} | {cell(row.why)} |"
        )
    if len(rows) > MAX_ROWS:
        lines.append(f"| … | | {len(rows) - MAX_ROWS} more rows: see the log | | |")
    return lines


def issue_url_format(repo: str, env: Mapping[str, str] | None = None) -> str:
    """Where an issue of ``repo`` is on the web (``GITHUB_SERVER_URL`` for GitHub Enterprise)."""
    env = os.environ if env is None else env
    server = (env.get("GITHUB_SERVER_URL") or "https://github.com").rstrip("/")
    return f"{server}/{repo}/issues/{{number}}"


#: The plan's kinds shown in the sync summary's table, and how.
SHOWN = {Kind.CREATE: "created", Kind.UPDATE: "updated", Kind.CONFLICT: "conflict"}
PLANNED = {Kind.CREATE: "to create", Kind.UPDATE: "to update", Kind.CONFLICT: "conflict"}


def summary(
    heading: str, result: str, *, rows: Sequence[Row] = (), warnings: Iterable[str] = (), url: str
) -> str:
    """A job summary: the heading, the one-line result, the table, then the warnings."""
    lines = [f"### {heading}", "", result]
    lines += table(rows, issue_url=url)
    lines += warning_list(list(warnings))
    return "\n".join(lines) + "\n\n"


# --------------------------------------------------------------------------- per command


def sync_rows(result: SyncResult) -> list[Row]:
    """What was created, updated or left in conflict (planned, in a dry run)."""
    names = PLANNED if result.dry_run else SHOWN
    rows = []
    for outcome in result.outcomes:
        action = outcome.action
        if action.kind not in names or (
            action.kind is not Kind.CONFLICT and not result.dry_run and not outcome.done
        ):
            continue
        rows.append(
            Row(names[action.kind], outcome.issue, action.title, action.where or "", action.reason)
        )
    return rows


def sync_summary(run: SyncRun, *, url: str, since: datetime.date | None) -> str:
    """``tracker sync``'s job summary."""
    result = run.result
    if result.unfinished:
        head = "**More to do.** "
    else:
        head = "**Stopped.** " if run.failure else "**Done.** "
    line = head + result.summary()
    if run.failure is not None:
        line += f"\n\n{run.failure}"
    if result.unfinished:
        line += "\n\nThe run stopped within its limits; the next scheduled run continues."
    if run.flagged:
        issues = ", ".join(f"[#{n}]({url.format(number=n)})" for n in run.flagged)
        line += (
            f"\n\n{counted(len(run.flagged), 'stale AI')} flagged (`ageing.escalate`): {issues}."
        )
    if run.left_out and since is not None:
        line += (
            f"\n\n{counted(run.left_out, 'AI')} of meetings before {since.isoformat()} left out "
            "(`sync.since`)."
        )
    return summary("tracker sync", line, rows=sync_rows(result), warnings=result.warnings, url=url)


def sync_outputs(result: SyncResult) -> dict[str, str | int]:
    """``created``, ``updated`` and ``conflicts``: what this run did (0 in a dry run)."""
    done = [o for o in result.outcomes if o.done]
    return {
        "created": sum(1 for o in done if o.action.kind is Kind.CREATE),
        "updated": sum(1 for o in done if o.action.kind is not Kind.CREATE),
        "conflicts": result.plan.count(Kind.CONFLICT),
    }


def pending_summary(
    run: PendingRun, *, posted: str | None = None, refused: str | None = None
) -> str:
    """``tracker pending``'s job summary; with ``--post``, what it did on Discourse
    (``posted``) or why Discourse refused (``refused``). Without a file (minutes on the web)
    the section itself follows, to read or copy."""
    written = run.written
    if written is None:
        did = "rendered the section"
    elif run.failure is not None:
        did = f"**Stopped.** {run.failure}"
    else:
        did = f"`{written.path}`: " + ("refreshed" if written.changed else "up to date")
    line = (
        f"{did}; {counted(run.pending.open_count, 'open AI')}; {counted(run.reads, 'API request')}"
    )
    if run.pending.chart:  # pending.chart: the burn-down, which GitHub draws in the summary too
        line += f"\n\n{run.pending.chart}"
    if posted is not None:
        line += f"\n\nDiscourse: {cell(posted)}"
    if refused is not None:
        line += f"\n\n**Not posted.** Discourse: {cell(refused)}"
    text = summary("tracker pending", line, url="")
    if written is None:
        fence = "`" * max(3, 1 + max((len(r) for r in re.findall(r"`+", run.text)), default=0))
        text += f"{fence}markdown\n{run.text.rstrip()}\n{fence}\n\n"
    return text


def pending_outputs(run: PendingRun, *, pull_request: bool) -> dict[str, str | int]:
    """``open`` AIs, and with a file: whether it ``changed``, the ``file``, and whether the
    config wants the change as a ``pull-request``."""
    values: dict[str, str | int] = {"open": run.pending.open_count}
    if run.written is not None:
        values["changed"] = "true" if run.written.changed else "false"
        values["file"] = run.written.path
    values["pull-request"] = "true" if pull_request else "false"
    return values


def check_summary(result: CheckResult) -> str:
    """``tracker check``'s job summary: the result, then every finding."""
    line = ("**Errors found.** " if result.errors else "**Passed.** ") + result.summary()
    return summary("tracker check", line, warnings=[str(f) for f in result.findings], url="")
