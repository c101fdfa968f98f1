"""``tracker demo``: the whole loop on a GitHub on this machine, without an account (issue 12).

:func:`running` starts the GitHub emulator (the ``github_emulator`` package shipped beside
tracker) in this process, copies the example shipped in ``tracker/example/`` (a config and
two meetings' minutes) into a folder, and then plays a week of a team's life:

1. ``tracker sync`` opens an issue per AI, as the sync workflow does after a push, with an
   Actions-like token (the issues are github-actions[bot]'s);
2. a maintainer closes two of them on GitHub, with her own token, through the REST API as
   any client would (she is a person, not tracker: this is not tracker's GitHub seam);
3. ``tracker pending --write`` refreshes the Pending AIs section of the newest minutes, as
   the weekly workflow does on Monday;
4. ``tracker digest`` lists each owner's open AIs, oldest first.

It returns what each step did as data (:class:`DemoRun`); the CLI prints it. The emulator's
clock is set to the days after the meetings, so the output is the same whenever it runs
(but for the port), and its issues' web links point at its own API, so every link opens
the issue's JSON while it serves.
"""

from __future__ import annotations

import datetime
import json
import os
import shlex
import tempfile
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from github_emulator import GitHubEmulator
from tracker.commands import (
    DigestRun,
    PendingRun,
    SyncRun,
    digest,
    pending_section,
    sync_minutes,
)
from tracker.config import Config, load_config
from tracker.errors import InputError, TrackerError
from tracker.minutes import parse_sources
from tracker.minutes.reading import Source
from tracker.model import Minutes
from tracker.settings import Settings

UTC = datetime.UTC
LOCALHOST = "127.0.0.1"
MAINTAINER = "hrivera"
"""The maintainer who closes two issues (a collaborator of the example's repository)."""
SYNCED_AT = datetime.datetime(2024, 5, 14, 18, 0, tzinfo=UTC)
"""When the minutes of the second meeting are pushed and synced."""
REFRESHED_ON = datetime.date(2024, 5, 20)
"""The Monday the weekly workflow refreshes the section, before the next meeting."""


@dataclass(frozen=True)
class Closing:
    """What the maintainer does to one AI's issue."""

    text: str
    """The AI, as the example minutes word it."""
    reason: str
    """GitHub's ``state_reason``: ``completed`` (done) or ``not_planned`` (dropped)."""
    at: datetime.datetime


CLOSINGS = (
    Closing(
        "disable the flaky test until the fix lands",
        "completed",
        datetime.datetime(2024, 5, 16, 10, 30, tzinfo=UTC),
    ),
    Closing(
        "compare the cost of a dedicated runner",
        "not_planned",
        datetime.datetime(2024, 5, 17, 15, 0, tzinfo=UTC),
    ),
)


@dataclass(frozen=True)
class Closed:
    """An issue the maintainer closed."""

    number: int
    text: str
    reason: str
    closed: datetime.date
    url: str
    """Its ``html_url``: here, the issue's JSON at the emulator."""


@dataclass(frozen=True)
class DemoRun:
    """What ``tracker demo`` did, step by step."""

    api_url: str
    """The running emulator's API (``--api-url``)."""
    repo: str
    folder: Path
    """The copy of the example: ``tracker.yml`` and ``minutes/`` (refreshed by step 3)."""
    kept: bool
    """The folder stays afterwards (``--keep``); else it is removed with the emulator."""
    token: str
    """The maintainer's token, for trying other commands against the emulator."""
    minutes: Minutes
    plan: tuple[str, ...]
    """Step 1: the sync's plan lines as applied, then its summary line."""
    sync: SyncRun
    closed: tuple[Closed, ...]
    """Step 2."""
    section_file: str
    """Step 3: the minutes file whose section was refreshed, from the folder (``minutes/…``)."""
    pending: PendingRun
    """Step 3: ``pending.text`` is the section."""
    digest: DigestRun
    """Step 4: each owner's open AIs, oldest first (``digest.text``)."""

    @property
    def issues_url(self) -> str:
        """Every issue of the repository, as JSON."""
        return f"{self.api_url}/repos/{self.repo}/issues?state=all"

    def try_command(self) -> str:
        """The command that reads the running emulator as a team member would (past any
        ``http_proxy`` of the environment). From the folder, as the demo ran: the issues name
        the minutes by ``minutes/…``, so a sync run from elsewhere would rewrite every body."""
        direct = f"NO_PROXY={LOCALHOST} " if urllib.request.getproxies().get("http") else ""
        return (
            f"cd {shlex.quote(str(self.folder))} && "
            f"{direct}GITHUB_TOKEN={self.token} tracker status --api-url {self.api_url} minutes"
        )


@contextmanager
def running(keep: str | Path | None = None) -> Iterator[DemoRun]:
    """Run the demo; the emulator serves until the ``with`` block ends.

    The example is copied into ``keep`` (a new or empty folder, left in place) or into a
    temporary folder removed at the end: nothing else is written.
    """
    if keep is None:
        with (
            tempfile.TemporaryDirectory(prefix="tracker-demo-") as folder,
            _played(Path(folder), kept=False) as run,
        ):
            yield run
    else:
        with _played(_new_folder(Path(keep)), kept=True) as run:
            yield run


@contextmanager
def _played(folder: Path, *, kept: bool) -> Iterator[DemoRun]:
    config = copy_example(folder)
    with _no_proxy(LOCALHOST), GitHubEmulator.start(host=LOCALHOST) as emu:
        # The emulator serves no web pages: its links open the issue's JSON instead.
        emu.web_url = f"{emu.url}/repos"
        yield _play(emu, folder, config, kept=kept)


