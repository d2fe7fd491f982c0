"""Times `kata grade --jobs 2` on a class against a naive loop of one pytest per submission.

The class is a mix of the reference and the mutants of a kata, copied N times.
kata grade's verdicts must be the expected ones. Two ratios are printed for each
class size, each measured in the same run: the naive loop's wall time over kata
grade's (how much faster a class is graded), and kata grade's worker time per
submission (jobs x wall / N) over the suite's own test time (the sum of the call
times of a lean pytest on the reference, calls in-process: what grading costs beyond
the tests), and over the test time kata grade itself recorded (calls across the
boundary to the learner's process: what a run costs beyond its tests).
Machines are noisy: only the ratios mean something.

With `--broker URL`, the same class is graded instead by the local pool (`--jobs`), by one
`kata worker` and by two (each `--concurrency` of `--jobs`), all on this machine and in one
run: submissions per second of each, and the queue's overhead per submission (worker time
per submission on the queue, less the local pool's). Workers start, and are ready, before
the clock starts; their graders are prepared on their first task, as the pool's are.

    python bench/grade_speed.py [--kata load-balancer] [--sizes 10,100,400] [--jobs 2]
    python bench/grade_speed.py --broker redis://127.0.0.1:6379/0 --sizes 200
    python bench/grade_speed.py --broker amqp://guest:guest@127.0.0.1:5672// \
        --backend redis://127.0.0.1:6379/0 --sizes 200
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness import mutants  # noqa: E402
from harness.catalog import Catalog  # noqa: E402


def make_class(kata, folder: Path, size: int) -> dict[str, bool]:
    """Writes `size` submissions cycling over the reference and the mutants; returns the
    verdict each should get (True: passes)."""
    versions = [("reference", {n: kata.solution_path / n for n in kata.files}, True)]
    made = folder.parent / f"{folder.name}-mutants"
    versions += [(m.name, mutants.materialise(kata, m, made / m.name), False)
                 for m in mutants.load(kata).mutants]
    expected = {}
    for number in range(size):
        label, files, passes = versions[number % len(versions)]
        name = f"s{number:04d}-{label}"
        (folder / name).mkdir(parents=True)
        for file, source in files.items():
            shutil.copy(source, folder / name / file)
        expected[name] = passes
    return expected


def naive(kata, folder: Path, autoload: bool) -> tuple[float, dict[str, bool]]:
    """One fresh pytest per submission; `autoload` False spares it the installed plugins."""
    verdicts = {}
    began = time.perf_counter()
    for sub in sorted(folder.iterdir()):
        env = {**os.environ, "PYTHONPATH": str(sub)}
        if not autoload:
            env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
             "--import-mode=importlib", "-W", "ignore::pytest.PytestUnknownMarkWarning",
             "-c", os.devnull,
             str(kata.visible_dir), str(kata.hidden_dir)],
            env=env, cwd=sub, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        verdicts[sub.name] = done.returncode == 0
    return time.perf_counter() - began, verdicts


def graded(kata, folder: Path, out: Path, jobs: int, extra: list[str]) -> tuple[float, dict]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KATA_HOME": str(out / "home")}
    began = time.perf_counter()
    pool = ["--jobs", str(jobs)] if jobs else []  # 0: on a queue, its workers' concurrency
    subprocess.run([sys.executable, "-m", "harness", "grade", kata.slug, "--each", str(folder),
                    "--out", str(out), *pool, "--format", "json", *extra],
                   env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - began
    verdicts, test_times = {}, []
    for path in (out / "results").glob("*.json"):
        result = json.loads(path.read_text())
        verdicts[result["submission"]] = result["status"] == "pass"
        test_times.append(sum(t["duration"] for t in result["tests"]))
    graded.test_time = sum(test_times) / len(test_times) if test_times else 0.0
    return elapsed, verdicts


def start_worker(args, queue: str, folder: Path) -> tuple[subprocess.Popen, Path]:
    """A `kata worker` on `queue`, ready to take tasks."""
    log = folder / f"worker-{uuid.uuid4().hex[:6]}.log"
    backend = ["--backend", args.backend] if args.backend else []
    catalog = ["--catalog", args.catalog] if args.catalog else []
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KATA_HOME": str(folder / "home")}
    with open(log, "wb") as out:
        worker = subprocess.Popen(
            [sys.executable, "-m", "harness", "worker", "--broker", args.broker, *backend,
             "--queue", queue, "--concurrency", str(args.jobs), "--sandbox", args.sandbox,
             "--loglevel", "INFO", *catalog],
            env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 120
    while " ready." not in log.read_text(errors="replace"):
        if worker.poll() is not None or time.monotonic() > deadline:
            worker.kill()
            worker.wait()
            raise SystemExit(f"the worker did not start:\n{log.read_text(errors='replace')}")
        time.sleep(0.1)
    return worker, log


def queued(args, kata, folder: Path, out: Path, workers: int) -> tuple[float, dict]:
    """Grades the class on `workers` fresh workers of a queue of its own."""
    queue = f"kata-bench-{uuid.uuid4().hex[:8]}"
    started: list[tuple[subprocess.Popen, Path]] = []
    try:
        for _ in range(workers):
            started.append(start_worker(args, queue, out.parent))
        backend = ["--backend", args.backend] if args.backend else []
        return graded(kata, folder, out, 0, ["--broker", args.broker, *backend,
                                            "--queue", queue, *(
                                                ["--catalog", args.catalog]
                                                if args.catalog else [])])
    finally:
        for worker, _log in started:
            worker.terminate()
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
        from kombu import Connection  # the queue and its exchange outlive it on RabbitMQ

        with Connection(args.broker, connect_timeout=5) as connection:
            connection.default_channel.queue_delete(queue)
            connection.default_channel.exchange_delete(queue)


def compare_queue(args, kata, extra: list[str]) -> None:
    print(f"kata {kata.slug}: the local pool (--jobs {args.jobs}) against 1 and 2 kata workers "
          f"(--concurrency {args.jobs} each) on {args.broker}, all on this machine "
          f"({os.cpu_count()} cores)")
    for size in (int(s) for s in args.sizes.split(",") if s):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "class"
            expected = make_class(kata, folder, size)
            runs = [("local pool", *graded(kata, folder, Path(tmp) / "local", args.jobs,
                                           extra))]
            for workers in (1, 2):
                runs.append((f"{workers} worker{'s' * (workers > 1)}",
                             *queued(args, kata, folder, Path(tmp) / f"queue-{workers}",
                                     workers)))
        local_time = runs[0][1]
        for label, elapsed, verdicts in runs:
            line = (f"{size:5d} submissions, {label:10s}: {elapsed:7.2f} s, "
                    f"{size / elapsed:6.2f} submissions/s")
            if label != "local pool":
                slots = args.jobs * int(label[0])
                overhead = (slots * elapsed - args.jobs * local_time) / size
                line += (f", worker time per submission {slots * elapsed / size * 1000:.0f} ms "
                         f"(queue overhead {overhead * 1000:+.0f} ms)")
            print(f"{line} | verdicts {'as expected' if verdicts == expected else 'DIFFER'}")
    # The queue's own cost, without grading's noise: submissions that need no run (the
    # kata's files are missing), graded here and by one worker.
    size = args.overhead_size
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "class"
        for number in range(size):
            (folder / f"e{number:04d}").mkdir(parents=True)
            (folder / f"e{number:04d}" / "NOTES.txt").write_text("no kata files here\n")
        local_time, _ = graded(kata, folder, Path(tmp) / "local", args.jobs, extra)
        queue_time, verdicts = queued(args, kata, folder, Path(tmp) / "queue", 1)
    print(f"queue overhead: {size} submissions that need no run, local pool "
          f"{local_time:.2f} s, 1 worker {queue_time:.2f} s: "
          f"{(queue_time - local_time) / size * 1000:+.1f} ms per submission "
          f"({len(verdicts)} results)")


def suite_time(kata, repeat: int = 3) -> float:
    """The suite's own test time: the sum of the call phases of a lean pytest run of the
    reference (median of `repeat` runs)."""
    times = []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            work, report = Path(tmp) / "work", Path(tmp) / "junit.xml"
            work.mkdir()
            shutil.copy(kata.solution_path / kata.files[0], work / kata.files[0])
            env = {**os.environ, "PYTHONPATH": str(work), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
            subprocess.run(
                [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                 "--import-mode=importlib", "-W", "ignore::pytest.PytestUnknownMarkWarning",
                 "-c", os.devnull, "-o", "junit_duration_report=call",
                 f"--junitxml={report}", str(kata.visible_dir), str(kata.hidden_dir)],
                env=env, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            root = ElementTree.parse(report).getroot()
            times.append(sum(float(case.get("time") or 0) for case in root.iter("testcase")))
    return sorted(times)[len(times) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kata", default="load-balancer")
    parser.add_argument("--catalog", default=None)
    parser.add_argument("--sizes", default="10,100,400")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--sandbox", default="auto")
    parser.add_argument("--naive-max", type=int, default=100,
                        help="Larger classes time kata grade only (the naive loop takes long).")
    parser.add_argument("--broker", default=None,
                        help="Compare the local pool with 1 and 2 kata workers on this broker.")
    parser.add_argument("--backend", default=None, help="The Redis for replies (AMQP brokers).")
    parser.add_argument("--overhead-size", type=int, default=300,
                        help="With --broker: submissions timed for the queue's own overhead.")
    args = parser.parse_args()
    kata = Catalog(args.catalog).get(args.kata)
    extra = ["--sandbox", args.sandbox] + (["--catalog", args.catalog] if args.catalog else [])
    if args.broker:
        compare_queue(args, kata, extra)
        return
    own = suite_time(kata)
    print(f"kata {kata.slug}: kata grade --jobs {args.jobs} --sandbox {args.sandbox} "
          "vs one `python -m pytest` per submission")
    print(f"the suite's own test time (sum of call times, lean pytest, reference): "
          f"{own * 1000:.0f} ms")
    for size in (int(s) for s in args.sizes.split(",") if s):
        with tempfile.TemporaryDirectory() as tmp:
            folder, out = Path(tmp) / "class", Path(tmp) / "out"
            expected = make_class(kata, folder, size)
            grade_time, grade_verdicts = graded(kata, folder, out, args.jobs, extra)
            per_submission = args.jobs * grade_time / size
            inside = graded.test_time  # the tests' own time as kata grade ran them
            line = (f"{size:5d} submissions: kata grade {grade_time:7.2f} s, worker time per "
                    f"submission {per_submission * 1000:.0f} ms = {per_submission / own:.2f}x "
                    f"the suite's own test time ({per_submission / inside:.2f}x the "
                    f"{inside * 1000:.0f} ms its tests took across the boundary)")
            same = grade_verdicts == expected
            if size > args.naive_max:
                print(f"{line} | naive loop not run | verdicts "
                      f"{'as expected' if same else 'DIFFER'}")
                continue
            naive_time, naive_verdicts = naive(kata, folder, autoload=True)
            lean_time, lean_verdicts = naive(kata, folder, autoload=False)
        # A bare pytest cannot run the tests that need a grading run (learner_process):
        # there the reference fails; kata grade must match the expected verdicts exactly.
        naive_same = {n for n in expected if naive_verdicts.get(n) != grade_verdicts.get(n)
                      or lean_verdicts.get(n) != grade_verdicts.get(n)}
        print(f"{line} | naive loop {naive_time:7.2f} s ({naive_time / grade_time:5.2f}x) | "
              f"naive without plugin autoload {lean_time:7.2f} s "
              f"({lean_time / grade_time:5.2f}x) | kata grade's verdicts "
              f"{'as expected' if same else 'DIFFER'}; the naive loops differ on "
              f"{len(naive_same)} (references: tests that need the harness)")
        if not same:
            differ = [f"{n} (expected {expected[n]}, grade {grade_verdicts.get(n)})"
                      for n in expected if expected[n] != grade_verdicts.get(n)]
            print("   differing:", ", ".join(differ[:10]))


if __name__ == "__main__":
    main()
