"""The command line: argument parsing and output only; the work is done by the other modules."""

from __future__ import annotations

import json
import os
import signal
import sys
import traceback
from pathlib import Path

import click

from harness import __version__, databases, reports, runner, strays, workspace
from harness.catalog import DATABASES, Catalog, Kata, default_root
from harness.errors import (
    EXIT_FAIL,
    EXIT_HARNESS,
    EXIT_OK,
    EXIT_USAGE,
    KataError,
    UsageError,
)
from harness.result import RunResult, Status

WELCOME = """\
kata: practise system design by writing code.

  kata list                   the katas, by topic, with your progress
  kata start load-balancer    a workspace with a stub, instructions and example tests
  kata check                  grade your work with the hidden tests (inside the workspace)
  kata hint                   the next hint, one at a time

Progress is kept in {home} (set KATA_HOME to move it).
"""

sandbox_option = click.option(
    "--sandbox", "isolation", type=click.Choice(["auto", "bwrap", "none"]), default="auto",
    show_default=True, help="Run learner code under bubblewrap (bwrap), without it (none), or "
    "under it when it works here (auto).",
)

visibility_option = click.option(
    "--visibility", type=click.Choice(reports.VISIBILITIES),
    default=reports.DEFAULT_VISIBILITY, show_default=True,
    help="Gradescope: when students see the hidden tests' names and output (the examples "
    "they have are always visible).")

catalog_option = click.option(
    "--catalog", "catalog_path", metavar="PATH", default=None,
    help="Use the katas in PATH (holding katas/ and solutions/); also KATA_CATALOG.",
)


def _colour() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def _explicit_root(catalog: Catalog, catalog_path: str | None) -> Path | None:
    """The catalog a new workspace should remember: only one named by --catalog or
    KATA_CATALOG (the default one is found again without help)."""
    return catalog.root if (catalog_path or os.environ.get("KATA_CATALOG")) else None


def _check_workspace(kata: Kata, ws: workspace.Workspace, isolation: str,
                     db: str | None = None) -> RunResult:
    """One `kata check` of a workspace, recorded in it and in the learner's progress."""
    submission = runner.Submission(name=ws.path.name, directory=ws.path)
    result = runner.run(kata, submission, env=databases.run_env(kata, db), isolation=isolation)
    ws.record_check(result)
    return result


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kata")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Practise system design by writing code, graded by hidden tests."""
    if ctx.invoked_subcommand is None:
        click.echo(WELCOME.format(home=workspace.kata_home()), nl=False)


@cli.command("list")
@click.option("--topic", default=None, help="Only this topic.")
@click.option("--difficulty", default=None, help="Only this difficulty.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@catalog_option
def list_command(topic: str | None, difficulty: str | None, fmt: str,
                 catalog_path: str | None) -> None:
    """List the katas: slug, topic, difficulty, title and your status."""
    katas = Catalog(catalog_path).filter(topic, difficulty)
    progress = workspace.Progress()
    statuses = {k.slug: progress.status(k.slug) for k in katas}
    if fmt == "json":
        click.echo(json.dumps([{"slug": k.slug, "topic": k.topic, "difficulty": k.difficulty,
                                "title": k.title, "summary": k.summary,
                                "status": statuses[k.slug]} for k in katas], indent=2))
        return
    click.echo(reports.catalog_table(katas, statuses))
    click.echo(f"\n{len(katas)} katas. Start one with: kata start SLUG")


@cli.command()
@click.argument("slug")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Where to create the workspace (default ./SLUG).")
@click.option("--force", is_flag=True, help="Start into a non-empty directory (backs up files).")
@catalog_option
def start(slug: str, directory: Path | None, force: bool, catalog_path: str | None) -> None:
    """Create a workspace for a kata: stub, README and example tests."""
    catalog = Catalog(catalog_path)
    kata = catalog.get(slug)
    dest = directory or Path.cwd() / slug
    ws = workspace.start(kata, dest, force=force,
                         catalog_root=_explicit_root(catalog, catalog_path))
    shown = os.path.relpath(ws.path) if ws.path.is_relative_to(Path.cwd()) else str(ws.path)
    click.echo(f"Started {kata.slug} ({kata.title}) in {shown}/")
    for name in (*kata.files, *(p.name for p in kata.visible_tests()), "README.md"):
        click.echo(f"  {name}")
    click.echo(f"\nNext: cd {shown} && read README.md, edit {kata.files[0]}, then run kata check")


@cli.command()
@click.argument("path", type=click.Path(path_type=Path), default=".")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="json prints the result object and nothing else.")
@click.option("--db", type=click.Choice(list(DATABASES)), default=None,
              help="SQL katas: the database to run on (default sqlite; postgresql reads "
                   "KATA_POSTGRES_DSN).")
