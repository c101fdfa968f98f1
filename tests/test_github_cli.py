"""`tracker sync` on the command line: its output, and failures a maintainer can act on
(one line on stderr, exit 1, never a traceback)."""

from __future__ import annotations

import json
import socket
from textwrap import dedent

import pytest

REPO = "pulp/pulpcore"
MINUTES = dedent(
    """\
    ## 2023-01-10

    - AI: [ggainey] post to discourse
    """
)


@pytest.fixture
def emu(github_emulator):
    github_emulator.add_repo(REPO, collaborators=["ggainey"])
    return github_emulator


@pytest.fixture
def sync(cli, tmp_path, monkeypatch, emu):
    """``tracker sync`` of a one-AI minutes file against the emulator, with ``token``."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "minutes.md").write_text(MINUTES, encoding="utf-8")
    for name in ("GITHUB_TOKEN", "GH_TOKEN", "GITHUB_REPOSITORY", "GITHUB_API_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TRACKER_THROTTLE", "0")

    def run(token: str | None, *args: str, code: int = 1, api_url: str | None = None):
        if token is not None:
            monkeypatch.setenv("GITHUB_TOKEN", token)
        return cli(
            "sync", "--repo", REPO, "--api-url", api_url or emu.url, *args, "minutes.md", code=code
        )

    return run


def test_no_token(sync, emu):
    """No GITHUB_TOKEN or GH_TOKEN: say which variables, and make no request."""
    result = sync(None)
    assert result.stderr == (
        "tracker: error: no GitHub token: set GITHUB_TOKEN (or GH_TOKEN) to a token that may write "
        "issues (hint: in a workflow: env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }})\n"
    )
    assert emu.log == []


def test_a_bad_token(sync, emu):
    """GitHub answers 401: the token is named as the problem."""
    result = sync("not-a-token")
    assert result.stderr == (
        f"tracker: error: GitHub rejected the token (401 Bad credentials) at {emu.url} "
        "(hint: check GITHUB_TOKEN / GH_TOKEN; it may have expired)\n"
    )


def test_a_repository_that_does_not_exist(sync, emu):
    """404 on the repository: check --repo and the token's access."""
    result = sync(emu.user_token("pulp"), "--repo", "pulp/nope")
    assert result.stderr == (
        f"tracker: error: repository pulp/nope not found at {emu.url}, or the token cannot see it "
        "(404) (hint: check --repo and that the token has access to the repository)\n"
    )


def test_a_token_without_issues_write(sync, emu):
    """The first write gets 403: nothing was created, the summary says so, exit 1."""
    result = sync(emu.read_only_token("ggainey"))
    assert result.stderr.endswith(
        "tracker: error: the token may not write issues in pulp/pulpcore (403 Resource not accessible "
        "by personal access token) (hint: give it issues: write; in a workflow: permissions: issues: write)\n"
    )
    assert result.stdout.endswith("; stopped early: rerun to finish\n")
    assert emu.repo(REPO).issues == []


