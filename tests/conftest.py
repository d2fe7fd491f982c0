"""Shared fixtures: the tiny fixture catalog and a way to run the real `kata` command."""

from __future__ import annotations

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


@pytest.fixture
def loaded_machine():
    """Every core taken three times over by other work, for as long as the test runs."""
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

    def check(self, seconds: float) -> None:
        elapsed = time.monotonic() - self._began
        after = self._busy.sample()
        ticks = after.total - self._before.total
        idle = (after.idle - self._before.idle) / ticks if ticks > 0 else 1.0
        allowed = seconds if idle >= self.BUSY_IDLE_SHARE else seconds * 3 + 30
        assert elapsed <= allowed, (f"took {elapsed:.1f} s (allowed {allowed:g} s; the "
                                    f"machine's CPU was {idle:.0%} idle meanwhile)")
