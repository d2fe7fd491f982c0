"""The instructor's and CI's commands: grade a class, merge shards, export a hand-out."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click

from harness import databases, grading, outputs, reports, terminal
from harness.catalog import DATABASES, Catalog, Kata
from harness.cli.common import catalog_option, sandbox_option, visibility_option
from harness.errors import EXIT_FAIL, EXIT_OK
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
@visibility_option
@sandbox_option
@catalog_option
def grade(slug: str, submissions: tuple[Path, ...], each: tuple[Path, ...], jobs: int | None,
          out: Path, formats: tuple[str, ...], min_score: str | None, shard: str | None,
          run_id: str | None, db: str | None, visibility: str, isolation: str,
          catalog_path: str | None) -> int:
    """Grade a class: every submission in its own isolated run, in parallel. The run owns
    --out: a previous kata grade output there is replaced whole; any other files, refused.

    Exit code: 0 when every submission reached the pass mark (--min-score), 1 when one did
    not, 2 for bad input.
    """
    from harness import batch

    kata = Catalog(catalog_path).get(slug)
    mark = grading.parse_min_score(min_score, kata.points)  # a bad one before any work
    outputs.claim(out)
    with tempfile.TemporaryDirectory(prefix="kata-unzipped-") as unpacked:
        found = batch.discover(kata, list(submissions), list(each), unpack=Path(unpacked))
        return _grade(kata, found, jobs, out, formats, mark, shard, run_id, db,
                      visibility, isolation)


def _grade(kata: Kata, found: list, jobs: int | None, out: Path, formats: tuple[str, ...],
           mark: float | None, shard: str | None, run_id: str | None, db: str | None,
           visibility: str, isolation: str) -> int:
    from harness import batch

    slice_ = batch.parse_shard(shard) if shard else None
    run = run_id or outputs.run_id(kata.slug, slice_[1] if slice_ else 1,
                                   [(s.name, s.directory, s.files) for s in found])
    if slice_:
        found = batch.shard(found, *slice_)
    label = f"grading {reports.plural(len(found), 'submission')}"
    with click.progressbar(length=len(found), label=label, file=sys.stderr) as bar:
        results = batch.grade_batch(kata, found, jobs=jobs or os.cpu_count() or 2,
                                    isolation=isolation, env=databases.run_env(kata, db),
                                    on_result=lambda _result: bar.update(1))
    # results/*.json always: they are the run's record, which kata merge reads
    chosen = reports.BATCH_FORMATS if "all" in formats else tuple({"json", *formats})
    _write(out, outputs.Manifest(kata=kata.slug, run=run, shard=slice_,
                                 results=reports.result_files(results)),
           results, kata, chosen, visibility)
    return _pass_mark(results, mark, kata.points, out)


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


COMMANDS = (grade, merge, export)
