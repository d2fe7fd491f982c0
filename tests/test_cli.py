"""The command line: output and exit codes, error rows beside success rows."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import FIXTURE_CATALOG

CAT = ("--catalog", str(FIXTURE_CATALOG))


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (("list", *CAT), 0, "adder"),
        (("list", "--topic", "networking", *CAT), 0, "adder"),
        (("list", "--topic", "nowhere", *CAT), 2, "unknown topic 'nowhere'"),
        (("start", "addr", *CAT), 2, "did you mean 'adder'?"),
        (("check", "/no/such/place"), 2, "does not exist"),
        (("check", "."), 2, "not a kata workspace"),
        (("hint", "."), 2, "not a kata workspace"),
        (("verify", *CAT), 2, "name the katas to verify, or give --all"),
        (("--version",), 0, "0.1.0"),
        ((), 0, "kata start load-balancer"),
        (("frobnicate",), 2, "No such command"),
    ],
)
def test_exit_codes_and_messages(kata, tmp_path, args, code, needle):
    done = kata(*args, cwd=tmp_path)
    assert done.returncode == code, (done.stdout, done.stderr)
    assert needle in done.stdout + done.stderr


def test_start_hint_progress_round_trip(kata, tmp_path):
    assert kata("start", "adder", *CAT, cwd=tmp_path).returncode == 0
    ws = tmp_path / "adder"
    assert (ws / "adder.py").is_file()
    again = kata("start", "adder", *CAT, cwd=tmp_path)
    assert again.returncode == 2 and "is not empty" in again.stderr
    check = kata("check", cwd=ws)
    assert check.returncode == 1
    listed = json.loads(kata("list", "--format", "json", *CAT).stdout)
    assert listed[0]["slug"] == "adder" and listed[0]["status"] == "started"
    progress = kata("progress", *CAT)
    assert "networking: 0/1 passed" in progress.stdout and "adder: started" in progress.stdout


def test_hint_gives_the_hints_of_the_first_task_the_last_check_did_not_pass(kata, tmp_path):
    """Before any check: task 1's hints, then what to do once they are out (and nothing of
    task 2's). After a check that passes task 1 only: task 2's, one at a time."""
    assert kata("start", "adder", *CAT, cwd=tmp_path).returncode == 0
    ws = tmp_path / "adder"
    first = kata("hint", cwd=ws)
    assert first.returncode == 0, first.stderr
    assert first.stdout == "Hint 1 of 1 for task 1, Add: add() returns a + b.\n"
    out = kata("hint", cwd=ws).stdout
    assert "The one hint for task 1, Add is out already:\n  1. add() returns a + b." in out
    assert "kata examples 1" in out and "once task 1 passes" in out
    assert "sub()" not in out  # task 2's hints stay in until task 1 passes
    reference = (FIXTURE_CATALOG / "solutions/adder/adder.py").read_text()
    (ws / "adder.py").write_text(reference.replace("return a - b", "return b - a"))
    assert kata("check", cwd=ws).returncode == 1  # task 1 passes, task 2 does not
    second = kata("hint", cwd=ws).stdout
    assert second.startswith("Hint 1 of 2 for task 2, Subtract: sub() lives in adder.py too.")
    assert "(run kata hint again for the next one)" in second
    assert kata("hint", cwd=ws).stdout == (
        "Hint 2 of 2 for task 2, Subtract: sub(a, b) is a - b: the order matters.\n")
    # --task N asks for a task's hints whatever the last check said
    again = kata("hint", "--task", "1", cwd=ws).stdout
    assert again.startswith("The one hint for task 1, Add is out already")
    wrong = kata("hint", "--task", "3", cwd=ws)
    assert wrong.returncode == 2 and "adder has tasks 1 to 2, not 3" in wrong.stderr
    (ws / "adder.py").write_text(reference)
    assert kata("check", cwd=ws).returncode == 0
    assert "passed every task: no hint is needed" in kata("hint", cwd=ws).stdout


def test_progress_says_which_workspace_each_line_is_about(kata, tmp_path):
    """Two workspaces of one kata: the finished one is listed as passed, the stub one as
    started with its own best score, each with its folder."""
    for name in ("finished", "stub"):
        assert kata("start", "adder", *CAT, "--dir", str(tmp_path / name)).returncode == 0
    shutil.copy(FIXTURE_CATALOG / "solutions/adder/adder.py", tmp_path / "finished" / "adder.py")
    assert kata("check", str(tmp_path / "finished")).returncode == 0
    assert kata("check", str(tmp_path / "stub")).returncode == 1
    shown = kata("progress", *CAT).stdout
    assert f"adder: passed, best 10.00/10 in {tmp_path / 'finished'}" in shown, shown
    assert f"adder: started, best 0.00/10 in {tmp_path / 'stub'}" in shown, shown
    assert "networking: 1/1 passed" in shown and "1/1 kata passed." in shown
    listed = json.loads(kata("progress", "--format", "json", *CAT).stdout)
    records = listed["katas"]["adder"]["workspaces"]
    assert records[str(tmp_path / "stub")]["passed_at"] is None
    assert records[str(tmp_path / "finished")]["passed_at"]


def test_list_takes_a_topic_in_any_case_and_counts_in_words(kata):
    shown = kata("list", "--topic", "Networking", "--difficulty", "BEGINNER", *CAT)
    assert shown.returncode == 0, shown.stderr
    assert "adder" in shown.stdout and "\n1 kata. Start one with" in shown.stdout
    unknown = kata("list", "--topic", "Nowhere", *CAT)
    assert unknown.returncode == 2 and "unknown topic 'nowhere'" in unknown.stderr


def test_verify_proves_the_fixture_kata(kata):
    done = kata("verify", "adder", *CAT, "--format", "json")
    assert done.returncode == 0, done.stdout
    report = json.loads(done.stdout)[0]
    assert report["ok"]
    mutants = {m["name"]: m for m in report["mutants"]}
    assert set(mutants) == {"add_ignores_sign", "sub_reversed"}
    assert "subtract > subtracts" in mutants["sub_reversed"]["killed_by"]


def test_verify_fails_when_a_mutant_survives(kata, tmp_path):
    import shutil

    root = tmp_path / "catalog"
    shutil.copytree(FIXTURE_CATALOG, root)
    (root / "katas/networking/adder/tests/hidden/test_add.py").write_text(
        "import pytest\nfrom adder import add\npytestmark = pytest.mark.add\n\n"
        "def test_adds():\n    assert add(1, 2) == 3\n")
    done = kata("verify", "adder", "--catalog", str(root))
    assert done.returncode == 1
    assert "mutant add_ignores_sign: SURVIVED" in done.stdout


def test_verify_fails_a_kata_with_a_task_without_a_hint(kata, tmp_path):
    root = tmp_path / "catalog"
    shutil.copytree(FIXTURE_CATALOG, root)
    toml = root / "katas/networking/adder/kata.toml"
    lines = toml.read_text().splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith('hints = ["sub() lives in')]
    assert len(kept) == len(lines) - 1
    toml.write_text("".join(kept))
    done = kata("verify", "adder", "--catalog", str(root), "--repeat", "1", "--format", "json")
    assert done.returncode == 1, done.stdout + done.stderr
    checks = {c["name"]: c for c in json.loads(done.stdout)[0]["checks"]}
    assert not checks["hints"]["ok"]
    assert checks["hints"]["detail"].startswith("no hint for task 2, Subtract: add hints = ")
    assert str(toml) in checks["hints"]["detail"]
    assert checks["renders"]["ok"]  # task 1's hint still renders


def test_an_internal_error_names_itself_and_where_without_debug(monkeypatch, capsys):
    from harness import cli
    from harness.catalog import Catalog

    def broken(*_args, **_kwargs):
        raise RuntimeError("the catalog index is torn\nsecond line")

    monkeypatch.delenv("KATA_DEBUG", raising=False)
    monkeypatch.setattr(Catalog, "filter", broken)
    with pytest.raises(SystemExit) as ended:
        cli.main(["list", *CAT])
    err = capsys.readouterr().err
    assert ended.value.code == 3, err
    assert "internal error" in err and "RuntimeError: the catalog index is torn" in err, err
    assert "second line" not in err and "(harness/cli/learner.py:" in err, err
    assert "KATA_DEBUG=1" in err, err
