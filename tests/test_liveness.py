"""Commands show that they are working on a terminal, and only there: a spinner with the
time spent during `kata check` and `kata verify`, and verify's checks as they finish; none
when the output is piped or JSON."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

from conftest import FIXTURE_CATALOG, ROOT

CAT = ("--catalog", str(FIXTURE_CATALOG))
SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


def _in_terminal(args: tuple[str, ...], cwd: Path, kata_home: Path, timeout: float = 600) -> str:
    """Runs the real command with a pseudo-terminal as its standard streams; returns all it
    wrote there."""
    env = {**os.environ, "KATA_HOME": str(kata_home), "PYTHONPATH": str(ROOT),
           "NO_COLOR": "1"}
    leader, follower = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "harness", *args], cwd=cwd, env=env,
                               stdin=follower, stdout=follower, stderr=follower)
    os.close(follower)
    chunks = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 1.0)
            if not ready:
                if process.poll() is not None:
                    break
                continue
            try:
                data = os.read(leader, 65536)
            except OSError:  # the command has ended and closed the terminal
                break
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(leader)
        process.kill()
        process.wait()
    return b"".join(chunks).decode("utf-8", "replace")


def test_check_shows_a_spinner_on_a_terminal_and_nothing_when_piped(kata, tmp_path,
                                                                      kata_home):
    assert kata("start", "adder", *CAT, "--dir", str(tmp_path / "ws")).returncode == 0
    shown = _in_terminal(("check",), tmp_path / "ws", kata_home)
    assert "checking adder.py with the tests of adder" in shown, shown
    assert any(frame in shown for frame in SPINNER), shown
    assert "Score 0.00/10" in shown
    piped = kata("check", cwd=tmp_path / "ws")
    assert piped.returncode == 1
    assert "checking" not in piped.stdout + piped.stderr
    assert not any(frame in piped.stdout + piped.stderr for frame in SPINNER)
    as_json = _in_terminal(("check", "--format", "json"), tmp_path / "ws", kata_home)
    assert as_json.lstrip().startswith("{") and "checking" not in as_json, as_json


def test_verify_prints_each_check_as_it_finishes_on_a_terminal(kata, tmp_path, kata_home):
    shown = _in_terminal(("verify", "adder", "--repeat", "1", *CAT), tmp_path, kata_home)
    assert "verifying adder" in shown and any(frame in shown for frame in SPINNER), shown
    live, _, report = shown.partition("adder: ok")
    assert report, shown  # the report at the end, as when piped
    for name in ("stub fails", "reference passes", "mutants fail", "coverage"):
        assert f"✓ {name}:" in live, (name, shown)  # each check, before the report
    piped = kata("verify", "adder", "--repeat", "1", *CAT)
    assert piped.returncode == 0 and "verifying adder" not in piped.stdout + piped.stderr
    assert piped.stdout.startswith("adder: ok"), piped.stdout
