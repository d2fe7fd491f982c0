"""Every kata the package ships is proven by `kata verify`: stub fails, reference passes
N times in a row, every mutant is caught, the suite covers the reference, alternatives pass.

The suite repeats the reference 3 times (KATA_VERIFY_REPEAT changes it): what the repeats
look for is a flaky reference or suite, and `kata verify --all`, which authors run before a
kata ships (docs/authoring.md), repeats it 20 times. Every other check runs in full.
"""

from __future__ import annotations

import json
import os

import pytest

from harness.catalog import Catalog, default_root

SHIPPED = [k.slug for k in Catalog(default_root()).all()]
REPEAT = os.environ.get("KATA_VERIFY_REPEAT", "3")
# the checks every kata must pass; a kata may add more (alternatives, databases)
ALWAYS = {"files", "renders", "same API", "no author TODOs", "stub fails", "reference passes",
          "mutants fail", "coverage", "tasks"}


@pytest.mark.timeout(900)  # every mutant and alternative; longer when the machine is busy
@pytest.mark.parametrize("slug", SHIPPED)
def test_shipped_kata_verifies(kata, slug):
    done = kata("verify", slug, "--repeat", REPEAT, "--format", "json",
                "--catalog", str(default_root()), timeout=900)
    report = json.loads(done.stdout)[0]
    failed = {c["name"]: c["detail"] for c in report["checks"] if not c["ok"]}
    assert done.returncode == 0 and not failed, failed
    assert ALWAYS <= {c["name"] for c in report["checks"]}, report["checks"]
    assert report["repeat"] == int(REPEAT)
    assert len(report["mutants"]) >= 6, "every kata needs at least six known-wrong versions"
    assert all(m["killed"] for m in report["mutants"])
    assert all(m["why"] for m in report["mutants"]), "every mutant says which rule it breaks"
