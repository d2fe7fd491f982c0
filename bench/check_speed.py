"""Times `kata check` on the reference solution against a bare pytest run of the same suite.

Both are started as fresh processes, interleaved, repeated; the script prints the
median of each and their ratio. Machines are noisy: only the ratio means something.

    python bench/check_speed.py [--kata load-balancer] [--repeat 15]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness.catalog import Catalog  # noqa: E402


def timed(command: list[str], env: dict[str, str], cwd: Path) -> float:
    began = time.perf_counter()
    subprocess.run(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kata", default="load-balancer")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    kata = Catalog().get(args.kata)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "KATA_HOME": str(tmp_path / "home")}
        workspace = tmp_path / "ws"
        subprocess.run([sys.executable, "-m", "harness", "start", kata.slug, "--dir",
                        str(workspace)], env=env, check=True, stdout=subprocess.DEVNULL)
        for name in kata.files:
            shutil.copy(kata.solution_path / name, workspace / name)
        kata_cmd = [sys.executable, "-m", "harness", "check", str(workspace)]
        bare_env = {**os.environ, "PYTHONPATH": str(workspace)}
        bare_cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                    "--import-mode=importlib", "-W", "ignore::pytest.PytestUnknownMarkWarning",
                    "-c", os.devnull,
                    str(kata.visible_dir), str(kata.hidden_dir)]
        check = subprocess.run(kata_cmd, env=env, capture_output=True, text=True)
        bare = subprocess.run(bare_cmd, env=bare_env, cwd=tmp_path, capture_output=True,
                              text=True)
        if check.returncode != 0:
            sys.exit(f"the reference does not pass:\n{check.stdout}")
        if bare.returncode != 0:  # the tests that need a grading run (learner_process) fail
            print("bare pytest, tests that need the harness:",
                  bare.stdout.strip().splitlines()[-1])
        # The same pytest without the plugins installed on this machine, as the harness
        # runs it: the fairer baseline where many plugins are installed.
        lean_env = {**bare_env, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
        lean_cmd = [*bare_cmd, "-p", "pytest_timeout"]
        times: dict[str, list[float]] = {"kata": [], "bare": [], "lean": []}
        for _ in range(args.repeat):
            times["kata"].append(timed(kata_cmd, env, tmp_path))
            times["bare"].append(timed(bare_cmd, bare_env, tmp_path))
            times["lean"].append(timed(lean_cmd, lean_env, tmp_path))
    medians = {name: statistics.median(values) for name, values in times.items()}
    print(f"kata: {kata.slug}, {args.repeat} runs each, interleaved")
    for name, label in (("kata", "kata check"), ("bare", "bare pytest"),
                        ("lean", "bare pytest, no plugin autoload")):
        values = times[name]
        print(f"{label:32s} median {medians[name]:.3f} s (min {min(values):.3f}, "
              f"max {max(values):.3f})")
    print(f"ratio kata check / bare pytest: {medians['kata'] / medians['bare']:.2f} "
          "(target <= 1.30)")
    print(f"ratio kata check / bare pytest without plugin autoload: "
          f"{medians['kata'] / medians['lean']:.2f}")


if __name__ == "__main__":
    main()
