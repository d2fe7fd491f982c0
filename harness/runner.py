"""Runs a kata's suite against a submission in an isolated child process.

This is the only module that starts processes. A run copies the submission into a
fresh temporary directory, copies the suite beside it (never inside it), starts
pytest in a child with the `plugin` loaded, and reads per-test outcomes from a
pipe the parent opened. The verdict is built here from that data, never from
the child's exit code.
"""

from __future__ import annotations

import ast
import contextlib
import json
import os
import platform
import queue
import secrets
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from harness import busy, grading, intake, sandbox, strays
from harness.catalog import Kata
from harness.channel import ChannelReader
from harness.errors import HarnessError, UsageError
from harness.feedback import cut
from harness.learner.limits import UNPRIVILEGED_UID
from harness.result import RunResult, Status, TestResult, valid_text

SUITES = ("visible", "hidden")
_STARTUP_ALLOWANCE = 2.0  # seconds for the interpreter and pytest to start, on top of the limit
# pytest-timeout is the backstop for a test that hangs in the grader itself; a call into the
# learner's code is stopped at the test's limit by the boundary, with a better message.
_GRADER_GRACE = 2.0
_CHANNEL_GRACE = 5.0  # seconds for the result channel to close once the grader has ended

# The child imports the harness from wherever this one was loaded, then forgets that path
# so the learner's code cannot use it to reach the catalog and the solutions.
_BOOT = (
    "import sys; sys.path.insert(0, {root!r}); from harness import _child; "
    "sys.path.remove({root!r}); sys.exit(_child.main(sys.argv[1]))"
)
_ZYGOTE = (
    "import sys; sys.path.insert(0, {root!r}); from harness import _child; "
    "sys.path.remove({root!r}); _child.serve(int(sys.argv[1]), sys.argv[2])"
)
_LEARNER_BOOT = (
    "import sys; sys.path.insert(0, {root!r}); from harness.learner import zygote; "
    "sys.path.remove({root!r}); zygote.main(int(sys.argv[1]), sys.argv[2])"
)
_SEQUENCES_BOOT = (
    "import sys; sys.path.insert(0, {root!r}); from harness.learner import sequences; "
    "sys.path.remove({root!r}); sequences.main(sys.argv[1])"
)
_HARNESS_ROOT = str(Path(__file__).resolve().parent.parent)


@dataclass
class Submission:
    """The learner's files: a directory, or explicit files standing in for the kata's files."""

    name: str
    directory: Path | None = None
    files: dict[str, Path] = field(default_factory=dict)
    #: what the files held when a batch began (`snapshot`); a run refuses other contents
    digest: str | None = None

    def snapshot(self) -> None:
        """Takes the digest of the files as they are now, before any learner code runs."""
        parts = []
        try:
            if self.directory is not None:
                parts.append(intake.digest(self.directory) or "refused")
            for name, source in sorted(self.files.items()):
                parts.append(f"{name}:{intake.copy_file(source, None)}")
        except intake.Refused:
            return
        self.digest = intake.combined(parts)

    @classmethod
    def from_path(cls, path: Path, kata: Kata, name: str | None = None) -> Submission:
        path = Path(path)
        if path.is_file():
            if len(kata.files) != 1:
                raise UsageError(f"{path} is a file, but {kata.slug} needs "
                                 f"{len(kata.files)} files: give the folder that holds them")
            return cls(name=valid_text(name or path.name), files={kata.files[0]: path})
        return cls(name=valid_text(name or path.name), directory=path)


