"""The command line: options in, one library call, its result out. Wiring only.

What a command needs is imported when it runs (``tracker`` imports its names lazily), so
``tracker --help`` loads click and little else (issue 14).
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import json
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

import tracker
from tracker.errors import EXIT_CRASH, EXIT_INTERRUPTED, TrackerError, Unfinished, redact
from tracker.pacing import parse_duration
from tracker.words import counted

if TYPE_CHECKING:
    import datetime

    from tracker import Config, Minutes, PendingRun, Settings, StatsRun, SyncRun
    from tracker.check import CheckResult

COLLECT_EVERY = 50_000
"""Allocations between two passes of the cycle collector in a ``tracker`` process."""

F = TypeVar("F", bound=Callable[..., Any])
_UNSET: Any = object()
_PINNED_ACTION = re.compile(r"[\w.-]+/[\w.-]+(?:/[^@\s]+)?@[0-9a-f]{40}")


class Duration(click.ParamType):  # type: ignore[type-arg]  # generic only in newer click
    """``90``, ``90s``, ``5m``, ``1h``, or ``none`` (no bound)."""

    name = "duration"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if value is _UNSET:
            return value
        try:
            return parse_duration(value)
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


class Day(click.ParamType):  # type: ignore[type-arg]  # generic only in newer click
    """``YYYY-MM-DD``, a real day of a year tracker can count weeks around (``--date``,
    ``--since``); given as a ``datetime`` at midnight, as ``click.DateTime`` gives it."""

    name = "YYYY-MM-DD"
    #: Weeks are counted back and forth from the day, which datetime cannot near its ends.
    years = range(1900, 3000)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        import datetime

        if isinstance(value, datetime.datetime):
            return value
        try:
            day = datetime.datetime.strptime(value, "%Y-%m-%d")
        except ValueError:
            self.fail(f"{value!r} is not a day written YYYY-MM-DD, e.g. 2024-05-20", param, ctx)
        if day.year not in self.years:
            self.fail(f"{value!r}: expected a year from 1900 to 2999", param, ctx)
        return day


def handle_errors(command: F) -> F:
    """Translate the library's errors to one line and an exit code, in this one place."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except TrackerError as exc:
            kind = "stopped" if isinstance(exc, Unfinished) else "error"
            click.echo(redact(f"tracker: {kind}: {exc}"), err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("tracker: interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:  # noqa: BLE001 - the last resort: never a bare traceback
            _crashed(exc, kwargs)
            sys.exit(EXIT_CRASH)

    return wrapper  # type: ignore[return-value]


def _crashed(exc: Exception, options: dict[str, Any]) -> None:
    """A bug: one line on stderr, the traceback and the versions in a log to report."""
    _err(redact(f"tracker: internal error: {type(exc).__name__}: {exc}"))
    from tracker import crash

    report = crash.crash_report(exc, argv=sys.argv[1:], options=options)
    log = crash.write_log(report)
    if log is None:  # no writable cache folder: the report goes to stderr instead
        _err(report + "This is a bug in tracker; please report it with the text above.")
    else:
        _err(f"This is a bug in tracker; please report it with the log at {log}")


def _config(path: str | None) -> Config:
    loaded = tracker.load_config(path)
    for warning in loaded.warnings:
        _err(f"tracker: warning: {warning}")
    return loaded.config


def _inputs(
    paths: tuple[str, ...],
    config_path: str | None,
    repo: str | None,
    api_url: str | None,
    **limits: float | None,
) -> tuple[Config, Minutes, Settings]:
    """The config (``limits`` given on the command line override its own), the minutes and
    where GitHub is, in that order (so are their errors)."""
    config = _config(config_path)
    given: dict[str, Any] = {key: value for key, value in limits.items() if value is not _UNSET}
    config = dataclasses.replace(config, **given)
    minutes = _read_minutes(paths, config)
    return config, minutes, tracker.settings_from_env(repo=repo, api_url=api_url, config=config)


# ---------------------------------------------------------------- minutes on the web (issue 13)


def _read_minutes(paths: tuple[str, ...], config: Config) -> Minutes:
    """The minutes at PATHS (files, ``discourse:`` topics, URLs), else the config's sources."""
    from tracker.sources import Web, gather

    _need_minutes(paths, config)
    read = gather(paths, config=config, stdin=sys.stdin.buffer, web_access=Web(notify=_err))
    if read.discourse_requests:
        _err(f"tracker: {read.discourse_requests} Discourse requests")
    return read.minutes


def _configured_sources(config_path: str | None) -> bool:
    """The config names the minutes (``sources:``); a config that cannot load is check's to
    report, so it counts as naming none here."""
    try:
        return bool(tracker.load_config(config_path).config.sources)
    except tracker.TrackerError:
        return False


def _need_minutes(paths: tuple[str, ...], config: Config) -> None:
    if not paths and not config.sources:
        # Only pending reads its --write FILE when no PATH is given.
        ctx = click.get_current_context(silent=True)
        write = " or --write FILE" if ctx is not None and ctx.info_name == "pending" else ""
        raise click.UsageError(f"which minutes? pass PATH...{write}, or set sources: in the config")


def _post_pending(text: str, config: Config, post: str | None, edit_post: int | None) -> str:
    """``pending --post`` / ``--edit-post``: the section onto Discourse; what was done."""
    from tracker.locations import Kind, locate
    from tracker.posting import post_section
    from tracker.sources import Web

    spec = post or next((s for s in config.sources if s.startswith("discourse:")), None)
    location = locate(spec) if spec else None
    if location is None or location.kind is not Kind.DISCOURSE:
        raise click.UsageError(
            "--post takes a topic, discourse:https://HOST/t/SLUG/ID"
            if post
            else "--edit-post needs the site: pass --post discourse:URL too"
        )
    done = post_section(
        text, topic=location.topic, config=config, edit_post=edit_post, web_access=Web(notify=_err)
    )
    state = ("edited" if edit_post else "posted") if done.changed else "is up to date"
    return f"{done.url}: {state}; {done.requests} Discourse requests"


def _err(text: str) -> None:
    click.echo(text, err=True)


def _json(data: object) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _finish(failure: TrackerError | None) -> None:
    """A command that stopped early says why, after what it did (exit code 1)."""
    if failure is not None:
        raise failure


config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    help="Config file (default: tracker.yml or .github/tracker.yml in the current folder).",
)
format_option = click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for scripts (see the README for the JSON shape).",
)


