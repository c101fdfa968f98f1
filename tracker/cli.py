"""The command line: options in, one library call, its result out. Wiring only."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from tracker import render
from tracker.config import Config, load_config
from tracker.errors import EXIT_CRASH, EXIT_INTERRUPTED, TrackerError
from tracker.minutes import parse
from tracker.settings import settings_from_env

F = TypeVar("F", bound=Callable[..., Any])


def handle_errors(command: F) -> F:
    """Translate the library's errors to one line and an exit code, in this one place."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except TrackerError as exc:
            click.echo(f"tracker: error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("tracker: interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:  # noqa: BLE001 - the last resort: never a bare traceback
            click.echo(
                f"tracker: internal error: {type(exc).__name__}: {exc}\n"
                "This is a bug in tracker; please report it with the command you ran.",
                err=True,
            )
            sys.exit(EXIT_CRASH)

    return wrapper  # type: ignore[return-value]


def _config(path: str | None) -> Config:
    loaded = load_config(path)
    for warning in loaded.warnings:
        click.echo(f"tracker: warning: {warning}", err=True)
    return loaded.config


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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="tracker")
def main() -> None:
    """Turn the action items (AIs) and release-blocker decisions in meeting minutes
    into GitHub issues, and keep the minutes' "Pending AIs" section up to date.

    \b
    Start with:
      tracker parse minutes/            what AIs do the minutes hold?
      tracker parse --format json -     the same for stdin, as JSON
    """


@main.command("parse")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@config_option
@format_option
@handle_errors
def parse_command(paths: tuple[str, ...], config_path: str | None, output_format: str) -> None:
    """Read minutes and list their meetings, action items and blocker decisions.

    PATHS are Markdown or text files, folders (every *.md, *.markdown and *.txt
    inside, recursively, READMEs and templates aside) or - for stdin. Warnings
    go to stderr as path:line. The config says who is who (people:), which
    owners are groups, and any extra AI forms: see the README.

    \b
    Examples:
      tracker parse minutes/2023-01-10.md
      tracker parse --config tracker.yml --format json minutes/
    """
    config = _config(config_path)
    minutes = parse(paths, config=config, stdin=sys.stdin.buffer)
    for warning in minutes.warnings:
        click.echo(str(warning), err=True)
    if output_format == "json":
        click.echo(json.dumps(minutes.to_json(), indent=2, ensure_ascii=False))
    else:
        click.echo(render.minutes_table(minutes), nl=False)


repo_option = click.option(
    "--repo",
    help="OWNER/NAME of the issues' repository (default: config `repo`, GITHUB_REPOSITORY).",
)
api_url_option = click.option(
    "--api-url", help="GitHub API URL (default: GITHUB_API_URL, else https://api.github.com)."
)


@main.command("sync")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@repo_option
@api_url_option
@config_option
@click.option("--dry-run", is_flag=True, help="Print the plan; send no write request.")
@click.option(
    "--annotate",
    is_flag=True,
    help="Then write each AI's issue as ` (#123)` at the end of its line.",
)
@format_option
@handle_errors
def sync_command(
    paths: tuple[str, ...],
    repo: str | None,
    api_url: str | None,
    config_path: str | None,
    dry_run: bool,
    annotate: bool,
    output_format: str,
) -> None:
    """Open or update one GitHub issue per action item and blocker decision.

    Prints the plan (create / update / unchanged / conflict / orphaned, with the
    reason) as it is applied, then a summary with the API requests made and the
    rate limit left. The token comes from GITHUB_TOKEN (or GH_TOKEN).

    \b
    Examples:
      tracker sync --dry-run minutes/
      GITHUB_TOKEN=... tracker sync --repo pulp/pulpcore minutes/
    """
    from tracker import sync  # here, so that other commands do not load PyGithub
    from tracker.errors import GitHubError

    config = _config(config_path)
    minutes = parse(paths, config=config, stdin=sys.stdin.buffer)
    settings = settings_from_env(repo=repo, api_url=api_url, config=config)
    report = None if output_format == "json" else click.echo
    result = sync.sync(minutes, config=config, settings=settings, dry_run=dry_run, report=report)
    for warning in result.warnings:
        click.echo(warning, err=True)
    click.echo(
        json.dumps(result.to_json(), indent=2, ensure_ascii=False)
        if report is None
        else result.summary()
    )
    if annotate and not dry_run:
        from tracker import annotate as annotating

        numbers = annotating.issue_numbers((o.action.ai_id, o.issue) for o in result.outcomes)
        for done in annotating.annotate(minutes, numbers):
            click.echo(f"tracker: {done.path}: annotated {len(done.lines)} lines", err=True)
            for line in done.skipped:
                click.echo(
                    f"{done.path}:{line}: warning: the line changed since it was read; not annotated",
                    err=True,
                )
    if result.error:
        raise GitHubError(result.error)


