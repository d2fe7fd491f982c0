"""Generated mutants: each operator's change, stable ids, what is never mutated, and
`kata verify --generated` through the real command."""

from __future__ import annotations

import ast
import json
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURE_CATALOG, ROOT
from harness import generated, mutation
from harness.result import RunResult, Status, TestResult


def _by_id(source: str) -> dict[str, mutation.Mutant]:
    return {m.id: m for m in mutation.mutants(source, "m.py")}


OPERATOR_CASES = [
    ("def f(a, b):\n    return a < b\n", "f:compare:1", "def f(a, b):\n    return (a <= b)\n"),
    ("def f(a, b):\n    return a == b\n", "f:compare:1", "def f(a, b):\n    return (a != b)\n"),
    ("def f(a, b):\n    return a in b\n", "f:compare:1",
     "def f(a, b):\n    return (a not in b)\n"),
    ("def f(a, b):\n    return a + b\n", "f:arith:1", "def f(a, b):\n    return (a - b)\n"),
    ("def f(a, b):\n    return a * b\n", "f:arith:1", "def f(a, b):\n    return (a / b)\n"),
    ("def f(a, b):\n    return a // b\n", "f:arith:1", "def f(a, b):\n    return (a / b)\n"),
    ("def f(a, b):\n    return a % b\n", "f:arith:1", "def f(a, b):\n    return (a / b)\n"),
    ("def f(a):\n    a += 2\n", "f:augassign:1", "def f(a):\n    a -= 2\n"),
    ("def f():\n    return 0\n", "f:number:1", "def f():\n    return 1\n"),
    ("def f():\n    return 1\n", "f:number:1", "def f():\n    return 0\n"),
    ("def f():\n    return 41\n", "f:number:1", "def f():\n    return 42\n"),
    ("def f():\n    return True\n", "f:bool:1", "def f():\n    return False\n"),
    ("def f():\n    return 'x'\n", "f:string:1", "def f():\n    return ''\n"),
    ("def f(a):\n    b = a\n    return b\n", "f:assign_none:1",
     "def f(a):\n    b = None\n    return b\n"),
    ("def f(a, b):\n    return a and b\n", "f:boolop:1",
     "def f(a, b):\n    return (a or b)\n"),
    ("def f(a):\n    return not a\n", "f:not:1", "def f(a):\n    return (a)\n"),
    ("def f(a):\n    a.x = 1\n    return a\n", "f:statement:1",
     "def f(a):\n    pass\n    return a\n"),
    ("def f(a, b):\n    return pow(a, b)\n", "f:args:1",
     "def f(a, b):\n    return (pow(b, a))\n"),
    ("def f(a):\n    for x in a:\n        break\n", "f:loop:1",
     "def f(a):\n    for x in a:\n        continue\n"),
    ("def f(a):\n    for x in a:\n        continue\n", "f:loop:1",
     "def f(a):\n    for x in a:\n        break\n"),
    ("def f(a):\n    return a\n", "f:return:1", "def f(a):\n    return\n"),
]


@pytest.mark.parametrize(("source", "mutant_id", "expected"), OPERATOR_CASES)
def test_each_operator_makes_its_one_change(source, mutant_id, expected):
    assert _by_id(source)[mutant_id].source == expected


def test_every_operator_has_a_case_above():
    assert {case[1].split(":")[1] for case in OPERATOR_CASES} == set(mutation.OPERATORS)


def test_description_names_the_line_and_the_change():
    mutant = _by_id("x = 1\n\n\ndef f(a, b):\n    return a < b\n")["f:compare:1"]
    assert (mutant.line, mutant.description) == (5, "line 5: '<' -> '<='")


def test_ids_survive_a_function_added_above():
    source = "def g(a, b):\n    return a < b and a + 1 > b\n"
    edited = "def h(a):\n    return a < 2 + a\n\n\n" + source
    before, after = _by_id(source), _by_id(edited)
    assert set(before) <= set(after)
    for mutant_id, mutant in before.items():
        assert after[mutant_id].description.split(": ", 1)[1] == \
            mutant.description.split(": ", 1)[1]
        assert after[mutant_id].line == mutant.line + 4