def run(kata: Kata, submission: Submission, *, suites: tuple[str, ...] = SUITES,
        env: dict[str, str] | None = None, limits: sandbox.Limits | None = None,
        coverage: bool = False, isolation: str = "auto", server: ForkServer | None = None,
        hide: tuple[Path, ...] = ()) -> RunResult:
    """Runs the kata's suites against the submission and returns the graded result.

    With `coverage`, the result also says which lines and branches of the
    submission's files the suites never ran. `isolation` is "none", "bwrap" or
    "auto" (bwrap where it works). With a `server`, the grader is forked from a
    process that has collected the suites already (batch grading; the server's suites
    and limits are used); `hide` names more folders a sandboxed child must not see (the
    other submissions of a batch).
    """
    limits = server.limits if server is not None else (
        limits or sandbox.Limits(wall=kata.timeout.total, test=kata.timeout.test))
    started = time.perf_counter()
    scratch = str(server.scratch) if server is not None else None
    _remove_abandoned(Path(scratch or tempfile.gettempdir()))
    with tempfile.TemporaryDirectory(prefix=f"{_RUN_PREFIX}{os.getpid()}-", dir=scratch) as tmp:
        run_dir = Path(tmp).resolve()
        problem, digests = _lay_out_learner(kata, submission, run_dir)
        if problem:
            result = RunResult(kata=kata.slug, submission=submission.name, status=Status.ERROR,
                               message=problem)
        else:
            grader = server.grader if server is not None else \
                Grader.lay_out(kata, run_dir, suites, limits)
            wrapper = sandbox.Wrapper.choose(isolation) if server is None else None
            result = _execute(kata, submission, run_dir, grader, limits, env or {}, coverage,
                              wrapper, server, hide, digests)
    strays.sweep()  # what the learner's code left behind goes before anyone reads the result
    result.duration = time.perf_counter() - started
    result.python = platform.python_version()
    return grading.grade(result, kata)


_RUN_PREFIX = "kata-run-"


def _remove_abandoned(folder: Path) -> None:
    """Removes run folders whose harness process has gone (killed before it could clean
    up): they hold copies of the hidden suite. Folders of live processes stay."""
    for path in folder.glob(f"{_RUN_PREFIX}*-*"):
        owner = path.name[len(_RUN_PREFIX):].split("-", 1)[0]
        if not owner.isdigit() or int(owner) == os.getpid():
            continue
        try:
            os.kill(int(owner), 0)
        except ProcessLookupError:
            shutil.rmtree(path, ignore_errors=True)
        except PermissionError:  # another user's live process
            pass


def _lay_out_learner(kata: Kata, submission: Submission, run_dir: Path
                     ) -> tuple[str, dict[str, str]]:
    """Lays out learner/ (work/: the submission, home/, tmp/: all the learner's process sees)
    and home/ and tmp/ for the grader; returns a problem, and the sha256 of each file as
    copied."""
    (run_dir / "learner").mkdir()
    work = run_dir / "learner" / "work"
    parts, digests = [], {}
    try:
        if submission.directory is not None:
            if not submission.directory.is_dir():
                return f"{submission.directory} is not a directory", {}
            parts.append(intake.copy_folder(submission.directory, work, digests))
        else:
            work.mkdir()
        for name, source in sorted(submission.files.items()):
            digests[name] = intake.copy_file(source, work / name)
            parts.append(f"{name}:{digests[name]}")
    except intake.Refused as refused:
        return valid_text(str(refused)), {}
    if submission.digest is not None and intake.combined(parts) != submission.digest:
        return ("the submission's files changed while the class was being graded (code of "
                "another submission, run without bubblewrap, may have written them): it is "
                "not graded. Grade again under bubblewrap (--sandbox bwrap)."), {}
    missing = [name for name in kata.files if not (work / name).is_file()]
    if missing:
        where = submission.directory or "the submission"
        return (f"{', '.join(missing)} is missing from {where}: the kata is graded on "
                f"{', '.join(kata.files)}. `kata start {kata.slug} --dir NEW_DIR` gives a fresh "
                "stub."), {}
    for folder in ("home", "tmp", "learner/home", "learner/tmp"):
        (run_dir / folder).mkdir()
    return "", digests


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
        canaries = _write_canaries(suite)
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