def _format(*choices: str) -> Callable[[F], F]:
    """``--format``; ``github`` adds, to the text output, annotations on the minutes lines, a
    Markdown job summary and the step's outputs (also on whenever GITHUB_ACTIONS=true)."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(choices),
        default="text",
        show_default=True,
        help="text for people"
        + (", json for scripts" if "json" in choices else "")
        + "; github adds annotations, a job summary and step outputs (on in GitHub Actions).",
    )


def _annotate(messages: Any, *, title: str, output_format: str) -> None:
    """Each warning again as an annotation on its minutes line (stderr: the runner reads it)."""
    from tracker import actions_output as actions

    if actions.enabled(output_format):
        for message in messages:
            _err(actions.from_message(str(message), title=title).command())


def _to_actions(summary: str, outputs: dict[str, str | int], *, output_format: str) -> None:
    """The job summary and the step's outputs, into the files Actions names (when it does)."""
    from tracker import actions_output as actions

    if not actions.enabled(output_format):
        return
    for variable, text in (
        ("GITHUB_STEP_SUMMARY", summary),
        ("GITHUB_OUTPUT", actions.output_lines(outputs)),
    ):
        path = os.environ.get(variable)
        if path:
            actions.append(path, text, variable=variable)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="minutes-tracker")
def main() -> None:
    """Turn the action items (AIs) and release-blocker decisions in meeting minutes
    into GitHub issues, and keep the minutes' "Pending AIs" section up to date.

    \b
    Start with:
      tracker demo                      the whole loop on a local GitHub, no account
      tracker parse minutes/            what AIs do the minutes hold?
      tracker parse --format json -     the same for stdin, as JSON
    """
    # The command owns its process, so it may tune the collector (a library never
    # should): parsing makes many small objects and no cycles, and collecting every
    # 700 allocations costs about a tenth of a parse.
    gc.set_threshold(COLLECT_EVERY, 20, 20)


