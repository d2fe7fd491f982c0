"""Workspaces: start, locate, hints, learner state and progress."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import FIXTURE_CATALOG
from harness import terminal, workspace
from harness.catalog import Catalog
from harness.errors import UsageError
from harness.result import RunResult, Status, TaskResult


@pytest.fixture
def adder():
    return Catalog(FIXTURE_CATALOG).get("adder")


def test_start_creates_stub_tests_readme_and_state(adder, tmp_path):
    ws = workspace.start(adder, tmp_path / "ws")
    names = sorted(p.name for p in ws.path.iterdir())
    assert names == [".kata", "README.md", "adder.py", "pytest.ini", "test_adder.py"]
    assert (ws.path / "adder.py").read_text() == (adder.stub_dir / "adder.py").read_text()
    readme = (ws.path / "README.md").read_text()
    assert readme.startswith("# Adder") and "2. Subtract" in readme
    state = json.loads((ws.path / ".kata" / "state.json").read_text())
    assert state["slug"] == "adder" and state["hints_shown"] == {}
    assert not any(p.name.startswith("test_") and "hidden" in p.read_text()
                   for p in ws.path.iterdir() if p.is_file())


def test_start_refuses_a_non_empty_directory(adder, tmp_path):
    dest = tmp_path / "ws"
    dest.mkdir()
    (dest / "mine.txt").write_text("precious")
    with pytest.raises(UsageError, match="is not empty"):
        workspace.start(adder, dest)
    assert (dest / "mine.txt").read_text() == "precious"


def test_start_with_force_backs_up_what_it_replaces(adder, tmp_path):
    ws = workspace.start(adder, tmp_path / "ws")
    (ws.path / "adder.py").write_text("my work")
    workspace.start(adder, ws.path, force=True)
    backups = list((ws.path / ".kata").glob("backup-*/adder.py"))
    assert [b.read_text() for b in backups] == ["my work"]
    assert (ws.path / "adder.py").read_text() == (adder.stub_dir / "adder.py").read_text()


@pytest.mark.parametrize("slug", ["adder", "load-balancer"])
def test_a_plain_pytest_in_a_workspace_knows_the_katas_markers(kata, tmp_path, slug):
    """The workspace registers its example tests' markers: `python -m pytest` there runs
    them (failing on the stub) with no PytestUnknownMarkWarning, even as an error."""
    catalog = ("--catalog", str(FIXTURE_CATALOG)) if slug == "adder" else ()
    assert kata("start", slug, *catalog, "--dir", str(tmp_path / "ws")).returncode == 0
    assert "markers =" in (tmp_path / "ws" / "pytest.ini").read_text()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "PYTHONPATH"))}
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider",
                           "-W", "error::pytest.PytestUnknownMarkWarning"],
                          cwd=tmp_path / "ws", env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 1, done.stdout[-3000:]  # tests ran and failed on the stub
    assert "UnknownMark" not in done.stdout + done.stderr, done.stdout[-3000:]


def test_locate_from_a_subdirectory_and_a_file(adder, tmp_path):
    ws = workspace.start(adder, tmp_path / "ws")
    (ws.path / "sub").mkdir()
    assert workspace.locate(ws.path / "sub").path == ws.path
    assert workspace.locate(ws.path / "adder.py").slug == "adder"


def test_locate_outside_a_workspace_explains_what_to_do(tmp_path):
    with pytest.raises(UsageError, match="not a kata workspace.*kata start SLUG"):
        workspace.locate(tmp_path)


def test_hints_are_revealed_one_at_a_time_per_task_and_remembered(adder, tmp_path):
    add, sub = adder.tasks
    ws = workspace.start(adder, tmp_path / "ws")
    assert ws.reveal_hint(adder, sub) == (1, "sub() lives in adder.py too.")
    again = workspace.locate(ws.path)
    assert again.reveal_hint(adder, add) == (1, "add() returns a + b.")
    assert again.reveal_hint(adder, add) is None
    assert again.reveal_hint(adder, sub) == (2, "sub(a, b) is a - b: the order matters.")
    assert again.reveal_hint(adder, sub) is None
    assert workspace.locate(ws.path).revealed_hints(adder, sub) == [
        "sub() lives in adder.py too.", "sub(a, b) is a - b: the order matters."]


def test_the_first_unfinished_task_is_the_first_the_last_check_did_not_pass(adder, tmp_path):
    ws = workspace.start(adder, tmp_path / "ws")
    assert ws.first_unfinished(adder) == adder.tasks[0]  # no check yet: task 1
    ws.record_check(_run_with_tasks(adder, {1: (0, 2), 2: (3, 3)}))
    assert ws.first_unfinished(adder) == adder.tasks[0]  # task 2 passing does not skip 1
    ws.record_check(_run_with_tasks(adder, {1: (2, 2), 2: (1, 3)}))
    assert workspace.locate(ws.path).first_unfinished(adder) == adder.tasks[1]
    assert workspace.locate(ws.path).state["checks"][-1]["tasks_passed"] == [1]
    ws.record_check(_run_with_tasks(adder, {1: (2, 2), 2: (3, 3)}))
    assert ws.first_unfinished(adder) is None and ws.current_task(adder) == 2


def test_a_check_recorded_before_per_task_results_counts_its_finished_tasks(adder, tmp_path):
    ws = workspace.start(adder, tmp_path / "ws")
    ws.state["checks"] = [{"at": "2026-01-01T00:00:00+00:00", "status": "fail", "tasks_done": 1}]
    assert ws.first_unfinished(adder) == adder.tasks[1]


def _run_with_tasks(kata, counts: dict[int, tuple[int, int]]) -> RunResult:
    """A check's result where task N passed counts[N][0] of its counts[N][1] tests."""
    done = all(passed == total for passed, total in counts.values())
    return RunResult(kata=kata.slug, submission="ws", status=Status.PASS if done else Status.FAIL,
                     tasks=[TaskResult(task.id, task.title, *counts[task.id])
                            for task in kata.tasks], max_score=10)


