"""The Pacer: write spacing, the run's creation and time budgets, and bounded waits for
GitHub's rate limits, on a clock of its own (nothing sleeps)."""

from __future__ import annotations

import datetime

import pytest

from tests.clocks import FakeTime
from tracker.errors import EXIT_UNFINISHED, Unfinished
from tracker.pacing import Pacer, parse_duration, span

START = 1_715_083_200.0  # 2024-05-07 12:00 UTC


def pacer(time: FakeTime, **kw) -> Pacer:
    return Pacer(time, **({"write_interval": 1.0} | kw))


def create(p: Pacer) -> None:
    p.before_write(creates=True)
    p.answered(write=True, created=True)


def test_writes_are_a_second_apart_and_reads_are_not_paced():
    """GitHub's advice: at least a second between writes; reads only serial."""
    time = FakeTime(START)
    p = pacer(time)
    for _ in range(3):
        create(p)
        p.answered(write=False, created=False)
    assert time.slept == [1.0, 1.0]
    assert p.waited == 0  # spacing is not a rate-limit wait


def test_the_creation_budget_counts_the_last_hour_s_creates_and_says_when_to_rerun():
    """Creates an earlier run made in the last hour count: the budget of 5 leaves 2 here, then
    the run stops (exit 4) with the moment the oldest create leaves the hour."""
    time = FakeTime(START)
    p = pacer(time, creates_per_hour=5, write_interval=0)
    p.seen_creates([START - 4000, START - 3000, START - 1200, START - 600])  # 3 in the hour
    create(p)
    create(p)
    with pytest.raises(Unfinished) as stopped:
        create(p)
    assert stopped.value.exit_code == EXIT_UNFINISHED == 4
    assert str(stopped.value) == (
        "this hour's creation budget is spent (5 issues, labels and milestones created in the "
        "last hour; limits.creates_per_hour is 5) (hint: rerun after 2024-05-07 12:10 UTC)"
    )
    assert stopped.value.resume_at == datetime.datetime(2024, 5, 7, 12, 10, tzinfo=datetime.UTC)


def test_a_short_wait_for_a_create_slot_is_waited():
    """When the oldest create leaves the hour soon, the run waits for it (within the bound)."""
    time = FakeTime(START)
    p = pacer(time, creates_per_hour=1, write_interval=0)
    p.seen_creates([START - 3590])
    create(p)
    assert time.slept == [10.0]


def test_a_slot_that_frees_within_the_write_spacing_is_pacing_not_a_wait():
    """An hour after a run that created a budget's worth a second apart, its creates age out
    as fast as writes go: the run keeps creating, and nothing counts against max_wait."""
    time = FakeTime(START)
    p = pacer(time, creates_per_hour=3, max_wait=0)
    p.seen_creates([START - 3599.5, START - 3598.5, START - 3597.5])
    for _ in range(3):
        create(p)
    assert time.slept == [0.5, 1.0, 1.0]
    assert p.waited == 0


def test_no_more_than_80_creates_a_minute_even_unpaced():
    """Writes not spaced (TRACKER_THROTTLE=0 against github.com): the 81st create in a
    minute waits for the first to leave the minute."""
    time = FakeTime(START)
    p = pacer(time, write_interval=0)
    for _ in range(80):
        create(p)
        time.at += 0.5
    create(p)
    assert time.slept == [pytest.approx(20.0)]


def test_retry_after_is_honoured():
    time = FakeTime(START)
    pacer(time).refused(retry_after=30, remaining=4000, reset=START + 3600)
    assert time.slept == [30]


def test_with_no_requests_left_the_wait_lasts_until_the_reset():
    time = FakeTime(START)
    pacer(time).refused(retry_after=None, remaining=0, reset=START + 120)
    assert time.slept == [121]


def test_a_secondary_limit_without_retry_after_waits_a_minute_then_longer():
    """GitHub's guidance: at least a minute, growing while it goes on; an answer resets it."""
    time = FakeTime(START)
    p = pacer(time, max_wait=None)
    for _ in range(3):
        p.refused(retry_after=None, remaining=10, reset=START + 3600)
    p.answered(write=False, created=False)
    p.refused(retry_after=None, remaining=10, reset=START + 3600)
    assert time.slept == [60, 120, 240, 60]
    assert (p.waited, p.longest_wait) == (480, 240)


def test_a_wait_past_the_bound_stops_the_run_with_when_to_rerun():
    """A far reset is not slept through: past max_wait the run stops (exit 4) at once."""
    time = FakeTime(START)
    with pytest.raises(Unfinished) as stopped:
        pacer(time, max_wait=300).refused(retry_after=None, remaining=0, reset=START + 3600)
    assert time.slept == []
    assert str(stopped.value) == (
        "no GitHub API requests left until 13:00 UTC: waiting 1h00m would pass the bound on "
        "waits (5m left of --max-wait 5m) (hint: rerun after 2024-05-07 13:00 UTC)"
    )


def test_waits_add_up_against_the_bound():
    time = FakeTime(START)
    p = pacer(time, max_wait=150)
    p.refused(retry_after=None, remaining=10, reset=None)
    with pytest.raises(Unfinished, match=r"waiting 2m would pass the bound on waits \(1m30s left"):
        p.refused(retry_after=None, remaining=10, reset=None)


def test_the_time_budget_stops_writing_and_no_wait_runs_past_it():
    time = FakeTime(START)
    p = pacer(time, time_budget=100, max_wait=None)
    create(p)
    with pytest.raises(Unfinished, match=r"would pass the run's time budget \(1m40s\)"):
        p.refused(retry_after=120, remaining=10, reset=None)
    time.at += 100
    with pytest.raises(Unfinished) as stopped:
        create(p)
    assert str(stopped.value) == "the run's time budget (1m40s) is spent (hint: rerun to continue)"


def test_before_a_write_with_no_requests_left_it_waits_for_the_reset_rather_than_be_refused():
    time = FakeTime(START)
    p = pacer(time)
    p.before_write(creates=False, remaining=0, reset=START + 30)
    assert time.slept == [31]


@pytest.mark.parametrize(
    ("text", "seconds"),
    [(90, 90.0), ("90", 90.0), ("90s", 90.0), ("5m", 300.0), ("1.5h", 5400.0), ("none", None)],
)
def test_durations(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["soon", "-5m", True, "nan", "5d"])
def test_what_is_not_a_duration(text):
    with pytest.raises(ValueError, match="expected a duration like 90, 90s, 5m or 1h"):
        parse_duration(text)


def test_spans_read_like_people_write_them():
    assert [span(s) for s in (0.4, 45, 60, 90, 3600, 3720)] == [
        "0s",
        "45s",
        "1m",
        "1m30s",
        "1h00m",
        "1h02m",
    ]