@click.option("--board", "board_url", metavar="URL", default=None,
              help="Post the result to a dojo board (kata dojo board) at URL.")
@click.option("--code", "join_code", default=None, help="The board's join code.")
@click.option("--name", "pair_name", default=None, help='Your row on the board, e.g. "ana+ben".')
@sandbox_option
@catalog_option
def check(path: Path, fmt: str, db: str | None, board_url: str | None, join_code: str | None,
          pair_name: str | None, isolation: str, catalog_path: str | None) -> int:
    """Grade the workspace at PATH (default: here) with the visible and hidden tests."""
    if board_url and not (join_code and pair_name):
        raise UsageError("--board needs --code (printed by the board) and --name (your pair)")
    ws = workspace.locate(path)
    catalog = workspace.catalog_for(ws, catalog_path)
    kata = catalog.get(ws.slug)
    result = _check_workspace(kata, ws, isolation, db)
    if fmt == "json":
        click.echo(reports.to_json(result))
    else:
        click.echo(reports.check_report(result, kata, colour=_colour()))
        if catalog.root != default_root():  # whoever reads the grade knows which tests gave it
            click.echo(f"Graded with the katas in {catalog.root}")
    if board_url:
        from harness import board

        try:
            shown_as = board.post(board_url, join_code, pair_name, result)
        except UsageError as exc:  # the result stands; only the board missed it
            click.echo(f"kata: {exc}", err=True)
            return EXIT_USAGE
        if fmt != "json":
            click.echo(f"Posted to the board as {shown_as}.")
    return EXIT_OK if result.status is Status.PASS else EXIT_FAIL


@cli.command()
@click.argument("path", type=click.Path(path_type=Path), default=".")
@catalog_option
def hint(path: Path, catalog_path: str | None) -> None:
    """Show the next hint for the kata of this workspace (hints are revealed one at a time)."""
    ws = workspace.locate(path)
    kata = workspace.catalog_for(ws, catalog_path).get(ws.slug)
    revealed = ws.reveal_hint(kata)
    if revealed is None:
        click.echo(f"All {len(kata.hints)} hints are out already:")
        for number, text in enumerate(ws.revealed_hints(kata), start=1):
            click.echo(f"  {number}. {text}")
        return
    number, text = revealed
    click.echo(f"Hint {number}/{len(kata.hints)}: {text}")
    if number < len(kata.hints):
        click.echo("(run kata hint again for the next one)")