def test_generation_is_deterministic():
    source = (ROOT / "solutions/load-balancer/load_balancer.py").read_text()
    first, second = mutation.mutants(source, "a.py"), mutation.mutants(source, "a.py")
    assert [(m.id, m.source) for m in first] == [(m.id, m.source) for m in second]
    assert len({m.id for m in first}) == len(first)


def test_docstrings_pragma_annotations_raise_messages_and_main_guard_are_left_alone():
    source = ('"""Module doc."""\n'
              "class C:\n"
              '    """Class doc."""\n'
              "    def f(self, a: int = 3) -> str:\n"
              '        """Function doc."""\n'
              "        if a < 0:  # pragma: no mutate\n"
              "            raise ValueError('negative')\n"
              "        return 'ok'\n"
              'if __name__ == "__main__":\n'
              "    print(C().f(1 + 1))\n")
    found = mutation.mutants(source)
    lines = {m.line for m in found}
    assert lines == {4, 7, 8}, [m.description for m in found]
    assert [m.description for m in found if ":string:" in m.id] == ["line 8: 'ok' -> ''"]
    assert {m.description for m in found if m.line == 4} == {"line 4: '3' -> '4'"}


def test_every_mutant_of_every_shipped_reference_parses_and_keeps_its_line_count():
    references = [p for p in (ROOT / "solutions").glob("*/*.py")]
    references.append(FIXTURE_CATALOG / "solutions/adder/adder.py")
    assert len(references) >= 9
    for path in references:
        source = path.read_text()
        for mutant in mutation.mutants(source, path.name):
            ast.parse(mutant.source)
            if mutant.id.split(":")[1] not in ("statement", "augassign", "return"):
                assert mutant.source.count("\n") == source.count("\n"), mutant.id


def test_arguments_of_min_and_max_are_not_swapped():
    assert [m.id for m in mutation.mutants("def f(a, b):\n    return max(a, b)\n")] == [
        "f:statement:1", "f:return:1"]


def test_a_dropped_elif_says_its_branches_go_with_it():
    source = "def f(a):\n    if a:\n        return 1\n    elif a == 2:\n        return 2\n"
    dropped = [m for m in mutation.mutants(source) if m.line == 4 and "dropped" in m.description]
    assert [m.description for m in dropped] == [
        "line 4: 'elif a == 2:' dropped with the branches after it"]


def test_a_sample_is_the_same_on_every_run_and_keeps_source_order():
    found = mutation.mutants((ROOT / "solutions/load-balancer/load_balancer.py").read_text())
    first, second = generated.sample(found, 10), generated.sample(found, 10)
    assert [m.id for m in first] == [m.id for m in second]
    assert len(first) == 10 and [m for m in found if m in first] == first
    assert generated.sample(found, None) == found


def _result(status: Status, *outcomes: Status) -> RunResult:
    tests = [TestResult(id=f"t{n}", name=f"t{n}", task=1, status=s) for n, s in enumerate(outcomes)]
    return RunResult(kata="k", submission="s", status=status, tests=tests, message="boom")


@pytest.mark.parametrize(("result", "outcome"), [
    (_result(Status.FAIL, Status.PASS, Status.FAIL), generated.KILLED),
    (_result(Status.PASS, Status.PASS), generated.SURVIVED),
    (_result(Status.ERROR, Status.PASS), generated.KILLED),  # the run broke mid-suite
    (_result(Status.ERROR), generated.NOT_VIABLE),  # no test ran: says nothing of the suite
])
def test_an_error_counts_as_killed_only_after_the_tests_began(result, outcome):
    mutant = mutation.Mutant("f:x:1", "m.py", 1, 1, "line 1: x", "")
    assert generated._judge(mutant, result).outcome == outcome


