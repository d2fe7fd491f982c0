"""Shared fixtures: the tiny fixture catalog, a way to run the real `kata` command, and the
run-wide lock that lets a test which loads the machine run alone under pytest-xdist."""

from __future__ import annotations

import contextlib
import fcntl
import multiprocessing
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_CATALOG = ROOT / "tests" / "fixtures" / "catalog"


def mutant_names(slug: str = "adder", root: Path = FIXTURE_CATALOG) -> list[str]:
    """The names of a kata's known-wrong versions, as mutants.toml lists them."""
    from harness import mutants
    from harness.catalog import Catalog

    return [m.name for m in mutants.load(Catalog(root).get(slug)).mutants]


def mutant_file(name: str, folder: Path, slug: str = "adder", root: Path = FIXTURE_CATALOG) -> Path:
    """Writes a kata's files into `folder` as the mutant `name` has them; returns the one it
    changes (copy it into a workspace to hand the mutant in)."""
    from harness import mutants
    from harness.catalog import Catalog

    kata = Catalog(root).get(slug)
    mutant = mutants.load(kata).get(name)
    return mutants.materialise(kata, mutant, folder)[mutant.file]


@pytest.fixture(autouse=True)
def kata_home(tmp_path_factory, monkeypatch):
    """Keeps every test's progress away from the real user data directory."""
    home = tmp_path_factory.mktemp("kata-home")
    monkeypatch.setenv("KATA_HOME", str(home))
    monkeypatch.delenv("KATA_CATALOG", raising=False)
    return home


@pytest.fixture
def kata(kata_home):
    """Runs the real command line in a subprocess: kata(*args, cwd=...) -> CompletedProcess."""

    def run(*args: str, cwd: Path | None = None, timeout: float = 120,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        full_env = {**os.environ, "KATA_HOME": str(kata_home), "NO_COLOR": "1",
                    "PYTHONPATH": str(ROOT), **(env or {})}
        return subprocess.run([sys.executable, "-m", "harness", *args], cwd=cwd or ROOT,
                              env=full_env, capture_output=True, text=True, timeout=timeout)

    return run


def _burn() -> None:
    os.setsid()  # a session of its own: the scheduler's autogroups share cores by session
    while True:
        pass


@pytest.fixture(scope="session")
def _run_lock_files(tmp_path_factory) -> tuple[Path, Path]:
    """Two files shared by every xdist worker of this run, and by no other run."""
    base = tmp_path_factory.getbasetemp()
    # under xdist each worker's base (popen-gwN) sits in the run's own folder
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    return shared / "run.lock", shared / "run.turnstile"


@contextlib.contextmanager
def _locked(path: Path, mode: int):
    with open(path, "a") as handle:
        fcntl.flock(handle, mode)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.fixture(autouse=True)
def _beside_others(request, _run_lock_files):
    """Every test holds the run's lock shared; a test that needs the machine to itself
    (`alone`) holds it exclusively. Passing the turnstile first means a waiting `alone`
    test is not starved by the other workers taking the shared lock back to back."""
    lock, turnstile = _run_lock_files
    if "alone" in request.fixturenames:
        yield  # `alone` takes the lock itself
        return
    with _locked(turnstile, fcntl.LOCK_EX):
        pass
    with _locked(lock, fcntl.LOCK_SH):
        yield


@pytest.fixture
def alone(_run_lock_files):
    """No other test of this run goes on meanwhile (other xdist workers wait)."""
    lock, turnstile = _run_lock_files
    with _locked(turnstile, fcntl.LOCK_EX), _locked(lock, fcntl.LOCK_EX):
        yield


@pytest.fixture
def loaded_machine(alone):
    """Every core taken three times over by other work, for as long as the test runs. It
    runs alone: the burners would otherwise load the tests beside it as well, and its own
    load would be more than it says."""
    burners = [multiprocessing.Process(target=_burn, daemon=True)
               for _ in range(3 * (os.cpu_count() or 1))]
    for burner in burners:
        burner.start()
    time.sleep(0.3)
    yield
    for burner in burners:
        burner.kill()
        burner.join()


class TimeBudget:
    """How long a run may take: `seconds` on a machine with idle CPU; on one kept busy by
    other work (it was, if less than a third of its CPU time was idle while the run went
    on) deadlines stretch within their backstops, and so does the budget."""

    BUSY_IDLE_SHARE = 1 / 3

    def __init__(self) -> None:
        from harness import busy

        self._busy = busy
        self._before = busy.sample()
        self._began = time.monotonic()

    def idle(self) -> float:
        """The share of the machine's CPU time that was idle since the budget began."""
        after = self._busy.sample()
        ticks = after.total - self._before.total
        return (after.idle - self._before.idle) / ticks if ticks > 0 else 1.0

    def allowed(self, seconds: float) -> float:
        """What `seconds` stretch to, given how busy the machine has been meanwhile."""
        return seconds if self.idle() >= self.BUSY_IDLE_SHARE else seconds * 3 + 30

    def check(self, seconds: float) -> None:
        elapsed = time.monotonic() - self._began
        idle, allowed = self.idle(), self.allowed(seconds)
        assert elapsed <= allowed, (f"took {elapsed:.1f} s (allowed {allowed:g} s; the "
                                    f"machine's CPU was {idle:.0%} idle meanwhile)")


# The slowest tests start first, so that under pytest-xdist no worker is left running one of
# them alone at the end while the others have finished.
SLOW_FIRST = ("test_shipped_katas.py", "test_attacks.py", "test_compare.py", "test_queue.py")


def pytest_collection_modifyitems(items):
    def rank(item) -> int:
        name = item.path.name
        return SLOW_FIRST.index(name) if name in SLOW_FIRST else len(SLOW_FIRST)

    items.sort(key=rank)  # stable: the order within each rank stays
