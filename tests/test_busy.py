"""A busy machine never changes a verdict: a deadline is extended only while the machine has
no idle CPU and the learner's process still runs; a hang still ends, by the backstop."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from conftest import FIXTURE_CATALOG
from harness import busy

CAT = ("--catalog", str(FIXTURE_CATALOG))

# add() needs 0.6 s of CPU (the fixture's limit is 1 s a test): on a machine whose cores are
# all taken it needs more than 1 s of wall time, and must still pass.
SLOW_BUT_CORRECT = '''
import time


def add(a, b):
    began = time.process_time()
    while time.process_time() - began < 0.6:
        pass
    return a + b


def sub(a, b):
    return a - b
'''

HANGS = '''
def add(a, b):
    while True:
        pass


def sub(a, b):
    return a - b
'''


def test_starved_needs_a_busy_machine_and_a_running_program():
    def at(idle: int, total: int, cpu: int | None) -> busy.Sample:
        return busy.Sample(idle, total, cpu)

    assert busy.starved(at(0, 0, 10), at(5, 100, 30))  # 5% idle, the program ran
    assert not busy.starved(at(0, 0, 10), at(50, 100, 30))  # half idle: it had its chance
    assert not busy.starved(at(0, 0, 10), at(5, 100, 10))  # busy, but blocked: it waits
    assert busy.starved(at(0, 0, None), at(5, 100, None))  # its CPU unknown: the machine says
    assert not busy.starved(at(-1, 0, 10), at(-1, 0, 30))  # no counters: no extension
    # `least`: a blocked program's housekeeping (a tick now and then) is not running
    assert not busy.starved(at(0, 0, 10), at(5, 100, 11), least=3)
    assert busy.starved(at(0, 0, 10), at(5, 100, 13), least=3)


def test_patience_ends_at_the_backstop():
    patience = busy.Patience.of(0.05)
    began = time.monotonic()
    while patience.extend():  # always "busy": a program whose CPU is unknown
        time.sleep(patience.remaining())
    assert time.monotonic() - began <= busy.backstop(0.05) + busy.PROBE + 1


def _busy_machine(monkeypatch) -> None:
    """/proc/stat as a machine with no idle CPU at all: every sample a second later."""
    ticks = iter(range(0, 10**9, 100))
    monkeypatch.setattr(busy, "_machine", lambda: (0, next(ticks)))


def test_a_loop_starved_by_the_machine_gets_the_limit_in_cpu_again_not_more(monkeypatch):
    _busy_machine(monkeypatch)
    used = iter(range(0, 10**6, 10))  # 0.1 s of CPU between two looks: a loop, given a slice
    patience = busy.Patience(time.monotonic(), 1.0, cpu=lambda: next(used))
    extensions = 0
    while patience.extend():
        extensions += 1
    # the first look at the deadline, then 0.1 s of CPU per look until 1 s (the limit) is spent
    assert extensions == busy.TICKS // 10, extensions


def test_a_starved_program_that_gets_no_cpu_budget_is_waited_for_to_the_backstop(monkeypatch):
    _busy_machine(monkeypatch)
    used = iter(range(0, 10**6, 1))  # a tick now and then: starved, nowhere near the limit
    patience = busy.Patience(time.monotonic() - busy.backstop(0.5) + 0.3, 0.5,
                             cpu=lambda: next(used))
    while patience.extend():
        time.sleep(patience.remaining())
    assert time.monotonic() >= patience.backstop  # ended by the backstop, not the budget


def _check(kata, tmp_path: Path, source: str) -> tuple[dict, float]:
    ws = tmp_path / "ws"
    assert kata("start", "adder", *CAT, "--dir", str(ws)).returncode == 0
    (ws / "adder.py").write_text(source, encoding="utf-8")
    began = time.monotonic()
    done = kata("check", str(ws), "--format", "json", timeout=300)
    return json.loads(done.stdout), time.monotonic() - began


@pytest.mark.skipif(not Path("/proc/stat").is_file(), reason="needs Linux's CPU counters")
def test_slow_but_correct_code_passes_on_a_loaded_machine(kata, tmp_path, loaded_machine):
    result, _ = _check(kata, tmp_path, SLOW_BUT_CORRECT)
    add_tests = [t for t in result["tests"] if t["name"].startswith("add")]
    assert add_tests and all(t["status"] == "pass" for t in add_tests), [
        (t["name"], t["status"], t["message"][:200]) for t in add_tests]


@pytest.mark.skipif(not Path("/proc/stat").is_file(), reason="needs Linux's CPU counters")
def test_a_hang_still_fails_on_a_loaded_machine(kata, tmp_path, loaded_machine):
    result, elapsed = _check(kata, tmp_path, HANGS)
    add_tests = [t for t in result["tests"] if t["name"].startswith("add")]
    assert add_tests and all(t["status"] == "fail" for t in add_tests)
    assert "did not return within 1 s" in add_tests[0]["message"]
    subtract = [t for t in result["tests"] if t["name"].startswith("subtract")]
    assert subtract and all(t["status"] == "pass" for t in subtract)
    assert elapsed < 120