def test_score_leaves_out_equivalent_and_not_viable_mutants():
    verdicts = [generated.GeneratedVerdict(f"f:x:{n}", "m.py", n, "d", outcome)
                for n, outcome in enumerate([generated.KILLED] * 8 + [
                    generated.SURVIVED, generated.NOT_RUN, generated.NOT_VIABLE])]
    report = generated.GeneratedMutants(files=["m.py"], verdicts=verdicts, marks_file="t.toml")
    assert report.score == 0.8 and not report.verdict()[0]
    assert "8/10 killed" in report.verdict()[1] and "1 not viable" in report.verdict()[1]
    verdicts[8].equivalent = "no test can tell"
    assert report.score == 8 / 9 and [v.id for v in report.survivors] == ["f:x:9"]
    verdicts[9].equivalent = "never reached through the contract"
    assert report.score == 1.0 and report.verdict()[0]


def test_a_kata_without_python_files_has_nothing_to_mutate():
    assert generated.GeneratedMutants(files=[]).verdict() == (
        True, "no Python files (SQL kata): nothing to mutate")


# -- through the real command on the fixture catalog ------------------------------------------

# `a > 4` chooses between two ways of adding: no test can tell the branches apart, so
# the mutants of the condition and of the first branch survive (they are equivalent)
TWO_BRANCHES = ("def add(a: int, b: int) -> int:\n"
                '    """Returns a + b."""\n'
                "    if a > 4:\n"
                "        return b + a\n"
                "    return a + b\n")
EQUIVALENT = ["add:statement:1", "add:compare:1", "add:number:1", "add:statement:2"]


@pytest.fixture
def catalog(tmp_path) -> Path:
    root = tmp_path / "catalog"
    shutil.copytree(FIXTURE_CATALOG, root)
    reference = root / "solutions/adder/adder.py"
    text = reference.read_text()
    start, end = text.index("def add"), text.index("def sub")
    reference.write_text(text[:start] + TWO_BRANCHES + "\n\n" + text[end:])
    return root


def _verify(kata, root: Path, *extra: str):
    return kata("verify", "adder", "--catalog", str(root), "--repeat", "1", "--generated",
                *extra, timeout=600)


def test_verify_generated_prints_the_score_and_each_survivor_with_its_line(kata, catalog):
    done = _verify(kata, catalog)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "✗ generated mutants: score 67%: 8/12 killed; 4 survived" in done.stdout
    assert "survived adder.py, line 6: '>' -> '>='  [add:compare:1]" in done.stdout
    assert "survived adder.py, line 6: '4' -> '5'  [add:number:1]" in done.stdout
    assert "survived adder.py, line 7: 'return b + a' dropped  [add:statement:2]" \
        in done.stdout
    assert "mutants.toml: equivalent = [" in done.stdout


def test_equivalent_marks_leave_the_score_and_a_stale_one_is_named(kata, catalog):
    entries = [f'  {{ id = "{i}", reason = "both branches add" }},' for i in EQUIVALENT]
    entries.append('  { id = "add:compare:9", reason = "an older reference" },')
    marks = catalog / "solutions/adder/mutants.toml"  # beside the hand-written mutants
    marks.write_text("equivalent = [\n" + "\n".join(entries) + "\n]\n\n" + marks.read_text())
    done = _verify(kata, catalog, "--format", "json")
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)[0]["generated"]
    assert (report["score"], report["killed"], report["equivalent"]) == (1.0, 8, 4)
    assert report["stale"] == ["add:compare:9"]
    check = next(c for c in json.loads(done.stdout)[0]["checks"]
                 if c["name"] == "generated mutants")
    assert check["ok"] and "stale equivalent in" in check["detail"]
    assert "add:compare:9 no longer generated" in check["detail"]


def test_an_equivalent_mark_without_a_reason_is_refused(kata, catalog):
    marks = catalog / "solutions/adder/mutants.toml"
    marks.write_text('equivalent = [{ id = "add:compare:1", reason = "" }]\n\n'
                     + marks.read_text())
    done = _verify(kata, catalog)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "field 'equivalent'" in done.stderr and "reason =" in done.stderr, done.stderr