@contextmanager
def _no_proxy(host: str) -> Iterator[None]:
    """Reach ``host`` directly while the demo runs, even where ``http_proxy`` is set: a
    proxy cannot reach this machine's emulator, and PyGithub (through requests) asks the
    environment at each request."""
    saved = {name: os.environ.get(name) for name in ("no_proxy", "NO_PROXY")}
    for name, value in saved.items():
        os.environ[name] = ",".join(filter(None, (value, host)))
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def copy_example(folder: Path) -> Config:
    """Copy the shipped example (``tracker.yml``, ``minutes/*.md``) into ``folder``; its config."""
    example = resources.files("tracker") / "example"
    (folder / "minutes").mkdir(parents=True, exist_ok=True)
    (folder / "tracker.yml").write_text((example / "tracker.yml").read_text("utf-8"), "utf-8")
    for page in (example / "minutes").iterdir():
        if page.name.endswith(".md"):
            (folder / "minutes" / page.name).write_text(page.read_text("utf-8"), "utf-8")
    return load_config(folder / "tracker.yml", search=False).config


def _new_folder(folder: Path) -> Path:
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise InputError(
            "is not an empty folder; tracker demo --keep writes a new one", path=str(folder)
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot make the folder: {exc.strerror}", path=str(folder)) from None
    return folder


def _play(emu: GitHubEmulator, folder: Path, config: Config, *, kept: bool) -> DemoRun:
    repo = str(config.repo)
    emu.add_repo(repo, collaborators=sorted(config.people))
    emu.clock.set(SYNCED_AT)
    # Named as a repository's root sees them, like a workflow's paths.
    pages = sorted((folder / "minutes").glob("*.md"))
    minutes = parse_sources(
        [Source(f"minutes/{p.name}", p.read_text("utf-8")) for p in pages], config=config
    )
    workflow = Settings.unpaced(token=emu.installation_token(repo=repo), repo=repo, api_url=emu.url)
    plan: list[str] = []
    synced = sync_minutes(minutes, config=config, settings=workflow, report=plan.append)
    _raise(synced.failure)
    token = emu.user_token(MAINTAINER)
    issues = {o.action.ai_id: o.issue for o in synced.result.outcomes}
    closed = []
    for closing in CLOSINGS:
        emu.clock.set(closing.at)
        number = issues.get(_ai_id(minutes, closing.text))
        if number is None:
            raise TrackerError(f"the example minutes have no issue for {closing.text!r}")
        closed.append(_close(emu.url, repo, token, number, closing))
    emu.clock.set(datetime.datetime.combine(REFRESHED_ON, datetime.time(6), tzinfo=UTC))
    pending = pending_section(
        minutes, config=config, settings=workflow, write=pages[-1], today=REFRESHED_ON
    )
    _raise(pending.failure)
    owed = digest(minutes, config=config, settings=workflow, date=REFRESHED_ON)
    return DemoRun(
        emu.url,
        repo,
        folder,
        kept,
        token,
        minutes,
        (*plan, synced.result.summary()),
        synced,
        tuple(closed),
        f"minutes/{pages[-1].name}",
        pending,
        owed,
    )


def _ai_id(minutes: Minutes, text: str) -> str | None:
    return next((ai.id for ai in minutes.distinct_action_items if ai.text == text), None)


def _close(api_url: str, repo: str, token: str, number: int, closing: Closing) -> Closed:
    """Close the issue as a maintainer does on GitHub: one ``PATCH``, with her token."""
    request = urllib.request.Request(
        f"{api_url}/repos/{repo}/issues/{number}",
        data=json.dumps({"state": "closed", "state_reason": closing.reason}).encode(),
        method="PATCH",
        headers={
            "Authorization": f"token {token}",
            "Accept": "application/vnd.github+json",
            "Content-Type": "application/json",
        },
    )
    # No proxy: the emulator is on this machine, whatever http_proxy says.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=10) as response:
        issue = json.load(response)
    return Closed(number, closing.text, closing.reason, closing.at.date(), issue["html_url"])


def _raise(failure: TrackerError | None) -> None:
    if failure is not None:
        raise failure


def report(run: DemoRun) -> str:
    """What a team would see, step by step, as terminal text."""
    meetings = [m for m in run.minutes.meetings if m.date is not None]
    ais = run.minutes.distinct_action_items
    where = (
        f"copied to {run.folder}"
        if run.kept
        else "copied to a temporary folder, removed at the end; --keep DIR keeps it"
    )
    lines = [
        f"tracker demo: a GitHub on this machine at {run.api_url}, repository {run.repo}",
        "",
        f"The example minutes ({where}): {len(meetings)} meetings, {len(ais)} AIs",
        *(f"  {source}" for source in sorted({m.source for m in meetings})),
        "",
        "1. tracker sync, as the sync workflow runs it after a push (Actions' token):",
        *(f"  {line}" for line in run.plan),
        "",
        f"2. {MAINTAINER}, a maintainer, closes two issues on GitHub:",
        *(
            f"  #{c.number} {c.text}: closed as {c.reason.replace('_', ' ')} on {c.closed}, {c.url}"
            for c in run.closed
        ),
        "",
        (
            f"3. tracker pending --write {run.section_file}, as the weekly "
            f"workflow runs it on {REFRESHED_ON:%A %Y-%m-%d}; the section:"
        ),
        "",
        run.pending.text.rstrip("\n"),
        "",
        "4. tracker digest: each owner's open AIs, oldest first (for a comment or an e-mail):",
        "",
        run.digest.text.rstrip("\n"),
        "",
        f"Every issue: {run.issues_url}",
    ]
    return "\n".join(lines) + "\n"