@main.command("parse")
@click.argument("paths", nargs=-1, type=click.Path())
@config_option
@format_option
@click.option(
    "--explain",
    "explain_at",
    metavar="FILE:LINE",
    help="Say why that line is, or is not, an action item: its clauses, speaker, owner "
    "and the rule that decided.",
)
@handle_errors
def parse_command(
    paths: tuple[str, ...], config_path: str | None, output_format: str, explain_at: str | None
) -> None:
    """Read minutes and list their meetings, action items and blocker decisions.

    PATHS are Markdown or text files, folders (every *.md, *.markdown and *.txt
    inside, recursively, READMEs and templates aside) or - for stdin. Warnings
    go to stderr as path:line. The config says who is who (people:), which
    owners are groups, and any extra AI forms: see the README.

    \b
    Examples:
      tracker parse minutes/2023-01-10.md
      tracker parse --config tracker.yml --format json minutes/
      tracker parse minutes/ --explain minutes/2023-01-10.md:14
    """
    config = _config(config_path)
    if explain_at is not None:
        click.echo(_explained(paths, config, explain_at), nl=False)
        return
    _show_minutes(_read_minutes(paths, config), output_format=output_format)


def _explained(paths: tuple[str, ...], config: Config, explain_at: str) -> str:
    """``parse --explain FILE:LINE``: why that line is, or is not, an AI."""
    source, line = _file_and_line(explain_at)
    _need_minutes(paths, config)
    from tracker.sources import Web, read_texts

    texts = read_texts(paths, config=config, stdin=sys.stdin.buffer, web_access=Web(notify=_err))
    explanation = tracker.minutes.explain_sources(
        list(texts.sources), source=source, line=line, config=config
    )
    return explanation.render()


def _show_minutes(minutes: Minutes, *, output_format: str) -> None:
    for warning in minutes.warnings:
        _err(str(warning))
    if output_format == "json":
        _json(minutes.to_json())
    else:
        click.echo(tracker.render.minutes_table(minutes), nl=False)


def _file_and_line(value: str) -> tuple[str, int]:
    source, _, line = value.rpartition(":")
    if not source or not line.isdigit() or int(line) < 1:
        raise click.BadParameter("expected FILE:LINE, e.g. minutes.md:14", param_hint="--explain")
    return source, int(line)


def _pinned_action(value: str | None) -> str | None:
    """``init --action``: ``OWNER/NAME[/PATH]@SHA``, as the workflows' ``uses:`` needs it and
    Actions' hardening guide asks (a tag can be moved under the workflows)."""
    if value is not None and not _PINNED_ACTION.fullmatch(value):
        raise click.BadParameter(
            f"expected OWNER/NAME@SHA, the action pinned by its full commit SHA (40 hex "
            f"digits), got {value!r}",
            param_hint="--action",
        )
    return value


def _date_option(help: str, *, required: bool = False) -> Callable[[F], F]:
    """``--date YYYY-MM-DD``: the day a command counts to (see :func:`_day`)."""
    return click.option("--date", "date", type=Day(), required=required, help=help)


repo_option = click.option(
    "--repo",
    help="OWNER/NAME of the issues' repository (default: config `repo`, GITHUB_REPOSITORY).",
)
api_url_option = click.option(
    "--api-url", help="GitHub API URL (default: GITHUB_API_URL, else https://api.github.com)."
)


