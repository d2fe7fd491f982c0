"""Which harness a hand-out and an autograder install, and the check of what that holds."""

from __future__ import annotations

import re
import zipfile

import pytest

from conftest import FIXTURE_CATALOG
from harness import __version__
from harness.errors import UsageError
from harness.export import harness_requirement

CAT = ("--catalog", str(FIXTURE_CATALOG))


@pytest.mark.parametrize("version", ["0.2.0", "1.0", "0.2.0.post1"])
def test_a_release_is_pinned_exactly(version):
    assert harness_requirement(None, version) == f"kata-harness=={version}"


@pytest.mark.parametrize("version", ["0.2.0.dev0", "0.2.0+local", "0.2.0rc1"])
def test_a_version_the_index_may_not_have_needs_the_courses_own_requirement(version):
    expected = rf"version {re.escape(version)}, not a release.*--harness"
    with pytest.raises(UsageError, match=expected):
        harness_requirement(None, version)


@pytest.mark.parametrize("requirement", [
    "https://course.example/kata_harness-0.2.0-py3-none-any.whl",
    "kata-harness @ git+https://course.example/kata.git@v0.2.0",
    "kata-harness==0.2.0",
])
def test_the_courses_requirement_is_used_as_given(requirement):
    assert harness_requirement(requirement, "0.2.0.dev0") == requirement


@pytest.mark.parametrize("requirement", [
    "kata-harness-material==0.2.0", "kata_harness_material", "kata-harness[full]==0.2.0",
    "/wheels/kata_harness_material-0.2.0-py3-none-any.whl",
])
def test_a_requirement_bringing_the_grading_material_is_refused(requirement):
    with pytest.raises(UsageError, match="would install the grading material"):
        harness_requirement(requirement)


@pytest.mark.skipif("dev" not in __version__, reason="this checkout's version is a release")
@pytest.mark.parametrize("extra", [(), ("--gradescope",)])
def test_export_of_an_unpublished_version_without_harness_says_what_to_give(kata, tmp_path,
                                                                            extra):
    dest = tmp_path / ("autograder.zip" if extra else "handout")
    done = kata("export", "adder", str(dest), *extra, *CAT)
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"this harness is version {__version__}, not a release" in done.stderr
    assert "Give --harness" in done.stderr and "Traceback" not in done.stderr
    assert not dest.exists(), "nothing is written that would install the wrong harness"


def test_export_reads_a_wheel_it_would_install_and_refuses_one_with_hidden_parts(kata,
                                                                                tmp_path):
    hidden = (FIXTURE_CATALOG / "katas/networking/adder/tests/hidden/test_sub.py").read_text()
    clean, leaky = tmp_path / "kata_harness-9-py3-none-any.whl", tmp_path / "leaky.whl"
    with zipfile.ZipFile(clean, "w") as wheel:
        wheel.writestr("harness/__init__.py", "")
    with zipfile.ZipFile(leaky, "w") as wheel:
        wheel.writestr("harness/helpers.py", hidden)  # a suite's text under another name
    done = kata("export", "adder", str(tmp_path / "ok"), "--harness", str(clean), *CAT)
    assert done.returncode == 0, done.stderr
    assert f"checked in {clean}: no hidden test and no reference" in done.stdout
    done = kata("export", "adder", str(tmp_path / "no"), "--harness", str(leaky), *CAT)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "would put harness/helpers.py on the students' machines" in done.stderr
    assert "hidden test test_" in done.stderr
    assert not (tmp_path / "no").exists()