def test_the_network_is_down(sync):
    """Connection refused: the API URL is named."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    result = sync("any-token", api_url=url)
    assert result.stderr == (
        f"tracker: error: cannot reach GitHub at {url}: connection refused "
        "(hint: check the network, or --api-url / GITHUB_API_URL)\n"
    )


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        (
            "api.github.com",
            "expected a URL starting with https:// (http:// for a GitHub on this machine)",
        ),
        (
            "ftp://example.com",
            "expected a URL starting with https:// (http:// for a GitHub on this machine)",
        ),
        ("https:///api/v3", "it names no host"),
        ("http://127.0.0.1:99999", "Port out of range 0-65535"),
        ("http://[::1", "Invalid IPv6 URL"),
    ],
)
def test_an_api_url_no_request_can_go_to_is_an_error_not_a_crash(sync, emu, url, problem):
    """A mistyped --api-url (no scheme, another scheme, no host, a bad port) is exit 1 with
    what is wrong and an example, before any request; it once crashed inside PyGithub."""
    result = sync("any-token", api_url=url)
    assert result.stderr == (
        f"tracker: error: cannot use the API URL {url!r} (--api-url or GITHUB_API_URL): "
        f"{problem} (hint: https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise)\n"
    )
    assert emu.log == []


@pytest.mark.parametrize("throttle", ["-1", "nan", "inf", "1,2,3", "a,b"])
def test_a_throttle_no_run_can_wait_by_is_an_error_not_a_crash(sync, emu, monkeypatch, throttle):
    """TRACKER_THROTTLE must be one or two waits of 0 seconds or more; -1, nan and inf
    crashed the first sleep (exit 3)."""
    monkeypatch.setenv("TRACKER_THROTTLE", throttle)
    result = sync("any-token")
    assert result.stderr == (
        "tracker: error: TRACKER_THROTTLE: expected seconds like 0.25,1 (0 or more, between "
        f"reads, between writes) - got {throttle!r}\n"
    )
    assert emu.log == []


@pytest.mark.parametrize("token", ["abc\ndef", "two words", "ключ", "\t"])
def test_a_token_no_header_can_carry_is_named_as_the_problem_without_showing_it(sync, emu, token):
    """A token with a line break, a space or a non-ASCII character was sent, failed inside
    the HTTP layer and read as "GitHub answered something tracker could not read"."""
    result = sync(token)
    assert result.stderr == (
        "tracker: error: GITHUB_TOKEN is not a token: it holds a space, a line break or a "
        "character no GitHub token has (its value is not shown) (hint: set GITHUB_TOKEN to the "
        'token alone, e.g. from a file: GITHUB_TOKEN="$(cat token.txt)")\n'
    )
    assert emu.log == []


def test_the_line_break_a_token_file_ends_with_is_dropped(sync, emu):
    result = sync(emu.user_token("pulp") + "\n", code=0)
    assert "1 created" in result.stdout


@pytest.mark.parametrize("repo", ["pulp/..", "../pulpcore", "pulp/."])
def test_a_repository_named_by_dots_is_refused_before_any_request(
    cli, emu, sync, monkeypatch, repo
):
    """`.` and `..` are no repository name: in the API's path they climb (`/repos/pulp/..`);
    they went out as requests and came back as 404 `not found`."""
    monkeypatch.setenv("GITHUB_TOKEN", "any-token")
    result = cli("sync", "--repo", repo, "--api-url", emu.url, "minutes.md", code=1)
    assert result.stderr == f"tracker: error: expected a repository as OWNER/NAME, got {repo!r}\n"
    assert emu.log == []


def test_github_failing_on_every_retry(sync, emu):
    """5xx on every retry of a read (requests' RetryError): one line, try later."""
    emu.fail_next(method="GET", status=502, times=20)
    result = sync(emu.user_token("pulp"))
    assert result.stderr == (
        f"tracker: error: GitHub at {emu.url} kept failing while trying to identify the token's user "
        "for pulp/pulpcore (502 after every retry) (hint: GitHub may be having an outage; rerun later)\n"
    )


def test_a_successful_run_prints_the_plan_and_a_summary_with_requests_and_rate_limit(sync, emu):
    """The text output: one line per AI as it is applied, then the summary."""
    result = sync(emu.user_token("pulp"), code=0)
    assert result.stdout == (
        "create        #1  minutes.md:3  'Post to discourse': new AI\n"
        "pulp/pulpcore: 1 created, 0 updated, 1 label and 0 milestones created; 0 unchanged, "
        "0 conflicts, 0 orphaned; 8 API requests (6 reads, 2 writes); rate limit 4992/5000 left\n"
    )


def test_json_output_of_a_dry_run(sync, emu):
    """--format json --dry-run: the plan, the request counts and the rate limit as one JSON document."""
    result = sync(emu.user_token("pulp"), "--dry-run", "--format", "json", code=0)
    data = json.loads(result.stdout)
    assert data["dry_run"] is True
    assert data["plan"]["summary"]["create"] == 1
    assert data["plan"]["actions"][0]["where"] == "minutes.md:3"
    assert data["requests"] == {"reads": 6, "writes": 0}  # 5 for the snapshot, 1 to adopt
    assert data["rate_limit"]["limit"] == 5000
    assert emu.writes() == 0


# --------------------------------------------------------------------------- wrong answers (issue 10)

LISTING = "/repos/pulp/pulpcore/issues?labels=action-item&per_page=100&state=all"
AGAIN = "(hint: GitHub, or a proxy in front of it, is failing; rerun later, and check --api-url / GITHUB_API_URL if it goes on)\n"


def test_an_html_page_instead_of_the_issue_listing_is_github_s_fault_exit_1(sync, emu):
    """A proxy's HTML page where JSON belongs: exit 1 (not 3, a bug), naming the URL and the page."""
    emu.garbage_next("html", "GET", r"/issues$", status=200)
    result = sync(emu.user_token("pulp"))
    assert result.stderr == (
        "tracker: error: GitHub answered 200 with a page titled 'Unicorn! · GitHub' (text/html) "
        f"instead of JSON to GET {emu.url}{LISTING} while trying to list the issues of "
        f"pulp/pulpcore {AGAIN}"
    )


def test_json_cut_short_is_github_s_fault_exit_1(sync, emu):
    """A truncated answer: exit 1, naming the URL and how the JSON ends."""
    emu.garbage_next("truncated", "GET", r"/user$")
    result = sync(emu.user_token("pulp"))
    assert result.stderr.startswith("tracker: error: GitHub answered 200 with JSON cut short (")
    assert result.stderr.endswith(
        f") to GET {emu.url}/user while trying to identify the token's user for pulp/pulpcore {AGAIN}"
    )


def test_json_of_the_wrong_shape_is_github_s_fault_exit_1(sync, emu):
    """A list where the user object belongs (PyGithub would read no login): exit 1, not a
    run as nobody."""
    emu.garbage_next("wrong-shape", "GET", r"/user$")
    result = sync(emu.user_token("pulp"))
    assert result.stderr == (
        "tracker: error: GitHub answered 200 with JSON of an unexpected shape (a list of 1) to "
        f"GET {emu.url}/user while trying to identify the token's user for pulp/pulpcore {AGAIN}"
    )
    assert emu.writes() == 0


def test_a_redirect_is_refused_not_read_as_an_empty_listing(cli, sync, emu):
    """A 307 on the issue listing: `status` used to show every AI as not synced and exit 0;
    now it fails, naming where GitHub pointed."""
    sync(emu.user_token("pulp"), code=0)
    emu.redirect_next("GET", r"/issues$")
    result = cli("status", "--repo", REPO, "--api-url", emu.url, "minutes.md", code=1)
    assert result.stdout == ""
    assert result.stderr == (
        f"tracker: error: GitHub answered 307 (a redirect to {emu.mirror_url()}{LISTING}) to "
        f"GET {emu.url}{LISTING} while trying to list the issues of pulp/pulpcore; tracker does "
        "not follow it (hint: if the API moved, set --api-url / GITHUB_API_URL to its new address)\n"
    )


def test_a_create_answered_with_garbage_is_looked_up_not_duplicated(sync, emu):
    """The create happened but its answer is HTML: like a lost answer, the marker is looked
    up and the issue adopted; one issue, one POST."""
    emu.garbage_next("html", "POST", r"/issues$", status=200, apply=True)
    result = sync(emu.user_token("pulp"), code=0)
    assert "answer lost; found the created issue" in result.stdout
    assert len(emu.repo(REPO).issues) == 1
    assert len(list(emu.requests("POST", r"/issues$"))) == 1


def test_an_update_that_fails_once_is_sent_again(sync, emu, tmp_path):
    """A PATCH sends whole values: after a 502 it is resent like a read and the run goes on."""
    token = emu.user_token("pulp")
    sync(token, code=0)
    (tmp_path / "minutes.md").write_text(MINUTES.replace("discourse", "Discourse!"), "utf-8")
    emu.fail_next("PATCH", r"/issues/1$", status=502)
    result = sync(token, code=0)
    assert "1 updated" in result.stdout
    assert [r.status for r in emu.requests("PATCH")] == [502, 200]
    assert emu.repo(REPO).issue(1).title == "Post to Discourse!"


def test_a_refused_issue_is_reported_with_its_line_and_field_and_the_others_go_on(
    sync, emu, tmp_path
):
    """GitHub refuses one AI's issue (422, its body too long): that line and field are named,
    every other AI gets its issue, exit 1."""
    (tmp_path / "minutes.md").write_text(
        MINUTES + "- AI: [ggainey] write the release notes\n", "utf-8"
    )
    emu.fail_next(
        "POST",
        r"/issues$",
        status=422,
        message="Validation Failed",
        errors=[
            {
                "resource": "Issue",
                "code": "custom",
                "field": "body",
                "message": "body is too long (maximum is 65536 characters)",
            }
        ],
    )
    result = sync(emu.user_token("pulp"))
    assert result.stderr.endswith(
        "minutes.md:3: error: GitHub refused to create an issue in pulp/pulpcore (422 Validation "
        "Failed: body: body is too long (maximum is 65536 characters))\n"
        "tracker: error: GitHub refused 1 issue (see above); the other AIs were synced\n"
    )
    assert result.stdout.splitlines()[0] == (
        "create         -  minutes.md:3  'Post to discourse': new AI [refused by GitHub]"
    )
    assert "1 created, 0 updated, 1 label and 0 milestones created, 1 refused by GitHub" in (
        result.stdout
    )
    assert [i.title for i in emu.repo(REPO).issues] == ["Write the release notes"]


# --------------------------------------------------------------------------- the token (issue 10)

SECRET = "emu-user-SECRET-0123456789abcdef"  # fake on purpose: no ghp_ prefix


def _crash(*args, **kwargs):
    raise RuntimeError("boom")


@pytest.mark.parametrize(
    "scenario",
    [
        "success",
        "in-url",
        "bad-repo",
        "html",
        "redirect",
        "refused",
        "crash",
        "network-down",
        "rate-limit",
        "json",
        "status",
        "pending",
        "agenda",
    ],
)
def test_the_token_never_appears_in_output_errors_or_logs(
    scenario, cli, emu, tmp_path, monkeypatch
):
    """Whatever happens, neither GITHUB_TOKEN nor a token inside --api-url reaches stdout,
    stderr or the crash log: in sync's every outcome (a rate limit past --max-wait, exit 4,
    included) and in every command that reads GitHub."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("TRACKER_THROTTLE", "0")
    monkeypatch.setenv("GITHUB_TOKEN", emu.user_token("pulp", value=SECRET))
    (tmp_path / "minutes.md").write_text(MINUTES, encoding="utf-8")
    host = emu.url.removeprefix("http://")
    url = f"http://x-access-token:{SECRET}@{host}"
    repo = "pulp/nope" if scenario == "bad-repo" else REPO
    if scenario == "success":
        url = emu.url
    if scenario == "html":
        emu.garbage_next("html", "GET", r"/labels$", status=200)
    if scenario == "redirect":
        emu.redirect_next("GET", r"/assignees$", to=f"http://u:{SECRET}@{host}/moved")
    if scenario == "refused":
        emu.fail_next("POST", r"/issues$", status=422, message="Validation Failed")
    if scenario == "crash":
        monkeypatch.setattr("tracker.sync_minutes", _crash)
    if scenario == "network-down":
        url = f"http://x:{SECRET}@127.0.0.1:9"
    if scenario == "rate-limit":  # no requests left for two hours: past --max-wait
        emu.rate_limit_next("primary", "GET", r"/labels$", reset_in=7200)
    command = {"status": ["status"], "pending": ["pending"], "json": ["sync", "--format", "json"]}
    command["agenda"] = ["agenda", "--date", "2024-03-19"]
    emu.check_responses = scenario != "redirect"  # the redirect's target is made up
    result = cli(
        *command.get(scenario, ["sync"]), "--repo", repo, "--api-url", url, "minutes.md", code=None
    )
    logs = [p.read_text("utf-8") for p in (tmp_path / "cache").rglob("*") if p.is_file()]
    expected = {"success": 0, "in-url": 0, "crash": 3, "rate-limit": 4}
    expected |= {"json": 0, "status": 0, "pending": 0, "agenda": 0}
    assert result.exit_code == expected.get(scenario, 1)
    assert (scenario == "crash") == bool(logs)
    for text in (result.stdout, result.stderr, *logs):
        assert SECRET not in text
    if scenario == "bad-repo":  # the URL is named, without its credentials
        assert f"repository pulp/nope not found at http://{host}, or" in result.stderr
    if scenario == "redirect":
        assert f"(a redirect to http://***@{host}/moved/" in result.stderr


def test_in_actions_the_summary_is_markdown_and_warnings_are_annotations(
    sync, emu, tmp_path, monkeypatch
):
    """--format github: the plan as on a terminal, plus each warning as an annotation on its
    minutes line, a Markdown job summary with links, and the step's outputs."""
    (tmp_path / "minutes.md").write_text(MINUTES + "- AI: [Zed] tag 2.4, then: announce it\n")
    (tmp_path / "tracker.yml").write_text("people:\n  ggainey: []\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "summary.md"))
    monkeypatch.setenv("GITHUB_OUTPUT", str(tmp_path / "output"))
    result = sync(emu.installation_token(REPO), "--format", "github", code=0)
    assert result.stdout.startswith("create        #1  minutes.md:3  'Post to discourse': ")
    assert result.stderr.splitlines()[-1] == (
        "::warning file=minutes.md,line=4,title=tracker sync::unknown owner 'Zed': add their "
        "GitHub login to `people:` in the config"
    )
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert summary == dedent(
        f"""\
        ### tracker sync

        **Done.** {result.stdout.splitlines()[-1]}

        | | issue | title | minutes | why |
        | --- | --- | --- | --- | --- |
        | created | [#1](https://github.com/{REPO}/issues/1) | Post to discourse | minutes.md:3 | new AI |
        | created | [#2](https://github.com/{REPO}/issues/2) | Tag 2.4, then: announce it | minutes.md:4 | new AI |

        #### Warnings (1)

        - minutes.md:4: warning: unknown owner 'Zed': add their GitHub login to `people:` in the config

        """
    )
    assert (tmp_path / "output").read_text(
        encoding="utf-8"
    ) == "created=2\nupdated=0\nconflicts=0\n"


def test_over_the_cap_the_cli_prints_the_plan_s_summary_and_asks_for_yes(sync, emu, tmp_path):
    (tmp_path / "tracker.yml").write_text(
        "people:\n  ggainey: []\nsync:\n  max_creates: 0\n", encoding="utf-8"
    )
    result = sync(emu.user_token("pulp"))
    assert result.stdout.startswith(f"{REPO}: dry run: would create 1, update 0")
    assert result.stderr == (
        "tracker: error: the plan opens 1 issue, more than sync.max_creates (0): nothing was "
        "written (hint: check the plan with --dry-run, then rerun with --yes to open them all, "
        "or narrow the run: set sync.since: YYYY-MM-DD in the config to leave out the AIs of "
        "older meetings)\n"
    )
    assert emu.writes() == 0
    sync(emu.user_token("pulp"), "--yes", code=0)
    assert len(emu.repo(REPO).issues) == 1


def test_an_update_answered_with_a_page_is_not_counted_done(sync, emu, tmp_path):
    """A PATCH answered 200 with a proxy's HTML page may not have happened: the run stops
    (exit 1, naming the URL), never reports the update done; the rerun makes it."""
    token = emu.user_token("pulp")
    sync(token, code=0)
    (tmp_path / "minutes.md").write_text(MINUTES.replace("discourse", "Discourse!"), "utf-8")
    emu.garbage_next("html", "PATCH", r"/issues/1$", status=200)
    result = sync(token, code=1)
    assert (
        "tracker: error: GitHub answered 200 with a page titled 'Unicorn! · GitHub' (text/html) "
        f"instead of JSON to PATCH {emu.url}/repos/pulp/pulpcore/issues/1 while trying to "
        "update issue #1 in pulp/pulpcore\n"
    ) in result.stderr
    assert emu.repo(REPO).issue(1).title == "Post to discourse"
    assert "1 updated" in sync(token, code=0).stdout
    assert emu.repo(REPO).issue(1).title == "Post to Discourse!"
