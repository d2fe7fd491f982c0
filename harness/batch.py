"""A class of submissions: which to grade, in which slice, and grading them in parallel.

Each submission gets a run of its own (`runner.run`); a batch worker's grader is prepared
once (`forkserver.ForkServer`: pytest imported and the suites collected) and forked per run.
"""

from __future__ import annotations

import queue
import tempfile
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from harness import archives, grading, intake, runner
from harness.catalog import Kata, require_hidden_suite
from harness.errors import HarnessError, UsageError
from harness.forkserver import ForkServer
from harness.grader_layout import SUITES, hidden_from_child
from harness.result import RunResult, Status, valid_text


def discover(kata: Kata, paths: list[Path], each: Sequence[Path] = (),
             unpack: Path | None = None) -> list[runner.Submission]:
    """Turns the command line's paths into named submissions.

    A path is a directory (a workspace or a student's repository), a zip of one (as
    course platforms download them; unpacked under `unpack`) or, for one-file katas, a
    single file; `each` folders hold one submission per entry. The kata's files may lie
    one folder down (`archives.locate`). Names come from the paths (a zip's without
    `.zip`) and are made unique by adding parent folders. A zip or folder that cannot be
    taken in becomes a submission that is graded as an error saying why.
    """
    require_hidden_suite(kata, "kata grade")
    found: list[Path] = [Path(p) for p in paths]
    for folder in each:
        if not Path(folder).is_dir():
            raise UsageError(f"--each {folder}: not a directory")
        found += sorted(p for p in Path(folder).iterdir() if not p.name.startswith("."))
    missing = [str(p) for p in found if not p.exists()]
    if missing:
        raise UsageError(f"no such submission: {', '.join(missing)}")
    if not found:
        raise UsageError("give submissions to grade: paths, a glob, or --each DIR")
    names = unique_names([p.resolve() for p in found])
    submissions = []
    for number, (path, name) in enumerate(zip(found, names, strict=True), start=1):
        submissions.append(_take_in(kata, path.resolve(), name,
                                    unpack / f"{number}" if unpack else None))
    return submissions


def _take_in(kata: Kata, path: Path, name: str, unpack: Path | None) -> runner.Submission:
    try:
        if archives.is_zip(path) and path.name not in kata.files:
            if unpack is None:
                raise UsageError(f"{path} is a zip: kata grade unpacks zips")
            unpack.parent.mkdir(parents=True, exist_ok=True)
            archives.extract(path, unpack)
            path = unpack
        if path.is_dir():
            path = archives.locate(path, list(kata.files))
        return runner.Submission.from_path(path, kata, name=name)
    except (intake.Refused, UsageError) as refused:  # it costs this submission alone
        return runner.Submission(name=valid_text(name), problem=valid_text(str(refused)))


def unique_names(paths: list[Path]) -> list[str]:
    """A name per path, from its last part (a file's without its suffix), with as many
    parent folders as it takes to tell it from the others. Two in one folder whose names
    are alike (`ana/` and `ana.zip`) get `~2`, `~3` in the order given."""
    last: list[str] = []
    seen: dict[tuple[Path, str], int] = {}
    for path in paths:
        base = path.stem if path.is_file() else path.name
        seen[(path.parent, base)] = seen.get((path.parent, base), 0) + 1
        count = seen[(path.parent, base)]
        last.append(base if count == 1 else f"{base}~{count}")

    def name(index: int, depth: int) -> str:
        return "/".join([*paths[index].parent.parts[-depth + 1:][:depth - 1], last[index]])

    depths = [1] * len(paths)
    while True:
        names = [name(i, d) for i, d in enumerate(depths)]
        alike = {n for n in names if names.count(n) > 1}
        if not alike:
            return names
        depths = [d + (n in alike) for n, d in zip(names, depths, strict=True)]


def parse_shard(text: str) -> tuple[int, int]:
    """Reads `I/N` (1-based): grade the I-th of N slices."""
    try:
        index, count = (int(part) for part in text.split("/"))
    except ValueError:
        raise UsageError(f"--shard {text}: write it as I/N, e.g. 2/4") from None
    if not 1 <= index <= count:
        raise UsageError(f"--shard {text}: I must be between 1 and N")
    return index, count