@main.command("sync")
@click.argument("paths", nargs=-1, type=click.Path())
@repo_option
@api_url_option
@config_option
@click.option("--dry-run", is_flag=True, help="Print the plan; send no write request.")
@click.option(
    "--annotate",
    is_flag=True,
    help="Then write each AI's issue as ` (#123)` at the end of its line.",
)
@click.option(
    "--yes",
    is_flag=True,
    help="Open the issues even when there are more than sync.max_creates (config, default 50).",
)
@click.option(
    "--max-wait",
    type=Duration(),
    default=_UNSET,
    help="Wait at most this long in all for GitHub's rate limits (90s, 5m, 1h, none); a "
    "longer wait stops the run with exit code 4 and the time to rerun. [config "
    "limits.max_wait; default: 5m]",
)
@click.option(
    "--time-budget",
    type=Duration(),
    default=_UNSET,
    help="Stop writing after this long with exit code 4; the next run continues. [config "
    "limits.time_budget; default: 10m]",
)
@_format("text", "json", "github")
@handle_errors
def sync_command(
    paths: tuple[str, ...],
    repo: str | None,
    api_url: str | None,
    config_path: str | None,
    dry_run: bool,
    annotate: bool,
    yes: bool,
    max_wait: float | None,
    time_budget: float | None,
    output_format: str,
) -> None:
    """Open or update one GitHub issue per action item and blocker decision.

    Prints the plan (create / update / unchanged / conflict / orphaned, with the
    reason) as it is applied, then a summary with the API requests made and the
    rate limit left. The token comes from GITHUB_TOKEN (or GH_TOKEN), a dry run's
    too: it reads the repository's issues to plan.

    A run writes within GitHub's limits and its own budget (limits: in the config).
    When that is spent it stops with exit code 4, saying what it did and what is
    left; the next run continues without duplicates.

    \b
    Examples:
      GITHUB_TOKEN=... tracker sync --dry-run --repo pulp/pulpcore minutes/
      GITHUB_TOKEN=... tracker sync --repo pulp/pulpcore minutes/
    """
    config, minutes, settings = _inputs(
        paths, config_path, repo, api_url, max_wait=max_wait, time_budget=time_budget
    )
    as_json = output_format == "json"
    report = None if as_json else click.echo
    run = tracker.sync_minutes(
        minutes, config=config, settings=settings, dry_run=dry_run, annotate=annotate, yes=yes,
        report=report, notify=_err,
    )  # fmt: skip
    _show_sync(run, as_json=as_json)
    _publish_sync(run, config, settings, output_format=output_format)
    _finish(run.failure)


def _publish_sync(run: SyncRun, config: Config, settings: Settings, *, output_format: str) -> None:
    """In Actions: the job summary, the step's outputs and the warnings as annotations."""
    from tracker import actions_output as actions

    summary = actions.sync_summary(
        run, url=actions.issue_url_format(settings.repo), since=config.since
    )
    _to_actions(summary, actions.sync_outputs(run.result), output_format=output_format)
    _annotate(run.result.warnings, title="tracker sync", output_format=output_format)


def _show_sync(run: SyncRun, *, as_json: bool) -> None:
    for warning in run.result.warnings:
        _err(warning)
    for refused in run.result.refused:
        _err(refused)
    if as_json:
        _json(run.result.to_json())
    else:
        click.echo(run.result.summary())
    if run.left_out:
        _err(f"tracker: {counted(run.left_out, 'AI')} of meetings before sync.since left out")
    if run.flagged:
        issues = ", ".join(f"#{number}" for number in run.flagged)
        _err(f"tracker: flagged {counted(len(run.flagged), 'stale AI')}: {issues}")
    for done in run.annotated:
        _err(f"tracker: {done.path}: annotated {len(done.lines)} lines")
        for line in done.skipped:
            _err(f"{done.path}:{line}: warning: the line changed since it was read; not annotated")


# ---------------------------------------------------------------- status back (issue #5)