def _execute(kata: Kata, submission: Submission, run_dir: Path, grader: Grader,
             limits: sandbox.Limits, env: dict[str, str], coverage: bool,
             wrapper: sandbox.Wrapper | None, server: ForkServer | None, hide: tuple[Path, ...],
             digests: dict[str, str]) -> RunResult:
    read_fd, write_fd = os.pipe()
    learner = run_dir / "learner"
    config = {
        "fd": write_fd,
        "work": str(learner / "work"),
        "shared_tmp": str(learner / "tmp"),
        "coverage": bool(coverage),
    }
    if server is None:
        config.update(grader.setup(limits))
    zygote = None
    if grader.stubs:
        isolation = wrapper or sandbox.Wrapper.choose(server.isolation if server else "auto")
        zygote, grader_end = _start_learner_side(kata, submission, run_dir, limits, env,
                                                 coverage, isolation, hide, digests,
                                                 grader.folder)
        config["zygote"] = grader_end.detach()  # closed here once the grader holds it
    watch = sandbox.DiskWatch(learner, limits.disk, lambda _reason: _kill_group(zygote))
    if zygote is not None:
        watch.start()
    config_path = run_dir / "config.json"
    config_path.write_text(json.dumps(config), encoding="utf-8")
    output_path = run_dir / "child.out"
    child_env = sandbox.child_env(str(run_dir), env)
    reader = ChannelReader(read_fd)
    reader.start()
    passed = (write_fd,) + ((config["zygote"],) if zygote is not None else ())
    try:
        if server is not None:
            returncode, timed_out = server.run(config_path, passed, output_path, child_env,
                                               limits.wall + _STARTUP_ALLOWANCE)
        else:
            command = [sys.executable, "-I", "-c", _BOOT.format(root=_HARNESS_ROOT),
                       str(config_path)]
            command = wrapper.wrap(command, run_dir=run_dir,
                                   hide=[*hidden_from_child(kata, submission), *hide],
                                   network=env.get("KATA_DB") == "postgresql",
                                   workdir=grader.suite)
            with open(output_path, "wb") as output:
                try:
                    child = strays.start(
                        command, cwd=grader.suite, env=child_env,
                        stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
                        pass_fds=passed, start_new_session=True,
                    )
                finally:
                    for fd in passed:
                        os.close(fd)
                try:
                    timed_out = _wait(child, limits.wall + _STARTUP_ALLOWANCE)
                except BaseException:  # stopped from outside (SIGTERM, ^C): the run goes too
                    _kill_group(child)
                    child.wait()
                    raise
                returncode = child.returncode
    finally:
        if zygote is not None:  # the grader has gone: the zygote sees its socket close
            watch.stop()
            _wait(zygote, 1.0)
    reader.finish(_CHANNEL_GRACE)
    result = _assemble(kata, submission, reader.events, timed_out, limits,
                       _head(output_path), returncode)
    result = _check_integrity(result, reader.events, grader.canaries, grader.expected,
                              reader.problems)
    if watch.reason:  # the learner side was stopped: what ran after that says nothing
        result.status = Status.ERROR
        result.message = (f"{watch.reason} (files under its work folder, HOME and TMPDIR "
                          "count): the run was stopped there. Write less, or delete what you "
                          "no longer need.")
    return result


def _readable_by_all(*folders: Path) -> bool:
    """Whether an unprivileged user can run this interpreter and the harness (an interpreter
    installed under /root cannot be: then the learner's code keeps the harness's user)."""
    for folder in folders:
        for path in [folder.resolve(), *folder.resolve().parents]:
            if not path.stat().st_mode & 0o005 == 0o005:
                return False
    return True


