"""Times calls across the grader/learner boundary.

Prints the round-trip time of one plain call (median over 10,000, in a real
`kata check` run of a tiny kata) and how the wall time of `kata check` grows with
the number of calls a suite makes. Machines are noisy: read the numbers as ratios
measured in this one run.

    python bench/boundary_speed.py [--calls 10000] [--sandbox auto]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "catalog"

ROUND_TRIPS = '''
import time
import pytest
from adder import add

pytestmark = pytest.mark.add


def test_round_trips():
    for _ in range(100):
        add(1, 2)  # warm up
    times = []
    for i in range({calls}):
        began = time.perf_counter()
        add(i, 1)
        times.append(time.perf_counter() - began)
    times.sort()
    assert False, "RESULT " + str([times[len(times) // 2], times[len(times) * 9 // 10]])
'''

MANY_CALLS = '''
import pytest
from adder import add

pytestmark = pytest.mark.add


def test_many_calls():
    for i in range({calls}):
        assert add(i, 1) == i + 1
'''


def catalog_with(tmp: Path, suite: str) -> Path:
    catalog = tmp / f"catalog-{abs(hash(suite))}"
    shutil.copytree(FIXTURE, catalog)
    hidden = catalog / "katas" / "networking" / "adder" / "tests" / "hidden"
    for path in hidden.glob("test_*.py"):
        path.unlink()
    (hidden / "test_bench.py").write_text(suite, encoding="utf-8")
    toml = hidden.parent.parent / "kata.toml"  # room for 30,000 calls in one test
    toml.write_text(toml.read_text(encoding="utf-8").replace("test = 1\n", "test = 60\n")
                    .replace("total = 8\n", "total = 120\n"), encoding="utf-8")
    return catalog


def check(catalog: Path, workspace: Path, sandbox: str, env: dict) -> tuple[float, dict]:
    began = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "harness", "check", str(workspace),
                           "--format", "json", "--sandbox", sandbox, "--catalog", str(catalog)],
                          env=env, capture_output=True, text=True)
    return time.perf_counter() - began, json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=10_000)
    parser.add_argument("--sandbox", default="auto")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "KATA_HOME": str(tmp / "home")}
        workspace = tmp / "ws"
        subprocess.run([sys.executable, "-m", "harness", "start", "adder", "--catalog",
                        str(FIXTURE), "--dir", str(workspace)], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        shutil.copy(FIXTURE / "solutions" / "adder" / "adder.py", workspace / "adder.py")

        catalog = catalog_with(tmp, ROUND_TRIPS.format(calls=args.calls))
        medians, nineties = [], []
        for _ in range(args.repeat):
            _, result = check(catalog, workspace, args.sandbox, env)
            message = next((t["message"] for t in result["tests"] if "round trips" in t["name"]),
                           json.dumps(result)[:2000])
            if "RESULT " not in message:
                sys.exit(f"the timing test did not report: {message}")
            median, ninety = json.loads(message.split("RESULT ", 1)[1].splitlines()[0])
            medians.append(median)
            nineties.append(ninety)
        print(f"one call, round trip ({args.calls:,} calls, {args.repeat} runs, sandbox "
              f"{args.sandbox}): median {statistics.median(medians) * 1e6:.0f} us, "
              f"90th percentile {statistics.median(nineties) * 1e6:.0f} us")

        walls = {}
        for calls in (0, 1_000, 10_000, 30_000):
            catalog = catalog_with(tmp, MANY_CALLS.format(calls=calls))
            walls[calls] = statistics.median(
                check(catalog, workspace, args.sandbox, env)[0] for _ in range(args.repeat))
        base = walls[0]
        print("kata check wall time by calls the suite makes (median of "
              f"{args.repeat}):")
        for calls, wall in walls.items():
            extra = (wall - base) / calls * 1e6 if calls else 0.0
            print(f"  {calls:>6,} calls: {wall:.3f} s ({wall / base:.2f}x the empty suite; "
                  f"{extra:.0f} us per call)")


if __name__ == "__main__":
    main()
