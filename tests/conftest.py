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
