"""What each distribution installs, through the real `kata` command of a real install.

Two distributions are built from this checkout: kata-harness (the learners' install, what a
hand-out installs) and kata-harness-material (the hidden suites and solutions, beside it).
The installs below are fresh venvs that hold our distributions; the third-party packages
they need (pytest, jinja2, ...) come from the environment running these tests, through a
.pth file, so no test waits on the package index: what is grepped is only what our
distributions put in the venv, and nothing of this checkout is on their path.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT
from harness.catalog import Catalog
from harness.handout import Secrets

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

# one worker builds the wheels and venvs once (session-scoped: another module's tests run
# between these on that worker would tear module-scoped ones down). Building them may wait
# on the package index (hatchling, where the test extra is not installed): more time.


def INSTALLS(test):  # noqa: N802 -- used as a mark
    return pytest.mark.timeout(900)(pytest.mark.xdist_group("installs")(test))


def test_installed_entry_point_lists_the_shipped_catalog(tmp_path, kata_home):
    executable = shutil.which("kata")
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail("CI installs the package, so `kata` must be on PATH")
        pytest.skip("the package is not installed here (pip install . puts kata on PATH)")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "KATA_CATALOG")}
    env["KATA_HOME"] = str(kata_home)
    done = subprocess.run([executable, "list"], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "load-balancer" in done.stdout


def test_the_two_distributions_and_the_harness_agree_on_the_version():
    import harness

    base = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    material = tomllib.loads((ROOT / "material" / "pyproject.toml").read_text())["project"]
    version = harness.__version__
    assert base["name"] == "kata-harness" and "version" in base["dynamic"]
    assert base["optional-dependencies"]["full"] == [f"kata-harness-material=={version}"]
    assert material["version"] == version
    assert material["dependencies"] == [f"kata-harness[katas]=={version}"]


def test_the_material_installs_every_library_a_hidden_suite_imports():
    """A kata's `requires` are what its hidden suite imports (an oracle such as hyperframe):
    the material depends on the harness's `katas` extra, which must hold them all."""
    from harness.catalog import Catalog, default_root

    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"]["katas"]
    names = {re.split(r"[\[<>=!~ ;]", spec, maxsplit=1)[0].lower() for spec in extra}
    for kata in Catalog(default_root()).all():
        missing = {r.lower() for r in kata.requires} - names
        assert not missing, f"{kata.slug} requires {missing}, which the katas extra lacks"


def _run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(args, capture_output=True, text=True, timeout=600, **kwargs)
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="session")
def wheels(tmp_path_factory) -> dict[str, Path]:
    """The two wheels, built from this checkout as `pip install . ./material` builds them."""
    out = tmp_path_factory.mktemp("wheels")
    # the test extra brings hatchling, so CI builds offline; elsewhere pip fetches it
    isolation = [] if importlib.util.find_spec("hatchling") is None else ["--no-build-isolation"]
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", *isolation,
          str(ROOT), str(ROOT / "material"), "-w", str(out)])
    found = {p.name.split("-")[0]: p for p in out.glob("*.whl")}
    assert set(found) == {"kata_harness", "kata_harness_material"}, found
    return found


def _venv(folder: Path, *requirements: str) -> Path:
    """A fresh venv holding `requirements` (installed without their dependencies, which it
    reads from the running environment); returns its bin folder."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True,
                   timeout=300)
    python = folder / "bin" / "python"
    own = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"])
    (Path(own.stdout.strip()) / "_running_environment.pth").write_text(
        "\n".join(site.getsitepackages()) + "\n")
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
          "--ignore-installed", *requirements], cwd=folder)
    return folder / "bin"


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "KATA_CATALOG")}
    return {**env, "KATA_HOME": str(home), "NO_COLOR": "1"}


@pytest.fixture(scope="session")
def full(tmp_path_factory, wheels) -> Path:
    """README's set-up: the harness with its grading material."""
    return _venv(tmp_path_factory.mktemp("full") / "venv", str(wheels["kata_harness"]),
                 str(wheels["kata_harness_material"]))


@pytest.fixture(scope="session")
def handout(tmp_path_factory, wheels, full) -> tuple[Path, Path]:
    """A hand-out exported from the full install, and a venv holding what its workflow
    installs: (the hand-out, the venv's bin folder)."""
    work = tmp_path_factory.mktemp("handout")
    _run([str(full / "kata"), "export", "load-balancer", "handout",
          "--harness", str(wheels["kata_harness"])], cwd=work, env=_env(work / "home"))
    workflow = (work / "handout" / ".github" / "workflows" / "kata.yml").read_text()
    installs = re.findall(r"^\s*pip install (.+)$", workflow, re.MULTILINE)
    assert installs == [str(wheels["kata_harness"])], workflow
    return work / "handout", _venv(work / "venv", *installs[0].split())


