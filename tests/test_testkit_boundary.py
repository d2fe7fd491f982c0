"""The pieces of harness.testkit, each driven through a real boundary: `kata check` of the
fixture kata `pieces` (tests/fixtures/pieces), whose hidden suite uses every piece on
learner code that blocks, spins, maps in processes, deadlocks and imports sneakily.
Each hidden test states what its piece must see; here, each must pass."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PIECES = ROOT / "tests" / "fixtures" / "pieces"
HIDDEN = PIECES / "katas" / "concurrency" / "pieces" / "tests" / "hidden" / "test_pieces.py"


def _hidden_names() -> list[str]:
    names: list[str] = []
    values: list[str] = []
    for line in HIDDEN.read_text().splitlines():
        if line.startswith("@pytest.mark.parametrize("):
            values = line[line.index("[") + 1:line.index("]")].replace('"', "").split(", ")
        elif line.startswith("def test_"):
            name = line[4:line.index("(")]
            names += [f"{name}[{v}]" for v in values] if values else [name]
            values = []
    return names


@pytest.fixture(scope="module")
def checked(tmp_path_factory) -> dict[str, dict]:
    """One `kata check` of the fixture's solution: its tests by name."""
    base = tmp_path_factory.mktemp("pieces")
    env = {**os.environ, "KATA_HOME": str(base / "home"), "NO_COLOR": "1",
           "PYTHONPATH": str(ROOT)}
    env.pop("KATA_CATALOG", None)

    def kata(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "harness", *args, "--catalog", str(PIECES)],
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)

    started = kata("start", "pieces", "--dir", str(base / "ws"))
    assert started.returncode == 0, started.stderr
    for name in ("pieces.py", "sneaky.py"):
        shutil.copy(PIECES / "solutions" / "pieces" / name, base / "ws")
    done = kata("check", str(base / "ws"), "--format", "json")
    try:
        tests = json.loads(done.stdout)["tests"]
    except (ValueError, KeyError):
        pytest.fail(f"kata check gave no report: {done.stdout[-2000:]} {done.stderr[-2000:]}")
    return {t["id"].rpartition("::")[2]: t for t in tests}


@pytest.mark.parametrize("name", _hidden_names())
def test_each_piece_sees_what_the_learner_code_does(checked, name):
    test = checked.get(name)
    assert test is not None, f"{name} did not run: {sorted(checked)}"
    assert test["status"] == "pass", test.get("message")
