"""A 2,000-AI first sync spread over scheduled runs within GitHub's limits (issue 14).

    python -m benchmarks.backfill [--ais 2000] [--every 60] [--time-budget 10m]

Against the local GitHub emulator with Actions-like limits: an installation token with
1,000 requests an hour, GitHub's content-creation limit (80 a minute, 500 an hour), and
each run inside a 15-minute job (tracker's default time budget, 10 minutes, fits it). Runs
start on a schedule (hourly by default, as in ``tracker-sync.yml``) with tracker's default
settings: writes a second apart, at most 480 creates an hour, waits of 5 minutes at most.
Time is the emulator's clock, which tracker's waits move, so hours pass in seconds.

Prints each run: when it started, its exit code, what it created, how long it lasted on
the clock, the requests it made and the rate limit left, and the line it stopped with;
then checks that exactly one issue exists per AI and that GitHub never had to refuse.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from github_emulator import GitHubEmulator
from tests.clocks import EmulatorTime
from tracker import parse, sync_minutes
from tracker.config import Config
from tracker.identity import find_marker
from tracker.pacing import parse_duration, span
from tracker.settings import Settings

REPO = "bench/minutes"
OWNERS = ("alice", "bob", "carol", "dave", "erin")
CONFIG = Config(people={login: () for login in OWNERS})
START = datetime.datetime(2024, 5, 6, 9, 0, tzinfo=datetime.UTC)


def archive(ais: int, per_meeting: int = 10) -> str:
    """Weekly meetings of ``per_meeting`` AIs each, every one a distinct task."""
    lines = ["# Team meeting minutes", ""]
    for n in range(ais):
        if n % per_meeting == 0:
            day = datetime.date(2015, 1, 6) + datetime.timedelta(weeks=n // per_meeting)
            lines += ["", f"## {day.isoformat()}", "", "- Discussion"]
        lines.append(f"  - AI: [{OWNERS[n % len(OWNERS)]}] write up item {n} of the backlog")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ais", type=int, default=2000)
    parser.add_argument("--every", type=int, default=60, help="minutes between scheduled runs")
    parser.add_argument("--time-budget", default="10m")
    args = parser.parse_args()
    emu = GitHubEmulator.start()
    try:
        emu.add_repo(REPO, collaborators=list(OWNERS))
        emu.limit_content_creation(per_minute=80, per_hour=500)
        emu.clock.freeze(START)
        token = emu.installation_token(REPO, limit=1000)
        clock = EmulatorTime(emu.clock)
        settings = Settings(
            token=token,
            repo=REPO,
            api_url=emu.url,
            clock=clock,
            time_budget=parse_duration(args.time_budget),
        )
        os.chdir(tempfile.mkdtemp())
        Path("minutes.md").write_text(archive(args.ais), encoding="utf-8")
        print(
            f"{args.ais:,} AIs; installation token 1,000 requests/hour; GitHub's creation limit "
            f"80/minute, 500/hour; a run every {args.every} minutes, time budget "
            f"{args.time_budget}, writes 1 s apart, at most 480 creates/hour\n"
        )
        print(f"{'run':>3} {'start':>11} {'exit':>4} {'created':>8} {'issues':>7} "
              f"{'lasted':>7} {'requests':>8} {'left':>5} {'wall':>6}  stopped with")  # fmt: skip
        run_number = 0
        while len(emu.repo(REPO).issues) < args.ais or run_number == 0:
            run_number += 1
            begin = START + datetime.timedelta(minutes=args.every * (run_number - 1))
            emu.clock.set(max(begin, emu.clock.now()))
            started, wall = clock.now(), time.perf_counter()
            at = emu.clock.now().strftime("%a %H:%M")
            minutes = parse(["minutes.md"], config=CONFIG)
            run = sync_minutes(minutes, config=CONFIG, settings=settings)
            result = run.result
            created = result.progress[0]
            code = run.failure.exit_code if run.failure else 0
            reason = (run.failure.message if run.failure else "done").split(" (")[0]
            remaining = result.rate_limit[0] if result.rate_limit else -1
            print(
                f"{run_number:>3} {at:>11} {code:>4} "
                f"{created:>8,} {len(emu.repo(REPO).issues):>7,} "
                f"{span(clock.now() - started):>7} {result.reads + result.writes:>8} "
                f"{remaining:>5} {time.perf_counter() - wall:>5.1f}s  {reason}"
            )
            if run_number > 20:
                print("more than 20 runs: giving up", file=sys.stderr)
                return 1
        counts = Counter(find_marker(i.body or "") for i in emu.repo(REPO).issues)
        refused = [r for r in emu.log if r.status in (403, 429) and r.path != "/user"]
        print(
            f"\n{len(emu.repo(REPO).issues):,} issues for {args.ais:,} AIs after {run_number} "
            f"runs; {sum(1 for c in counts.values() if c > 1)} AIs with more than one issue; "
            f"{len(refused)} requests refused by GitHub's limits"
        )
        ok = len(emu.repo(REPO).issues) == args.ais and set(counts.values()) == {1}
        return 0 if ok and not refused else 1
    finally:
        emu.stop()


if __name__ == "__main__":
    raise SystemExit(main())