def _readme_transcript() -> tuple[str, str]:
    """What README.md says `kata start load-balancer` and then `kata check` print."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("$ kata start load-balancer\n", 1)[1].split("$ echo $?", 1)[0]
    start, check = block.split("$ cd load-balancer && kata check\n", 1)
    return start, check


def _timeless(text: str) -> str:
    return re.sub(r"\d+\.\d+ s\b", "<t> s", text)


@INSTALLS
def test_readme_setup_grades_with_the_hidden_suite(full, tmp_path):
    """README's set-up, and its transcript: what the real commands print (times aside)."""
    env = _env(tmp_path / "home")
    started = _run([str(full / "kata"), "start", "load-balancer"], cwd=tmp_path, env=env)
    done = subprocess.run([str(full / "kata"), "check"], cwd=tmp_path / "load-balancer",
                          env=env, capture_output=True, text=True, timeout=300)
    said_start, said_check = _readme_transcript()
    assert started.stdout == said_start, started.stdout
    assert _timeless(done.stdout) == _timeless(said_check), done.stdout
    assert done.returncode == 1, done.stdout + done.stderr  # the stub fails, graded
    visible = len(re.findall(r"^def test_", (tmp_path / "load-balancer" /
                                            "test_load_balancer.py").read_text(), re.MULTILINE))
    total = int(re.search(r"(\d+)/(\d+) tests passed", done.stdout).group(2))
    assert total > visible, done.stdout
    assert "Only the example tests ran" not in done.stdout


@INSTALLS
def test_what_a_handout_installs_holds_nothing_hidden(handout):
    _, bin_folder = handout
    venv = bin_folder.parent
    secrets = [Secrets.of(kata) for kata in Catalog(ROOT).all()]
    assert all(s.test_names and s.reference_lines for s in secrets)
    files = [p for p in venv.rglob("*") if p.is_file() and not p.is_symlink()]
    assert any(p.name == "kata.toml" for p in files), "the learner side of the katas is there"
    leaks = []
    for path in files:
        name = path.relative_to(venv).as_posix()
        if "/tests/hidden" in name or "/solutions/" in name:
            leaks.append(name)
            continue
        text = path.read_bytes().decode("utf-8", "replace")
        leaks += [f"{name}: {found}" for s in secrets for found in s.found_in(text)]
    assert not leaks, leaks[:5]


@INSTALLS
def test_check_in_a_handout_runs_the_examples_and_says_who_grades(handout, tmp_path):
    folder, bin_folder = handout
    env = _env(tmp_path / "home")
    done = subprocess.run([str(bin_folder / "kata"), "check", "--sandbox", "none"], cwd=folder,
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Only the example tests ran" in done.stdout
    assert "graded on the course's side" in done.stdout
    for command, needs in [(["grade", "load-balancer", str(folder), "--out", "g"], "hidden suite"),
                           (["compare"], "reference solution")]:
        done = subprocess.run([str(bin_folder / "kata"), *command], cwd=folder, env=env,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 2, done.stdout + done.stderr
        assert f"needs the {needs} of load-balancer" in done.stderr
        assert "Traceback" not in done.stderr


@INSTALLS
def test_gradescope_bundle_from_an_installed_package_grades_with_the_learners_install(
        full, handout, wheels, tmp_path):
    elsewhere = tmp_path / "somewhere" / "else"
    elsewhere.mkdir(parents=True)
    done = _run([str(full / "kata"), "export", "--gradescope", "load-balancer", "ag.zip",
                 "--harness", str(wheels["kata_harness"])], cwd=elsewhere,
                env=_env(tmp_path / "home"))
    assert "upload it as the autograder" in done.stdout
    source = tmp_path / "autograder" / "source"
    with zipfile.ZipFile(elsewhere / "ag.zip") as bundle:
        bundle.extractall(source)
    setup = (source / "setup.sh").read_text()
    assert f"pip3 install {wheels['kata_harness']}" in setup
    assert list((source / "catalog/katas/networking/load-balancer/tests/hidden").glob("*.py"))
    assert not list(source.rglob("solutions"))
    reference = Secrets.of(Catalog(ROOT).get("load-balancer")).reference_lines
    text = "\n".join(p.read_text() for p in source.rglob("*")  # a suite may share a line
                     if p.is_file() and "hidden" not in p.parts)
    assert not [line for line in reference if line in text]
    # run_autograder's command, with what setup.sh installs (the learners' harness)
    _, learners = handout
    run = (source / "run_autograder").read_text()
    assert "--catalog /autograder/source/catalog" in run
    submission = tmp_path / "submission"
    shutil.copytree(ROOT / "solutions" / "load-balancer", submission)
    done = subprocess.run([str(learners / "kata"), "grade", "load-balancer", str(submission),
                           "--catalog", str(source / "catalog"), "--out", str(tmp_path / "g"),
                           "--format", "gradescope", "--sandbox", "none"],
                          env=_env(tmp_path / "home"), capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert list((tmp_path / "g" / "gradescope").glob("*/results.json"))
