"""Where the commands find the token, the repository, the API URL, the links and the pacing."""

from __future__ import annotations

import pytest

from tracker.config import Config
from tracker.errors import GitHubError
from tracker.settings import settings_from_env

ACTIONS_ENV = {
    "GITHUB_TOKEN": "token-from-actions",
    "GITHUB_REPOSITORY": "pulp/pulpcore",
    "GITHUB_API_URL": "https://ghe.example.com/api/v3",
    "GITHUB_SERVER_URL": "https://ghe.example.com",
    "GITHUB_REF_NAME": "main",
    "GITHUB_REF_TYPE": "branch",
    "GITHUB_SHA": "0123abc",
}


def test_in_actions_everything_comes_from_the_environment():
    """GitHub Actions' variables give the token, repo, API URL and the minutes' link base."""
    settings = settings_from_env(repo=None, api_url=None, config=Config(), env=ACTIONS_ENV)
    assert settings.token == "token-from-actions"
    assert settings.repo == "pulp/pulpcore"
    assert settings.api_url == "https://ghe.example.com/api/v3"
    assert settings.link_base == "https://ghe.example.com/pulp/pulpcore/blob/main"


def test_options_win_over_the_config_and_the_config_over_the_environment():
    """--repo beats `repo:` beats GITHUB_REPOSITORY; --api-url beats GITHUB_API_URL."""
    env = dict(ACTIONS_ENV)
    config = Config(repo="pulp/pulp_rpm")
    assert (
        settings_from_env(repo=None, api_url=None, config=config, env=env).repo == "pulp/pulp_rpm"
    )
    chosen = settings_from_env(
        repo="me/scratch", api_url="http://127.0.0.1:9/", config=config, env=env
    )
    assert (chosen.repo, chosen.api_url) == ("me/scratch", "http://127.0.0.1:9")


def test_gh_token_is_the_fallback_and_the_api_defaults_to_github_com():
    """GH_TOKEN (the gh CLI's variable) works too; the API URL defaults to api.github.com."""
    settings = settings_from_env(repo="o/r", api_url=None, config=Config(), env={"GH_TOKEN": "t"})
    assert settings.token == "t" and settings.api_url == "https://api.github.com"
    assert (settings.seconds_between_requests, settings.seconds_between_writes) == (0, 1.0)
    assert settings.link_base is None


def test_no_token_is_a_one_line_error_with_a_hint():
    """Without GITHUB_TOKEN or GH_TOKEN sync stops before any request."""
    with pytest.raises(GitHubError) as caught:
        settings_from_env(repo="o/r", api_url=None, config=Config(), env={})
    assert str(caught.value) == (
        "no GitHub token: set GITHUB_TOKEN (or GH_TOKEN) to a token that may write issues "
        "(hint: in a workflow: env: GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }})"
    )


def test_no_repository_is_an_error_naming_the_three_ways_to_give_one():
    with pytest.raises(GitHubError, match=r"pass --repo OWNER/NAME, set `repo:` in the config"):
        settings_from_env(repo=None, api_url=None, config=Config(), env={"GITHUB_TOKEN": "t"})


def test_tracker_throttle_zero_turns_off_pacing_for_a_local_emulator():
    """TRACKER_THROTTLE=0: no sleeping between requests or retries."""
    env = {"GITHUB_TOKEN": "t", "TRACKER_THROTTLE": "0"}
    settings = settings_from_env(repo="o/r", api_url=None, config=Config(), env=env)
    assert (
        settings.seconds_between_requests,
        settings.seconds_between_writes,
        settings.retry_backoff,
    ) == (0, 0, 0)


def test_a_pull_request_merge_ref_gives_no_links():
    """Minutes read from a PR's merge commit have no stable place to link to."""
    env = dict(ACTIONS_ENV, GITHUB_REF_NAME="12/merge", GITHUB_SHA="")
    assert settings_from_env(repo=None, api_url=None, config=Config(), env=env).link_base is None


def test_the_run_s_limits_come_from_the_config():
    """max_wait, time_budget and creates_per_hour follow the config (the CLI's options
    override the config before it gets here)."""
    config = Config(max_wait=60, time_budget=None, creates_per_hour=100)
    settings = settings_from_env(repo="o/r", api_url=None, config=config, env={"GH_TOKEN": "t"})
    assert (settings.max_wait, settings.time_budget, settings.creates_per_hour) == (60, None, 100)