@main.command("status")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--owner", help="Only the AIs of this GitHub login or group.")
@click.option(
    "--state",
    type=click.Choice(["open", "closed", "all"]),
    default="all",
    show_default=True,
    help="open: open issues and AIs not synced yet; closed: done or dropped.",
)
@repo_option
@api_url_option
@config_option
@format_option
@handle_errors
def status_command(
    paths: tuple[str, ...],
    owner: str | None,
    state: str,
    repo: str | None,
    api_url: str | None,
    config_path: str | None,
    output_format: str,
) -> None:
    """Show every AI with its state on GitHub, owner, meeting, age and issue.

    GitHub is the truth once an issue exists: its assignees and milestone are
    shown, and a closed issue says whether the AI was done or dropped. AIs not
    synced yet and issues whose AI is gone from the minutes are listed as such.
    One request per 100 tracker issues.

    \b
    Examples:
      tracker status minutes/
      tracker status --owner dkliban --state open --format json minutes/
    """
    config, minutes, settings = _inputs(paths, config_path, repo, api_url)
    read = tracker.read_status(minutes, config=config, settings=settings, owner=owner, state=state)
    _warn(read.warnings)
    if output_format == "json":
        _json([s.to_json() for s in read.statuses])
    else:
        click.echo(tracker.render.status_table(read.statuses), nl=False)
    _err(f"tracker: {counted(read.reads, 'API request')}")


@main.command("pending")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--write", "write_path", type=click.Path(dir_okay=False), help="Refresh the section in FILE."
)
@click.option(
    "--check", is_flag=True, help="With --write: change nothing; exit 1 when FILE is out of date."
)
@click.option(
    "--since",
    type=Day(),
    help="List what was closed on or after this day (default: the previous meeting).",
)
@click.option(
    "--post",
    "post",
    metavar="discourse:URL",
    help="Also reply to this Discourse topic with the section (not when tracker's last "
    "reply there says the same).",
)
@click.option(
    "--edit-post",
    "edit_post",
    type=click.IntRange(min=1),
    metavar="ID",
    help="Instead, rewrite the section between its markers in Discourse post ID (never over "
    "an edit made meanwhile).",
)
@_date_option(
    "The meeting the section is for: AIs' ages are counted to it (default: FILE's "
    "meeting, else today)."
)
@repo_option
@api_url_option
@config_option
@_format("text", "github")
@handle_errors
def pending_command(
    paths: tuple[str, ...],
    write_path: str | None,
    check: bool,
    since: Any,
    post: str | None,
    edit_post: int | None,
    date: Any,
    repo: str | None,
    api_url: str | None,
    config_path: str | None,
    output_format: str,
) -> None:
    """Render the "Pending AIs" section from GitHub: print it, or refresh it in FILE.

    The open AIs by topic (group-owned ones under their group), the open release
    blockers per milestone, then what was completed or dropped since the previous
    meeting. --write replaces only the lines between the tracker:pending markers
    (appending them when absent); PATHS default to FILE. stdout gets only the
    section (or, with --check, the diff); progress goes to stderr.

    \b
    Examples:
      tracker pending minutes/
      tracker pending minutes/ --write minutes/2023-01-17.md
      tracker pending minutes/ --write minutes/2023-01-17.md --check
    """
    if check and not write_path:
        raise click.UsageError("--check needs --write FILE")
    given = paths or ((str(write_path),) if write_path else ())
    config, minutes, settings = _inputs(given, config_path, repo, api_url)
    run = tracker.pending_section(
        minutes, config=config, settings=settings, since=_day(since), write=write_path,
        check=check, date=_day(date),
    )  # fmt: skip
    posted, refused = _post_if_asked(run, config, post, edit_post)
    _publish_pending(run, config, output_format=output_format, posted=posted, refused=refused)
    _show_pending(run)
    if posted:
        _err(f"tracker: {posted}")
    _finish(refused)


def _day(value: Any) -> datetime.date | None:
    """A ``--date`` or ``--since`` option's day (see :class:`Day`)."""
    return value.date() if value else None


def _post_if_asked(
    run: PendingRun, config: Config, post: str | None, edit_post: int | None
) -> tuple[str | None, TrackerError | None]:
    """``--post``/``--edit-post``: what was done on Discourse, or why it was refused; done
    before the job summary, which says so."""
    if not (post or edit_post) or run.failure is not None:
        return None, None
    try:
        return _post_pending(run.text, config, post, edit_post), None
    except TrackerError as exc:
        return None, exc