@cli.command()
@click.argument("targets", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("--examples", type=click.IntRange(min=1), default=500, show_default=True,
              help="Generated operation sequences for the behaviour view.")
@click.option("--seed", type=int, default=None, help="Replay the generation of a seed.")
@click.option("--reveal", is_flag=True,
              help="Show the reference before passing (recorded in your progress).")
@sandbox_option
@catalog_option
def compare(targets: tuple[str, ...], fmt: str, examples: int, seed: int | None, reveal: bool,
            isolation: str, catalog_path: str | None) -> None:
    """Set your work beside the reference: verdicts, behaviour, speed, coverage, code.

    kata compare [PATH] for a workspace; kata compare SLUG SUBMISSION for instructors.
    """
    from harness import compare as comparing

    if len(targets) == 2:  # an instructor: the reference is theirs to see
        kata = Catalog(catalog_path).get(targets[0])
        path = Path(targets[1])
        if not path.exists():
            raise UsageError(f"no such submission: {path}")
        submission = runner.Submission.from_path(path.resolve(), kata)
        show_code, ws = True, None
    elif len(targets) <= 1:
        ws = workspace.locate(Path(targets[0]) if targets else Path("."))
        kata = workspace.catalog_for(ws, catalog_path).get(ws.slug)
        submission = runner.Submission(name=ws.path.name, directory=ws.path)
        if reveal and not ws.state.get("revealed_at"):
            ws.state["revealed_at"] = workspace.now_iso()
            ws.save()
        show_code = bool(ws.state.get("passed_at") or ws.state.get("revealed_at"))
    else:
        raise UsageError("kata compare [PATH], or kata compare SLUG SUBMISSION")
    base = submission.directory
    files = {name: (submission.files.get(name) or base / name) for name in kata.files}
    missing = [str(p) for p in files.values() if not p.is_file()]
    if missing:
        raise UsageError(f"missing: {', '.join(missing)}")
    result = comparing.compare(kata, submission, files, examples=examples, seed=seed,
                               reveal=show_code, isolation=isolation,
                               env=databases.run_env(kata, None))
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), indent=2))
    else:
        click.echo(reports.compare_report(result, kata, colour=_colour()))


@cli.command()
@click.argument("path", type=click.Path(path_type=Path), default=".")
@sandbox_option
@catalog_option
def watch(path: Path, isolation: str, catalog_path: str | None) -> None:
    """Check again on every save: the current task, the first failure, hints on a key."""
    import threading

    from harness import watch as watching

    ws = workspace.locate(path)
    kata = workspace.catalog_for(ws, catalog_path).get(ws.slug)

    def check_once() -> RunResult:  # recorded by the loop unless a newer save cancelled it
        submission = runner.Submission(name=ws.path.name, directory=ws.path)
        return runner.run(kata, submission, env=databases.run_env(kata, None),
                          isolation=isolation)

    def next_hint():
        revealed = ws.reveal_hint(kata)
        return f"({revealed[0]}/{len(kata.hints)}) {revealed[1]}" if revealed else None

    def write(text: str) -> None:
        click.echo(text, nl=False)

    def compare_once() -> str:
        from harness import compare as comparing

        files = {name: ws.path / name for name in kata.files}
        submission = runner.Submission(name=ws.path.name, directory=ws.path)
        result = comparing.compare(kata, submission, files, reveal=True, isolation=isolation,
                                   env=databases.run_env(kata, None))
        return reports.compare_report(result, kata, colour=_colour())

    loop = watching.WatchLoop(kata, check_once, next_hint, write, compare=compare_once,
                              colour=_colour(), clear=sys.stdout.isatty(),
                              cancel=strays.stop_all, record=ws.record_check)
    stop = threading.Event()
    with watching.keyboard():
        try:
            loop.run(watching.events(ws.path, stop, ticks=True))
        finally:
            stop.set()


@cli.command("next")
@click.option("--yes", is_flag=True, help="Start it without asking.")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Where to start it (default ./SLUG).")
@catalog_option
def next_command(yes: bool, directory: Path | None, catalog_path: str | None) -> None:
    """Suggest the next kata from your progress, and start it on confirmation."""
    catalog = Catalog(catalog_path)
    progress = workspace.Progress()
    kata = workspace.suggest_next(catalog.all(), progress)
    if kata is None:
        click.echo("You have passed every kata of the catalog. Well done!")
        return
    click.echo(f"Next: {kata.slug} ({kata.topic}, {kata.difficulty}): {kata.title}\n"
               f"  {kata.summary}")
    started = [p for p in progress.workspaces(kata.slug) if Path(p, workspace.STATE_DIR).is_dir()]
    if started:
        click.echo(f"You started it in {started[0]}: cd there and run kata check.")
        return
    if not yes and not click.confirm("Start it now?", default=True):
        return
    ctx = click.get_current_context()
    ctx.invoke(start, slug=kata.slug, directory=directory, force=False,
               catalog_path=catalog_path)


@cli.command()
@click.argument("path", type=click.Path(path_type=Path), default=".")
@click.option("--task", "task_number", type=int, default=None,
              help="Reset nothing; show task N's example tests again.")
