"""Attacks on grading: each must end non-passing, in time, changing nothing outside its run.

Every attack runs with and without bubblewrap. The closing note of the isolation
issue lists them; docs/security.md says what is defended and how.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from conftest import FIXTURE_CATALOG
from harness.sandbox import bwrap_works

ATTACKS = Path(__file__).parent / "attacks"
NAMES = sorted(p.name for p in ATTACKS.iterdir() if (p / "expected.json").is_file())
SENTINEL = Path("/tmp/kata-attack-sentinel")


def _modes() -> list:
    modes = ["none"]
    if bwrap_works():
        modes.append("bwrap")
    elif os.environ.get("CI"):
        modes.append(pytest.param("bwrap", marks=pytest.mark.xfail(
            reason="CI installs bubblewrap; it must work there", strict=True)))
    return modes


def _leftovers() -> set[int]:
    """Processes a run may have left behind: its child, or what an attack started."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if b"harness import _child" in command or command.startswith(b"sleep\x00600"):
            found.add(int(entry.name))
    return found


def _settled_leftovers(before: set[int], grace: float = 3.0) -> set[int]:
    """Leftovers that are still there after a grace period: a run's own children are killed
    with its process group at once; anything that lingers was left behind."""
    deadline = time.monotonic() + grace
    while True:
        left = _leftovers() - before
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.2)


def _snapshot(folder: Path) -> dict[str, bytes]:
    """The files of a folder; `.kata/` is the harness's own record of checks, left out."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*")
            if p.is_file() and ".kata" not in p.relative_to(folder).parts}


@pytest.mark.parametrize("mode", _modes())
@pytest.mark.parametrize("name", NAMES)
def test_attack_does_not_pass(kata, tmp_path, name, mode):
    expected = json.loads((ATTACKS / name / "expected.json").read_text())
    workspace = tmp_path / "ws"
    assert kata("start", "adder", "--catalog", str(FIXTURE_CATALOG), "--dir",
                str(workspace)).returncode == 0
    for source in (ATTACKS / name).iterdir():
        if source.name != "expected.json":
            shutil.copy(source, workspace / source.name)
    shutil.rmtree(SENTINEL, ignore_errors=True)
    SENTINEL.mkdir()
    (SENTINEL / "keep.txt").write_text("must survive")
    before_ws, before_sentinel = _snapshot(workspace), _snapshot(SENTINEL)
    before_pids = _leftovers()

    began = time.monotonic()
    done = kata("check", str(workspace), "--format", "json", "--sandbox", mode)
    elapsed = time.monotonic() - began

    assert done.returncode == 1, (done.stdout[-2000:], done.stderr[-2000:])
    result = json.loads(done.stdout)
    assert result["status"] == expected["status"], result.get("message") or [
        (t["name"], t["status"], t["message"][:200]) for t in result["tests"]]
    assert result["score"] < result["max_score"]
    if expected.get("integrity"):
        assert result["message"].startswith("grading integrity check failed"), result["message"]
    assert elapsed <= expected.get("max_seconds", 15), f"took {elapsed:.1f} s"
    assert len(done.stdout) <= expected.get("max_json_bytes", 100_000)
    assert _snapshot(workspace) == before_ws, "the learner's files changed"
    assert _snapshot(SENTINEL) == before_sentinel, "files outside the run changed"
    assert not Path("/tmp/results.json").exists()
    assert _settled_leftovers(before_pids) == set(), "processes were left behind"
    shutil.rmtree(SENTINEL, ignore_errors=True)