def _publish_pending(
    run: PendingRun,
    config: Config,
    *,
    output_format: str,
    posted: str | None = None,
    refused: TrackerError | None = None,
) -> None:
    from tracker import actions_output as actions

    outputs = actions.pending_outputs(run, pull_request=config.pull_request)
    summary = actions.pending_summary(run, posted=posted, refused=str(refused) if refused else None)
    _to_actions(summary, outputs, output_format=output_format)


def _warn(warnings: tuple[str, ...]) -> None:
    for warning in warnings:
        _err(f"tracker: warning: {warning}")


def _show_pending(run: PendingRun) -> None:
    _warn(run.warnings)
    _err(
        f"tracker: {counted(run.pending.open_count, 'open AI')}; {counted(run.reads, 'API request')}"
    )
    written = run.written
    if written is not None and run.failure is not None:
        click.echo(written.diff, nl=False)  # --check: what --write would change
    _finish(run.failure)
    if written is None:
        click.echo(run.text, nl=False)
    else:
        _err(f"tracker: {written.path}: {'refreshed' if written.changed else 'is up to date'}")


@main.command("agenda")
@click.argument("paths", nargs=-1, type=click.Path())
@_date_option("The meeting's day.", required=True)
@click.option(
    "--write",
    "write_path",
    type=click.Path(dir_okay=False),
    help="Create FILE (never overwritten).",
)
@repo_option
@api_url_option
@config_option
@handle_errors
def agenda_command(
    paths: tuple[str, ...],
    date: Any,
    write_path: str | None,
    repo: str | None,
    api_url: str | None,
    config_path: str | None,
) -> None:
    """Create the next meeting's minutes skeleton, its Pending AIs section filled in.

    Renders templates/agenda.md.j2 (or the team's own) for the meeting on --date,
    with what was closed since the meeting before it. The section sits between
    tracker:pending markers, so `tracker pending PATH... FILE --write FILE` (the
    minutes and the file) refreshes it later.

    \b
    Examples:
      tracker agenda --date 2023-01-17 minutes/
      tracker agenda --date 2023-01-17 minutes/ --write minutes/2023-01-17.md
    """
    config, minutes, settings = _inputs(paths, config_path, repo, api_url)
    run = tracker.agenda(
        minutes, config=config, settings=settings, date=date.date(), write=write_path, paths=paths
    )
    _warn(run.warnings)
    _err(
        f"tracker: {counted(run.pending.open_count, 'open AI')}; {counted(run.reads, 'API request')}"
    )
    _finish(run.failure)
    if write_path:
        _err(f"tracker: {write_path}: created")
    else:
        click.echo(run.text, nl=False)


# ---------------------------------------------------------------- what maintainers read (issue 12)


@main.command("digest")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--owner", help="Only the AIs of this GitHub login or group.")
@_date_option("Count the AIs' ages to this day (default: today).")
@repo_option
@api_url_option
@config_option
@_format("text", "github")
@handle_errors
def digest_command(
    paths: tuple[str, ...],
    owner: str | None,
    date: Any,
    repo: str | None,
    api_url: str | None,
    config_path: str | None,
    output_format: str,
) -> None:
    """Print each owner's open AIs, oldest first, as Markdown.

    For a comment, an e-mail or the job summary (--format github adds it there). One
    request per 100 tracker issues.

    \b
    Examples:
      tracker digest minutes/
      tracker digest --owner dkliban minutes/
    """
    config, minutes, settings = _inputs(paths, config_path, repo, api_url)
    run = tracker.digest(minutes, config=config, settings=settings, owner=owner, date=_day(date))
    _warn(run.warnings)
    click.echo(run.text, nl=False)
    _to_actions(run.text + "\n", {"open": run.digest.open_count}, output_format=output_format)
    _err(
        f"tracker: {counted(run.digest.open_count, 'open AI')}; {counted(run.reads, 'API request')}"
    )


