"""The learner's guard lets a kata that starts processes stop its own children (a `with
multiprocessing.Pool()` block terminates its workers on every exit) and nothing else."""

import os
import subprocess
import sys

import pytest

from harness.learner.guard import Guard


def guard(tmp_path, allow_processes):
    return Guard(str(tmp_path), str(tmp_path), [], allow_processes, report=lambda text: None)


@pytest.fixture
def child():
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    yield process.pid
    process.kill()
    process.wait(10)


def test_a_kata_with_processes_may_signal_its_own_children(tmp_path, child):
    guard(tmp_path, True)("os.kill", (child, 15))
    guard(tmp_path, True)("os.kill", (os.getpid(), 0))


def test_other_processes_stay_out_of_reach(tmp_path, child):
    with pytest.raises(PermissionError, match="signalling another process"):
        guard(tmp_path, True)("os.kill", (os.getppid(), 15))
    with pytest.raises(PermissionError, match="signalling another process"):
        guard(tmp_path, False)("os.kill", (child, 15))
    with pytest.raises(PermissionError, match="signalling another process"):
        guard(tmp_path, True)("os.killpg", (os.getpgid(child), 15))
    with pytest.raises(PermissionError, match="signalling another process"):
        guard(tmp_path, True)("os.kill", (-1, 15))
