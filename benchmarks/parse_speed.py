"""Parse speed on a generated archive of 1,000 meetings: prints MB/s (goal: >= 5 MB/s).

    python -m benchmarks.parse_speed [--meetings N] [--repeat R] [--scale K]

A figure, not a test: machines here are small and noisy, so it reports the best
of R runs and leaves judging to the reader.
"""

from __future__ import annotations

import argparse
import gc
import time

from benchmarks.archive import GROUPS, PEOPLE, generate
from tracker import parse_text
from tracker.cli import COLLECT_EVERY
from tracker.config import parse_config


def main() -> None:
    # Measured as `tracker parse` runs: the CLI sets the collector's threshold for its
    # process (the library leaves it alone).
    gc.set_threshold(COLLECT_EVERY, 20, 20)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meetings", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--scale", type=int, default=1, help="parse K archives in one text (10 MB: --scale 4)"
    )
    args = parser.parse_args()

    text = "\n".join(generate(args.meetings, seed=seed) for seed in range(1, args.scale + 1))
    size = len(text.encode("utf-8"))
    config = parse_config({"people": PEOPLE, "groups": GROUPS}).config
    best = best_cpu = float("inf")
    result = None
    for _ in range(args.repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = parse_text(text, source="archive.txt", config=config)
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - start_cpu)
    assert result is not None
    print(f"input: {size / 1e6:.2f} MB, {text.count(chr(10)) + 1} lines")
    print(
        f"found: {len(result.meetings)} meetings, {len(result.action_items)} action items, "
        f"{sum(1 for ai in result.action_items if ai.blocker)} blocker decisions, "
        f"{len(result.warnings)} warnings"
    )
    print(
        f"best of {args.repeat}: {best:.3f} s wall = {size / 1e6 / best:.2f} MB/s "
        f"({best_cpu:.3f} s CPU = {size / 1e6 / best_cpu:.2f} MB/s)"
    )


if __name__ == "__main__":
    main()