@catalog_option
def reset(path: Path, task_number: int | None, catalog_path: str | None) -> None:
    """Put the stub back (your file is kept in .kata/), or show a task's tests again."""
    ws = workspace.locate(path)
    kata = workspace.catalog_for(ws, catalog_path).get(ws.slug)
    if task_number is not None:
        task = next((t for t in kata.tasks if t.id == task_number), None)
        if task is None:
            raise UsageError(f"{kata.slug} has tasks 1 to {len(kata.tasks)}, not {task_number}")
        click.echo(reports.task_examples(kata, task))
        return
    backup = workspace.reset(ws, kata)
    click.echo(f"Put the stub back in {', '.join(kata.files)}; your old version is in "
               f"{backup.relative_to(ws.path)}/")


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@catalog_option
def progress(fmt: str, catalog_path: str | None) -> None:
    """Show what you have started and passed, by topic, one line per workspace."""
    katas = Catalog(catalog_path).all()
    progress = workspace.Progress()
    records = {k.slug: progress.workspaces(k.slug) for k in katas}
    if fmt == "json":
        click.echo(json.dumps({"katas": {slug: {"workspaces": found}
                                         for slug, found in records.items() if found}},
                              indent=2, sort_keys=True))
        return
    click.echo(reports.progress_report(katas, records))


@cli.command()
@click.argument("slugs", nargs=-1)
@click.option("--all", "everything", is_flag=True, help="Verify every kata of the catalog.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("--repeat", type=click.IntRange(min=1), default=20, show_default=True,
              help="Run the reference this many times; any failure is a flaky test.")
