"""kata grade takes submissions as course platforms hand them over: zips (the kata's files at
the top or one folder down) and folders that hold the files one level down. A zip that could
escape, lie about its size or hold links is that submission's graded error, never another's.
Every test runs the real command."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import FIXTURE_CATALOG, ROOT

SCENARIOS = Path(__file__).parent / "scenarios"
CAT = ("--catalog", str(FIXTURE_CATALOG))
PASSING = (SCENARIOS / "passing" / "adder.py").read_bytes()
FAILING = (SCENARIOS / "failing" / "adder.py").read_bytes()


def _zip(path: Path, entries: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)


def _link_zip(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        link = zipfile.ZipInfo("adder.py")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")


def _summary(out: Path) -> dict[str, dict]:
    return {r["name"]: r for r in csv.DictReader(io.StringIO((out / "summary.csv").read_text()))}


@pytest.fixture(scope="module")
def platform_class(tmp_path_factory) -> Path:
    """A class as a course platform downloads it, good and bad zips and folders side by side."""
    root = tmp_path_factory.mktemp("platform") / "class"
    root.mkdir()
    _zip(root / "ana.zip", {"ana-main/adder.py": PASSING, "ana-main/README.md": b"hi"})
    _zip(root / "ben.zip", {"adder.py": FAILING})
    (root / "cy" / "repo").mkdir(parents=True)
    (root / "cy" / "repo" / "adder.py").write_bytes(PASSING)
    _zip(root / "dotdot.zip", {"adder.py": PASSING, "../escaped.py": b"x = 1"})
    _zip(root / "absolute.zip", {"/tmp/kata-absolute-escape.py": b"x = 1"})
    _link_zip(root / "link.zip")
    _zip(root / "bomb.zip", {"adder.py": PASSING + b"#" * (40 * 1024 * 1024)})
    _zip(root / "many.zip", {"adder.py": PASSING, **{f"f/{i}.txt": b"" for i in range(10_001)}})
    _zip(root / "twice.zip", {"a/adder.py": PASSING, "b/adder.py": FAILING})
    (root / "garbage.zip").write_bytes(b"not a zip at all")
    (root / "fay" / "notes").mkdir(parents=True)  # handed in without the kata's file
    (root / "fay" / "notes" / "todo.txt").write_text("finish adder.py")
    (root / "dup").mkdir()
    (root / "dup" / "adder.py").write_bytes(PASSING)
    _zip(root / "dup.zip", {"adder.py": FAILING})
    return root


@pytest.fixture(scope="module")
def graded_platform(platform_class, tmp_path_factory):
    out = tmp_path_factory.mktemp("out") / "grades"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1",
           "KATA_HOME": str(tmp_path_factory.mktemp("home"))}
    done = subprocess.run([sys.executable, "-m", "harness", "grade", "adder", "--each",
                           str(platform_class), "--out", str(out), "--jobs", "2", *CAT],
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    return done, out


def test_zips_and_deep_folders_are_graded_where_their_files_are(graded_platform):
    done, out = graded_platform
    assert done.returncode == 1, done.stderr
    rows = _summary(out)
    assert (rows["ana"]["status"], rows["ana"]["score"]) == ("pass", "10.0"), rows["ana"]
    assert rows["ben"]["status"] == "fail" and rows["ben"]["passed"] == "4"
    assert rows["cy"]["status"] == "pass", rows["cy"]


@pytest.mark.parametrize(("name", "reason"), [
    ("dotdot", "'../escaped.py' leads out of the submission"),
    ("absolute", "has an absolute path"),
    ("link", "'adder.py' is a link"),
    ("bomb", "unpacks to more than 20 MiB"),
    ("many", "holds 10,002 entries"),
    ("twice", "adder.py found in two places (a/ and b/): it is ambiguous"),
    ("garbage", "garbage.zip is not a readable zip"),
    ("fay", "adder.py is missing: the kata is graded on adder.py"),
])
def test_what_cannot_be_taken_in_is_its_own_graded_error(graded_platform, name, reason):
    _done, out = graded_platform
    row = _summary(out)[name]
    assert row["status"] == "error" and row["score"] == "0.0"
    assert row["why"].startswith("no test ran: ") and reason in row["why"], row["why"]
    result = json.loads((out / "results" / f"{name}.json").read_text())
    assert reason in result["message"]


def test_nothing_of_a_refused_zip_lands_outside_it(graded_platform, platform_class):
    assert not (platform_class / "escaped.py").exists()
    assert not (platform_class.parent / "escaped.py").exists()
    assert not Path("/tmp/kata-absolute-escape.py").exists()


def test_result_files_are_named_after_submissions_unique_and_stable(graded_platform,
                                                                    platform_class, kata,
                                                                    tmp_path):
    _done, out = graded_platform
    names = {p.stem for p in (out / "results").glob("*.json")}
    plain = {"absolute", "ana", "ben", "bomb", "cy", "dotdot", "dup", "fay", "garbage", "link",
             "many", "twice"}
    assert plain <= names and len(names) == len(plain) + 1
    # a folder `dup` and `dup.zip` beside it: two submissions, two names, two files
    rows = _summary(out)
    assert {"dup", "dup~2"} <= set(rows)
    (other,) = names - plain
    assert other.startswith("dup_2-")
    assert {rows["dup"]["status"], rows["dup~2"]["status"]} == {"pass", "fail"}
    manifest = json.loads((out / "kata-grade.json").read_text())
    assert manifest["results"]["ana"] == "results/ana.json"
    assert len(set(manifest["results"].values())) == len(rows) == len(names)
    # graded again, the same submission is written to the same file
    again = tmp_path / "again"
    kata("grade", "adder", "--each", str(platform_class), "--out", str(again), "--format",
         "json", *CAT, timeout=300)
    assert json.loads((again / "kata-grade.json").read_text())["results"] == manifest["results"]


def test_a_gradescope_style_single_submission_folder_one_level_down(kata, tmp_path):
    submission = tmp_path / "submission"
    (submission / "my-repo-main").mkdir(parents=True)
    (submission / "my-repo-main" / "adder.py").write_bytes(PASSING)
    (submission / "__MACOSX").mkdir()
    done = kata("grade", "adder", str(submission), "--out", str(tmp_path / "o"), *CAT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert _summary(tmp_path / "o")["submission"]["status"] == "pass"


def test_a_zip_given_by_name_is_named_for_its_stem(kata, tmp_path):
    _zip(tmp_path / "eve.zip", {"eve/adder.py": PASSING})
    done = kata("grade", "adder", str(tmp_path / "eve.zip"), "--out", str(tmp_path / "o"), *CAT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert list(_summary(tmp_path / "o")) == ["eve"]
    assert (tmp_path / "o" / "results" / "eve.json").is_file()
