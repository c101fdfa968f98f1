"""Clocks for tracker's Pacer (``Settings.clock``) that never sleep."""

from __future__ import annotations

from dataclasses import dataclass, field

from github_emulator.clock import Clock as EmulatorClock


@dataclass
class EmulatorTime:
    """The emulator's time: tracker's waits move the emulator's clock instead of sleeping, so
    an hour of waiting takes no time and GitHub's windows see it pass."""

    clock: EmulatorClock
    slept: list[float] = field(default_factory=list)
    """Every wait, in order."""

    def now(self) -> float:
        return self.clock.now().timestamp() + self._fraction

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        whole = int(self._fraction + seconds)
        self._fraction = self._fraction + seconds - whole
        self.clock.advance(whole)

    _fraction: float = 0.0
    """What is left below a second: the emulator counts whole seconds."""


@dataclass
class FakeTime:
    """A clock of its own, for the Pacer alone."""

    at: float = 1_715_083_200.0  # 2024-05-07 12:00 UTC
    slept: list[float] = field(default_factory=list)

    def now(self) -> float:
        return self.at

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.at += seconds
