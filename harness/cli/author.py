"""The kata author's commands: verify, mutant show|edit|new|record, new."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from harness import terminal
from harness.catalog import Catalog
from harness.cli.common import catalog_option, colour, format_option, sandbox_option
from harness.cli.live import Live
from harness.errors import EXIT_FAIL, EXIT_OK, UsageError


@click.command()
@click.argument("slugs", nargs=-1)
@click.option("--all", "everything", is_flag=True, help="Verify every kata of the catalog.")
@format_option()
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
        with Live(f"verifying {kata.slug}", enabled=fmt == "text") as live:
            results.append(verifying.verify(
                kata, repeat=repeat, jobs=jobs, alternatives=list(alternatives),
                isolation=isolation, mutate=mutate, mutate_limit=mutate_limit,
                on_check=lambda check: live.note(terminal.check_line(check, colour()))))
        if fmt == "text":
            click.echo(terminal.verification_report(results[-1], colour=colour()))
    if fmt == "json":
        click.echo(json.dumps([r.to_dict() for r in results], indent=2))
    elif len(results) > 1:
        click.echo(terminal.verification_summary(results))
    return EXIT_OK if all(r.ok for r in results) else EXIT_FAIL


@click.group()
def mutant() -> None:
    """Known-wrong versions of a kata (mutants.toml): show one, edit one, add one, record
    the tests that catch them."""


@mutant.command("show")
@click.argument("slug")
@click.argument("name")
@click.option("--diff", is_flag=True, help="Show the change against the reference instead.")
@catalog_option
def mutant_show(slug: str, name: str, diff: bool, catalog_path: str | None) -> None:
    """Print the mutant's file as it runs (or, with --diff, what it changes)."""
    from harness import mutant_authoring

    click.echo(mutant_authoring.show(Catalog(catalog_path).get(slug), name, diff=diff), nl=False)


@mutant.command("edit")
@click.argument("slug")
@click.argument("name")
@catalog_option
def mutant_edit(slug: str, name: str, catalog_path: str | None) -> None:
    """Open the mutant's file in $VISUAL or $EDITOR; on save it is stored as its mistake."""
    from harness import mutant_authoring

    kata = Catalog(catalog_path).get(slug)
    written = mutant_authoring.edit(kata, name, _open_in_editor)
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
    from harness import mutant_authoring

    kata = Catalog(catalog_path).get(slug)
    written = mutant_authoring.new(kata, name, why, file, _open_in_editor)
    click.echo(f"{name}: added as {'a patch' if written.patch else 'replace/with'} "
               f"to {kata.mutants_file}")


@mutant.command("record")
@click.argument("slug")
@click.option("--jobs", type=click.IntRange(min=1), default=None, help="Runs at once.")
@sandbox_option
@catalog_option
def mutant_record(slug: str, jobs: int | None, isolation: str, catalog_path: str | None) -> int:
    """Run every mutant and write, as its caught_by, the hidden test that caught it:
    kata verify runs that test first, so the mutant's run ends at once."""
    from harness import mutant_authoring

    kata = Catalog(catalog_path).get(slug)
    report, changed = mutant_authoring.record(kata, jobs=jobs, isolation=isolation)
    for verdict in report.mutants:
        if not verdict.killed:
            state = f"not caught ({verdict.problem or verdict.status}): nothing recorded"
        elif verdict.name in changed:
            state = f"caught by {verdict.catcher}: recorded"
        else:
            state = f"caught by {verdict.catcher}: as recorded"
        click.echo(f"{verdict.name}: {state}")
    click.echo(f"{len(changed)} record(s) written to {kata.mutants_file}")
    return EXIT_OK if report.mutants and all(m.killed for m in report.mutants) else EXIT_FAIL


def _open_in_editor(path: Path) -> None:
    """git commit style: $VISUAL, then $EDITOR, else the path and a wait for Enter."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if editor:
        try:
            click.edit(filename=str(path), editor=editor)
        except click.ClickException as exc:
            raise UsageError(f"the editor {editor!r} (from $VISUAL/$EDITOR) failed: "
                             f"{exc.format_message()}; nothing written") from None
    elif sys.stdin.isatty():
        click.echo(f"No $EDITOR set: edit {path}, save it, then press Enter here.")
        click.prompt("", default="", show_default=False, prompt_suffix="")
    else:
        raise UsageError("no editor: set VISUAL or EDITOR (e.g. EDITOR=nano), or run in a "
                         "terminal to edit the file by hand")


@click.command()
@click.argument("slug")
@click.option("--topic", required=True, help="One of the nine topics (kata list shows them).")
@click.option("--title", default=None, help="The kata's title (default: from the slug).")
@catalog_option
def new(slug: str, topic: str, title: str | None, catalog_path: str | None) -> None:
    """Scaffold a new kata in a catalog, with TODOs that `kata verify` reports until done."""
    from harness import scaffold

    root = scaffold.catalog_root(catalog_path)
    written = scaffold.new_kata(root, slug, topic, title)
    click.echo(f"Created {slug} in {root}:")
    for path in written:
        click.echo(f"  {path.relative_to(root)}")
    click.echo(f"\nNext: replace every TODO(author), add mutants (kata mutant new {slug} NAME "
               f"--why ...), then kata verify {slug} --catalog {root}")


COMMANDS = (verify, mutant, new)
