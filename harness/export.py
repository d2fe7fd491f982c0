"""Hand-outs for students and autograder bundles: what may leave the instructor's side, and
which harness each of their generated files installs."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from harness import __version__, handout, workspace
from harness.catalog import Kata, require_hidden_suite
from harness.errors import UsageError

#: The learners' distribution (the harness and every kata's learner side) and the one that
#: adds the grading material (hidden suites, solutions); a hand-out installs the first only.
DISTRIBUTION = "kata-harness"
MATERIAL = "kata-harness-material"

_WORKFLOW = """\
# Runs the kata's example tests on every push. Neither this repository nor what this
# workflow installs holds the hidden suite: your course grades your work on its side.
# It installs exactly the kata harness the hand-out was made for.
name: kata check
on: [push, pull_request]
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - run: |
          pip install {install}
      - run: kata check --sandbox none
"""

_SETUP = """\
#!/usr/bin/env bash
# Gradescope runs this once when it builds the autograder image: exactly the kata harness
# this bundle was made for (and the packages the kata's suites use).
set -euo pipefail
pip3 install {install}
"""

_RUN = """\
#!/usr/bin/env bash
# Gradescope runs this for each submission; it must leave /autograder/results/results.json.
# The kata and its hidden suite are in catalog/ beside this file (no solution is).
set -uo pipefail
cd /autograder/source
out=$(mktemp -d)
kata grade {slug} /autograder/submission --catalog /autograder/source/catalog \\
  --out "$out" --format gradescope --sandbox none
mkdir -p /autograder/results
cp "$out"/gradescope/*/results.json /autograder/results/results.json
"""

_RELEASE = re.compile(r"^\d+(\.\d+)*(\.post\d+)?$")
_UNSAFE = re.compile(r"[\s'\"`$;&|<>\\]")


def harness_requirement(explicit: str | None = None, version: str = __version__) -> str:
    """What a generated file installs: the course's own requirement (`kata export --harness`)
    when one is given, else this harness's release pinned by version. A development version
    is not on the package index, so without a requirement it is an error that says what to do.
    """
    if explicit is not None:
        requirement = " ".join(explicit.split())
        if not requirement:
            raise UsageError("--harness is empty; give a URL, a path or a requirement")
        if _names_material(requirement):
            raise UsageError(
                f"--harness {requirement} would install the grading material (hidden suites, "
                f"solutions) on the students' machines; name the learners' distribution, "
                f"{DISTRIBUTION}, or a wheel or URL of it")
        return requirement
    if not _RELEASE.match(version):
        raise UsageError(
            f"this harness is version {version}, not a release, so the package index does "
            "not have it and a generated file cannot pin it. Give --harness with where your "
            "course keeps this harness: a URL of its wheel (built in a checkout with "
            "`pip wheel --no-deps . -w dist`), a VCS URL such as "
            "git+https://example.org/course/kata.git@TAG, or a requirement your course's "
            "package index serves")
    return f"{DISTRIBUTION}=={version}"


def _names_material(requirement: str) -> bool:
    normal = re.sub(r"[-_.]+", "-", requirement.lower())
    return MATERIAL in normal or re.search(r"\[[^\]]*\bfull\b", normal) is not None


def _shell_words(requirement: str, kata: Kata) -> str:
    """The requirement and the kata's own packages as words of a shell command."""
    words = [requirement, *kata.requires]
    return " ".join(w if not _UNSAFE.search(w) else "'" + w.replace("'", "'\\''") + "'"
                    for w in words)


def export_handout(kata: Kata, dest: Path, *, force: bool = False,
                   harness: str | None = None) -> tuple[list[Path], handout.Inspection]:
    """Writes the student hand-out: stub, example tests, README, the state that makes it a
    workspace, a CI workflow installing the learners' harness; never the hidden suite or the
    solution. Checks both what it wrote and what it installs; returns the files written and
    what the install check could see."""
    requirement = harness_requirement(harness)
    secrets = handout.Secrets.of(kata)
    installs = handout.inspect_requirement(requirement, secrets)  # before writing anything
    folder = workspace.write_learner_files(kata, dest, force=force)
    workspace.write_handout_state(kata, folder)
    workflow = folder / ".github" / "workflows" / "kata.yml"
    workflow.parent.mkdir(parents=True, exist_ok=True)
    workflow.write_text(_WORKFLOW.format(install=_shell_words(requirement, kata)),
                        encoding="utf-8")
    written = sorted(p for p in folder.rglob("*") if p.is_file())
    secrets.refuse_in_files(written, folder)
    return written, installs


def export_gradescope(kata: Kata, zip_path: Path, *, harness: str | None = None) -> list[str]:
    """Writes a Gradescope autograder bundle from what is installed: setup.sh installing the
    harness, run_autograder, and this kata with its hidden suite as a catalog (the autograder
    is instructor-side); no solution."""
    if zip_path.suffix != ".zip":
        raise UsageError(f"{zip_path}: the Gradescope bundle must be a .zip file")
    require_hidden_suite(kata, "kata export --gradescope")
    setup = _SETUP.format(install=_shell_words(harness_requirement(harness), kata))
    names: list[str] = []
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as bundle:
        def add(arcname: str, data: bytes | str, mode: int = 0o644) -> None:
            info = zipfile.ZipInfo(arcname)
            info.external_attr = (mode & 0xFFFF) << 16
            bundle.writestr(info, data)
            names.append(arcname)

        add("setup.sh", setup, 0o755)
        add("run_autograder", _RUN.format(slug=kata.slug), 0o755)
        topic_dir = f"catalog/katas/{kata.topic}/{kata.slug}"
        for path in sorted(kata.path.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                add(f"{topic_dir}/{path.relative_to(kata.path).as_posix()}", path.read_bytes())
    return names
