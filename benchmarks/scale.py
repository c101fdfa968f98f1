"""Scale figures for issue 14: a dry run with every AI reworded, the peak memory of a big
first sync, and start-up time.

    python -m benchmarks.scale [--ais 1000 10000] [--skip-startup]

For each size: a first sync of that many AIs against the local GitHub emulator (run in
its own process, so that its memory is not counted; no pacing, no budget), with its peak
Python memory (``tracemalloc``) and the process's peak RSS growth; then a dry run of the
same minutes (every AI unchanged) and one with every AI reworded (each paired with its
issue, so the run would update, not create): the parse and the plan (pairing included)
timed on one listing of the issues, which is timed apart (the emulator pages a listing
in time proportional to all the issues, unlike GitHub). Then ``tracker --help`` against ``python -c 'import
click, yaml'`` (median of 11 runs each). A figure, not a test: the machine is small and
noisy. To compare with another version of tracker, run this file with that version first
on ``PYTHONPATH``.
"""

from __future__ import annotations

import argparse
import datetime
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

REPO = "bench/minutes"
OWNERS = ("alice", "bob", "carol", "dave", "erin")


def serve() -> None:
    """The emulator in this process, for the benchmark in another: prints its URL and token."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from github_emulator import GitHubEmulator

    emu = GitHubEmulator.start()
    emu.add_repo(REPO, collaborators=list(OWNERS))
    emu.check_responses = False
    print(emu.url, emu.user_token("bench", limit=10**9), flush=True)
    sys.stdin.read()  # until the benchmark closes it
    emu.stop()


def archive(ais: int, *, reworded: bool = False, per_meeting: int = 10) -> str:
    lines = ["# Team meeting minutes", ""]
    for n in range(ais):
        if n % per_meeting == 0:
            day = datetime.date(1990, 1, 2) + datetime.timedelta(weeks=n // per_meeting)
            lines += ["", f"## {day.isoformat()}", "", "- Discussion"]
        task = f"write up item {n} of the backlog" + (", then share it" if reworded else "")
        lines.append(f"  - AI: [{OWNERS[n % len(OWNERS)]}] {task}")
    return "\n".join(lines) + "\n"


def measure(ais: int) -> None:
    from tracker import parse
    from tracker.config import Config
    from tracker.github import GitHub
    from tracker.plan import make_plan
    from tracker.settings import Settings
    from tracker.sync import sync

    config = Config(people={login: () for login in OWNERS})
    server = subprocess.Popen(
        [sys.executable, __file__, "serve"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        url, token = server.stdout.readline().split()
        settings = Settings.unpaced(token=token, repo=REPO, api_url=url)
        Path("minutes.md").write_text(archive(ais), encoding="utf-8")
        minutes = parse(["minutes.md"], config=config)
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        tracemalloc.start()
        start = time.perf_counter()
        first = sync(minutes, config=config, settings=settings)
        seconds = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
        created = sum(1 for o in first.outcomes if o.done)
        print(
            f"{ais:>7,} AIs  first sync: {created:,} created in {seconds:.1f} s (under "
            f"tracemalloc); peak Python memory {peak / 2**20:.0f} MiB; peak RSS +"
            f"{rss_growth / 1024:.0f} MiB"
        )
        del first
        github = GitHub(settings, label=config.label)
        start = time.perf_counter()
        snapshot = github.read_snapshot()
        listed = time.perf_counter() - start
        github.close()
        print(f"{ais:>7,} AIs  listing the issues: {listed:.2f} s (mostly the emulator's paging)")
        for label, reworded in (("unchanged", False), ("every AI reworded", True)):
            Path("minutes.md").write_text(archive(ais, reworded=reworded), encoding="utf-8")
            start = time.perf_counter()
            minutes = parse(["minutes.md"], config=config)
            parsed = time.perf_counter() - start
            plan = make_plan(minutes, snapshot, config)
            planned = time.perf_counter() - start - parsed
            kinds = {k: plan.count(k) for k in {a.kind for a in plan.actions}}
            shown = ", ".join(f"{n:,} {k.value}" for k, n in sorted(kinds.items(), key=str))
            print(
                f"{ais:>7,} AIs  dry run, {label:<17}: parse {parsed:.2f} s + plan "
                f"{planned:.2f} s = {parsed + planned:.2f} s: {shown}"
            )
    finally:
        if server.stdin:
            server.stdin.close()
        server.wait(timeout=30)


def startup() -> None:
    def median(command: list[str]) -> float:
        times = []
        for _ in range(11):
            start = time.perf_counter()
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    script = Path(sys.executable).with_name("tracker")  # the console script pip installed
    tracker_help = median([str(script), "--help"])
    baseline = median([sys.executable, "-c", "import click, yaml"])
    print(
        f"start-up: tracker --help {tracker_help * 1000:.0f} ms; python -c 'import click, yaml' "
        f"{baseline * 1000:.0f} ms ({tracker_help / baseline:.2f}x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ais", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--skip-startup", action="store_true")
    args = parser.parse_args()
    os.chdir(tempfile.mkdtemp())
    for ais in args.ais:
        measure(ais)
    if not args.skip_startup:
        startup()


if __name__ == "__main__":
    if sys.argv[1:] == ["serve"]:
        serve()
    else:
        main()