def test_checks_are_recorded_in_state_and_progress(adder, tmp_path):
    ws = workspace.start(adder, tmp_path / "ws")
    progress = workspace.Progress()
    assert progress.status("adder") == "started"
    ws.record_check(RunResult(kata="adder", submission="ws", status=Status.FAIL, score=2.5,
                              max_score=10))
    assert progress.status("adder") == "started"
    ws.record_check(RunResult(kata="adder", submission="ws", status=Status.PASS, score=10,
                              max_score=10))
    entry = progress.load()["adder"][str(ws.path)]
    assert entry["passed_at"] and entry["best_score"] == 10 and entry["checks"] == 2
    assert progress.status("adder") == "passed"
    state = workspace.locate(ws.path).state
    assert [c["status"] for c in state["checks"]] == ["fail", "pass"]
    assert state["passed_at"]


def test_progress_is_kept_per_workspace(adder, tmp_path):
    """A stub workspace is not listed as passed because another workspace of the same
    kata passed: each keeps its own record, and the kata counts as passed once."""
    done = workspace.start(adder, tmp_path / "done")
    stub = workspace.start(adder, tmp_path / "stub")
    done.record_check(RunResult(kata="adder", submission="done", status=Status.PASS, score=10,
                                max_score=10))
    stub.record_check(RunResult(kata="adder", submission="stub", status=Status.FAIL,
                                score=0.0545, max_score=10))
    progress = workspace.Progress()
    records = progress.load()["adder"]
    assert records[str(done.path)]["passed_at"] and records[str(done.path)]["best_score"] == 10
    assert not records[str(stub.path)]["passed_at"]
    assert records[str(stub.path)]["best_score"] == 0.0545
    assert progress.status("adder") == "passed"
    text = terminal.progress_report([adder], {"adder": progress.workspaces("adder")})
    assert f"adder: passed, best 10.00/10 in {done.path}" in text
    assert f"adder: started, best 0.05/10 in {stub.path}" in text
    assert "1/1 kata passed." in text


def test_a_version_1_progress_file_is_read_per_workspace(tmp_path):
    progress = workspace.Progress(tmp_path)
    progress.path.write_text(json.dumps({"version": 1, "katas": {"adder": {
        "workspace": "/somewhere/adder", "best_score": 4.0, "max_score": 10, "checks": 3,
        "started_at": "2026-01-01T00:00:00"}}}))
    assert progress.load() == {"adder": {"/somewhere/adder": {
        "workspace": "/somewhere/adder", "best_score": 4.0, "max_score": 10, "checks": 3,
        "started_at": "2026-01-01T00:00:00"}}}
    assert progress.status("adder") == "started"


def test_damaged_progress_file_is_a_clear_error(tmp_path):
    progress = workspace.Progress(tmp_path)
    progress.path.write_text("{not json")
    with pytest.raises(UsageError, match="progress.json is not valid JSON"):
        progress.load()


def test_a_workspace_cannot_pick_its_own_judge(kata, tmp_path, kata_home):
    """The catalog a learner commits in .kata/state.json is ignored: a forged catalog of
    passing tests grades nothing; the one named at `kata start` is remembered in the user's
    data folder, and `kata check` says which catalog it graded with."""
    import shutil

    forged = tmp_path / "forged"
    shutil.copytree(FIXTURE_CATALOG, forged)
    for test in (forged / "katas" / "networking" / "adder" / "tests").rglob("test_*.py"):
        test.write_text("import pytest\npytestmark = pytest.mark.add\n\n"
                        "def test_anything():\n    pass\n", encoding="utf-8")
    ws = tmp_path / "ws"
    assert kata("start", "adder", "--catalog", str(FIXTURE_CATALOG), "--dir",
                str(ws)).returncode == 0
    assert "catalog" not in json.loads((ws / ".kata" / "state.json").read_text())
    state = json.loads((ws / ".kata" / "state.json").read_text())
    (ws / ".kata" / "state.json").write_text(json.dumps({**state, "catalog": str(forged)}))

    mine = kata("check", str(ws))  # the stub, graded by the catalog named at start
    assert mine.returncode == 1 and f"Graded with the katas in {FIXTURE_CATALOG}" in mine.stdout
    (kata_home / "catalogs.json").unlink()  # another machine: CI grading the hand-out
    elsewhere = kata("check", str(ws), "--catalog", str(FIXTURE_CATALOG), "--format", "json")
    assert elsewhere.returncode == 1 and json.loads(elsewhere.stdout)["status"] != "pass"