@click.option("--alt", "alternatives", multiple=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A folder of extra correct implementations that must pass (repeatable).")
@click.option("--jobs", type=click.IntRange(min=1), default=None, help="Runs at once.")
@click.option("--generated", "mutate", is_flag=True,
              help="Also run mechanical mutants of the reference and score the hidden suite.")
@click.option("--generated-limit", "mutate_limit", type=click.IntRange(min=1), default=None,
              help="Run at most N generated mutants (a fixed sample by id).")
@sandbox_option
@catalog_option
def verify(slugs: tuple[str, ...], everything: bool, fmt: str, repeat: int,
           alternatives: tuple[Path, ...], jobs: int | None, mutate: bool,
           mutate_limit: int | None, isolation: str, catalog_path: str | None) -> int:
    """Prove katas: the stub fails, the reference passes N times, every mutant fails,
    the hidden suite covers the reference, every test has a task; with --generated, the
    suite kills at least 90% of mechanical mutants."""
    from harness import verify as verifying

    catalog = Catalog(catalog_path)
    if everything == bool(slugs):
        raise UsageError("name the katas to verify, or give --all (not both)")
    if mutate_limit is not None and not mutate:
        raise UsageError("--generated-limit needs --generated")
    katas = catalog.all() if everything else [catalog.get(s) for s in slugs]
    results = []
    for kata in katas:
        results.append(verifying.verify(kata, repeat=repeat, jobs=jobs,
                                        alternatives=list(alternatives), isolation=isolation,
                                        mutate=mutate, mutate_limit=mutate_limit))
        if fmt == "text":
            click.echo(reports.verification_report(results[-1], colour=_colour()))
    if fmt == "json":
        click.echo(json.dumps([r.to_dict() for r in results], indent=2))
    elif len(results) > 1:
        click.echo(reports.verification_summary(results))
    return EXIT_OK if all(r.ok for r in results) else EXIT_FAIL


@cli.group()
def mutant() -> None:
    """Known-wrong versions of a kata (mutants.toml): show one, edit one, add one."""


@mutant.command("show")
@click.argument("slug")
@click.argument("name")
@click.option("--diff", is_flag=True, help="Show the change against the reference instead.")
@catalog_option
def mutant_show(slug: str, name: str, diff: bool, catalog_path: str | None) -> None:
    """Print the mutant's file as it runs (or, with --diff, what it changes)."""
    from harness import mutants

    click.echo(mutants.show(Catalog(catalog_path).get(slug), name, diff=diff), nl=False)


@mutant.command("edit")
@click.argument("slug")
@click.argument("name")
@catalog_option
def mutant_edit(slug: str, name: str, catalog_path: str | None) -> None:
    """Open the mutant's file in $VISUAL or $EDITOR; on save it is stored as its mistake."""
    from harness import mutants

    kata = Catalog(catalog_path).get(slug)
    known = mutants.load(kata).get(name)
    text = mutants.show(kata, name)
    written = _edit_then(text, known.file, lambda edited: mutants.write_edited(kata, name, edited))
    click.echo(f"{name}: stored as {'a patch' if written.patch else 'replace/with'} "
               f"in {kata.mutants_file}")


@mutant.command("new")
@click.argument("slug")
@click.argument("name")
@click.option("--why", required=True,
              help="The rule of the kata it breaks, in a sentence (shown by kata verify).")
@click.option("--file", "file", default=None, help="The kata's file it changes (if several).")
@catalog_option
def mutant_new(slug: str, name: str, why: str, file: str | None,
               catalog_path: str | None) -> None:
    """Open a copy of the reference in $VISUAL or $EDITOR; the mistake you make in it is
    added to mutants.toml."""
    from harness import mutants

    kata = Catalog(catalog_path).get(slug)
    draft = mutants.start_new(kata, name, why, file)
    written = _edit_then(mutants.reference_text(kata, draft.file), draft.file,
                         lambda edited: mutants.write_new(kata, draft, edited))
    click.echo(f"{name}: added as {'a patch' if written.patch else 'replace/with'} "
               f"to {kata.mutants_file}")


def _edit_then(text: str, file: str, store):
    """Lets the author edit `text` as `file` (git commit style: $VISUAL, then $EDITOR, else
    the path and a wait for Enter), then stores it; a failed store keeps the edited copy."""
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="kata-mutant-"))
    path = folder / file
    path.write_text(text, encoding="utf-8")
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if editor:
        try:
            click.edit(filename=str(path), editor=editor)
        except click.ClickException as exc:
            shutil.rmtree(folder, ignore_errors=True)
            raise UsageError(f"the editor {editor!r} (from $VISUAL/$EDITOR) failed: "
                             f"{exc.format_message()}; nothing written") from None
    elif sys.stdin.isatty():
        click.echo(f"No $EDITOR set: edit {path}, save it, then press Enter here.")
        click.prompt("", default="", show_default=False, prompt_suffix="")
    else:
        shutil.rmtree(folder, ignore_errors=True)
        raise UsageError("no editor: set VISUAL or EDITOR (e.g. EDITOR=nano), or run in a "
                         "terminal to edit the file by hand")
    try:
        written = store(path.read_text(encoding="utf-8"))
    except KataError as exc:
        raise type(exc)(f"{exc} (your edited copy is kept at {path})") from None
    shutil.rmtree(folder, ignore_errors=True)
    return written


@cli.command()
@click.argument("slug")
@click.option("--topic", required=True, help="One of the nine topics (kata list shows them).")
@click.option("--title", default=None, help="The kata's title (default: from the slug).")
@catalog_option
def new(slug: str, topic: str, title: str | None, catalog_path: str | None) -> None:
    """Scaffold a new kata in a catalog, with TODOs that `kata verify` reports until done."""
    from harness.scaffold import new_kata

    chosen = catalog_path or os.environ.get("KATA_CATALOG")
    if chosen is None:
        if not (Path.cwd() / "katas").is_dir():
            raise UsageError("give --catalog PATH (a folder for your katas; it is created), "
                             "or run kata new in a folder that holds katas/")
        chosen = str(Path.cwd())
    root = Path(chosen).expanduser().resolve()
    written = new_kata(root, slug, topic, title)
    click.echo(f"Created {slug} in {root}:")
    for path in written:
        click.echo(f"  {path.relative_to(root)}")
    click.echo(f"\nNext: replace every TODO(author), add mutants (kata mutant new {slug} NAME "
               f"--why ...), then kata verify {slug} --catalog {root}")


