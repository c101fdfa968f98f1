"""How fast and for how long a run may talk to GitHub (issues 10 and 14).

GitHub's rules, from its REST documentation ("Rate limits for the REST API" and "Best
practices for using the REST API"):

- a primary budget of requests an hour per token (Actions' ``GITHUB_TOKEN``: 1,000 per
  repository); every answer says how many are left (``X-RateLimit-Remaining``) and when the
  hour resets (``X-RateLimit-Reset``);
- secondary limits: about 80 content-creating requests a minute and 500 an hour;
- make requests serially, and wait at least a second between writes;
- refused (403 or 429): wait ``Retry-After`` seconds when the answer says; else, with no
  requests left, until the reset; else at least a minute, longer each time it happens again.

:class:`Pacer` keeps a run inside them: it spaces writes, counts the creates of the last
hour (those the run finds on GitHub and those it makes), waits out refusals, and stops the
run with :class:`~tracker.errors.Unfinished` (exit code 4) rather than wait longer than
allowed in all (``max_wait``) or run past its time budget. Reads are not paced: being
serial is all GitHub asks of them.

Pure: no PyGithub, and time comes from a :class:`Clock` that tests and benchmarks replace
with the emulator's, so that an hour of waiting takes no time.
"""

from __future__ import annotations

import bisect
import datetime
import math
import time
from collections.abc import Callable, Iterable
from typing import Protocol

from tracker.errors import Unfinished

HOUR = 3600.0
MINUTE = 60.0
#: GitHub's secondary limit on content creation per minute (the hourly one is configurable).
CREATES_PER_MINUTE = 80
#: The first wait after a secondary limit that names no time; it doubles each time after.
SECONDARY_WAIT = 60.0


class Clock(Protocol):
    """Where a run gets the time and how it waits."""

    def now(self) -> float:
        """Seconds since the epoch."""

    def sleep(self, seconds: float) -> None:
        """Let ``seconds`` pass."""