# ---------------------------------------------------------------- status back (issue #5)


@main.command("status")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
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
    from tracker import status

    config = _config(config_path)
    minutes = parse(paths, config=config, stdin=sys.stdin.buffer)
    settings = settings_from_env(repo=repo, api_url=api_url, config=config)
    read = status.read_status(minutes, config=config, settings=settings)
    chosen = status.select(read.statuses, owner=owner, state=state)
    if output_format == "json":
        click.echo(json.dumps([s.to_json() for s in chosen], indent=2, ensure_ascii=False))
    else:
        click.echo(status.format_table(chosen), nl=False)
    click.echo(f"tracker: {read.reads} API requests", err=True)


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
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="List what was closed on or after this day (default: the previous meeting).",
)
@repo_option
@api_url_option
@config_option
@handle_errors
def pending_command(
    paths: tuple[str, ...],
    write_path: str | None,
    check: bool,
    since: Any,
    repo: str | None,
    api_url: str | None,
    config_path: str | None,
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
    from tracker import section

    if check and not write_path:
        raise click.UsageError("--check needs --write FILE")
    if not paths and not write_path:
        raise click.UsageError("which minutes? pass PATH... (or --write FILE to read FILE)")
    config = _config(config_path)
    minutes = parse(paths or (str(write_path),), config=config, stdin=sys.stdin.buffer)
    settings = settings_from_env(repo=repo, api_url=api_url, config=config)
    meeting = section.meeting_in(write_path, config) if write_path else None
    read = section.pending_section(
        minutes,
        config=config,
        settings=settings,
        since=since.date() if since else None,
        meeting=meeting,
    )
    click.echo(f"tracker: {read.pending.open_count} open AIs; {read.reads} API requests", err=True)
    if not write_path:
        click.echo(read.text, nl=False)
        return
    result = section.write_section(write_path, read.text, check=check)
    if check and result.changed:
        click.echo(result.diff, nl=False)
        raise section.OutOfDate(
            f"{write_path}: the Pending AIs section is out of date; run without --check"
        )
    verb = "is up to date" if not result.changed else "refreshed"
    click.echo(f"tracker: {write_path}: {verb}", err=True)


@main.command("agenda")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option(
    "--date",
    "date",
    required=True,
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The meeting's day.",
)
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
    tracker:pending markers, so `tracker pending --write FILE` refreshes it later.

    \b
    Examples:
      tracker agenda --date 2023-01-17 minutes/
      tracker agenda --date 2023-01-17 minutes/ --write minutes/2023-01-17.md
    """
    from tracker import section

    config = _config(config_path)
    minutes = parse(paths, config=config, stdin=sys.stdin.buffer)
    settings = settings_from_env(repo=repo, api_url=api_url, config=config)
    read = section.agenda(minutes, config=config, settings=settings, date=date.date())
    click.echo(f"tracker: {read.pending.open_count} open AIs; {read.reads} API requests", err=True)
    if write_path:
        section.write_new(write_path, read.text)
        click.echo(f"tracker: {write_path}: created", err=True)
    else:
        click.echo(read.text, nl=False)
