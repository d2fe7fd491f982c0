"""What a failing test's message names as "the call": the suite's line that called the
learner's code when the exception came out of that code, never the suite's own failure
statement (`pytest.fail(...)`, a helper of the suite raising), through the real `kata check`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import FIXTURE_CATALOG, ROOT


def _messages(kata, workspace: Path, *catalog: str) -> dict[str, str]:
    done = kata("check", "--format", "json", *catalog, cwd=workspace)
    assert done.returncode == 1, done.stdout + done.stderr
    return {t["name"]: t["message"] for t in json.loads(done.stdout)["tests"]
            if t["status"] != "pass"}


def test_load_balancer_constructor_failures_name_the_learners_call_not_pytest_fail(kata,
                                                                                   tmp_path):
    """The reference with a constructor that raises KeyError for an unknown strategy (the
    suite catches it and calls pytest.fail) and RuntimeError for ip_hash (it propagates)."""
    workspace = tmp_path / "lb"
    assert kata("start", "load-balancer", "--dir", str(workspace)).returncode == 0
    reference = (ROOT / "solutions/load-balancer/load_balancer.py").read_text()
    check = ('        if strategy not in STRATEGIES:\n            raise ValueError(f"unknown '
             'strategy {strategy!r}; use one of {\', \'.join(STRATEGIES)}")\n')
    assert check in reference
    (workspace / "load_balancer.py").write_text(reference.replace(check, (
        '        if strategy == "ip_hash":\n'
        '            raise RuntimeError("ip_hash is not ready")\n'
        '        self._rank = {name: n for n, name in enumerate(STRATEGIES)}[strategy]\n')))
    messages = _messages(kata, workspace)

    caught = messages["server management and errors > unknown strategy raises value error "
                      "[random]"]
    assert caught == "LoadBalancer('random') raised KeyError: 'random'; expected ValueError"
    assert not any("pytest.fail" in text for text in messages.values()), messages

    raised = messages["server management and errors > every strategy is accepted [ip_hash]"]
    assert raised.splitlines()[:2] == ["your code raised RuntimeError: ip_hash is not ready",
                                       "  the call: lb = LoadBalancer(strategy)"]
    assert "  at load_balancer.py:" in raised


SUITE = '''"""The suite fails by itself: pytest.fail, a helper of its own raising, its own loop."""
import pytest
from adder import add

pytestmark = pytest.mark.add


def _expect(got, wanted, call):
    if got != wanted:
        raise ValueError(f"{call} returned {got}; this suite wants {wanted}")


def test_the_suite_calls_pytest_fail():
    got = add(2, 2)
    pytest.fail(f"add(2, 2) returned {got}; this suite wants 5")


def test_a_helper_of_the_suite_raises():
    _expect(add(1, 1), 3, "add(1, 1)")


def test_the_learners_code_raises():
    got = add(-7, 7)
    assert got == 0


def test_the_suite_hangs_by_itself():
    add(1, 2)
    while True:
        pass
'''


def test_a_suite_that_fails_by_itself_shows_no_call_and_the_learners_raise_shows_it(kata,
                                                                                    tmp_path):
    catalog = tmp_path / "catalog"
    shutil.copytree(FIXTURE_CATALOG, catalog)
    (catalog / "katas/networking/adder/tests/hidden/test_suite_fails.py").write_text(SUITE)
    workspace = tmp_path / "ws"
    cat = ("--catalog", str(catalog))
    assert kata("start", "adder", *cat, "--dir", str(workspace)).returncode == 0
    (workspace / "adder.py").write_text(
        "def add(a, b):\n    if a < 0:\n        raise KeyError(a)\n    return a + b\n\n\n"
        "def sub(a, b):\n    return a - b\n")
    messages = _messages(kata, workspace, *cat)

    assert messages["add > the suite calls pytest fail"] == (
        "add(2, 2) returned 4; this suite wants 5")
    assert messages["add > a helper of the suite raises"] == (
        "add(1, 1) returned 2; this suite wants 3")
    hang = messages["add > the suite hangs by itself"]
    assert hang.startswith("did not finish within 1 s") and "the call" not in hang, hang
    assert messages["add > the learners code raises"].splitlines() == [
        "your code raised KeyError: -7", "  the call: got = add(-7, 7)",
        "  at adder.py:3 in add", "      raise KeyError(a)"]