@cli.command()
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
@click.option("--min-score", default=None,
              help="Pass mark in points (6) or percent (60%); default: every test passes.")
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
    --out: a previous kata grade output there is replaced whole; any other files, refused."""
    from harness import batch, grading, outputs

    kata = Catalog(catalog_path).get(slug)
    outputs.claim(out)
    found = batch.discover(kata, list(submissions), list(each))
    slice_ = batch.parse_shard(shard) if shard else None
    run = run_id or outputs.run_id(kata.slug, slice_[1] if slice_ else 1,
                                   [(s.name, s.directory) for s in found])
    if slice_:
        found = batch.shard(found, *slice_)
    mark = grading.parse_min_score(min_score, kata.points)
    jobs = jobs or os.cpu_count() or 2
    with click.progressbar(length=len(found), label=f"grading {len(found)} submissions",
                           file=sys.stderr) as bar:
        results = batch.grade_batch(kata, found, jobs=jobs, isolation=isolation,
                                      env=databases.run_env(kata, db),
                                      on_result=lambda _result: bar.update(1))
    # results/*.json always: they are the run's record, which kata merge reads
    chosen = reports.BATCH_FORMATS if "all" in formats else tuple({"json", *formats})
    manifest = outputs.Manifest(kata=kata.slug, run=run, shard=slice_,
                                results=reports.result_files(results))
    outputs.write(out, manifest,
                  lambda folder: reports.write_batch(folder, results, kata, chosen, visibility))
    click.echo(reports.summary_table(results))
    short = [r for r in results if not grading.passes(r, mark)]
    click.echo(f"\n{len(results) - len(short)}/{len(results)} reached the pass mark; "
               f"reports in {out}/")
    return EXIT_FAIL if short else EXIT_OK


@cli.command()
@click.argument("folders", nargs=-1, required=True,
                type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path),
              default=Path("grades"), show_default=True)
@click.option("--min-score", default=None, help="Pass mark, as for kata grade.")
@visibility_option
@catalog_option
def merge(folders: tuple[Path, ...], out: Path, min_score: str | None, visibility: str,
          catalog_path: str | None) -> int:
    """Merge the reports of the shards of one kata grade run into one report."""
    from harness import grading, outputs

    slug, run, results = outputs.gather(folders, out)
    kata = Catalog(catalog_path).get(slug)
    manifest = outputs.Manifest(kata=slug, run=run, shard=None,
                                results=reports.result_files(results))
    outputs.write(out, manifest,
                  lambda folder: reports.write_batch(folder, results, kata,
                                                     visibility=visibility))
    click.echo(reports.summary_table(results))
    mark = grading.parse_min_score(min_score, kata.points)
    short = [r for r in results if not grading.passes(r, mark)]
    click.echo(f"\n{len(results) - len(short)}/{len(results)} reached the pass mark; "
               f"reports in {out}/")
    return EXIT_FAIL if short else EXIT_OK


@cli.command()
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


@cli.group()
def dojo() -> None:
    """Team coding dojos: a randori with one keyboard, or a live board for pairs."""


@dojo.command("randori")
@click.argument("slug")
@click.option("--people", required=True,
              help='Everyone in the room, in rotation order: "ana,ben,chen".')
@click.option("--timebox", default="5m", show_default=True,
              help="Length of a turn: 5m, 90s, 4m30s.")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="The workspace (default ./SLUG); an existing one is resumed.")
@sandbox_option
@catalog_option
def dojo_randori(slug: str, people: str, timebox: str, directory: Path | None, isolation: str,
                 catalog_path: str | None) -> None:
    """One keyboard: a driver and a navigator rotate every timebox; checks run on save."""
    import threading
    import time

    from rich.console import Console
    from rich.live import Live

    from harness import randori as randori_session
    from harness import randori_screen
    from harness import watch as watching

    names = randori_session.parse_people(people)
    seconds = randori_session.parse_timebox(timebox)
    catalog = Catalog(catalog_path)
    kata = catalog.get(slug)
    path = directory or Path(slug)
    if (path / ".kata").is_dir():
        ws = workspace.locate(path)
        if ws.slug != slug:
            raise UsageError(f"{path} is a workspace for {ws.slug}, not {slug}")
    else:
        ws = workspace.start(kata, path, catalog_root=_explicit_root(catalog, catalog_path))
    tasks: dict[int, tuple[int, int]] = {}

    def check_once():
        result = _check_workspace(kata, ws, isolation)
        tasks.clear()
        tasks.update({t.id: (t.passed, t.total) for t in result.tasks})
        return result

    console = Console()
    session = randori_session.Randori(ws.path, names, seconds, time.monotonic, check_once,
                                      cue=lambda message: console.bell(), title=kata.title)
    stop = threading.Event()
    retro_prompt: randori_screen.RetroPrompt | None = None
    with watching.keyboard(), Live(randori_screen.render(session, kata, tasks), console=console,
                                   auto_refresh=False, screen=False) as live:
        def draw() -> None:
            shown = retro_prompt.render() if retro_prompt else randori_screen.render(
                session, kata, tasks)
            live.update(shown, refresh=True)

        session.saved()
        draw()
        try:
            for kind, value in watching.events(ws.path, stop, ticks=True):
                key = str(value) if kind == "key" else ""
                if retro_prompt is not None:  # the session is over: typing answers
                    if kind == "key":
                        retro_prompt.key(key)
                    if retro_prompt.done:
                        break
                elif kind == "change":
                    session.banner = ""
                    session.saved()
                elif key.lower() == "p":
                    session.pause()
                elif key.lower() == "s":
                    session.skip()
                elif key.lower() == "n":
                    session.rotate()
                elif key.lower() in ("e", "q"):
                    if not sys.stdin.isatty():
                        break  # nobody at a keyboard: the prompts are left for the room
                    retro_prompt = randori_screen.RetroPrompt()
                if retro_prompt is None:
                    session.tick()
                draw()
        finally:
            stop.set()
    went_well, to_change = retro_prompt.answers if retro_prompt else ([], [])
    retro = session.end(went_well, to_change)
    click.echo(f"Session over after {len(session.state.turns)} turns. Timeline and prompts in "
               f"{retro}; replay it with git log in {ws.path}.")


@dojo.command("board")
@click.argument("slug")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on; 0.0.0.0 lets other machines in the room post.")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Where the board keeps its rows (default ./dojo-board-SLUG).")
@click.option("--title", default=None, help="The heading on the page (default: the kata's).")
@catalog_option
def dojo_board(slug: str, port: int, host: str, directory: Path | None, title: str | None,
               catalog_path: str | None) -> None:
    """Serve a live board for pairs working on SLUG; restarting it keeps its rows."""
    import socket

    from harness import board

    kata = Catalog(catalog_path).get(slug)
    store = board.BoardStore(directory or Path(f"dojo-board-{slug}"), slug)
    shown_host = ("localhost" if host in ("127.0.0.1", "::1") else
                  socket.gethostname() if host in ("0.0.0.0", "::") else host)
    url = f"http://{shown_host}:{port}"
    click.echo(f"Board for {kata.title} at {url}  (rows kept in {store.path})")
    click.echo(f"Join code: {store.code}")
    click.echo(f'Pairs run: kata check --board {url} --code {store.code} --name "ana+ben"')
    if host in ("127.0.0.1", "::1", "localhost"):
        click.echo("Listening on this machine only; --host 0.0.0.0 lets the room's machines in.")
    click.echo("Ctrl-C stops it.")
    sys.stdout.flush()
    board.serve(store, title or kata.title, host, port)


def main(argv: list[str] | None = None) -> None:
    """Runs the command line; the only place that turns errors into exit codes."""
    # Stopped politely (a CI job cancelled, `kill`), the harness still removes its run
    # folders, which hold copies of the hidden suite, and stops what it started.
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(143))
    try:
        code = cli.main(args=argv, prog_name="kata", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(EXIT_FAIL)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_USAGE)
    except KataError as exc:
        click.echo(f"kata: {exc}", err=True)
        sys.exit(exc.exit_code)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except Exception:
        if os.environ.get("KATA_DEBUG"):
            traceback.print_exc()
        else:
            click.echo("kata: internal error (a bug in the harness, not in your code); "
                       "run again with KATA_DEBUG=1 for the traceback", err=True)
        sys.exit(EXIT_HARNESS)
    sys.exit(code if isinstance(code, int) else EXIT_OK)
