"""How many requests does `tracker sync` make? Measured at the local GitHub emulator.

Generates an archive of 100 meetings with 500 action items (10 of them blocker
decisions for 10 releases), then syncs it three times against the emulator:
the first run, a no-op rerun, and a rerun after one AI line was edited. Prints
the reads and writes the emulator logged (every HTTP request, retries included)
and checks them against issue #4's budget:

    first run:  writes = issues + labels + milestones created
                reads <= ceil(issues / 100) + 5
    rerun:      0 writes, the same small number of reads

Run from the repository root:  python benchmarks/sync_requests.py
"""

from __future__ import annotations

import datetime
import math
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from github_emulator import GitHubEmulator
from tracker.config import Config
from tracker.minutes import parse
from tracker.settings import Settings
from tracker.sync import SyncResult, sync

REPO = "bench/minutes"
PEOPLE = {"alice": ("Alice",), "bob": ("Robert",), "carol": (), "dave": ("Dave",), "erin": ()}
CONFIG = Config(people=PEOPLE, groups=("team", "all"))
OWNERS = ("Alice", "Robert", "carol", "Dave", "erin", "team")
MEETINGS = 100
PER_MEETING = 5


def archive(meetings: int = MEETINGS, per_meeting: int = PER_MEETING) -> str:
    """Markdown minutes: one heading per weekly meeting, topics, one AI under each."""
    lines = ["# Team meeting minutes", ""]
    day = datetime.date(2021, 1, 5)
    n = 0
    for meeting in range(meetings):
        lines += [f"## {day + datetime.timedelta(weeks=meeting)}", ""]
        for topic in range(per_meeting):
            n += 1
            owner = OWNERS[n % len(OWNERS)]
            lines.append(f"- Topic {n}: the plugin API, part {topic}")
            lines.append(f"  - discussion of item {n}")
            if topic == 0 and meeting % 10 == 0:
                lines.append(f"  - AI: [{owner}] fix item {n}, add to 4.{meeting // 10} blockers")
            else:
                lines.append(f"  - AI: [{owner}] write up item {n}")
        lines.append("")
    return "\n".join(lines)


def run(emu: GitHubEmulator, settings: Settings, path: str) -> tuple[SyncResult, int, int, float]:
    emu.clear_log()
    start = time.perf_counter()
    result = sync(parse([path], config=CONFIG), config=CONFIG, settings=settings)
    elapsed = time.perf_counter() - start
    if result.error:
        raise SystemExit(f"sync failed: {result.error}")
    return result, emu.reads(), emu.writes(), elapsed


def main() -> int:
    emu = GitHubEmulator.start()
    failures: list[str] = []
    try:
        emu.add_repo(REPO, collaborators=list(PEOPLE))
        settings = Settings.unpaced(token=emu.user_token("bench"), repo=REPO, api_url=emu.url)
        with tempfile.TemporaryDirectory() as folder:
            os.chdir(folder)
            Path("minutes.md").write_text(archive(), encoding="utf-8")
            first, reads, writes, seconds = run(emu, settings, "minutes.md")
            issues = sum(1 for o in first.outcomes if o.done)
            created = issues + len(first.labels_created) + len(first.milestones_created)
            print(f"archive: {MEETINGS} meetings, {len(first.plan.actions)} AIs")
            print(
                f"first run:  {reads:4d} reads {writes:4d} writes  ({issues} issues, "
                f"{len(first.labels_created)} labels, {len(first.milestones_created)} milestones; {seconds:.1f} s)"
            )
            budget = math.ceil(issues / 100) + 5
            if writes != created:
                failures.append(f"first run: {writes} writes, expected {created}")
            if reads > budget:
                failures.append(f"first run: {reads} reads, budget {budget}")

            _, reads, writes, seconds = run(emu, settings, "minutes.md")
            print(f"no-op rerun: {reads:3d} reads {writes:4d} writes  ({seconds:.1f} s)")
            if writes or reads > budget:
                failures.append(
                    f"rerun: {reads} reads, {writes} writes; expected <= {budget} and 0"
                )

            text = Path("minutes.md").read_text(encoding="utf-8")
            Path("minutes.md").write_text(
                text.replace("write up item 2\n", "write up item 2 today\n"), encoding="utf-8"
            )
            _, reads, writes, seconds = run(emu, settings, "minutes.md")
            print(f"one AI edited: {reads:2d} reads {writes:4d} writes  ({seconds:.1f} s)")
            if writes != 1:
                failures.append(f"edited rerun: {writes} writes, expected 1")
            os.chdir(ROOT)
    finally:
        emu.stop()
    for failure in failures:
        print(f"OVER BUDGET: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
