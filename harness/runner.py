"""Runs a kata's suites against a submission: the parent side of a run.

A run copies the submission into a fresh temporary folder, lays out the grader's side
beside it, never inside it (`grader_layout`), starts the grader process (pytest with the
`plugin`, from scratch or forked by a batch worker's `forkserver`) and the learner side
(a zygote in a sandbox of its own), enforces the run's deadline, and reads per-test
outcomes from a pipe it opened; `verdict` builds the result from them, never from the
grader's exit code. This module, `forkserver` and `sequences` are the only code that
starts grader and learner processes (tests/test_layout.py checks it).
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from harness import busy, grading, intake, sandbox, strays
from harness.catalog import Kata
from harness.channel import ChannelReader
from harness.errors import UsageError
from harness.forkserver import ForkServer
from harness.grader_layout import SUITES, Grader, hidden_from_child
from harness.learner.limits import UNPRIVILEGED_UID
from harness.result import RunResult, Status, valid_text
from harness.verdict import assemble, check_integrity, head

_STARTUP_ALLOWANCE = 2.0  # seconds for the interpreter and pytest to start, on top of the limit
_CHANNEL_GRACE = 5.0  # seconds for the result channel to close once the grader has ended


@dataclass
class Submission:
    """The learner's files: a directory, or explicit files standing in for the kata's files."""

    name: str
    directory: Path | None = None
    files: dict[str, Path] = field(default_factory=dict)
    #: what the files held when a batch began (`snapshot`); a run refuses other contents
    digest: str | None = None
    #: why the submission cannot be graded as handed in (a zip refused, files in two
    #: places): its run is an error saying so
    problem: str = ""

    def places(self) -> list[Path]:
        """The folders that hold the submission's files."""
        return [*([self.directory] if self.directory else []),
                *(path.parent for path in self.files.values())]

    def snapshot(self) -> None:
        """Takes the digest of the files as they are now, before any learner code runs."""
        if self.problem:
            return
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
        hide: tuple[Path, ...] = (), first_failure: bool = False,
        first: tuple[str, ...] = ()) -> RunResult:
    """Runs the kata's suites against the submission and returns the graded result.

    With `coverage`, the result also says which lines and branches of the
    submission's files the suites never ran. `isolation` is "none", "bwrap" or
    "auto" (bwrap where it works). With a `server`, the grader is forked from a
    process that has collected the suites already (batch grading; the server's suites
    and limits are used); `hide` names more folders a sandboxed child must not see (the
    other submissions of a batch). With `first_failure`, the suites' tests after the first
    one that fails are skipped: all a known-wrong version needs is one failing test;
    `first` names tests (node ids) to run before the others (its recorded catcher).
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
            folder = submission.directory
            if folder is not None and not all((folder / n).is_file() for n in kata.files):
                result.advice = ("`kata reset` puts the stub back if you deleted it; then run "
                                 "kata check again.")
        else:
            grader = server.grader if server is not None else \
                Grader.lay_out(kata, run_dir, suites, limits)
            # a prepared grader chose its sandbox when it started: the learner side's is the same
            wrapper = sandbox.Wrapper.choose(server.isolation if server is not None else isolation)
            result = _execute(kata, submission, run_dir, grader, limits, env or {},
                              {"coverage": coverage, "first_failure": first_failure,
                               "first": list(first)},
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
    if submission.problem:
        return submission.problem, {}
    (run_dir / "learner").mkdir()
    work = run_dir / "learner" / "work"
    parts: list[str] = []
    digests: dict[str, str] = {}
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
        return (f"{', '.join(missing)} is missing: the kata is graded on "
                f"{', '.join(kata.files)}"), {}
    for folder in ("home", "tmp", "learner/home", "learner/tmp"):
        (run_dir / folder).mkdir()
    return "", digests


def _execute(kata: Kata, submission: Submission, run_dir: Path, grader: Grader,
             limits: sandbox.Limits, env: dict[str, str], options: dict[str, Any],
             wrapper: sandbox.Wrapper, server: ForkServer | None, hide: tuple[Path, ...],
             digests: dict[str, str]) -> RunResult:
    """Starts the learner side (under `wrapper`) and the grader (forked by `server`, else
    started under `wrapper`), waits for the grader within the run's deadline, and builds
    the verdict from what it reported."""
    read_fd, write_fd = os.pipe()
    learner = run_dir / "learner"
    config: dict[str, object] = {
        "fd": write_fd,
        "work": str(learner / "work"),
        "shared_tmp": str(learner / "tmp"),
        "coverage": options["coverage"],
        "first_failure": options["first_failure"],
        "first": options["first"],
    }
    if server is None:
        config.update(grader.setup(limits))
    zygote = None
    passed: tuple[int, ...] = (write_fd,)  # the fds the grader inherits
    if grader.stubs:
        zygote, grader_end = _start_learner_side(kata, submission, run_dir, limits, env,
                                                 options["coverage"], wrapper, hide, digests,
                                                 grader.folder)
        zygote_fd = grader_end.detach()  # closed here once the grader holds it
        config["zygote"] = zygote_fd
        passed += (zygote_fd,)
    watch = sandbox.DiskWatch(learner, limits.disk, lambda _reason: _kill_group(zygote))
    if zygote is not None:
        watch.start()
    config_path = run_dir / "config.json"
    config_path.write_text(json.dumps(config), encoding="utf-8")
    output_path = run_dir / "child.out"
    child_env = sandbox.child_env(str(run_dir), env)
    reader = ChannelReader(read_fd)
    reader.start()
    try:
        if server is not None:
            returncode, timed_out = server.run(config_path, passed, output_path, child_env,
                                               limits.wall + _STARTUP_ALLOWANCE)
        else:
            command = sandbox.python_command("harness.grader_process", "main(sys.argv[1])",
                                             str(config_path))
            command = wrapper.wrap(command, run_dir=run_dir,
                                   hide=[*hidden_from_child(kata, submission.directory), *hide],
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
    result = assemble(kata, submission.name, reader.events, timed_out, limits,
                      head(output_path), returncode)
    result = check_integrity(result, reader.events, grader.canaries, grader.expected,
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
        and _readable_by_all(Path(sys.prefix), Path(sys.base_prefix), Path(sandbox.HARNESS_ROOT))
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
        "root": sandbox.HARNESS_ROOT,
        "drop_privileges": drop,
        # what each of the kata's files held when copied: loaded only if it still does
        "digests": {name[:-3]: digests[name] for name in kata.files
                    if name.endswith(".py") and name in digests},
    }
    grader_end, learner_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    command = sandbox.python_command("harness.learner.zygote",
                                     "main(int(sys.argv[1]), sys.argv[2])",
                                     str(learner_end.fileno()), json.dumps(config))
    hidden = [*hidden_from_child(kata, submission.directory), *hide, grader_folder]
    command = wrapper.wrap(command, run_dir=learner, hide=hidden, workdir=learner / "work",
                           private=run_dir)
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

