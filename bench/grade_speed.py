"""Times `kata grade --jobs 2` on a class against a naive loop of one pytest per submission.

The class is a mix of the reference and the mutants of a kata, copied N times.
Both verdicts are compared submission by submission (pass/fail must agree), and
the ratio of wall times is printed for each class size. Machines are noisy: only
the ratio means something.

    python bench/grade_speed.py [--kata load-balancer] [--sizes 10,100,400] [--jobs 2]
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
from pathlib import Path

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
    subprocess.run([sys.executable, "-m", "harness", "grade", kata.slug, "--each", str(folder),
                    "--out", str(out), "--jobs", str(jobs), "--format", "json", *extra],
                   env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - began
    verdicts = {}
    for path in (out / "results").glob("*.json"):
        result = json.loads(path.read_text())
        verdicts[result["submission"]] = result["status"] == "pass"
    return elapsed, verdicts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kata", default="load-balancer")
    parser.add_argument("--catalog", default=None)
    parser.add_argument("--sizes", default="10,100,400")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--sandbox", default="auto")
    parser.add_argument("--naive-max", type=int, default=100,
                        help="Larger classes time kata grade only (the naive loop takes long).")
    args = parser.parse_args()
    kata = Catalog(args.catalog).get(args.kata)
    extra = ["--sandbox", args.sandbox] + (["--catalog", args.catalog] if args.catalog else [])
    print(f"kata {kata.slug}: kata grade --jobs {args.jobs} --sandbox {args.sandbox} "
          "vs one `python -m pytest` per submission")
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            folder, out = Path(tmp) / "class", Path(tmp) / "out"
            expected = make_class(kata, folder, size)
            grade_time, grade_verdicts = graded(kata, folder, out, args.jobs, extra)
            if size > args.naive_max:
                same = grade_verdicts == expected
                print(f"{size:5d} submissions: kata grade {grade_time:7.2f} s "
                      f"({grade_time / size * 1000:.0f} ms per submission) | naive loop not run | "
                      f"verdicts {'as expected' if same else 'DIFFER'}")
                continue
            naive_time, naive_verdicts = naive(kata, folder, autoload=True)
            lean_time, lean_verdicts = naive(kata, folder, autoload=False)
        # A bare pytest cannot run the tests that need a grading run (learner_process):
        # there the reference fails; kata grade must match the expected verdicts exactly.
        same = grade_verdicts == expected
        naive_same = {n for n in expected if naive_verdicts.get(n) != grade_verdicts.get(n)
                      or lean_verdicts.get(n) != grade_verdicts.get(n)}
        print(f"{size:5d} submissions: kata grade {grade_time:7.2f} s | naive loop "
              f"{naive_time:7.2f} s ({naive_time / grade_time:5.2f}x) | naive without plugin "
              f"autoload {lean_time:7.2f} s ({lean_time / grade_time:5.2f}x) | kata grade's "
              f"verdicts {'as expected' if same else 'DIFFER'}; the naive loops differ on "
              f"{len(naive_same)} (references: tests that need the harness)")
        if not same:
            differ = [f"{n} (expected {expected[n]}, grade {grade_verdicts.get(n)})"
                      for n in expected if expected[n] != grade_verdicts.get(n)]
            print("   differing:", ", ".join(differ[:10]))


if __name__ == "__main__":
    main()