@main.command("stats")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "--weeks", type=click.IntRange(1, 520), default=12, show_default=True, help="Weeks shown."
)
@_date_option("The last day counted (default: today).")
@repo_option
@api_url_option
@config_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "mermaid", "github"]),
    default="text",
    show_default=True,
    help="text for people, json for scripts, mermaid for a chart GitHub draws; github adds "
    "the chart and the table to the job summary (on in GitHub Actions).",
)
@handle_errors
def stats_command(
    paths: tuple[str, ...],
    weeks: int,
    date: Any,
    repo: str | None,
    api_url: str | None,
    config_path: str | None,
    output_format: str,
) -> None:
    """Print the weekly burn-down: AIs opened, closed (completed / not planned), open at
    the week's end and their median age.

    An AI counts as opened at its meeting. Computed from the one listing of the tracker's
    issues, so it costs no request of its own.

    \b
    Examples:
      tracker stats minutes/
      tracker stats --format mermaid --weeks 26 minutes/
    """
    config, minutes, settings = _inputs(paths, config_path, repo, api_url)
    run = tracker.weekly_stats(
        minutes, config=config, settings=settings, weeks=weeks, date=_day(date)
    )
    _show_stats(run, output_format=output_format)


def _show_stats(run: StatsRun, *, output_format: str) -> None:
    _warn(run.warnings)
    from tracker import stats

    if output_format == "json":
        _json([week.to_json() for week in run.weeks])
    elif output_format == "mermaid":
        click.echo(stats.mermaid(run.weeks), nl=False)
    else:
        click.echo(stats.text(run.weeks), nl=False)
    summary = (
        f"### tracker stats\n\n{stats.mermaid(run.weeks)}\n```\n{stats.text(run.weeks)}```\n\n"
    )
    _to_actions(summary, {"open": run.weeks[-1].open}, output_format=output_format)
    _err(f"tracker: {counted(run.reads, 'API request')}")


# ---------------------------------------------------------------- adoption (issue 11)


@main.command("check")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--offline",
    is_flag=True,
    help="Read no minutes on the web: check how their sources are written, and the files.",
)
@config_option
@_format("text", "github")
@handle_errors
def check_command(
    paths: tuple[str, ...], offline: bool, config_path: str | None, output_format: str
) -> None:
    """Check the config and the minutes before they are synced; GitHub is not read.

    Errors (exit 1): a config or minutes file tracker cannot use, a label over GitHub's
    length limit. Warnings (exit 0): AI lines too long for an issue (sync shortens
    them), owners the config does not know, AIs with no owner, meetings without a
    date, lines that look like AIs but were not taken (with the reason). PATHS
    default to the minutes/ folder.

    \b
    Examples:
      tracker check
      tracker check --config .github/tracker.yml minutes/
      tracker check --offline
    """
    if not paths and not _configured_sources(config_path):
        if not Path("minutes").is_dir():
            raise click.UsageError("which minutes? pass PATH... (there is no minutes/ folder here)")
        paths = ("minutes",)
    from tracker.check import check

    result = check(paths, config_path=config_path, stdin=sys.stdin.buffer, offline=offline)
    for finding in result.findings:
        click.echo(str(finding))
    click.echo(result.summary())
    _show_check(result, output_format)
    if result.errors:
        sys.exit(1)


def _show_check(result: CheckResult, output_format: str) -> None:
    from tracker import actions_output as actions

    if not actions.enabled(output_format):
        return
    for finding in result.findings:
        _err(
            actions.Annotation(
                finding.level, finding.message, finding.source, finding.line, finding.title
            ).command()
        )
    _to_actions(
        actions.check_summary(result),
        {"errors": result.errors, "warnings": result.warnings},
        output_format=output_format,
    )