def shard(submissions: list[runner.Submission], index: int, count: int) -> list:
    """A deterministic slice: every N-th submission by name, so shards never overlap."""
    ordered = sorted(submissions, key=lambda s: s.name)
    return [s for position, s in enumerate(ordered) if position % count == index - 1]


def grade_batch(kata: Kata, submissions: list[runner.Submission], *, jobs: int,
                isolation: str = "auto", env: dict[str, str] | None = None,
                suites: tuple[str, ...] = SUITES, first_failure: bool = False,
                first: Mapping[str, tuple[str, ...]] | None = None,
                on_result: Callable[[RunResult], None] | None = None) -> list[RunResult]:
    """Grades every submission in its own run, `jobs` at a time; one submission that hangs,
    crashes or floods output costs only itself. Results come back in submission order.

    Each worker prepares a grader once (pytest imported, the suites collected) and forks
    it per submission; a worker whose grader cannot be prepared grades its share with a
    fresh grader per submission, which reports the suite's problem in every result.
    With `first_failure`, each run stops at its first failing test (known-wrong versions);
    `first` names, by submission, the tests to run before the others (node ids)."""
    hide = (*hidden_from_child(kata), *(place for s in submissions for place in s.places()))
    for submission in submissions:  # before any learner code runs
        submission.snapshot()
    results: list[RunResult | None] = [None] * len(submissions)
    servers: queue.Queue[runner.ForkServer | None] = queue.Queue()
    with tempfile.TemporaryDirectory(prefix="kata-grade-") as scratch, \
            ThreadPoolExecutor(max_workers=jobs) as pool:
        started: list[ForkServer] = []

        def prepare(number: int) -> None:
            try:
                server = ForkServer(kata, Path(scratch) / f"worker-{number}", isolation, hide, env,
                                    suites)
            except HarnessError:
                servers.put(None)
                return
            started.append(server)
            servers.put(server)

        def graded(position: int) -> RunResult:
            server = servers.get()
            try:
                result = grade_one(kata, submissions[position], server, hide=hide, env=env,
                                   suites=suites, isolation=isolation,
                                   first_failure=first_failure,
                                   first=(first or {}).get(submissions[position].name, ()))
            finally:
                servers.put(server)
            results[position] = result
            return result

        try:
            for _ in pool.map(prepare, range(min(jobs, len(submissions)))):
                pass
            for future in as_completed([pool.submit(graded, i)
                                        for i in range(len(submissions))]):
                result = future.result()
                if on_result is not None:
                    on_result(result)
        finally:
            for server in started:
                server.close()
    return [r for r in results if r is not None]


def grade_one(kata: Kata, submission: runner.Submission, server: ForkServer | None, *,
              hide: tuple[Path, ...], env: dict[str, str] | None = None,
              suites: tuple[str, ...] = SUITES, isolation: str = "auto",
              first_failure: bool = False, first: tuple[str, ...] = ()) -> RunResult:
    """Grades one submission of a batch: forked from the worker's prepared grader
    (`server`), or from scratch (None) hiding `hide` (the catalog, the other submissions)
    from it; a harness failure is that submission's error result. A batch here and a
    queue worker (`harness.distributed`) grade every submission through this."""
    try:
        return runner.run(kata, submission, env=env, suites=suites, isolation=isolation,
                          server=server, hide=hide if server is None else (),
                          first_failure=first_failure, first=first)
    except Exception as exc:  # noqa: BLE001 -- one submission never costs the others
        return harness_failed(kata, submission.name, exc)


def harness_failed(kata: Kata, name: str, exc: Exception | str) -> RunResult:
    """The result of a submission the harness itself could not grade: an error with the
    reason, so that its report is written beside everyone else's."""
    reason = f"{type(exc).__name__}: {exc}" if isinstance(exc, Exception) else exc
    result = RunResult(kata=kata.slug, submission=name, status=Status.ERROR,
                       message=valid_text(f"the harness could not grade this submission "
                                          f"({reason}); please report it"))
    return grading.grade(result, kata)
