"""Recorded GitHub traffic of the main sync scenarios, replayed strictly (no server, no network).

Three cassettes in ``tests/cassettes/``, recorded in this order against one repository:
``first_sync`` (empty repo -> 4 issues), ``no_op_rerun`` (nothing changed -> 0 writes) and
``edited_ai`` (one AI's text edited -> 1 PATCH). Replay matches method, path, query and
body (never host or port, which change with every emulator run) and refuses any request
the cassette does not hold.

Re-record (see docs/sync.md) with ``TRACKER_RECORD=emulator`` or, against a fresh scratch
repository on GitHub, ``TRACKER_RECORD=github GITHUB_TOKEN=... TRACKER_RECORD_REPO=me/scratch``,
running this whole module so that the three steps happen in order.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from textwrap import dedent
from urllib.parse import urlsplit

import pytest
import vcr
import yaml

from tracker import parse
from tracker.config import Config
from tracker.plan import Kind
from tracker.settings import DEFAULT_API_URL, Settings
from tracker.sync import SyncResult, sync

CASSETTES = Path(__file__).parent / "cassettes"
RECORD = os.environ.get("TRACKER_RECORD", "")
STEPS = ("first_sync", "no_op_rerun", "edited_ai")
CONFIG = Config(
    people={"dkliban": ("Dennis",), "ggainey": (), "gerrod": ()}, groups=("team", "all")
)
MINUTES = dedent(
    """\
    ## 2023-01-10

    - 3.22 release
      - AI: [ggainey] post to discourse
      - domains: needs issue, add to 3.22 blockers [AI: gerrod]
    - AI: [team] review 3427
    - AI: [Dennis] investigate the failing test
    """
)
EDITED = MINUTES.replace("post to discourse", "post the 3.22 schedule to discourse")


@dataclass(frozen=True)
class Backend:
    """Where a recording goes: the emulator or a real scratch repository."""

    token: str
    repo: str
    api_url: str
    paced: bool


@pytest.fixture(scope="module")
def backend() -> Iterator[Backend | None]:
    """None when replaying; else one server for the whole module, so the steps build on each other."""
    if RECORD == "github":
        token, repo = os.environ.get("GITHUB_TOKEN"), os.environ.get("TRACKER_RECORD_REPO")
        if not token or not repo:
            pytest.fail(
                "TRACKER_RECORD=github needs GITHUB_TOKEN and TRACKER_RECORD_REPO=owner/scratch"
            )
        yield Backend(token, repo, os.environ.get("GITHUB_API_URL", DEFAULT_API_URL), paced=True)
    elif RECORD == "emulator":
        from github_emulator import GitHubEmulator

        emu = GitHubEmulator.start()
        emu.add_repo("pulp/pulpcore", collaborators=["dkliban", "ggainey", "gerrod"])
        yield Backend(emu.user_token("pulp"), "pulp/pulpcore", emu.url, paced=False)
        emu.stop()
    elif RECORD:
        pytest.fail(f"TRACKER_RECORD must be `emulator` or `github`, not {RECORD!r}")
    else:
        yield None


def recorder(mode: str) -> vcr.VCR:
    return vcr.VCR(
        cassette_library_dir=str(CASSETTES),
        record_mode=mode,
        match_on=["method", "path", "query", "body"],
        filter_headers=[("authorization", "REDACTED")],
        decode_compressed_response=True,
    )


def recorded_target(step: str) -> tuple[str, str]:
    """The API URL and repository a cassette was recorded against, to replay with the same."""
    data = yaml.safe_load((CASSETTES / f"{step}.yaml").read_text(encoding="utf-8"))
    for interaction in data["interactions"]:
        url = urlsplit(interaction["request"]["uri"])
        parts = url.path.split("/")
        if "repos" in parts:
            at = parts.index("repos")
            prefix = "/".join(parts[:at])
            return f"{url.scheme}://{url.netloc}{prefix}", f"{parts[at + 1]}/{parts[at + 2]}"
    raise AssertionError(f"{step}.yaml holds no repository request")


def play(
    step: str, backend: Backend | None, folder: Path, *, minutes: str | None = None
) -> SyncResult:
    """Sync the minutes of ``step``, recording its cassette or replaying it (all of it)."""
    text = minutes or (EDITED if step == "edited_ai" else MINUTES)
    (folder / "minutes.md").write_text(text, encoding="utf-8")
    if backend is None:
        api_url, repo = recorded_target(step)
        token, paced = "REDACTED", False
    else:
        api_url, repo, token, paced = backend.api_url, backend.repo, backend.token, backend.paced
    pace = (
        {}
        if paced
        else {"seconds_between_requests": 0, "seconds_between_writes": 0, "retry_backoff": 0}
    )
    settings = Settings(token=token, repo=repo, api_url=api_url, **pace)  # type: ignore[arg-type]
    with recorder("all" if backend else "none").use_cassette(f"{step}.yaml") as cassette:
        result = sync(parse(["minutes.md"], config=CONFIG), config=CONFIG, settings=settings)
    if backend is None:
        assert cassette.all_played, f"{step}: requests recorded but not made"
    return result


def replay_until(step: str, backend: Backend | None, folder: Path) -> SyncResult:
    """When replaying, the steps before ``step`` come first; when recording, they already ran."""
    if backend is None:
        for earlier in STEPS[: STEPS.index(step)]:
            play(earlier, None, folder)
    return play(step, backend, folder)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_first_sync(backend, folder):
    """An empty repository: 4 issues, 3 labels and 1 milestone created; 5 reads, and one more
    (the issues updated last) before creating, to adopt an issue that lost its label."""
    result = replay_until("first_sync", backend, folder)
    assert result.error is None
    assert [o.action.kind for o in result.outcomes] == [Kind.CREATE] * 4
    assert (result.reads, result.writes) == (5 + 1, 4 + 3 + 1)


def test_no_op_rerun(backend, folder):
    """Nothing changed: the same 5 reads and not one write."""
    result = replay_until("no_op_rerun", backend, folder)
    assert [o.action.kind for o in result.outcomes] == [Kind.UNCHANGED] * 4
    assert (result.reads, result.writes) == (5, 0)


def test_edited_ai(backend, folder):
    """One AI's text edited: its issue is updated with a single write."""
    result = replay_until("edited_ai", backend, folder)
    assert [o.action.kind for o in result.outcomes] == [Kind.UPDATE] + [Kind.UNCHANGED] * 3
    assert (result.reads, result.writes) == (5, 1)


@pytest.mark.skipif(bool(RECORD), reason="replay only")
def test_a_request_the_cassette_does_not_hold_fails_the_replay(folder):
    """Strict replay: other minutes mean other request bodies, and vcrpy refuses them."""
    with pytest.raises(vcr.errors.CannotOverwriteExistingCassetteException):
        play("first_sync", None, folder, minutes=EDITED)


def test_no_cassette_holds_a_token():
    """Every recorded Authorization header is REDACTED, and no token value appears anywhere
    (the emulator's start with emu-, GitHub's with ghp_/ghs_/github_pat_)."""
    for path in sorted(CASSETTES.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        for interaction in yaml.safe_load(text)["interactions"]:
            headers = {k.casefold(): v for k, v in interaction["request"]["headers"].items()}
            assert headers.get("authorization") in (None, ["REDACTED"]), path.name
        for prefix in ("emu-user-", "emu-inst-", "ghp_", "ghs_", "github_pat_", "token "):
            assert prefix not in text, f"{path.name} holds {prefix!r}"