@main.command("init")
@click.option(
    "--minutes",
    default="minutes",
    show_default=True,
    help="The minutes' folder (or file), from the repository's root, or where they are on "
    "the web: discourse:https://HOST/t/SLUG/ID, an https:// URL serving Markdown.",
)
@click.option(
    "--pending-file",
    help="The file whose Pending AIs section the weekly job refreshes "
    "(default: the newest date-named *.md of the minutes).",
)
@click.option(
    "--action",
    metavar="OWNER/NAME@SHA",
    callback=lambda _ctx, _param, value: _pinned_action(value),
    help="The tracker action the workflows use, pinned by commit SHA (default: the commit "
    "this release pins).",
)
@click.option("--force", is_flag=True, help="Overwrite tracker.yml and the workflows.")
@click.option(
    "--post",
    is_flag=True,
    help="With a discourse: topic: the weekly workflow replies to it with the section.",
)
@click.option(
    "--edit-post",
    type=click.IntRange(min=1),
    metavar="ID",
    help="With a discourse: topic: the weekly workflow rewrites the section in post ID.",
)
@handle_errors
def init_command(
    minutes: str,
    pending_file: str | None,
    action: str | None,
    force: bool,
    post: bool,
    edit_post: int | None,
) -> None:
    """Set up this repository: a commented tracker.yml and two workflows.

    tracker.yml lists the people the minutes name, for you to map to GitHub logins,
    and sets sync.since to the newest meeting, so that the first sync opens issues
    only for live AIs. .github/workflows/tracker-sync.yml syncs on every change to
    the minutes; tracker-pending.yml refreshes the Pending AIs section weekly.
    Minutes on the web are named in sources:, synced hourly and their section shown
    weekly (posted back with --post or --edit-post). Nothing is overwritten without
    --force.

    \b
    Examples:
      tracker init
      tracker init --minutes docs/meetings --pending-file docs/meetings/next.md
      tracker init --minutes discourse:https://HOST/t/SLUG/ID --post
    """
    from tracker import init as init_module

    result = init_module.init(
        ".",
        minutes=minutes,
        pending_file=pending_file,
        action=action or init_module.ACTION,
        force=force,
        post=post,
        edit_post=edit_post,
    )
    click.echo(result.next_steps(), nl=False)


# ---------------------------------------------------------------- tracker demo (issue 12)


@main.command("demo")
@click.option(
    "--serve",
    is_flag=True,
    help="Then keep the local GitHub running until Ctrl-C, to browse its JSON API and try "
    "other commands against it.",
)
@click.option(
    "--keep",
    metavar="DIR",
    type=click.Path(file_okay=False),
    help="Copy the example minutes and config into DIR (new or empty) and leave them there.",
)
@handle_errors
def demo_command(serve: bool, keep: str | None) -> None:
    """Try the whole loop on this machine, without a GitHub account.

    Starts a local GitHub (the emulator tracker's tests use), syncs the example minutes
    shipped with tracker, closes two of their issues as a maintainer would, regenerates
    the Pending AIs section and prints each step. Nothing is left behind: the example is
    copied into a temporary folder, removed at the end (--keep DIR keeps it).

    \b
    Examples:
      tracker demo
      tracker demo --serve --keep demo/
    """
    from tracker import demo

    with demo.running(keep) as run:
        click.echo(demo.report(run), nl=False)
        if serve:
            click.echo(
                f"\nServing {run.api_url} until Ctrl-C. Browse {run.issues_url}, or try:\n"
                f"  {run.try_command()}",
            )
            _until_interrupted()


def _until_interrupted() -> None:
    """Wait for Ctrl-C (or SIGTERM), the normal end of ``--serve``: exit 0, and the ``with``
    around it stops the emulator and removes the temporary folder."""
    import signal
    import threading

    # Both stop it the same way, even where a shell started it with SIGINT ignored.
    previous = [
        signal.signal(s, signal.default_int_handler) for s in (signal.SIGINT, signal.SIGTERM)
    ]
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        _err("tracker: demo stopped")
    finally:
        for number, handler in zip((signal.SIGINT, signal.SIGTERM), previous, strict=True):
            signal.signal(number, handler)