def _start_learner_side(kata: Kata, submission: Submission, run_dir: Path,
                        limits: sandbox.Limits, env: dict[str, str], coverage: bool,
                        wrapper: sandbox.Wrapper, hide: tuple[Path, ...],
                        digests: dict[str, str], grader_folder: Path
                        ) -> tuple[subprocess.Popen, socket.socket]:
    """Starts the learner side's zygote in a sandbox of its own: it sees learner/ and the
    system, never the suites, the stubs' copies, the catalog or the grader's files (in
    `grader_folder`: the run's own, or the batch worker's)."""
    learner = run_dir / "learner"
    drop = wrapper.kind == "none" and hasattr(os, "geteuid") and os.geteuid() == 0 \
        and _readable_by_all(Path(sys.prefix), Path(sys.base_prefix), Path(_HARNESS_ROOT))
    if drop:  # the learner's code runs as an unprivileged user: its folder is all it may use
        for path in [learner, *learner.rglob("*")]:
            os.chown(path, UNPRIVILEGED_UID, UNPRIVILEGED_UID)
        for path in run_dir.iterdir():
            if path != learner:
                os.chmod(path, 0o700)
        os.chmod(run_dir, 0o711)
    config = {
        "work": str(learner / "work"),
        "run_dir": str(learner),
        "hidden": [str(grader_folder / "suite"), str(grader_folder / "stub"),
                   str(kata.solution_path.parent), str(kata.path.parent.parent)],
        "allow_processes": kata.processes,
        "limits": limits.to_dict(),
        "coverage": str(learner / "tmp" / ".coverage.json") if coverage else "",
        "root": _HARNESS_ROOT,
        "drop_privileges": drop,
        # what each of the kata's files held when copied: loaded only if it still does
        "digests": {name[:-3]: digests[name] for name in kata.files
                    if name.endswith(".py") and name in digests},
    }
    grader_end, learner_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    command = [sys.executable, "-I", "-c", _LEARNER_BOOT.format(root=_HARNESS_ROOT),
               str(learner_end.fileno()), json.dumps(config)]
    command = wrapper.wrap(command, run_dir=learner,
                           hide=[*hidden_from_child(kata, submission), *hide, grader_folder],
                           workdir=learner / "work", private=run_dir)
    with open(run_dir / "learner.out", "wb") as output:
        try:
            zygote = strays.start(
                command, cwd=learner / "work", env=sandbox.child_env(str(learner), env),
                stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT,
                pass_fds=(learner_end.fileno(),), start_new_session=True)
        finally:
            learner_end.close()
    return zygote, grader_end


def _kill_group(child: subprocess.Popen | None) -> None:
    if child is not None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(child.pid, signal.SIGKILL)


def _wait(child: subprocess.Popen, seconds: float) -> bool:
    """Waits for the child; past the limit kills its whole process group. Returns timed out."""
    timed_out = not _ended_within(child, seconds)
    # Kill the group either way: threads or grandchildren left behind must not outlive the run.
    _kill_group(child)
    child.wait()
    strays.release(child)
    return timed_out


def _ended_within(child: subprocess.Popen, seconds: float) -> bool:
    """Whether the child ends within `seconds`, or later while the machine is too busy to
    blame it (harness.busy), up to a backstop; seen the moment it ends (Popen.wait with a
    timeout polls, up to 50 ms late, and a check waits for two processes)."""
    patience = busy.Patience.of(seconds)
    while not _ends_within(child, patience.remaining()):
        if not patience.extend():
            return False
    return True


def _ends_within(child: subprocess.Popen, seconds: float) -> bool:
    try:
        pidfd = os.pidfd_open(child.pid)
    except (AttributeError, OSError):  # no pidfd here, or the child is gone already
        pidfd = None
    if pidfd is not None:
        try:
            select.select([pidfd], [], [], seconds)
        finally:
            os.close(pidfd)
    try:
        child.wait(timeout=0 if pidfd is not None else seconds)
        return True
    except subprocess.TimeoutExpired:
        return False


def _learner_lines(output: str) -> str:
    """Drops the lines of a printout that only speak of the harness's and pytest's insides."""
    inside = (str(Path(__file__).resolve().parent), "site-packages", "<string>", "kata-run-")
    kept = [line for line in output.splitlines()
            if not any(mark in line for mark in inside) and not line.startswith("INTERNALERROR>")
            and line.strip().strip("^~") and line.strip() != "Traceback (most recent call last):"]
    return "\n".join(kept).strip()


def _head(path: Path, limit: int = 8_000) -> str:
    with open(path, "rb") as handle:
        data = handle.read(limit + 1)
    text = data.decode("utf-8", "replace")
    return text if len(data) <= limit else text[:limit] + "\n[output cut]"


