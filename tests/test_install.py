"""The installed `kata` command finds the catalog shipped inside the package."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest


def test_installed_entry_point_lists_the_shipped_catalog(tmp_path, kata_home):
    executable = shutil.which("kata")
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("CI installs the package, so `kata` must be on PATH")
        pytest.skip("the package is not installed here (pip install . puts kata on PATH)")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "KATA_CATALOG")}
    env["KATA_HOME"] = str(kata_home)
    done = subprocess.run([executable, "list"], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "load-balancer" in done.stdout
