"""The pass mark of kata grade and kata merge (--min-score), through the real command: what
--help says it takes and what the exit code means, the summary naming the mark, and errors
naming the accepted forms and their range."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import FIXTURE_CATALOG

SCENARIOS = Path(__file__).parent / "scenarios"
CAT = ("--catalog", str(FIXTURE_CATALOG))


@pytest.fixture
def two_students(tmp_path) -> Path:
    folder = tmp_path / "subs"
    for name in ("passing", "failing"):
        (folder / name).mkdir(parents=True)
        shutil.copy(SCENARIOS / name / "adder.py", folder / name / "adder.py")
    return folder


@pytest.mark.parametrize("command", ["grade", "merge"])
def test_help_names_the_forms_the_default_and_the_exit_codes(kata, command):
    done = kata(command, "--help")
    text = " ".join(done.stdout.split())  # click wraps the help text
    assert "--min-score MARK" in text
    assert "points, from 0 to the kata's maximum (6)" in text
    assert "a percentage of the maximum, from 0% to 100% (60%)" in text
    assert "without --min-score, the pass mark is every test passing" in text
    assert "Exit code: 0 when every submission reached the pass mark (--min-score), 1 when " \
           "one did not, 2 for bad input" in text
    if command == "grade":  # only grade sends submissions to a queue
        assert "3 when a submission could not be graded on the queue" in text


def test_the_summary_names_the_pass_mark(kata, two_students, tmp_path):
    out = tmp_path / "out"
    args = ("grade", "adder", "--each", str(two_students), "--out", str(out), *CAT)
    strict = kata(*args)
    assert strict.returncode == 1, strict.stderr
    assert "1/2 reached the pass mark: every test passing (no --min-score given); " \
           f"reports in {out}/" in strict.stdout
    lenient = kata(*args, "--min-score", "30%")
    assert lenient.returncode == 0, lenient.stderr
    assert "2/2 reached the pass mark of 3/10 points (30%)" in lenient.stdout
    points = kata(*args, "--min-score", "9.5")
    assert points.returncode == 1
    assert "1/2 reached the pass mark of 9.5/10 points (95%)" in points.stdout
    merged = kata("merge", str(out), "--out", str(tmp_path / "merged"), "--min-score", "95%",
                  *CAT)
    assert merged.returncode == 1, merged.stderr
    assert "1/2 reached the pass mark of 9.5/10 points (95%)" in merged.stdout


@pytest.mark.parametrize(("mark", "problem"), [
    ("lots", "--min-score 'lots' is not a pass mark"),
    ("nan", "--min-score 'nan' is not a pass mark"),
    ("11", "--min-score 11: points must lie from 0 to 10, the kata's maximum"),
    ("-1", "--min-score -1: points must lie from 0 to 10, the kata's maximum"),
    ("120%", "--min-score 120%: a percentage must lie from 0% to 100%"),
])
def test_a_bad_pass_mark_names_the_accepted_forms_before_any_work(kata, two_students, tmp_path,
                                                                   mark, problem):
    out = tmp_path / "out"
    done = kata("grade", "adder", "--each", str(two_students), "--out", str(out),
                "--min-score", mark, *CAT)
    assert done.returncode == 2, done.stdout + done.stderr
    error = " ".join(done.stderr.split())
    assert problem in error
    assert "give points from 0 to 10 (e.g. 6) or a percentage from 0% to 100% (e.g. 60%)" \
        in error
    assert not out.exists(), "nothing is graded or written with a bad pass mark"
