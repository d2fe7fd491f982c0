"""mutants.toml: each known-wrong version stored as its one mistake, applied strictly, written
back in its smallest form; `kata mutant` and `kata verify` through the real command."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import FIXTURE_CATALOG
from harness import mutant_authoring, mutants
from harness.errors import CatalogError, UsageError
from harness.mutants import Mutant, MutantError

REFERENCE = "def add(a, b):\n    return a + b\n\n\ndef sub(a, b):\n    return a - b\n"
FILES = ("adder.py",)
GOOD = 'name = "m"\nwhy = "sub must return a - b"\nreplace = "a - b"\nwith = "b - a"\n'


def _parse(text: str, files: tuple[str, ...] = FILES) -> mutants.MutantsFile:
    return mutants.parse(text, Path("solutions/adder/mutants.toml"), files)


@pytest.fixture
def catalog(tmp_path) -> Path:
    root = tmp_path / "catalog"
    shutil.copytree(FIXTURE_CATALOG, root)
    return root


# -- parsing ---------------------------------------------------------------------------------

def test_a_good_entry_parses_and_its_file_defaults_to_the_kata_s_one_file():
    parsed = _parse("[[mutant]]\n" + GOOD)
    assert parsed.mutants == [Mutant("m", "sub must return a - b", "adder.py",
                                     replace="a - b", with_="b - a")]


def test_equivalent_is_kept_as_written():
    parsed = _parse('equivalent = [{id = "adder.py:2:+", reason = "same for ints", x = 1}]\n')
    assert parsed.equivalent == [{"id": "adder.py:2:+", "reason": "same for ints", "x": 1}]


@pytest.mark.parametrize(
    ("text", "field", "fix"),
    [
        ("colour = 1\n", "'colour' is not known", "remove it"),
        ("[[mutant]]\n" + GOOD + "note = 1\n", "mutant[1].note", "use only"),
        ("[[mutant]]\n" + GOOD.replace('"m"', '"two words"'), "mutant[1].name", "identifier"),
        ("[[mutant]]\n" + GOOD.replace('name = "m"\n', ""), "mutant[1].name", "identifier"),
        ("[[mutant]]\n" + GOOD + "[[mutant]]\n" + GOOD, "'m' is used twice", "its own name"),
        ("[[mutant]]\n" + GOOD.replace('"sub must return a - b"', '"  "'), "(m).why", "rule"),
        ("[[mutant]]\n" + GOOD.replace('why = "sub must return a - b"\n', ""), "(m).why", "rule"),
        ("[[mutant]]\n" + GOOD + 'file = "other.py"\n', "(m).file", "adder.py"),
        ("[[mutant]]\n" + GOOD + 'patch = "@@ -1 +1 @@"\n', "needs exactly one form",
         "either replace and with, or patch"),
        ('[[mutant]]\nname = "m"\nwhy = "w"\n', "needs exactly one form", "or patch"),
        ('[[mutant]]\nname = "m"\nwhy = "w"\nreplace = "a"\n', "(m).with' is missing", "both"),
        ('[[mutant]]\nname = "m"\nwhy = "w"\nwith = "a"\n', "(m).replace' is missing", "both"),
        ('[[mutant]]\nname = "m"\nwhy = "w"\nreplace = ""\nwith = "a"\n', "(m).replace' is empty",
         "exact text"),
        ('[[mutant]]\nname = "m"\nwhy = "w"\nreplace = "a"\nwith = "a"\n', "the same as replace",
         "make the mistake"),
        ('[[mutant]]\nname = "m"\nwhy = "w"\npatch = " "\n', "(m).patch' is empty", "unified"),
        ('[[mutant]]\nname = "m"\nwhy = "w"\npatch = 3\n', "(m).patch' must be a string", "quote"),
        ('equivalent = [{id = "x"}]\n', "'equivalent'", "reason"),
        ("mutant = 3\n", "'mutant' is not a list", "[[mutant]]"),
        ("[[mutant]\n", "not valid TOML", ""),
    ],
)
def test_a_bad_field_names_the_file_the_field_and_the_fix(text, field, fix):
    with pytest.raises(CatalogError) as caught:
        _parse(text)
    message = str(caught.value)
    assert message.startswith("solutions/adder/mutants.toml: ")
    assert field in message and fix in message


def test_a_kata_of_several_files_needs_the_file_named():
    with pytest.raises(CatalogError, match=r"\(m\)\.file' is None; name one of .*a\.sql, b\.sql"):
        _parse("[[mutant]]\n" + GOOD, files=("a.sql", "b.sql"))


# -- applying --------------------------------------------------------------------------------

def test_replace_must_occur_in_the_reference():
    mutant = Mutant("gone", "w", "adder.py", replace="return a * b", with_="return 0")
    with pytest.raises(MutantError, match=r"mutant 'gone': its replace text does not occur in "
                       r"adder.py: 'return a \* b'; .*kata mutant edit SLUG gone"):
        mutants.apply(mutant, REFERENCE)


def test_replace_must_occur_only_once():
    mutant = Mutant("twice", "w", "adder.py", replace="def ", with_="async def ")
    with pytest.raises(MutantError, match="mutant 'twice': its replace text occurs more than once"):
        mutants.apply(mutant, REFERENCE)


def test_a_patch_applies_hunk_by_hunk_and_keeps_a_missing_last_newline():
    edited = REFERENCE.replace("a + b", "a + b + 1").replace("a - b\n", "b - a")
    patch = mutant_authoring.make_patch(REFERENCE, edited, "adder.py")
    assert "\\ No newline at end of file" in patch
    assert mutants.apply_patch(REFERENCE, patch, "m") == edited


def test_a_patch_whose_context_changed_does_not_apply():
    edited = REFERENCE.replace("a - b", "b - a")
    patch = mutant_authoring.make_patch(REFERENCE, edited, "adder.py")
    changed = REFERENCE.replace("def sub(a, b):", "def sub(a, b):  # subtracts")
    with pytest.raises(MutantError, match=r"mutant 'm': hunk 1 does not apply at line 5: "
                       r"expected 'def sub\(a, b\):\\n', the reference has 'def sub"):
        mutants.apply_patch(changed, patch, "m")


def test_a_truncated_hunk_is_refused():
    with pytest.raises(MutantError, match="hunk 1 ends early"):
        mutants.apply_patch(REFERENCE, "@@ -1,3 +1,3 @@\n def add(a, b):\n", "m")


# -- the smallest form -----------------------------------------------------------------------

def test_one_changed_line_is_stored_as_replace_with_over_whole_lines():
    edited = REFERENCE.replace("a - b", "b - a")
    mutant = mutant_authoring.smallest_form("m", "w", "adder.py", REFERENCE, edited)
    assert (mutant.replace, mutant.with_, mutant.patch) == (
        "    return a - b\n", "    return b - a\n", None)


def test_a_line_that_is_not_unique_is_widened_until_it_is():
    reference = "def f():\n    return 1\n\n\ndef g():\n    return 1\n"
    edited = reference[: -len("1\n")] + "2\n"
    mutant = mutant_authoring.smallest_form("m", "w", "x.py", reference, edited)
    assert mutant.replace == "def g():\n    return 1\n"
    assert mutants.apply(mutant, reference) == edited


def test_changes_far_apart_are_stored_as_a_patch():
    reference = "".join(f"line {n}\n" for n in range(20))
    edited = reference.replace("line 2\n", "line two\n").replace("line 17\n", "line seventeen\n")
    mutant = mutant_authoring.smallest_form("m", "w", "x.py", reference, edited)
    assert mutant.patch is not None and mutant.replace is None
    assert mutants.apply(mutant, reference) == edited


def test_an_unchanged_copy_has_no_smallest_form():
    with pytest.raises(UsageError, match="is the same as the reference"):
        mutant_authoring.smallest_form("m", "w", "adder.py", REFERENCE, REFERENCE)


_LINES = st.lists(st.sampled_from(["a = 1\n", "b = 2\n", "    return a\n", "\n", "# x\n",
                                   "if x:\n", "'''\n", 'q = "\\\\"\n']), max_size=25)


@given(reference=_LINES, edits=st.lists(st.tuples(st.integers(0, 30), st.integers(0, 3), _LINES),
                                        min_size=1, max_size=3))
def test_the_smallest_form_written_to_toml_and_read_back_makes_the_edited_file(reference, edits):
    lines = list(reference)
    for at, drop, insert in edits:
        lines[at:at + drop] = insert[:3]
    old, new = "".join(reference), "".join(lines)
    if old == new:
        return
    mutant = mutant_authoring.smallest_form("m", 'a "why"', "x.py", old, new)
    (read,) = mutants.parse(mutant.to_toml(), Path("m.toml"), ("x.py",)).mutants
    assert read == mutant
    assert mutants.apply(read, old) == new


def test_writing_back_keeps_the_other_entries_and_comments(tmp_path):
    path = tmp_path / "mutants.toml"
    path.write_text('# top comment\nequivalent = [{id = "e", reason = "r"}]\n\n'
                    "[[mutant]]\n" + GOOD + "\n# about n\n[[mutant]]\n"
                    + GOOD.replace('"m"', '"n"'))
    changed = Mutant("m", "sub must return a - b", "adder.py", patch="@@ -1 +1 @@\n-x\n+y\n")
    mutant_authoring.replace_entry(path, changed, FILES)
    text = path.read_text()
    assert text.startswith('# top comment\nequivalent = [{id = "e", reason = "r"}]\n')
    assert "# about n\n[[mutant]]\n" in text
    parsed = _parse(text)
    assert parsed.mutants[0] == changed and parsed.mutants[1].name == "n"
    mutant_authoring.add_entry(path, Mutant("o", "w", "adder.py", replace="a", with_="b"), FILES)
    assert [m.name for m in _parse(path.read_text()).mutants] == ["m", "n", "o"]


# -- through the real command ----------------------------------------------------------------

def _editor(tmp_path: Path, old: str, new: str) -> dict[str, str]:
    """An $EDITOR that replaces `old` with `new` in the file it is given."""
    script = tmp_path / "editor.py"
    script.write_text(f"#!{sys.executable}\nimport sys, pathlib\n"
                      f"p = pathlib.Path(sys.argv[1])\n"
                      f"p.write_text(p.read_text().replace({old!r}, {new!r}))\n")
    script.chmod(0o755)
    return {"EDITOR": str(script), "VISUAL": ""}


def test_show_prints_the_mutant_file_or_its_diff(kata):
    cat = ("--catalog", str(FIXTURE_CATALOG))
    done = kata("mutant", "show", "adder", "sub_reversed", *cat)
    assert done.returncode == 0, done.stderr
    assert "    return b - a\n" in done.stdout and "def add(a: int, b: int)" in done.stdout
    diff = kata("mutant", "show", "adder", "sub_reversed", "--diff", *cat)
    assert "-    return a - b\n+    return b - a\n" in diff.stdout


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("show", "adder", "sub_revrsed"), "unknown mutant 'sub_revrsed'"),
        (("show", "addr", "sub_reversed"), "unknown kata 'addr'"),
        (("new", "adder", "sub_reversed", "--why", "w"), "already exists"),
        (("new", "adder", "bad-name", "--why", "w"), "is not a mutant name"),
        (("new", "adder", "fresh", "--why", " "), "--why is empty"),
    ],
)
def test_mutant_commands_refuse_bad_input(kata, args, needle):
    done = kata("mutant", *args, "--catalog", str(FIXTURE_CATALOG))
    assert done.returncode == 2
    assert needle in done.stderr


def test_new_stores_the_edit_as_its_mistake(kata, catalog, tmp_path):
    env = _editor(tmp_path, "return a + b", "return a + b + 1")
    done = kata("mutant", "new", "adder", "off_by_one", "--why", "add must return a + b",
                "--catalog", str(catalog), env=env)
    assert done.returncode == 0, done.stderr
    assert "added as replace/with" in done.stdout
    (added,) = [m for m in _parse((catalog / "solutions/adder/mutants.toml").read_text()).mutants
                if m.name == "off_by_one"]
    assert (added.why, added.replace, added.with_) == (
        "add must return a + b", "    return a + b\n", "    return a + b + 1\n")


def test_edit_writes_back_and_an_edit_that_changes_nothing_is_refused(kata, catalog, tmp_path):
    cat = ("--catalog", str(catalog))
    done = kata("mutant", "edit", "adder", "sub_reversed", *cat,
                env=_editor(tmp_path, "return b - a", "return b - a - 0"))
    assert done.returncode == 0, done.stderr
    shown = kata("mutant", "show", "adder", "sub_reversed", *cat)
    assert "    return b - a - 0\n" in shown.stdout
    same = kata("mutant", "edit", "adder", "sub_reversed", *cat, env={"EDITOR": "true"})
    assert same.returncode == 2 and "mutant 'sub_reversed' was not changed" in same.stderr


def test_edit_without_an_editor_or_a_terminal_says_how(kata):
    done = kata("mutant", "edit", "adder", "sub_reversed", "--catalog", str(FIXTURE_CATALOG),
                env={"EDITOR": "", "VISUAL": ""})
    assert done.returncode == 2 and "set VISUAL or EDITOR" in done.stderr


def _add(catalog: Path, entry: str) -> None:
    with (catalog / "solutions/adder/mutants.toml").open("a") as toml:
        toml.write("\n[[mutant]]\n" + entry)


@pytest.mark.parametrize(
    ("entry", "status", "needle"),
    [
        ('name = "broken"\nwhy = "w"\nreplace = "return a + b"\nwith = "return a +"\n',
         "error", "mutant 'broken' never got to the tests"),
        ('name = "stale"\nwhy = "w"\nreplace = "return a * b"\nwith = "return 0"\n',
         "not applied", "mutant 'stale': its replace text does not occur in adder.py"),
        ('name = "stale"\nwhy = "w"\npatch = "@@ -1 +1 @@\\n-nope\\n+x\\n"\n',
         "not applied", "mutant 'stale': hunk 1 does not apply at line 1"),
    ],
)
def test_a_mutant_that_does_not_apply_or_load_fails_verify(kata, catalog, entry, status, needle):
    _add(catalog, entry)
    done = kata("verify", "adder", "--catalog", str(catalog), "--repeat", "1", "--format", "json")
    assert done.returncode == 1, done.stdout
    report = json.loads(done.stdout)[0]
    check = next(c for c in report["checks"] if c["name"] == "mutants fail")
    assert not check["ok"] and needle in check["detail"]
    verdict = next(m for m in report["mutants"] if m["name"] in ("broken", "stale"))
    assert (verdict["killed"], verdict["status"]) == (False, status)
    assert verdict["why"] == "w" and needle in verdict["problem"]


# -- the test that caught each mutant (caught_by, kata mutant record) ------------------------

def test_caught_by_names_a_hidden_test_or_the_entry_is_refused():
    parsed = _parse("[[mutant]]\n" + GOOD + 'caught_by = "test_sub.py::test_x[a b]"\n')
    assert parsed.mutants[0].caught_by == "test_sub.py::test_x[a b]"
    assert _parse(parsed.mutants[0].to_toml()).mutants == parsed.mutants
    for bad in ('"test_x"', '"hidden/test_sub.py"', "3"):
        with pytest.raises(CatalogError, match=r"mutant\[1\] \(m\)\.caught_by.*kata mutant record"):
            _parse("[[mutant]]\n" + GOOD + f"caught_by = {bad}\n")


def test_recording_catchers_writes_one_line_per_entry_and_nothing_else(tmp_path):
    path = tmp_path / "mutants.toml"
    original = ('# top\n\n[[mutant]]\n' + GOOD + '\n# about n\n[[mutant]]\n'
                + GOOD.replace('"m"', '"n"') + '\n[[mutant]]\nname = "p"\nwhy = "w"\n'
                'patch = """\ncaught_by = "inside a string"\n"""\n')
    path.write_text(original)
    changed = mutant_authoring.record_catchers(
        path, {"m": "test_sub.py::test_one", "p": "test_add.py::test_two"}, FILES)
    assert changed == ["m", "p"]
    text = path.read_text()
    assert text == original.replace(
        'why = "sub must return a - b"\nreplace', 'why = "sub must return a - b"\n'
        'caught_by = "test_sub.py::test_one"\nreplace', 1).replace(
        'why = "w"\npatch', 'why = "w"\ncaught_by = "test_add.py::test_two"\npatch')
    # a second record replaces the line; the same record writes nothing
    assert mutant_authoring.record_catchers(path, {"m": "test_sub.py::test_three"}, FILES) == ["m"]
    assert mutant_authoring.record_catchers(path, {"m": "test_sub.py::test_three"}, FILES) == []
    parsed = _parse(path.read_text())
    assert [m.caught_by for m in parsed.mutants] == [
        "test_sub.py::test_three", None, "test_add.py::test_two"]
    assert path.read_text().count("caught_by") == 3  # one per recorded entry, one in the patch


def test_run_first_moves_the_named_tests_before_the_others_and_keeps_control_tests():
    from harness.plugin import run_first

    class Item:
        def __init__(self, nodeid):
            self.nodeid = nodeid

    ids = ["k3x9/test_control.py::test_first", "hidden/test_a.py::test_1",
           "hidden/test_a.py::test_2", "hidden/test_b.py::test_3", "zz81/test_control.py::last"]
    items = [Item(i) for i in ids]
    run_first(items, ["hidden/test_b.py::test_3", "hidden/test_a.py::test_2"])
    assert [i.nodeid for i in items] == [ids[0], ids[3], ids[2], ids[1], ids[4]]
    run_first(items, ["hidden/test_gone.py::test_x"])  # a stale record changes nothing
    assert [i.nodeid for i in items] == [ids[0], ids[3], ids[2], ids[1], ids[4]]


def test_record_writes_the_catchers_and_verify_then_runs_each_first(kata, catalog):
    cat = ("--catalog", str(catalog))
    path = catalog / "solutions/adder/mutants.toml"
    done = kata("mutant", "record", "adder", *cat)
    assert done.returncode == 0, done.stderr
    assert "2 record(s) written" in done.stdout
    recorded = {m.name: m.caught_by for m in _parse(path.read_text()).mutants}
    assert recorded["sub_reversed"].startswith("test_sub.py::"), recorded
    # a recorded catcher later in the suite runs first: the run stops there, nothing before it
    later = "test_sub.py::test_subtracts_negative"
    mutant_authoring.record_catchers(path, {"sub_reversed": later}, FILES)
    verified = kata("verify", "adder", *cat, "--repeat", "1", "--format", "json")
    assert verified.returncode == 0, verified.stdout
    (verdict,) = [m for m in json.loads(verified.stdout)[0]["mutants"]
                  if m["name"] == "sub_reversed"]
    assert (verdict["caught_by"], verdict["recorded"]) == (later, later), verdict
    # a stale record is said, and the mutant still counts as caught by what did catch it
    mutant_authoring.record_catchers(path, {"sub_reversed": "test_sub.py::test_gone"}, FILES)
    stale = json.loads(kata("verify", "adder", *cat, "--repeat", "1", "--format",
                            "json").stdout)[0]
    check = next(c for c in stale["checks"] if c["name"] == "mutants fail")
    assert check["ok"] and "1 not caught by the test mutants.toml records (sub_reversed)" \
        in check["detail"] and "kata mutant record adder" in check["detail"]


def test_a_slow_catcher_is_recorded_as_the_test_that_fails_soonest(catalog, monkeypatch):
    from harness.catalog import Catalog

    # the first test of the suite catches sub_reversed only after it has waited a while (as
    # a test proving a hang does); a later test catches it at once
    hidden = catalog / "katas/networking/adder/tests/hidden"
    (hidden / "test_a_wait.py").write_text(
        "import time\n\nimport pytest\n\nfrom adder import sub\n\npytestmark = pytest.mark.sub"
        "\n\n\ndef test_waits_then_subtracts():\n    time.sleep(0.5)\n    assert sub(7, 2) == 5\n")
    monkeypatch.setattr(mutant_authoring, "QUICK_CATCHER", 0.25)
    report, _ = mutant_authoring.record(Catalog(catalog).get("adder"), jobs=1,
                                        isolation="none")
    slow = next(m for m in report.mutants if m.name == "sub_reversed")
    assert slow.catcher.startswith("test_sub.py::") and slow.catcher_seconds < 0.5, slow
    recorded = {m.name: m.caught_by for m in _parse(
        (catalog / "solutions/adder/mutants.toml").read_text()).mutants}
    assert recorded["sub_reversed"].startswith("test_sub.py::"), recorded
    assert recorded["add_ignores_sign"].startswith("test_add.py::"), recorded


def test_the_fastest_catcher_is_the_failed_test_that_took_least_time():
    from harness.result import RunResult, Status, TestResult
    from harness.verify_runs import fastest_catcher

    def test(name, status, seconds):
        return TestResult(f"hidden/test_x.py::{name}", name, 1, status, duration=seconds)

    run = RunResult(submission="m", kata="k", status=Status.FAIL, tests=[
        test("slow", Status.FAIL, 9.0), test("quick_pass", Status.PASS, 0.01),
        test("quick", Status.ERROR, 0.2), test("as_quick", Status.FAIL, 0.2)])
    assert fastest_catcher(run) == ("test_x.py::quick", 0.2)  # the earlier of two equals
    assert fastest_catcher(RunResult(submission="m", kata="k", status=Status.PASS)) is None