def _assemble(kata: Kata, submission: Submission, events: list[dict], timed_out: bool,
              limits: sandbox.Limits, output: str, returncode: int | None) -> RunResult:
    """Builds the result from what the child reported; silence counts against the submission."""
    result = RunResult(kata=kata.slug, submission=submission.name, status=Status.FAIL,
                       timed_out=timed_out)
    measured = next((e for e in events if e.get("event") == "coverage"), None)
    if measured is not None and isinstance(measured.get("files"), dict):
        result.coverage = measured["files"]
    load_error = next((e for e in events if e.get("event") == "load_error"), None)
    collected = next((e for e in events if e.get("event") == "collected"), None)
    if load_error is not None:
        result.status, result.message = Status.ERROR, str(load_error.get("message", ""))
        return result
    if collected is None:
        result.status = Status.ERROR
        if timed_out:
            result.message = (f"your code did not finish loading within {limits.wall:g} s: "
                              "is there an endless loop at the top level of the module?")
        else:
            result.message = ("the run ended before any test could start (exit code "
                              f"{returncode}): did your code exit, crash, or close files it did "
                              "not open while loading?")
            printed = _learner_lines(output)
            if printed:
                result.message += f" What it printed:\n{cut(printed, 2_000)}"
        return result
    reported = {e.get("id"): e for e in events if e.get("event") == "test"}
    finished = any(e.get("event") == "done" for e in events)
    for entry in collected.get("tests", []):
        result.tests.append(_test_result(kata, entry, reported.get(entry.get("id")),
                                         timed_out, limits, finished))
    collect_errors = [e for e in events if e.get("event") == "collect_error"]
    if collect_errors:
        result.status = Status.ERROR
        result.message = "the tests could not be loaded:\n" + str(collect_errors[0].get("message"))
    elif not result.tests:
        result.status = Status.ERROR
        result.message = "no test was found for this kata; its suite is empty"
    return result


def _test_result(kata: Kata, entry: dict, report: dict | None, timed_out: bool,
                 limits: sandbox.Limits, finished: bool) -> TestResult:
    markers = entry.get("markers") or []
    task = kata.task_for_marker(markers[0]) if len(markers) == 1 else None
    name = str(entry.get("name", entry.get("id")))
    if task is not None:
        name = f"{task.title.lower()} > {name}"
    if entry.get("visible"):
        name += " (example)"
    test = TestResult(id=str(entry.get("id")), name=name, task=task.id if task else None,
                      function=str(entry.get("function", "")), status=Status.FAIL)
    if report is None:
        if timed_out:
            test.message = (f"did not finish: the whole run was stopped after {limits.wall:g} s "
                            "(is something waiting forever, or looping without end?)")
        elif finished:
            test.message = "did not report a result"
        else:
            test.message = ("did not finish: the test process ended early "
                            "(os._exit(), a crash, or a signal from your code?)")
        return test
    try:
        test.status = Status(report.get("status"))
    except ValueError:
        test.status = Status.FAIL
    test.duration = float(report.get("duration") or 0.0)
    test.message = str(report.get("message") or "")
    test.output = str(report.get("output") or "")
    return test


# -- integrity: what the harness checks itself, whatever the child says ----------------------

def _write_canaries(suite: Path) -> dict[str, str]:
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
            tree = ast.parse(path.read_text(encoding="utf-8"))
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


def _check_integrity(result: RunResult, events: list[dict], canaries: dict[str, str],
                     expected: set[tuple[str, str]], problems: list[str] = ()) -> RunResult:
    """Turns any sign of tampering into an error the instructor can read."""
    reasons = [str(e.get("reason")) for e in events if e.get("event") == "integrity"]
    reasons += problems  # what the channel carried that is not a result message
    reports: dict[str, list[dict]] = {}
    for event in events:
        if event.get("event") == "test":
            reports.setdefault(str(event.get("id")), []).append(event)
    collected = next((e for e in events if e.get("event") == "collected"), None)
    finished = any(e.get("event") == "done" for e in events)
    if collected is not None and result.status is not Status.ERROR:
        ids = {str(t.get("id")) for t in collected.get("tests", [])}
        for nodeid, token in canaries.items():
            seen = reports.get(nodeid, [])
            if nodeid not in ids or (finished and not seen):
                # A crash or os._exit() also silences the last control test: that is a
                # failure (the unreported tests fail), not tampering, unless the run finished.
                reasons.append("a control test never reported: results were suppressed")
            elif seen and (seen[0].get("status") != "fail"
                           or token not in str(seen[0].get("message"))):
                reasons.append("a control test that must fail passed: test outcomes were altered")
        present = {(str(t.get("id")).split("::")[0], _function_path(t)) for t in
                   collected.get("tests", [])}
        missing = sorted(f"{f}::{n}" for f, n in expected - present)
        if missing:
            reasons.append(f"tests went missing from the run: {', '.join(missing[:5])}")
        if any(len(seen) > 1 for seen in reports.values()):
            reasons.append("a test reported more than once: results were forged")
        unknown = [i for i in reports if i not in ids]
        if unknown:
            reasons.append("results arrived for tests that do not exist: results were forged")
    result.tests = [t for t in result.tests if t.id not in canaries]
    if reasons:
        result.integrity = list(dict.fromkeys(reasons))
        result.status = Status.ERROR
        result.message = "grading integrity check failed: " + "; ".join(result.integrity)
    return result


