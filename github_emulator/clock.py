"""The emulator's time, which a test can move or stop so that nothing has to sleep.

Rate-limit windows (the hour of the primary budget, the minute and hour of the
content-creation limit), reset times in headers and the timestamps of what the
emulator creates all read ``emu.clock``. It follows the wall clock until a test
moves it::

    emu.clock.freeze()          # time stands still (windows only move when told)
    emu.clock.advance(3600)     # an hour later: the primary budget renews
    emu.clock.unfreeze()        # the wall clock again, keeping the offset

Code running on behalf of one emulator (its request handlers, ``World`` methods)
sees that emulator's clock through ``state.now()``; see ``state.use_clock``.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta


class Clock:
    """Wall-clock time plus an offset, or a frozen moment; whole seconds, UTC."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._offset = timedelta(0)
        self._frozen: datetime | None = None

    def now(self) -> datetime:
        """The current time at GitHub's resolution (whole seconds, UTC)."""
        with self._lock:
            moment = self._frozen if self._frozen is not None else _wall() + self._offset
        return moment.replace(microsecond=0)

    @property
    def frozen(self) -> bool:
        return self._frozen is not None

    def freeze(self, at: datetime | None = None) -> None:
        """Stop time at ``at`` (default: now); only ``advance``/``set`` move it afterwards."""
        moment = at if at is not None else self.now()
        with self._lock:
            self._frozen = _aware(moment)

    def unfreeze(self) -> None:
        """Let time run again from where it stands."""
        with self._lock:
            if self._frozen is not None:
                self._offset = self._frozen - _wall()
                self._frozen = None

    def advance(self, seconds: float) -> None:
        """Move time forward (or back, with a negative number) without sleeping."""
        step = timedelta(seconds=seconds)
        with self._lock:
            if self._frozen is not None:
                self._frozen += step
            else:
                self._offset += step

    def set(self, moment: datetime) -> None:
        """Jump to ``moment`` (a naive datetime is taken as UTC); a frozen clock stays frozen."""
        target = _aware(moment)
        with self._lock:
            if self._frozen is not None:
                self._frozen = target
            else:
                self._offset = target - _wall()


def _wall() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
