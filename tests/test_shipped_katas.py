"""Every kata the package ships is proven by `kata verify`: stub fails, reference passes
N times in a row, every mutant is caught, the suite covers the reference, alternatives pass.

Each kata is proven in parts (harness.verify.PARTS), one test each, so that pytest-xdist
spreads a kata's runs over the cores instead of one test holding a core for all of them;
together the parts make every run `kata verify SLUG` makes, but for one: the `agreement`
part (each alternative behaves as the reference on 200 generated sequences of calls) is
proven for every shipped alternative by test_compare.py, on as many sequences, and that they
keep the contract's properties (properties.py) by test_properties.py. That the command
puts the parts together, prints them and exits by their verdict is test_verify.py's.

The suite runs the reference 3 times: twice in the `runs` part (KATA_VERIFY_REPEAT changes
it) and once in the `coverage` part, whose check fails when that run does (as in `kata
verify`, where the run measured for coverage is one of the repeats). What the repeats look
for is a flaky reference or suite, and `kata verify --all`, which authors run before a kata
ships (docs/authoring.md), repeats it 20 times. Every other check runs in full; each mutant's
run starts with the test recorded as its catcher (caught_by), so every mutant must have one.
"""

from __future__ import annotations

import json
import os

import pytest

from harness import verify
from harness.catalog import Catalog, default_root

CATALOG = Catalog(default_root())
SHIPPED = [k.slug for k in CATALOG.all()]
REPEAT = int(os.environ.get("KATA_VERIFY_REPEAT", "2"))
# the checks every kata must pass, by the part that makes them (static ones come with each);
# a kata may add more (alternatives, databases)
STATIC = {"files", "hints", "renders", "same API", "no author TODOs"}
CHECKS = {"mutants": {"mutants fail"}, "runs": {"stub fails", "reference passes"},
          "coverage": {"coverage", "tasks"}}
PROVEN_HERE = [part for part in verify.PARTS if part != "agreement"]
assert set(PROVEN_HERE) == set(CHECKS), "a part of kata verify that no test here proves"


@pytest.mark.timeout(900)  # every mutant and alternative; longer when the machine is busy
@pytest.mark.parametrize("slug", SHIPPED)
@pytest.mark.parametrize("part", sorted(PROVEN_HERE, key=list(CHECKS).index))  # longest first
def test_shipped_kata_verifies(slug, part):
    found = verify.verify(CATALOG.get(slug), repeat=REPEAT, parts=(part,))
    report = json.loads(json.dumps(found.to_dict()))  # as `kata verify --format json` has it
    failed = {c["name"]: c["detail"] for c in report["checks"] if not c["ok"]}
    assert report["ok"] and not failed, failed
    assert STATIC | CHECKS[part] <= {c["name"] for c in report["checks"]}, report["checks"]
    if part == "runs":
        assert report["repeat"] == REPEAT
    if part == "mutants":
        assert len(report["mutants"]) >= 6, "every kata needs at least six known-wrong versions"
        assert all(m["killed"] for m in report["mutants"])
        assert all(m["why"] for m in report["mutants"]), "every mutant says which rule it breaks"
        unrecorded = [m["name"] for m in report["mutants"] if not m["recorded"]]
        assert not unrecorded, (f"mutants without caught_by run through the suite: record "
                                f"them with `kata mutant record {slug}`: {unrecorded}")
