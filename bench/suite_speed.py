"""Times each kata's hidden suite on its reference: the budget is 5 s (median) a kata.

Every kata of the catalog (or those named) has its reference graded `--repeat` times, one
run at a time, as `kata verify` grades it (the learner's process, the sandbox, the kata's
first database); the script prints each kata's median, fastest and slowest run time and
marks a median over the budget. The runs of all katas are interleaved, round by round, so
a burst of load elsewhere falls on every kata alike. Run it on a quiet machine: the budget
is for this machine's quiet time, and a loaded machine stretches every run.

    python bench/suite_speed.py [SLUG ...] [--repeat 5] [--budget 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness import batch, databases, verify  # noqa: E402
from harness.catalog import Catalog  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("slugs", nargs="*", help="katas to time (default: every kata)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--budget", type=float, default=5.0, help="seconds, median a kata")
    args = parser.parse_args()
    catalog = Catalog()
    katas = [catalog.get(slug) for slug in args.slugs] if args.slugs else list(catalog.all())
    times: dict[str, list[float]] = {kata.slug: [] for kata in katas}
    failed: dict[str, str] = {}
    for _ in range(args.repeat):
        for kata in katas:
            [result] = batch.grade_batch(kata, [verify.reference_for(kata)], jobs=1,
                                         env=databases.run_env(kata, None))
            times[kata.slug].append(result.duration)
            if not result.passed:
                failed[kata.slug] = result.message or "a test failed"
    over = 0
    print(f"{'kata':<24} {'median':>7} {'fastest':>8} {'slowest':>8}  ({args.repeat} runs)")
    for kata in sorted(katas, key=lambda k: -statistics.median(times[k.slug])):
        runs = times[kata.slug]
        median = statistics.median(runs)
        mark = ""
        if median > args.budget:
            over += 1
            mark = f"  over the {args.budget:g}-s budget"
        if kata.slug in failed:
            mark += f"  FAILED: {failed[kata.slug]}"
        print(f"{kata.slug:<24} {median:7.2f} {min(runs):8.2f} {max(runs):8.2f}{mark}")
    total = sum(statistics.median(runs) for runs in times.values())
    print(f"{len(katas)} katas, {over} over budget; the medians add up to {total:.1f} s")


if __name__ == "__main__":
    main()
