"""What a run leaves behind is killed: a daemon in a session of its own is re-parented to the
harness and swept; what the harness runs itself in passing is left alone."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from harness import strays

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")

# A run's process, in a session of its own as the runner starts them, that starts a daemon
# in yet another session and ends at once: the daemon is nobody's child then.
DAEMON = """
import os, sys, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        sys.stdout.write(str(os.getpid()) + "\\n"); sys.stdout.flush()
        time.sleep(60)
    os._exit(0)
os.wait()
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            return handle.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except OSError:
        return False


def test_a_daemon_left_by_a_run_is_killed_by_the_sweep():
    with strays.started([sys.executable, "-c", DAEMON], stdout=subprocess.PIPE, text=True,
                        start_new_session=True) as run:
        daemon = int(run.stdout.readline())
        run.wait(10)
        run.stdout.close()
    assert _alive(daemon)
    deadline = time.monotonic() + 5
    while _alive(daemon) and time.monotonic() < deadline:
        strays.sweep()
    assert not _alive(daemon), "the daemon outlived the sweep"


def test_what_the_harness_runs_in_its_own_group_is_left_alone():
    strays.start([sys.executable, "-c", "pass"]).wait()  # this process is a subreaper now
    finished = []
    runner = threading.Thread(target=lambda: finished.append(
        subprocess.run([sys.executable, "-c", "import time; time.sleep(1)"]).returncode))
    runner.start()
    time.sleep(0.3)
    strays.sweep()
    runner.join(10)
    assert finished == [0]


def test_run_folders_of_a_killed_harness_are_removed_by_the_next_run(kata, tmp_path):
    from conftest import FIXTURE_CATALOG

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    abandoned = Path(tempfile.gettempdir()) / f"kata-run-{gone.pid}-abandoned"
    (abandoned / "suite").mkdir(parents=True)
    (abandoned / "suite" / "test_hidden.py").write_text("SECRET = 1\n")
    alive = Path(tempfile.gettempdir()) / f"kata-run-{os.getpid()}-mine"
    alive.mkdir()
    try:
        ws = tmp_path / "ws"
        assert kata("start", "adder", "--catalog", str(FIXTURE_CATALOG), "--dir",
                    str(ws)).returncode == 0
        assert kata("check", str(ws)).returncode == 1
        assert not abandoned.exists()
        assert alive.exists()  # this process lives: its folder is its own
    finally:
        shutil.rmtree(abandoned, ignore_errors=True)
        shutil.rmtree(alive, ignore_errors=True)


def test_a_terminated_check_removes_its_run_folder(kata_home, tmp_path):
    from conftest import FIXTURE_CATALOG, ROOT

    ws = tmp_path / "ws"
    env = {**os.environ, "KATA_HOME": str(kata_home), "PYTHONPATH": str(ROOT),
           "TMPDIR": str(tmp_path / "tmp")}
    (tmp_path / "tmp").mkdir()
    subprocess.run([sys.executable, "-m", "harness", "start", "adder", "--catalog",
                    str(FIXTURE_CATALOG), "--dir", str(ws)], env=env, check=True,
                   capture_output=True)
    (ws / "adder.py").write_text("def add(a, b):\n    while True:\n        pass\n\n"
                                 "def sub(a, b):\n    return a - b\n")
    check = subprocess.Popen([sys.executable, "-m", "harness", "check", str(ws)], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while not list((tmp_path / "tmp").glob("kata-run-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list((tmp_path / "tmp").glob("kata-run-*")), "the check never started a run"
    check.terminate()
    assert check.wait(30) == 143
    assert list((tmp_path / "tmp").glob("kata-run-*")) == []