def _function_path(test: dict) -> str:
    """`hidden/test_x.py::TestA::test_b[1]` -> `TestA::test_b`."""
    parts = str(test.get("id")).split("::")[1:]
    if parts:
        parts[-1] = str(test.get("function") or parts[-1].split("[")[0])
    return "::".join(parts)


def hidden_from_child(kata: Kata, submission: Submission | None = None) -> list[Path]:
    """What a sandboxed child must not see: the catalog's suites and solutions, and the
    learner's original files (it runs a copy)."""
    hidden = [kata.solution_path.parent, kata.path.parent.parent]
    if submission is not None and submission.directory is not None:
        hidden.append(submission.directory.resolve())
    return hidden


class ForkServer:
    """A grader prepared once for a batch worker: it has imported pytest and the harness and
    collected the kata's suites (against the stub's mirrors), and forks one grader per run.

    Starting Python, importing pytest and collecting are most of a small run's cost; a batch
    pays them once per worker instead of once per submission. Each run still gets a grader
    process of its own (forked, in a session of its own) and a learner side of its own
    (a fresh zygote in a fresh sandbox), with its own limits and guards. Under bubblewrap
    the server itself is sandboxed, with `scratch` its only writable place; runs are made
    in `scratch` one at a time and removed after.
    """

    def __init__(self, kata: Kata, scratch: Path, isolation: str = "auto",
                 hide: tuple[Path, ...] = (), env: dict[str, str] | None = None,
                 suites: tuple[str, ...] = SUITES, limits: sandbox.Limits | None = None
                 ) -> None:
        self.scratch = Path(scratch).resolve()
        self.scratch.mkdir(parents=True, exist_ok=True)
        self.limits = limits or sandbox.Limits(wall=kata.timeout.total, test=kata.timeout.test)
        folder = self.scratch / "grader"
        folder.mkdir(mode=0o700)
        for name in ("home", "tmp"):
            (folder / name).mkdir()
        self.grader = Grader.lay_out(kata, folder, suites, self.limits)
        setup = folder / "setup.json"
        setup.write_text(json.dumps(self.grader.setup(self.limits)), encoding="utf-8")
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        command = [sys.executable, "-I", "-c", _ZYGOTE.format(root=_HARNESS_ROOT),
                   str(theirs.fileno()), str(setup)]
        wrapper = sandbox.Wrapper.choose(isolation)
        network = (env or {}).get("KATA_DB") == "postgresql"
        command = wrapper.wrap(command, run_dir=self.scratch, hide=list(hide), network=network,
                               workdir=self.grader.suite)
        self.isolation = wrapper.kind
        try:
            self.process = strays.start(
                command, cwd=self.grader.suite, env=sandbox.child_env(str(folder), env),
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, pass_fds=(theirs.fileno(),), start_new_session=True)
        finally:
            theirs.close()
        self.socket = ours
        self.socket.settimeout(60)
        try:
            ready = self._receive()
        except (OSError, HarnessError, ValueError):
            ready = {}
        if ready.get("ready") is not True:
            self.close()
            raise HarnessError("the prepared grader did not start: "
                               + str(ready.get("problem") or "it stopped before collecting"))

    def _send(self, message: dict, fds: tuple[int, ...] = ()) -> None:
        data = json.dumps(message).encode()
        if fds:
            socket.send_fds(self.socket, [data], list(fds))
        else:
            self.socket.send(data)

    def _receive(self, timeout: float | None = 60) -> dict:
        self.socket.settimeout(timeout)
        data = self.socket.recv(65536)
        if not data:
            raise HarnessError("the fork server stopped")
        return json.loads(data)

    def run(self, config_path: Path, fds: tuple[int, ...], output_path: Path,
            env: dict[str, str], wall: float) -> tuple[int | None, bool]:
        """Forks one run (handing it the channel and the learner side's control socket);
        returns its exit code and whether it had to be killed."""
        try:
            self._send({"config": str(config_path), "output": str(output_path), "env": env},
                       fds)
        finally:
            for fd in fds:
                os.close(fd)
        self._receive()  # {"pid": ...}: the run has started
        patience = busy.Patience.of(wall)
        while True:
            try:
                return self._receive(timeout=max(patience.remaining(), 0.01)).get("exit"), False
            except TimeoutError:
                if not patience.extend():
                    break
        self._send({"kill": True})
        return self._receive().get("exit"), True

    def close(self) -> None:
        try:
            self.socket.close()
            self.process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        with contextlib.suppress(OSError):
            os.killpg(self.process.pid, signal.SIGKILL)
        strays.release(self.process)
        strays.sweep()

    def __enter__(self) -> ForkServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class Worker:
    """A learner process holding one implementation, answering requests one at a time (for
    `compare`: operation sequences and benchmarks), under the run's limits and sandbox."""

    def __init__(self, kata: Kata, files: dict[str, Path], *, timeout: float = 5.0,
                 isolation: str = "auto") -> None:
        self.kata = kata
        self.wrapper = sandbox.Wrapper.choose(isolation)
        self.files = files
        self.timeout = timeout
        self._tmp = tempfile.TemporaryDirectory(prefix="kata-worker-")
        self.run_dir = Path(self._tmp.name).resolve()
        self.process: subprocess.Popen | None = None
        self._start()

    def _start(self) -> None:
        work = self.run_dir / "work"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir()
        for name, source in self.files.items():
            shutil.copyfile(source, work / name)
        (self.run_dir / "home").mkdir(exist_ok=True)
        (self.run_dir / "tmp").mkdir(exist_ok=True)
        limits = sandbox.Limits(wall=3600, test=self.timeout)
        config = {"work": str(work), "run_dir": str(self.run_dir),
                  "modules": [n[:-3] for n in self.kata.files if n.endswith(".py")],
                  "hidden": [str(p) for p in hidden_from_child(self.kata)],
                  "allow_processes": self.kata.processes, "limits": limits.to_dict()}
        command = [sys.executable, "-I", "-c", _SEQUENCES_BOOT.format(root=_HARNESS_ROOT),
                   json.dumps(config)]
        command = self.wrapper.wrap(command, run_dir=self.run_dir,
                                    hide=hidden_from_child(self.kata), workdir=work)
        self.process = strays.start(
            command, cwd=work, env=sandbox.child_env(str(self.run_dir)), stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True,
            text=True, bufsize=1)
        self._lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, args=(self.process, self._lines),
                         daemon=True).start()

    @staticmethod
    def _read(process: subprocess.Popen, lines: queue.Queue) -> None:
        for line in process.stdout:
            lines.put(line)
        lines.put(None)

    def ask(self, request: dict, timeout: float | None = None) -> dict | None:
        """Sends one request; None when the implementation hung or died (it is restarted)."""
        try:
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
            line = self._lines.get(timeout=timeout or self.timeout)
        except (OSError, queue.Empty):
            line = None
        if line is None:
            self.restart()
            return None
        return json.loads(line)

    def restart(self) -> None:
        self._stop()
        self._start()

    def _stop(self) -> None:
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            strays.release(self.process)
            strays.sweep()
            for stream in (self.process.stdin, self.process.stdout):
                with contextlib.suppress(OSError):
                    stream.close()

    def close(self) -> None:
        self._stop()
        self._tmp.cleanup()

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