class SystemClock:
    """The real time."""

    def now(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class Pacer:
    """The limits of one run: write spacing, the creation budget, the time budget and the
    bound on rate-limit waits. ``notify`` hears about each wait before it starts."""

    def __init__(
        self,
        clock: Clock,
        *,
        write_interval: float = 1.0,
        max_wait: float | None = 300.0,
        time_budget: float | None = None,
        creates_per_hour: int | None = None,
        creates_per_minute: int | None = CREATES_PER_MINUTE,
        notify: Callable[[str], None] | None = None,
    ) -> None:
        self.clock = clock
        self.write_interval = write_interval
        self.max_wait = max_wait
        self.time_budget = time_budget
        self.creates_per_hour = creates_per_hour
        self.creates_per_minute = creates_per_minute
        self.notify = notify or (lambda message: None)
        self.started = clock.now()
        self.waited = 0.0
        """Seconds spent waiting for rate limits (write spacing is not counted)."""
        self.longest_wait = 0.0
        self._creates: list[float] = []
        """When each create of the last hour was made, oldest first."""
        self._last_write: float | None = None
        self._strikes = 0
        """Secondary refusals without a stated wait, in a row: each doubles the next wait."""

    # ------------------------------------------------------------------ what happened

    def seen_creates(self, moments: Iterable[float]) -> None:
        """Creates made before this run (its issues' creation times): they count toward the hour."""
        since = self.clock.now() - HOUR
        for moment in moments:
            if moment > since:
                bisect.insort(self._creates, moment)

    def answered(self, *, write: bool, created: bool) -> None:
        """A request got an answer that was not a refusal."""
        self._strikes = 0
        if write:
            now = self.clock.now()
            self._last_write = now
            if created:
                self._creates.append(now)

    # ------------------------------------------------------------------ before a write

    def before_write(
        self, *, creates: bool, remaining: int | None = None, reset: float | None = None
    ) -> None:
        """Wait until a write may go, or raise Unfinished when the run may not wait that long.

        ``remaining`` and ``reset`` are the primary budget as the last answer gave it.
        """
        now = self.clock.now()
        if self.time_budget is not None and now - self.started >= self.time_budget:
            slot = self._create_slot(now) if creates else None
            raise Unfinished(
                f"the run's time budget ({span(self.time_budget)}) is spent",
                resume_at=_utc(slot) if slot is not None else None,
            )
        if remaining is not None and remaining <= 0 and reset is not None and reset > now:
            self.wait(reset + 1 - now, f"no GitHub API requests left until {clock_time(reset + 1)}")
        if creates:
            self._wait_for_a_create_slot()
        if self._last_write is not None and self.write_interval > 0:
            pause = self._last_write + self.write_interval - self.clock.now()
            if pause > 0:
                self.clock.sleep(pause)

    def _wait_for_a_create_slot(self) -> None:
        now = self.clock.now()
        del self._creates[: bisect.bisect_right(self._creates, now - HOUR)]
        free = self._create_slot(now)
        if free is None:
            return
        if free - now <= self.write_interval:
            # No longer than the spacing between writes: pacing, not a wait for a limit (a
            # run an hour after another creates as fast as the last one's creates age).
            self.clock.sleep(free - now)
            return
        hourly = self.creates_per_hour is not None and len(self._creates) >= self.creates_per_hour
        if hourly and not self._may_wait(free - now):
            raise Unfinished(
                f"this hour's creation budget is spent ({len(self._creates)} issues, labels and "
                f"milestones created in the last hour; limits.creates_per_hour is "
                f"{self.creates_per_hour})",
                resume_at=_utc(free),
            )
        self.wait(
            free - now, f"{self.creates_per_minute} creates a minute at most (GitHub's limit)"
        )

    def _create_slot(self, now: float) -> float | None:
        """When the next create fits both windows, or None when it fits now."""
        start = bisect.bisect_right(self._creates, now - HOUR)
        recent = self._creates[start:]
        free: float | None = None
        if self.creates_per_hour is not None and len(recent) >= self.creates_per_hour:
            free = recent[len(recent) - self.creates_per_hour] + HOUR
        per_minute = self.creates_per_minute
        minute = recent[bisect.bisect_right(recent, now - MINUTE) :]
        if per_minute is not None and len(minute) >= per_minute:
            free = max(free or 0.0, minute[len(minute) - per_minute] + MINUTE)
        return free

    def _may_wait(self, seconds: float) -> bool:
        within_bound = self.max_wait is None or self.waited + seconds <= self.max_wait
        end = self.clock.now() + seconds - self.started
        return within_bound and (self.time_budget is None or end <= self.time_budget)

    # ------------------------------------------------------------------ refused

    def refused(
        self, *, retry_after: float | None, remaining: int | None, reset: float | None
    ) -> None:
        """GitHub refused a request for a rate limit: wait as it asks, or raise Unfinished."""
        now = self.clock.now()
        if retry_after is not None:
            self._strikes = 0
            self.wait(max(retry_after, 1.0), f"GitHub asked to wait {span(retry_after)}")
        elif remaining == 0 and reset is not None:
            self._strikes = 0
            self.wait(
                max(reset - now, 0.0) + 1,
                f"no GitHub API requests left until {clock_time(reset + 1)}",
            )
        else:
            # A secondary limit that names no time: at least a minute, longer each time.
            seconds = SECONDARY_WAIT * 2**self._strikes
            self._strikes += 1
            self.wait(seconds, "GitHub's secondary rate limit")

    def wait(self, seconds: float, why: str) -> None:
        """Sleep ``seconds`` for ``why``; raise Unfinished instead when that passes the bound on
        waiting (``max_wait`` in all) or the end of the time budget."""
        now = self.clock.now()
        resume = now + seconds
        if self.max_wait is not None and self.waited + seconds > self.max_wait:
            left = max(self.max_wait - self.waited, 0.0)
            raise Unfinished(
                f"{why}: waiting {span(seconds)} would pass the bound on waits "
                f"({span(left)} left of --max-wait {span(self.max_wait)})",
                resume_at=_utc(resume),
            )
        if self.time_budget is not None and resume - self.started > self.time_budget:
            raise Unfinished(
                f"{why}: waiting {span(seconds)} would pass the run's time budget "
                f"({span(self.time_budget)})",
                resume_at=_utc(resume),
            )
        self.notify(f"tracker: waiting {span(seconds)}: {why}")
        self.clock.sleep(seconds)
        self.waited += seconds
        self.longest_wait = max(self.longest_wait, seconds)


def span(seconds: float) -> str:
    """``45s``, ``5m``, ``1h02m``: a duration as people read it."""
    whole = max(round(seconds), 0)
    if whole < 60:
        return f"{whole}s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes}m{secs:02d}s" if secs else f"{minutes}m"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


def clock_time(moment: float) -> str:
    """``13:08 UTC``: a moment within the day, as a rerun time."""
    return _utc(moment).strftime("%H:%M UTC")


def _utc(moment: float) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(moment, datetime.UTC)


_UNITS = {"s": 1.0, "m": 60.0, "h": 3600.0}


def parse_duration(value: object) -> float | None:
    """Seconds from ``90``, ``"90s"``, ``"5m"``, ``"1h"`` or ``"1.5h"``; ``"none"`` (or None) is
    no bound. Raises ValueError for anything else, or a negative duration."""
    if value is None:
        return None
    text = str(value).strip().lower()
    if text in ("none", "off", "unlimited"):
        return None
    unit = _UNITS.get(text[-1:])
    number = text[:-1] if unit is not None else text
    try:
        seconds = float(number) * (unit or 1.0)
    except ValueError:
        seconds = -1.0
    if isinstance(value, bool) or not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"expected a duration like 90, 90s, 5m or 1h, got {value!r}")
    return seconds
