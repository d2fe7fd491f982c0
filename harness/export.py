"""Hand-outs for students and autograder bundles: what may leave the instructor's side."""

from __future__ import annotations

import zipfile
from pathlib import Path

from harness import workspace
from harness.catalog import Kata
from harness.errors import UsageError

_WORKFLOW = """\
# Runs the kata's example tests and the hidden suite on every push.
# Set the repository variable KATA_PACKAGE to where your course publishes the
# kata harness (a package name or an archive), e.g. kata==0.1.0.
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
      - run: pip install "${{{{ vars.KATA_PACKAGE || 'kata' }}}}"
      - run: kata check --sandbox none
"""

_SETUP = """\
#!/usr/bin/env bash
# Gradescope runs this once when it builds the autograder image.
set -euo pipefail
cd /autograder/source
pip3 install ./harness
"""

_RUN = """\
#!/usr/bin/env bash
# Gradescope runs this for each submission; it must leave /autograder/results/results.json.
set -uo pipefail
cd /autograder/source
out=$(mktemp -d)
kata grade {slug} /autograder/submission --out "$out" --format gradescope --sandbox none
mkdir -p /autograder/results
cp "$out"/gradescope/*/results.json /autograder/results/results.json
"""


def export_handout(kata: Kata, dest: Path, *, force: bool = False) -> list[Path]:
    """Writes the student hand-out: stub, example tests, README, a CI workflow; never the
    hidden suite or the solution."""
    folder = workspace.write_learner_files(kata, dest, force=force)
    workflow = folder / ".github" / "workflows" / "kata.yml"
    workflow.parent.mkdir(parents=True, exist_ok=True)
    workflow.write_text(_WORKFLOW.format(), encoding="utf-8")
    return sorted(p for p in folder.rglob("*") if p.is_file())


def export_gradescope(kata: Kata, zip_path: Path, project_root: Path) -> list[str]:
    """Writes a Gradescope autograder bundle: the harness, this kata and its hidden suite
    (the autograder is instructor-side), setup.sh and run_autograder; no solutions."""
    if zip_path.suffix != ".zip":
        raise UsageError(f"{zip_path}: the Gradescope bundle must be a .zip file")
    pyproject = project_root / "pyproject.toml"
    if not pyproject.is_file():
        raise UsageError("kata export --gradescope needs the kata source tree (pyproject.toml "
                         f"not found in {project_root}); run it from a checkout")
    names: list[str] = []
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as bundle:
        def add(arcname: str, data: bytes | str, mode: int = 0o644) -> None:
            info = zipfile.ZipInfo(arcname)
            info.external_attr = (mode & 0xFFFF) << 16
            bundle.writestr(info, data)
            names.append(arcname)

        add("setup.sh", _SETUP, 0o755)
        add("run_autograder", _RUN.format(slug=kata.slug), 0o755)
        add("harness/pyproject.toml", pyproject.read_bytes())
        add("harness/README.md", f"# kata autograder for {kata.slug}\n")
        for path in sorted((project_root / "harness").rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                add(f"harness/{path.relative_to(project_root)}", path.read_bytes())
        topic_dir = f"harness/katas/{kata.topic}/{kata.slug}"
        for path in sorted(kata.path.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                add(f"{topic_dir}/{path.relative_to(kata.path)}", path.read_bytes())
        add(f"harness/solutions/{kata.slug}/README.md",
            "Solutions are not shipped with the autograder.\n")
    return names
