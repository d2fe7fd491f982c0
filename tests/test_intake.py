"""Taking a submission in: links out of it, devices, FIFOs and oversized folders are refused as
a graded error that names the file; links inside it are kept; one refused submission costs
its classmates nothing."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURE_CATALOG
from harness import intake

CAT = ("--catalog", str(FIXTURE_CATALOG))
REFERENCE = FIXTURE_CATALOG / "solutions" / "adder" / "adder.py"


def _student(root: Path, name: str, source: Path = REFERENCE) -> Path:
    folder = root / name
    folder.mkdir(parents=True)
    shutil.copy(source, folder / "adder.py")
    return folder


def _result(done) -> dict:
    assert done.stdout.startswith("{"), (done.stdout[-2000:], done.stderr[-2000:])
    return json.loads(done.stdout)


def _links_out(folder: Path) -> None:
    (folder / "adder.py").symlink_to(REFERENCE)


def _links_to_a_classmate(folder: Path) -> None:
    (folder / "adder.py").symlink_to(Path("..") / "alice" / "adder.py")


def _links_to_the_catalog(folder: Path) -> None:
    shutil.copy(REFERENCE, folder / "adder.py")
    (folder / "catalog").symlink_to(FIXTURE_CATALOG / "katas", target_is_directory=True)


def _links_to_a_device(folder: Path) -> None:
    shutil.copy(REFERENCE, folder / "adder.py")
    (folder / "data.bin").symlink_to("/dev/zero")


def _dangling_link(folder: Path) -> None:
    shutil.copy(REFERENCE, folder / "adder.py")
    (folder / "gone.py").symlink_to(folder / "nowhere.py")


def _holds_a_fifo(folder: Path) -> None:
    shutil.copy(REFERENCE, folder / "adder.py")
    os.mkfifo(folder / "pipe")


def _too_big(folder: Path) -> None:
    shutil.copy(REFERENCE, folder / "adder.py")
    for number in range(3):  # sparse: the apparent size is what a copy would write
        with open(folder / f"blob{number}.bin", "wb") as blob:
            blob.truncate(8 * 1024 * 1024)


REFUSED = [
    (_links_out, "adder.py is a link to", "outside the submission"),
    (_links_to_a_classmate, "adder.py is a link to ../alice/adder.py", "outside the submission"),
    (_links_to_the_catalog, "catalog is a link to", "outside the submission"),
    (_links_to_a_device, "data.bin is a link to /dev/zero", "outside the submission"),
    (_dangling_link, "gone.py is a link to", "does not exist"),
    (_holds_a_fifo, "pipe is a FIFO", "not a file"),
    (_too_big, "more than 20 MiB", "blob"),
]


@pytest.mark.parametrize(("make", "first", "second"), REFUSED,
                         ids=[make.__name__.strip("_") for make, _, _ in REFUSED])
def test_check_refuses_what_leaves_the_submission(kata, tmp_path, make, first, second):
    _student(tmp_path, "alice")
    bob = tmp_path / "bob"
    assert kata("start", "adder", *CAT, "--dir", str(bob)).returncode == 0
    (bob / "adder.py").unlink()
    make(bob)
    done = kata("check", str(bob), "--format", "json")
    result = _result(done)
    assert done.returncode == 1
    assert result["status"] == "error" and result["score"] == 0
    assert first in result["message"] and second in result["message"], result["message"]


@pytest.mark.parametrize(("make", "first", "second"), REFUSED,
                         ids=[make.__name__.strip("_") for make, _, _ in REFUSED])
def test_grade_refuses_one_student_and_grades_the_others(kata, tmp_path, make, first, second):
    classroom = tmp_path / "class"
    _student(classroom, "alice")
    (classroom / "bob").mkdir()
    make(classroom / "bob")
    _student(classroom, "carol")
    out = tmp_path / "out"
    done = kata("grade", "adder", *sorted(str(p) for p in classroom.iterdir()), *CAT,
                "--out", str(out), "--format", "json")
    assert done.returncode == 1, (done.stdout[-2000:], done.stderr[-2000:])
    results = {json.loads(p.read_text(encoding="utf-8"))["submission"]:
               json.loads(p.read_text(encoding="utf-8")) for p in (out / "results").glob("*.json")}
    assert set(results) == {"alice", "bob", "carol"}
    assert results["alice"]["status"] == results["carol"]["status"] == "pass"
    assert results["bob"]["status"] == "error"
    assert first in results["bob"]["message"] and second in results["bob"]["message"]


def test_a_link_inside_the_submission_is_kept_as_a_link(tmp_path):
    source = tmp_path / "ws"
    (source / "impl").mkdir(parents=True)
    shutil.copy(REFERENCE, source / "impl" / "adder.py")
    (source / "adder.py").symlink_to(Path("impl") / "adder.py")
    (source / "impl" / "again").symlink_to(Path(".."), target_is_directory=True)
    intake.copy_folder(source, tmp_path / "copy")
    copy = tmp_path / "copy"
    assert os.readlink(copy / "adder.py") == os.path.join("impl", "adder.py")
    assert (copy / "adder.py").read_bytes() == REFERENCE.read_bytes()
    assert (copy / "impl" / "again").resolve() == copy.resolve()


def test_a_named_file_that_is_a_link_is_refused(tmp_path):
    (tmp_path / "adder.py").symlink_to(REFERENCE)
    with pytest.raises(intake.Refused, match="is a link, not a file"):
        intake.copy_file(tmp_path / "adder.py", tmp_path / "copy.py")


def test_undecodable_file_names_still_give_valid_utf8_reports(kata, tmp_path):
    classroom = tmp_path / "class"
    _student(classroom, "alice")
    odd = _student(classroom, os.fsdecode(b"b\xe9b"))
    (odd / os.fsdecode(b"link\xff")).symlink_to("/etc/passwd")
    out = tmp_path / "out"
    done = kata("grade", "adder", *sorted(str(p) for p in classroom.iterdir()), *CAT,
                "--out", str(out), "--format", "json")
    assert done.returncode == 1, (done.stdout[-2000:], done.stderr[-2000:])
    written = list((out / "results").glob("*.json"))
    assert len(written) == 2
    for path in [*out.rglob("*.csv"), *out.rglob("*.xml"), *out.rglob("*.html")]:
        path.read_text(encoding="utf-8")  # strict: raises on bytes that are not UTF-8
    results = [json.loads(path.read_text(encoding="utf-8")) for path in written]
    for result in results:  # and no lone surrogate hides in a JSON escape
        json.dumps(result, ensure_ascii=False).encode("utf-8")
    odd_result = next(r for r in results if r["submission"] != "alice")
    assert odd_result["status"] == "error" and "outside the submission" in odd_result["message"]
