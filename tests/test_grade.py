"""Grading a class: kata grade, its reports, shards and merge, hand-outs and bundles."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from browser import find_chromium, png_is_not_blank
from browser import flags as chromium_flags
from conftest import FIXTURE_CATALOG, ROOT

SCENARIOS = Path(__file__).parent / "scenarios"
CLASS = ["passing", "failing", "syntax_error", "infinite_loop", "flood_output", "exit_in_test",
         "missing_name"]
CAT = ("--catalog", str(FIXTURE_CATALOG))
# the tests that read one shared grade of the class run on one xdist worker, so it runs once
SHARED_GRADE = pytest.mark.xdist_group("graded-class")


@pytest.fixture(scope="module")
def classroom(tmp_path_factory) -> Path:
    """A folder of student submissions: one per golden scenario."""
    root = tmp_path_factory.mktemp("class")
    for name in CLASS:
        (root / name).mkdir()
        shutil.copy(SCENARIOS / name / "adder.py", root / name / "adder.py")
    return root


@pytest.fixture(scope="module")
def graded(classroom, tmp_path_factory):
    """One kata grade of the whole class, shared by the tests that read its reports."""
    out = tmp_path_factory.mktemp("out")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1",
           "KATA_HOME": str(tmp_path_factory.mktemp("home"))}
    done = subprocess.run([sys.executable, "-m", "harness", "grade", "adder",
                           "--each", str(classroom), "--out", str(out), "--jobs", "2", *CAT],
                          env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    return done, out


def _summary(out: Path) -> dict[str, dict]:
    return {row["name"]: row for row in csv.DictReader(io.StringIO(
        (out / "summary.csv").read_text()))}


@SHARED_GRADE
def test_grade_writes_every_report_and_exits_one(graded):
    done, out = graded
    assert done.returncode == 1, done.stderr
    for name in ("summary.csv", "summary.md", "junit.xml", "index.html"):
        assert (out / name).is_file(), name
    assert len(list((out / "results").glob("*.json"))) == len(CLASS)
    assert len(list((out / "gradescope").glob("*/results.json"))) == len(CLASS)
    assert len(list((out / "submissions").glob("*.html"))) == len(CLASS)
    assert "2/7 reached the pass mark" in done.stdout


@SHARED_GRADE
def test_each_submission_costs_only_itself(graded):
    _done, out = graded
    rows = _summary(out)
    assert set(rows) == set(CLASS)
    assert rows["passing"]["status"] == "pass" and float(rows["passing"]["score"]) == 10
    assert rows["syntax_error"]["status"] == "error"
    assert rows["missing_name"]["status"] == "error"
    assert rows["infinite_loop"]["status"] == "timed out"
    assert float(rows["infinite_loop"]["score"]) == pytest.approx(3.33, abs=0.01)
    assert rows["flood_output"]["status"] == "pass"


@SHARED_GRADE
def test_a_hung_submission_says_it_timed_out_everywhere(graded):
    done, out = graded
    hung = json.loads((out / "results" / "infinite_loop.json").read_text())
    assert (hung["status"], hung["outcome"], hung["harness"]["timed_out"]) == (
        "fail", "timed out", True)
    assert "outcome" not in json.loads((out / "results" / "failing.json").read_text())
    line = next(row for row in done.stdout.splitlines() if row.startswith("infinite_loop "))
    assert "timed out" in line and "did not return within" in line, line
    assert "| timed out |" in (out / "summary.md").read_text()


@SHARED_GRADE
def test_a_submission_where_no_test_ran_says_why(graded):
    done, out = graded
    rows = _summary(out)
    assert rows["syntax_error"]["why"] == (
        "no test ran: adder.py, line 2: SyntaxError: invalid syntax")
    assert rows["missing_name"]["why"].startswith("no test ran: adder.py does not define sub")
    for name in ("syntax_error", "missing_name"):
        line = next(row for row in done.stdout.splitlines() if row.startswith(f"{name} "))
        assert "none ran" in line and "no test ran: " in line and "0/0" not in line, line
    markdown = (out / "summary.md").read_text()
    assert "0/0" not in markdown and "| none ran | error | " in markdown


@SHARED_GRADE
def test_summary_csv_has_a_column_per_task_in_task_order(graded):
    _done, out = graded
    header = (out / "summary.csv").read_text().splitlines()[0].split(",")
    assert header[-2:] == ["task 1 (Add)", "task 2 (Subtract)"]
    rows = _summary(out)
    for name, row in rows.items():
        tasks = float(row["task 1 (Add)"]) + float(row["task 2 (Subtract)"])
        assert tasks == pytest.approx(float(row["score"]), abs=0.02), name
    assert (rows["failing"]["task 1 (Add)"], rows["failing"]["task 2 (Subtract)"]) == (
        "3.33", "0.0")


LEARNER_ADVICE = ("kata check", "kata hint", "kata reset", "Stuck?", "run kata", "again")


@SHARED_GRADE
def test_reports_for_instructors_carry_no_learner_advice(graded):
    done, out = graded
    texts = {p.relative_to(out).as_posix(): p.read_text() for p in out.rglob("*")
             if p.is_file() and p.suffix in (".json", ".csv", ".md", ".xml", ".html")}
    texts["stdout"] = done.stdout
    assert len(texts) > 20
    for where, text in texts.items():
        for advice in LEARNER_ADVICE:
            assert advice not in text, f"{where} tells the instructor {advice!r}"


@SHARED_GRADE
def test_junit_has_a_testsuite_per_submission_and_a_testcase_per_test(graded):
    _done, out = graded
    root = ElementTree.parse(out / "junit.xml").getroot()
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert set(suites) == set(CLASS)
    failing = suites["failing"]
    assert failing.get("tests") == "6" and failing.get("failures") == "2"
    messages = [f.get("message") for f in failing.iter("failure")]
    assert "sub(5, 3) returned -2, expected 2" in messages
    assert suites["syntax_error"].get("errors") == "1"


@SHARED_GRADE
def test_gradescope_results_follow_the_autograder_schema(graded):
    _done, out = graded
    for path in (out / "gradescope").glob("*/results.json"):
        data = json.loads(path.read_text())
        assert set(data) >= {"score", "max_score", "tests"}
        for test in data["tests"]:
            assert set(test) >= {"name", "score", "max_score", "status", "output", "visibility"}
            assert test["status"] in ("passed", "failed")
            expected = "visible" if test["name"].endswith("(example)") else "after_due_date"
            assert test["visibility"] == expected, test  # hidden tests: not before the due date


@SHARED_GRADE
def test_visibility_of_hidden_tests_is_the_instructors_choice(kata, classroom, tmp_path):
    out = tmp_path / "out"
    done = kata("grade", "adder", str(classroom / "passing"), "--out", str(out), *CAT,
                "--format", "gradescope", "--visibility", "hidden")
    assert done.returncode == 0, done.stderr
    (path,) = (out / "gradescope").glob("*/results.json")
    seen = {t["visibility"] for t in json.loads(path.read_text())["tests"]
            if not t["name"].endswith("(example)")}
    assert seen == {"hidden"}


@SHARED_GRADE
def test_result_json_per_submission_is_the_result_object(graded):
    _done, out = graded
    results = [json.loads(p.read_text()) for p in (out / "results").glob("*.json")]
    assert {r["submission"] for r in results} == set(CLASS)
    assert all(r["version"] == 1 and r["kata"] == "adder" for r in results)


@SHARED_GRADE
def test_html_report_renders_in_a_real_browser(graded, tmp_path):
    browser = find_chromium("check the HTML report")
    _done, out = graded
    flags = chromium_flags(browser, tmp_path / "profile")
    page = (out / "index.html").as_uri()
    dom = subprocess.run([*flags, "--dump-dom", page], capture_output=True, text=True,
                         timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert 'id="submissions"' in dom.stdout
    assert dom.stdout.count('href="submissions/') == len(CLASS)
    shot = tmp_path / "report.png"
    subprocess.run([*flags, f"--screenshot={shot}", "--window-size=1280,1600", page],
                   capture_output=True, timeout=120, check=True)
    assert png_is_not_blank(shot)
    shutil.copy(shot, out / "report.png")


@SHARED_GRADE
def test_shards_merged_equal_a_single_run(kata, classroom, graded, tmp_path):
    _done, single = graded
    outs = []
    for index in (1, 2, 3):
        out = tmp_path / f"shard{index}"
        kata("grade", "adder", "--each", str(classroom), "--out", str(out), "--shard",
             f"{index}/3", "--format", "json", *CAT)
        outs.append(out)
    merged = tmp_path / "merged"
    done = kata("merge", *map(str, outs), "--out", str(merged), *CAT)
    assert done.returncode == 1
    strip = lambda rows: {n: (r["score"], r["status"], r["passed"]) for n, r in rows.items()}  # noqa: E731
    assert strip(_summary(merged)) == strip(_summary(single))
    sizes = [len(list((o / "results").glob("*.json"))) for o in outs]
    assert sum(sizes) == len(CLASS) and min(sizes) >= 2


def test_min_score_sets_the_pass_mark(kata, tmp_path):
    folder = tmp_path / "subs"
    for name in ("passing", "failing"):
        (folder / name).mkdir(parents=True)
        shutil.copy(SCENARIOS / name / "adder.py", folder / name / "adder.py")
    out = tmp_path / "out"
    strict = kata("grade", "adder", "--each", str(folder), "--out", str(out), *CAT)
    lenient = kata("grade", "adder", "--each", str(folder), "--out", str(out),
                   "--min-score", "30%", *CAT)
    assert (strict.returncode, lenient.returncode) == (1, 0)


def _small_class(folder: Path, names: tuple[str, ...]) -> Path:
    for name in names:
        (folder / name).mkdir(parents=True)
        shutil.copy(SCENARIOS / ("passing" if "pass" in name else "failing") / "adder.py",
                    folder / name / "adder.py")
    return folder


def test_a_run_owns_its_output_folder(kata, tmp_path):
    """A folder of somebody else's files is refused before grading and left as it was; a
    previous kata grade output is replaced whole, so no student of an earlier run stays in
    the new report."""
    foreign = tmp_path / "notes"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("mine")
    first = _small_class(tmp_path / "first", ("ana_pass", "ben_fail"))
    refused = kata("grade", "adder", "--each", str(first), "--out", str(foreign), *CAT)
    assert refused.returncode == 2 and "was not written by kata grade" in refused.stderr
    assert [p.name for p in foreign.iterdir()] == ["keep.txt"]

    out = tmp_path / "grades"
    assert kata("grade", "adder", "--each", str(first), "--out", str(out), *CAT).returncode == 1
    second = _small_class(tmp_path / "second", ("chen_pass",))
    again = kata("grade", "adder", "--each", str(second), "--out", str(out), *CAT)
    assert again.returncode == 0, again.stdout + again.stderr
    assert set(_summary(out)) == {"chen_pass"}
    assert len(list((out / "results").glob("*.json"))) == 1
    assert len(list((out / "gradescope").glob("*/results.json"))) == 1
    manifest = json.loads((out / "kata-grade.json").read_text())
    assert list(manifest["results"]) == ["chen_pass"] and manifest["shard"] is None
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_merge_takes_only_the_shards_of_one_run(kata, tmp_path):
    """Shards of one class agree on their run id without being told; a shard of another
    class, a missing shard, or a shard given twice is refused, naming the problem."""
    class_a = _small_class(tmp_path / "a", ("ana_pass", "ben_fail", "chen_pass"))
    class_b = _small_class(tmp_path / "b", ("ana_pass", "dee_fail", "chen_pass"))

    def shard(folder: Path, index: int, name: str) -> Path:
        out = tmp_path / name
        kata("grade", "adder", "--each", str(folder), "--out", str(out), "--shard",
             f"{index}/2", "--format", "json", *CAT)
        return out

    a1, a2, b2 = shard(class_a, 1, "a1"), shard(class_a, 2, "a2"), shard(class_b, 2, "b2")
    merged = kata("merge", str(a1), str(a2), "--out", str(tmp_path / "m"), *CAT)
    assert merged.returncode == 1, merged.stderr
    assert set(_summary(tmp_path / "m")) == {"ana_pass", "ben_fail", "chen_pass"}
    mixed = kata("merge", str(a1), str(b2), "--out", str(tmp_path / "x"), *CAT)
    assert mixed.returncode == 2 and "not shards of one run" in mixed.stderr
    missing = kata("merge", str(a1), "--out", str(tmp_path / "y"), *CAT)
    assert missing.returncode == 2 and "shard 2/2 of this run is missing" in missing.stderr
    twice = kata("merge", str(a1), str(a1), str(a2), "--out", str(tmp_path / "z"), *CAT)
    assert twice.returncode == 2 and "appears twice" in twice.stderr
    assert not any((tmp_path / n).exists() for n in "xyz")


def test_single_file_submissions_are_named_for_their_files(kata, tmp_path):
    (tmp_path / "ana.py").write_text((SCENARIOS / "passing" / "adder.py").read_text())
    done = kata("grade", "adder", str(tmp_path / "ana.py"), "--out", str(tmp_path / "o"), *CAT)
    assert done.returncode == 0, done.stdout
    assert "ana " in done.stdout


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("grade", "adder", "/no/such/dir"), "no such submission"),
        (("grade", "adder"), "give submissions to grade"),
        (("grade", "adder", ".", "--shard", "3/2"), "I must be between 1 and N"),
        (("grade", "adder", ".", "--min-score", "lots"), "give points"),
        (("merge", "."), "holds no kata-grade.json"),
    ],
)
def test_bad_input_is_a_usage_error(kata, tmp_path, args, needle):
    done = kata(*args, *CAT, cwd=tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    assert needle in done.stderr


HARNESS = ("--harness", "git+https://example.org/course/kata.git@v1")


def test_handout_leaks_nothing_hidden(kata, tmp_path):
    dest = tmp_path / "handout"
    done = kata("export", "adder", str(dest), *HARNESS, *CAT)
    assert done.returncode == 0, done.stderr
    files = {p.relative_to(dest).as_posix(): p.read_text() for p in dest.rglob("*") if p.is_file()}
    assert {"adder.py", "test_adder.py", "README.md", ".github/workflows/kata.yml",
            ".kata/state.json"} <= set(files)
    # the state that makes it a workspace names the kata and holds nothing of the maker's
    assert json.loads(files[".kata/state.json"]) == {
        "version": 1, "slug": "adder", "hints_shown": {}, "checks": [], "passed_at": None}
    assert "pip install git+https://example.org/course/kata.git@v1" in \
        files[".github/workflows/kata.yml"]
    hidden = FIXTURE_CATALOG / "katas/networking/adder/tests/hidden"
    secrets = [line.split("(")[0].removeprefix("def ") for p in hidden.glob("*.py")
               for line in p.read_text().splitlines() if line.startswith("def test_")]
    reference = [line.strip() for line in
                 (FIXTURE_CATALOG / "solutions/adder/adder.py").read_text().splitlines()
                 if line.strip().startswith("return")]
    everything = "\n".join(files.values())
    assert secrets and not [n for n in secrets if re.search(rf"\b{n}\b", everything)]
    assert reference and all(line not in everything for line in reference)
    # and it is a workspace: kata check finds the kata in it
    done = kata("check", str(dest), *CAT)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "adder" in done.stdout and "tests passed" in done.stdout


def test_gradescope_bundle_has_the_autograder_and_no_solution(kata, tmp_path):
    bundle = tmp_path / "autograder.zip"
    done = kata("export", "adder", str(bundle), "--gradescope", *HARNESS, *CAT)
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(bundle) as archive:
        names = archive.namelist()
        assert {"setup.sh", "run_autograder"} <= set(names)
        run = archive.read("run_autograder").decode()
        assert "kata grade adder /autograder/submission --catalog /autograder/source/catalog" \
            in run
        assert "pip3 install git+https://example.org/course/kata.git@v1" in \
            archive.read("setup.sh").decode()
        assert "catalog/katas/networking/adder/tests/hidden/test_sub.py" in names
        assert not any("solutions" in n for n in names)
        assert (archive.getinfo("run_autograder").external_attr >> 16) & 0o111


def _broken_catalog(tmp_path: Path, line: str) -> Path:
    """A copy of the fixture catalog whose hidden suite has `line` appended to a test file."""
    catalog = tmp_path / "catalog"
    shutil.copytree(FIXTURE_CATALOG, catalog)
    suite = next(catalog.glob("katas/*/adder/tests/hidden/test_add.py"))
    suite.write_text(suite.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")
    return catalog


def test_grade_reports_a_suite_that_cannot_be_collected_for_every_submission(kata, tmp_path):
    catalog = _broken_catalog(tmp_path, "import module_that_does_not_exist")
    for name in ("ana", "ben", "cy"):
        (tmp_path / "class" / name).mkdir(parents=True)
        shutil.copy(SCENARIOS / "passing" / "adder.py", tmp_path / "class" / name)
    done = kata("grade", "adder", "--each", str(tmp_path / "class"), "--out",
                str(tmp_path / "out"), "--jobs", "2", "--catalog", str(catalog),
                "--format", "csv")
    assert done.returncode == 1, done.stderr
    results = [json.loads(p.read_text()) for p in (tmp_path / "out" / "results").glob("*.json")]
    assert sorted(r["submission"] for r in results) == ["ana", "ben", "cy"]
    for result in results:
        assert result["status"] == "error", result
        assert "module_that_does_not_exist" in result["message"], result["message"]
    for row in _summary(tmp_path / "out").values():  # why, on the summary's one line
        assert row["why"] == ("the tests could not be loaded: ImportError while "
                              "importing test module 'hidden/test_add.py'."), row["why"]


def test_a_suite_calling_the_learner_while_collected_is_an_error_not_a_hang(kata, tmp_path):
    catalog = _broken_catalog(tmp_path, "import adder as _mirror\n_mirror.add(1, 2)")
    (tmp_path / "class" / "ana").mkdir(parents=True)
    shutil.copy(SCENARIOS / "passing" / "adder.py", tmp_path / "class" / "ana")
    done = kata("grade", "adder", "--each", str(tmp_path / "class"), "--out",
                str(tmp_path / "out"), "--catalog", str(catalog), "--format", "json",
                timeout=120)
    assert done.returncode == 1, done.stderr
    [result] = [json.loads(p.read_text()) for p in (tmp_path / "out" / "results").glob("*.json")]
    assert result["status"] == "error"
    assert "while the tests were being collected" in result["message"], result["message"]


def test_a_prepared_grader_serves_every_run_of_its_worker_from_one_process(tmp_path):
    from harness import runner
    from harness.catalog import Catalog
    from harness.forkserver import ForkServer
    from harness.grader_layout import hidden_from_child

    adder = Catalog(FIXTURE_CATALOG).get("adder")
    with ForkServer(adder, tmp_path / "worker", "auto", tuple(hidden_from_child(adder))) as server:
        verdicts = []
        for scenario in ("passing", "failing", "syntax_error", "passing"):
            submission = runner.Submission.from_path(SCENARIOS / scenario / "adder.py", adder,
                                                     name=scenario)
            verdicts.append(runner.run(adder, submission, server=server).status.value)
            assert server.process.poll() is None, "the prepared grader must outlive its runs"
    assert verdicts == ["pass", "fail", "error", "pass"]


def test_a_first_failure_run_skips_the_rest_and_keeps_its_control_tests(tmp_path):
    """Known-wrong versions need one failing test: with first_failure the suites' tests after
    it are skipped, not run; the control tests still run, so tampering is still seen."""
    from harness import runner
    from harness.catalog import Catalog
    from harness.result import Status

    adder = Catalog(FIXTURE_CATALOG).get("adder")
    failing = runner.Submission.from_path(SCENARIOS / "failing" / "adder.py", adder)
    whole = runner.run(adder, failing, suites=("hidden",))
    first = runner.run(adder, failing, suites=("hidden",), first_failure=True)
    assert whole.status is first.status is Status.FAIL, (whole.message, first.message)
    assert not first.integrity, first.integrity
    statuses = [t.status for t in first.tests]
    stop = next(i for i, s in enumerate(statuses) if s is Status.FAIL)
    assert stop < len(statuses) - 1, "the fixture must fail before its last hidden test"
    assert set(statuses[stop + 1:]) == {Status.SKIP}, statuses
    assert statuses[:stop + 1] == [t.status for t in whole.tests][:stop + 1]


def test_the_first_failure_is_the_one_kata_check_shows(kata, tmp_path):
    """A suite whose test order differs from its task order: a subtract test collected
    before the add tests. Grade names the failure check shows (the first unfinished task's
    first failure), not the first failure in the suite's order."""
    catalog = tmp_path / "catalog"
    shutil.copytree(FIXTURE_CATALOG, catalog)
    hidden = next(catalog.glob("katas/*/adder/tests/hidden"))
    (hidden / "test_aa_sub_first.py").write_text(
        "import pytest\n\nfrom adder import sub\n\npytestmark = pytest.mark.sub\n\n\n"
        "def test_subtracts_zero():\n    got = sub(7, 0)\n"
        "    assert got == 7, f'sub(7, 0) returned {got!r}, expected 7'\n")
    source = "def add(a, b):\n    return a + b if a >= 0 else a - b\n\n\ndef sub(a, b):\n" \
             "    return b - a\n"
    (tmp_path / "class" / "ana").mkdir(parents=True)
    (tmp_path / "class" / "ana" / "adder.py").write_text(source)
    out = tmp_path / "out"
    done = kata("grade", "adder", "--each", str(tmp_path / "class"), "--out", str(out),
                "--catalog", str(catalog))
    assert done.returncode == 1, done.stdout + done.stderr
    workspace = tmp_path / "ws"
    assert kata("start", "adder", "--dir", str(workspace), "--catalog", str(catalog)
                ).returncode == 0
    (workspace / "adder.py").write_text(source)
    check = kata("check", str(workspace), "--catalog", str(catalog))
    shown = next(line for line in check.stdout.splitlines()
                 if line.startswith("First failing test: ")).removeprefix("First failing test: ")
    assert shown == "add > adds [-2-2]"
    assert _summary(out)["ana"]["why"].startswith(f"first failure: {shown}: add(-2, 2) returned")
    result = json.loads((out / "results" / "ana.json").read_text())
    in_order = [t["name"] for t in result["tests"] if t["status"] == "fail"]
    assert in_order[0] == "subtract > subtracts zero", "the suite's order puts it first"
