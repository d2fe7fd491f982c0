"""The instructor's and CI's commands: grade a class (here or on a queue's workers), merge
shards, export a hand-out, run a queue worker."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click

from harness import databases, grading, outputs, reports, terminal
from harness.catalog import DATABASES, Catalog, Kata
from harness.cli.common import catalog_option, sandbox_option, visibility_option
from harness.errors import EXIT_FAIL, EXIT_HARNESS, EXIT_OK, UsageError
from harness.result import RunResult


@click.command()
@click.argument("slug")
@click.argument("submissions", nargs=-1, type=click.Path(path_type=Path))
@click.option("--each", "each", multiple=True, type=click.Path(path_type=Path),
              help="A folder holding one submission per entry (repeatable).")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="Submissions graded at once (default: the number of cores).")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path),
              default=Path("grades"), show_default=True, help="Where the reports go.")
@click.option("--format", "formats", multiple=True,
              type=click.Choice(["all", *reports.BATCH_FORMATS]), default=("all",),
              show_default=True, help="Which reports to write (repeatable).")
@click.option("--min-score", default=None, metavar="MARK",
              help=f"The pass mark: {grading.MIN_SCORE_FORMS}; {grading.NO_MIN_SCORE}.")
@click.option("--shard", default=None, help="Grade only slice I of N (I/N), for CI matrices.")
@click.option("--run-id", default=None,
              help="Name this run (default: derived from the kata, the shards and every "
                   "submission's files, so one class's shards agree); kata merge takes only "
                   "shards of one run.")
@click.option("--db", type=click.Choice(list(DATABASES)), default=None,
              help="SQL katas: the database to run on.")
@click.option("--broker", default=None, metavar="URL",
              help="Grade on the workers of a Celery queue (kata worker) instead of here: "
                   "redis://HOST:6379/0 or amqp://USER:PASSWORD@HOST:5672//.")
@click.option("--backend", default=None, metavar="URL",
              help="With --broker: the Redis that keeps the replies (default: the broker, "
                   "when it is Redis).")
@click.option("--queue", "queue_name", default=None, metavar="NAME",
              help="With --broker: the queue's name (default: kata).")
@click.option("--wait", type=click.FloatRange(min=1), default=None, metavar="SECONDS",
              help="With --broker: give up on the submissions still out when no result has "
                   "come for this long (default: twice the kata's longest grading, plus the "
                   "visibility timeout on Redis).")
@visibility_option
@sandbox_option
@catalog_option
@click.pass_context
def grade(ctx: click.Context, slug: str, submissions: tuple[Path, ...], each: tuple[Path, ...],
          jobs: int | None, out: Path, formats: tuple[str, ...], min_score: str | None,
          shard: str | None, run_id: str | None, db: str | None, broker: str | None,
          backend: str | None, queue_name: str | None, wait: float | None, visibility: str,
          isolation: str, catalog_path: str | None) -> int:
    """Grade a class: every submission in its own isolated run, in parallel here, or on the
    workers of a queue (--broker). The run owns --out: a previous kata grade output there
    is replaced whole; any other files, refused.

    Exit code: 0 when every submission reached the pass mark (--min-score), 1 when one did
    not, 2 for bad input, 3 when a submission could not be graded on the queue (it never
    came back, or a worker refused it); its row says why.
    """
    from harness import batch

    queue = _queue_options(ctx, broker, backend, queue_name, wait, jobs)
    kata = Catalog(catalog_path).get(slug)
    mark = grading.parse_min_score(min_score, kata.points)  # a bad one before any work
    if db is not None and db not in kata.databases:
        databases.run_env(kata, db)  # says which databases it runs on
    outputs.claim(out)
    with tempfile.TemporaryDirectory(prefix="kata-unzipped-") as unpacked:
        found = batch.discover(kata, list(submissions), list(each), unpack=Path(unpacked))
        return _grade(kata, found, jobs, out, formats, mark, shard, run_id, db,
                      visibility, isolation, queue)


def _queue_options(ctx: click.Context, broker: str | None, backend: str | None,
                   queue: str | None, wait: float | None, jobs: int | None) -> dict | None:
    """The queue a class is graded on (None: here), its options checked against the rest."""
    if broker is None:
        given = [n for n, v in (("--backend", backend), ("--queue", queue), ("--wait", wait))
                 if v is not None]
        if given:
            raise UsageError(f"{', '.join(given)} go with --broker URL")
        return None
    if jobs is not None:
        raise UsageError("--jobs sizes the pool here; on a queue, each kata worker's "
                         "--concurrency does")
    if ctx.get_parameter_source("isolation") is not click.core.ParameterSource.DEFAULT:
        raise UsageError("--sandbox applies where the code runs: give it to kata worker")
    return {"broker": broker, "backend": backend, "queue": queue, "wait": wait}


def _grade(kata: Kata, found: list, jobs: int | None, out: Path, formats: tuple[str, ...],
           mark: float | None, shard: str | None, run_id: str | None, db: str | None,
           visibility: str, isolation: str, queue: dict | None = None) -> int:
    from harness import batch

    slice_ = batch.parse_shard(shard) if shard else None
    run = run_id or outputs.run_id(kata.slug, slice_[1] if slice_ else 1,
                                   [(s.name, s.directory, s.files) for s in found])
    if slice_:
        found = batch.shard(found, *slice_)
    label = f"grading {reports.plural(len(found), 'submission')}"
    problems: dict[str, str] = {}
    if queue is not None:
        results, problems = _grade_on_queue(kata, found, db, queue, label)
    else:
        with click.progressbar(length=len(found), label=label, file=sys.stderr) as bar:
            results = batch.grade_batch(kata, found, jobs=jobs or os.cpu_count() or 2,
                                        isolation=isolation, env=databases.run_env(kata, db),
                                        on_result=lambda _result: bar.update(1))
    # results/*.json always: they are the run's record, which kata merge reads
    chosen = reports.BATCH_FORMATS if "all" in formats else tuple({"json", *formats})
    _write(out, outputs.Manifest(kata=kata.slug, run=run, shard=slice_,
                                 results=reports.result_files(results)),
           results, kata, chosen, visibility)
    code = _pass_mark(results, mark, kata.points, out)
    if problems:
        click.echo(f"\nkata: {reports.plural(len(problems), 'submission')} could not be graded "
                   "on the queue (each is an error in the reports):", err=True)
        for name, why in list(problems.items())[:20]:
            click.echo(f"  {name}: {why}", err=True)
        if len(problems) > 20:
            click.echo(f"  ... and {len(problems) - 20} more", err=True)
        return EXIT_HARNESS
    return code


def _grade_on_queue(kata: Kata, found: list, db: str | None, queue: dict,
                    label: str) -> tuple[list[RunResult], dict[str, str]]:
    """Grades the class on a queue's workers, showing progress, queue depth and
    throughput as replies come back."""
    from harness.distributed import submit, wire

    broker = queue["broker"]
    options = {"broker": broker, "backend": queue["backend"], "db": db,
               "queue": queue["queue"] or wire.DEFAULT_QUEUE,
               "wait": queue["wait"] or submit.default_wait(kata, broker)}

    def line(p: submit.Progress) -> str:
        waiting = "?" if p.waiting is None else f"{p.waiting:,}"
        return f"{waiting} queued, {p.rate:.1f}/s"

    if sys.stderr.isatty():
        shown = [""]

        def show(_item: int | None) -> str:
            return shown[0]

        with click.progressbar(length=len(found), label=label, file=sys.stderr,
                               item_show_func=show) as bar:
            def progress(p: submit.Progress) -> None:
                shown[0] = line(p)
                bar.update(p.graded - bar.pos)

            outcome = submit.grade(kata, found, on_progress=progress, **options)
    else:  # a log (CI): a line every few seconds, and the last
        click.echo(label, err=True)
        said = [-10.0]

        def progress(p: submit.Progress) -> None:
            if p.elapsed - said[0] >= 5 or p.graded == p.total:
                said[0] = p.elapsed
                click.echo(f"graded {p.graded:,}/{p.total:,} in {p.elapsed:.0f} s, {line(p)}",
                           err=True)

        outcome = submit.grade(kata, found, on_progress=progress, **options)
    workers = ", ".join(f"{name} {count}" for name, count in sorted(outcome.workers.items()))
    click.echo(f"graded on {reports.plural(len(outcome.workers), 'worker')} ({workers}); "
               f"sending took {outcome.sent:.1f} s; {outcome.duplicates} duplicate replies "
               "dropped", err=True)
    for bad in outcome.bad[:5]:
        click.echo(f"kata: dropped a reply: {bad}", err=True)
    return outcome.results, outcome.problems


@click.command()
@click.argument("folders", nargs=-1, required=True,
                type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path),
              default=Path("grades"), show_default=True)
@click.option("--min-score", default=None, metavar="MARK",
              help=f"The pass mark: {grading.MIN_SCORE_FORMS}; {grading.NO_MIN_SCORE}.")
@visibility_option
@catalog_option
def merge(folders: tuple[Path, ...], out: Path, min_score: str | None, visibility: str,
          catalog_path: str | None) -> int:
    """Merge the reports of the shards of one kata grade run into one report.

    Exit code: 0 when every submission reached the pass mark (--min-score), 1 when one did
    not, 2 for bad input.
    """
    slug, run, results = outputs.gather(folders, out)
    kata = Catalog(catalog_path).get(slug)
    mark = grading.parse_min_score(min_score, kata.points)  # a bad one before writing
    _write(out, outputs.Manifest(kata=slug, run=run, shard=None,
                                 results=reports.result_files(results)),
           results, kata, reports.BATCH_FORMATS, visibility)
    return _pass_mark(results, mark, kata.points, out)


def _write(out: Path, manifest: outputs.Manifest, results: list[RunResult], kata: Kata,
           formats: tuple[str, ...], visibility: str) -> None:
    outputs.write(out, manifest,
                  lambda folder: reports.write_batch(folder, results, kata, formats, visibility))


def _pass_mark(results: list[RunResult], mark: float | None, max_score: float,
               out: Path) -> int:
    """The end of `kata grade` and `kata merge`: the class, how many reached the pass mark,
    and the exit code that says whether all did."""
    click.echo(terminal.summary_table(results))
    short = [r for r in results if not grading.passes(r, mark)]
    click.echo(f"\n{len(results) - len(short)}/{len(results)} "
               f"{grading.describe_pass_mark(mark, max_score)}; reports in {out}/")
    return EXIT_FAIL if short else EXIT_OK


@click.command()
@click.argument("slug")
@click.argument("dest", type=click.Path(path_type=Path))
@click.option("--gradescope", is_flag=True,
              help="Write a Gradescope autograder bundle (DEST is a .zip) instead.")
@click.option("--harness", "harness_requirement", metavar="REQUIREMENT", default=None,
              help="What the generated files install as the kata harness: your course's URL "
                   "of its wheel, a VCS URL or a requirement (default: this version, pinned; "
                   "a development version needs this).")
@click.option("--force", is_flag=True, help="Export into a non-empty folder.")
@catalog_option
def export(slug: str, dest: Path, gradescope: bool, harness_requirement: str | None,
           force: bool, catalog_path: str | None) -> None:
    """Write a student hand-out (stub, examples, README, CI workflow) or an autograder bundle."""
    from harness import export as exporting

    kata = Catalog(catalog_path).get(slug)
    if gradescope:
        names = exporting.export_gradescope(kata, dest, harness=harness_requirement)
        click.echo(f"Wrote {dest} ({len(names)} files): upload it as the autograder.")
        return
    written, installs = exporting.export_handout(kata, dest, force=force,
                                                 harness=harness_requirement)
    click.echo(f"Wrote the hand-out for {slug} to {dest}/ ({len(written)} files); "
               "no hidden test or solution is in it.")
    click.echo(installs.describe())


@click.command()
@click.option("--broker", required=True, metavar="URL",
              help="The queue's broker: redis://HOST:6379/0 or amqp://USER:PASSWORD@HOST:5672//.")
@click.option("--backend", default=None, metavar="URL",
              help="The Redis that keeps replies and delivery counts (default: the broker, "
                   "when it is Redis).")
@click.option("--queue", "queue_name", default=None, metavar="NAME",
              help="The queue to take tasks from (default: kata).")
@click.option("--concurrency", type=click.IntRange(min=1), default=None,
              help="Submissions graded at once (default: the number of cores).")
@click.option("--max-deliveries", type=click.IntRange(min=1), default=None,
              help="Deliveries of one submission before it is graded `error` instead of "
                   "stopping yet another worker (default: 3).")
@click.option("--visibility-timeout", type=click.FloatRange(min=1), default=None,
              metavar="SECONDS",
              help="Redis brokers: seconds after which a task a dead worker held is handed to "
                   "another (default: 1200); longer than the longest grading, the same on "
                   "every worker.")
@click.option("--name", default=None, help="This worker's node name (default: kata-PID@HOST).")
@click.option("--loglevel", default="INFO", show_default=True,
              type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"], case_sensitive=False))
@sandbox_option
@catalog_option
def worker(broker: str, backend: str | None, queue_name: str | None, concurrency: int | None,
           max_deliveries: int | None, visibility_timeout: float | None, name: str | None,
           loglevel: str, isolation: str, catalog_path: str | None) -> int:
    """Grade the submissions `kata grade --broker` sends, with the katas of this catalog,
    until stopped (SIGTERM or ^C hands back what is unfinished). Each is graded as a
    local kata grade would; a task for a kata whose files differ here is refused."""
    from harness.distributed import wire
    from harness.distributed import worker as working

    return working.run(broker, backend, queue_name or wire.DEFAULT_QUEUE,
                       concurrency or os.cpu_count() or 2, catalog_path, isolation,
                       max_deliveries=max_deliveries or wire.MAX_DELIVERIES,
                       visibility_timeout=visibility_timeout or working.VISIBILITY_TIMEOUT,
                       name=name, loglevel=loglevel)


COMMANDS = (grade, merge, export, worker)
