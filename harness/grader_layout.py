"""The grader's side of a run, laid out by the parent before the grader starts: the suites
(with two control tests of the harness's own), the stubs the mirror modules are built
from, pytest's configuration, and what a sandboxed child must not see."""

from __future__ import annotations

import ast
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

from harness import busy, intake, sandbox, syntax
from harness.catalog import Kata

SUITES = ("visible", "hidden")
# pytest-timeout is the backstop for a test that hangs in the grader itself; a call into the
# learner's code is stopped at the test's limit by the boundary, with a better message.
_GRADER_GRACE = 2.0


@dataclass
class Grader:
    """The grader's side of a run, laid out before it starts: the suites with two control
    tests, the stubs the mirrors are built from, and pytest's arguments. A batch lays it
    out once per worker; a single run, in its own folder."""

    folder: Path
    markers: list[str]
    stubs: dict[str, str]
    canaries: dict[str, str]
    expected: set[tuple[str, str]]
    pytest_args: list[str]

    @classmethod
    def lay_out(cls, kata: Kata, folder: Path, suites: tuple[str, ...],
                limits: sandbox.Limits) -> Grader:
        suite = folder / "suite"
        for name in suites:
            source = kata.path / "tests" / name
            if source.is_dir():
                shutil.copytree(source, suite / name,
                                ignore=shutil.ignore_patterns(*intake.IGNORED))
        suite.mkdir(exist_ok=True)
        (folder / "stub").mkdir()
        for name in kata.files:
            if name.endswith(".py") and (kata.stub_dir / name).is_file():
                shutil.copyfile(kata.stub_dir / name, folder / "stub" / name)
        canaries = write_canaries(suite)
        return cls(folder=folder, markers=[t.marker for t in kata.tasks],
                   stubs={p.stem: str(p) for p in sorted((folder / "stub").glob("*.py"))},
                   canaries=canaries, expected=expected_tests(suite),
                   pytest_args=_pytest_args(kata, folder, limits, canaries))

    @property
    def suite(self) -> Path:
        return self.folder / "suite"

    def setup(self, limits: sandbox.Limits) -> dict:
        """What the grader process needs before any run: the same for every submission."""
        return {"suite": str(self.suite), "markers": self.markers, "stubs": self.stubs,
                "limits": limits.to_dict(), "pytest_args": self.pytest_args,
                "placeholder_work": str(self.folder / "work")}


def _pytest_args(kata: Kata, folder: Path, limits: sandbox.Limits,
                 canaries: dict[str, str]) -> list[str]:
    suite = folder / "suite"
    markers = "\n".join(f"    {t.marker}: task {t.id}, {t.title}" for t in kata.tasks)
    ini = suite / "pytest.ini"
    ini.write_text(
        "[pytest]\n"
        f"markers =\n{markers}\n"
        f"timeout = {limits.test + busy.backstop(limits.test) + _GRADER_GRACE:g}\n"
        "timeout_method = signal\n"
        "python_files = test_*.py\n",
        encoding="utf-8",
    )
    first, last = (str(suite / nodeid.split("::")[0]) for nodeid in canaries)
    paths = [str(suite / name) for name in SUITES if (suite / name).is_dir()]
    return [
        first, *paths, last,
        "-c", str(ini),
        "--rootdir", str(suite),
        "--noconftest",
        "--import-mode=importlib",
        # the suites print nothing of their own; the learner's printout reaches them as text,
        # so capturing sys.stdout is enough, and a grader forked per run keeps its own fds
        "--capture=sys",
        "-p", "no:cacheprovider",
        "-p", "pytest_timeout",
        "-q", "--tb=no", "--no-header", "-p", "no:warnings",
        # what the grader never uses: these cost a full garbage collection or imports per run
        "-p", "no:unraisableexception", "-p", "no:threadexception", "-p", "no:doctest",
        "-p", "no:pastebin", "-p", "no:junitxml", "-p", "no:stepwise", "-p", "no:nose",
    ]


def helpers_folder(suite: str | Path) -> Path:
    """Where a hidden suite's own helper modules (`_*.py`, imported by name) lie in the
    grader's copy of the suites."""
    return Path(suite) / "hidden"


def write_canaries(suite: Path) -> dict[str, str]:
    """Writes two tests with random names that must fail with a random token: one runs first,
    one last. A run where they pass, or stay silent, was tampered with."""
    canaries = {}
    for _ in range(2):
        folder = suite / f"c{secrets.token_hex(4)}"
        folder.mkdir()
        name = f"test_{secrets.token_hex(6)}"
        token = secrets.token_hex(16)
        (folder / f"{name}.py").write_text(
            f"def {name}():\n    assert False, {token!r}\n", encoding="utf-8")
        canaries[f"{folder.name}/{name}.py::{name}"] = token
    return canaries


def expected_tests(suite: Path) -> set[tuple[str, str]]:
    """Every test function the suite defines, read from the source: (file, function)."""
    found = set()
    for name in SUITES:
        for path in sorted((suite / name).glob("test_*.py")) if (suite / name).is_dir() else []:
            tree = syntax.parse(path.read_text(encoding="utf-8"), str(path))
            relative = f"{name}/{path.name}"
            for node in tree.body:
                found |= {(relative, f) for f in _test_functions(node)}
    return found


def _test_functions(node: ast.stmt) -> list[str]:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
        return [node.name]
    if isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
        return [f"{node.name}::{f}" for item in node.body for f in _test_functions(item)]
    return []


def hidden_from_child(kata: Kata, original: Path | None = None) -> list[Path]:
    """What a sandboxed child must not see: the catalog's suites and solutions, and the
    learner's original folder, if any (it runs a copy)."""
    hidden = [kata.solution_path.parent, kata.path.parent.parent]
    if original is not None:
        hidden.append(original.resolve())
    return hidden
