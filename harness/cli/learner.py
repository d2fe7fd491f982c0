"""The learner's commands: list, start, check, hint, compare, watch, next, reset, progress."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from harness import databases, reports, runner, strays, terminal, workspace
from harness.catalog import DATABASES, Catalog, default_root
from harness.cli.common import (
    catalog_option,
    check_workspace,
    colour,
    dir_option,
    format_option,
    sandbox_option,
)
from harness.cli.live import Live
from harness.errors import EXIT_FAIL, EXIT_OK, EXIT_USAGE, UsageError
from harness.result import RunResult, Status


@click.command("list")
@click.option("--topic", default=None, help="Only this topic.")
@click.option("--difficulty", default=None, help="Only this difficulty.")
@format_option()
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
    click.echo(terminal.catalog_table(katas, statuses))
    click.echo(f"\n{reports.plural(len(katas), 'kata')}. Start one with: kata start SLUG")


@click.command()
@click.argument("slug")
@dir_option("Where to create the workspace (default ./SLUG).")
@click.option("--force", is_flag=True, help="Start into a non-empty directory (backs up files).")
@catalog_option
def start(slug: str, directory: Path | None, force: bool, catalog_path: str | None) -> None:
    """Create a workspace for a kata: stub, README and example tests."""
    catalog = Catalog(catalog_path)
    kata = catalog.get(slug)
    dest = directory or Path.cwd() / slug
    ws = workspace.start(kata, dest, force=force,
                         catalog_root=catalog.root if catalog.named else None)
    shown = os.path.relpath(ws.path) if ws.path.is_relative_to(Path.cwd()) else str(ws.path)
    click.echo(f"Started {kata.slug} ({kata.title}) in {shown}/")
    for name in (*kata.files, *(p.name for p in kata.visible_tests()), "README.md"):
        click.echo(f"  {name}")
    click.echo(f"\nNext: cd {shown} && read README.md, edit {kata.files[0]}, then run kata check")


@click.command()
@click.argument("path", type=click.Path(path_type=Path), default=".")
@format_option("json prints the result object and nothing else.")
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
    with Live(f"checking {', '.join(kata.files)} with the tests of {kata.slug}",
              enabled=fmt == "text"):
        result = check_workspace(kata, ws, isolation, db)
    if fmt == "json":
        click.echo(reports.to_json(result))
    else:
        click.echo(terminal.check_report(result, kata, colour=colour()))
        if catalog.root != default_root():  # whoever reads the grade knows which tests gave it
            click.echo(f"Graded with the katas in {catalog.root}")
    if board_url and join_code and pair_name:
        from harness import board

        try:
            shown_as = board.post(board_url, join_code, pair_name, result)
        except UsageError as exc:  # the result stands; only the board missed it
            click.echo(f"kata: {exc}", err=True)
            return EXIT_USAGE
        if fmt != "json":
            click.echo(f"Posted to the board as {shown_as}.")
    return EXIT_OK if result.status is Status.PASS else EXIT_FAIL


@click.command()
@click.argument("path", type=click.Path(path_type=Path), default=".")
@click.option("--task", "task_id", type=int, default=None, metavar="N",
              help="A hint of task N (default: the first task your last check did not pass).")
@catalog_option
def hint(path: Path, task_id: int | None, catalog_path: str | None) -> None:
    """Show the next hint for the task you are on (hints are revealed one at a time)."""
    from harness import hints

    ws = workspace.locate(path)
    kata = workspace.catalog_for(ws, catalog_path).get(ws.slug)
    click.echo(hints.report(hints.next_hint(ws, kata, task_id)))


@click.command()
@click.argument("targets", nargs=-1)
@format_option()
@click.option("--examples", type=click.IntRange(min=1), default=500, show_default=True,
              help="Generated operation sequences for the behaviour view.")
@click.option("--seed", type=int, default=None, help="Replay the generation of a seed.")
@click.option("--reveal", is_flag=True,
              help="Show the reference before passing (recorded in your progress).")
@click.option("--all", "every_test", is_flag=True,
              help="List every test with its times, not only the ones that did not pass.")
@sandbox_option
@catalog_option
def compare(targets: tuple[str, ...], fmt: str, examples: int, seed: int | None, reveal: bool,
            every_test: bool, isolation: str, catalog_path: str | None) -> None:
    """Set your work beside the reference: verdicts, behaviour, speed, coverage, code.

    kata compare [PATH] for a workspace; kata compare SLUG SUBMISSION for instructors.
    """
    from harness import compare as comparing

    if len(targets) == 2:  # an instructor: the reference is theirs to see
        subject = comparing.of_submission(Catalog(catalog_path).get(targets[0]),
                                          Path(targets[1]))
    elif len(targets) <= 1:
        ws = workspace.locate(Path(targets[0]) if targets else Path("."))
        kata = workspace.catalog_for(ws, catalog_path).get(ws.slug)
        subject = comparing.of_workspace(ws, kata, asked=reveal)
    else:
        raise UsageError("kata compare [PATH], or kata compare SLUG SUBMISSION")
    result = comparing.compare(subject.kata, subject.submission, subject.files,
                               examples=examples, seed=seed, reveal=subject.reveal,
                               isolation=isolation, env=databases.run_env(subject.kata, None))
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), indent=2))
    else:
        click.echo(terminal.compare_report(result, subject.kata, colour=colour(),
                                           every_test=every_test))


@click.command()
@click.argument("path", type=click.Path(path_type=Path), default=".")
@sandbox_option
@catalog_option
def watch(path: Path, isolation: str, catalog_path: str | None) -> None:
    """Check again on every save: the current task, the first failure, hints on a key."""
    import threading

    from harness import compare as comparing
    from harness import hints
    from harness import watch as watching

    ws = workspace.locate(path)
    kata = workspace.catalog_for(ws, catalog_path).get(ws.slug)

    def next_hint() -> str:  # of the first task the last recorded check did not pass
        return hints.note(hints.next_hint(ws, kata))

    def compare_once() -> str:  # offered once the check passes: the reference is theirs
        subject = comparing.of_workspace(ws, kata)
        result = comparing.compare(kata, subject.submission, subject.files, reveal=True,
                                   isolation=isolation, env=databases.run_env(kata, None))
        return terminal.compare_report(result, kata, colour=colour())

    def check_once() -> RunResult:  # recorded by the loop unless a newer save cancelled it
        submission = runner.Submission(name=ws.path.name, directory=ws.path)
        return runner.run(kata, submission, env=databases.run_env(kata, None),
                          isolation=isolation)

    loop = watching.WatchLoop(kata, check_once, next_hint,
                              lambda text: click.echo(text, nl=False), compare=compare_once,
                              colour=colour(), clear=sys.stdout.isatty(),
                              cancel=strays.stop_all, record=ws.record_check)
    stop = threading.Event()
    with watching.keyboard():
        try:
            loop.run(watching.events(ws.path, stop, ticks=True))
        finally:
            stop.set()


@click.command("next")
@click.option("--yes", is_flag=True, help="Start it without asking.")
@dir_option("Where to start it (default ./SLUG).")
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


@click.command()
@click.argument("path", type=click.Path(path_type=Path), default=".")
@click.option("--yes", is_flag=True, help="Replace your work without asking.")
@catalog_option
def reset(path: Path, yes: bool, catalog_path: str | None) -> int:
    """Put the stub back; your own version is kept in .kata/backup-TIME/ first."""
    ws = workspace.locate(path)
    kata = workspace.catalog_for(ws, catalog_path).get(ws.slug)
    changed = workspace.changed_files(ws, kata)
    if changed and not yes:
        if not sys.stdin.isatty():
            raise UsageError(f"kata reset would replace your {', '.join(changed)} with the "
                             "stub; add --yes to do so (your version is kept in .kata/)")
        if not click.confirm(f"Replace your {', '.join(changed)} with the stub? Your version "
                             "is kept in .kata/", default=False):
            click.echo("Nothing changed.")
            return EXIT_FAIL
    backup = workspace.reset(ws, kata)
    kept = (f"; your version is in {backup.relative_to(ws.path)}/" if backup is not None
            else " (there was no work of yours to keep)")
    click.echo(f"Put the stub back in {', '.join(kata.files)}{kept}")
    return EXIT_OK


@click.command()
@click.argument("task_number", metavar="[TASK]", type=int, required=False)
@click.option("--dir", "path", type=click.Path(path_type=Path), default=".",
              help="The workspace (default: here).")
@catalog_option
def examples(task_number: int | None, path: Path, catalog_path: str | None) -> None:
    """Show a task's example tests again (default: the task you are on). Changes nothing."""
    ws = workspace.locate(path)
    kata = workspace.catalog_for(ws, catalog_path).get(ws.slug)
    if task_number is None:
        task_number = ws.current_task(kata)
    task = next((t for t in kata.tasks if t.id == task_number), None)
    if task is None:
        raise UsageError(f"{kata.slug} has tasks 1 to {len(kata.tasks)}, not {task_number}")
    click.echo(terminal.task_examples(kata, task))


@click.command()
@format_option()
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
    click.echo(terminal.progress_report(katas, records))


COMMANDS = (list_command, start, check, hint, compare, watch, next_command, reset, examples,
            progress)
