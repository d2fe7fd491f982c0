"""The dojo facilitator's commands: dojo randori and dojo board."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from harness.catalog import Catalog
from harness.cli.common import catalog_option, check_workspace, dir_option, sandbox_option


@click.group()
def dojo() -> None:
    """Team coding dojos: a randori with one keyboard, or a live board for pairs."""


@dojo.command("randori")
@click.argument("slug")
@click.option("--people", required=True,
              help='Everyone in the room, in rotation order: "ana,ben,chen".')
@click.option("--timebox", default="5m", show_default=True,
              help="Length of a turn: 5m, 90s, 4m30s.")
@dir_option("The workspace (default ./SLUG); an existing one is resumed.")
@sandbox_option
@catalog_option
def dojo_randori(slug: str, people: str, timebox: str, directory: Path | None, isolation: str,
                 catalog_path: str | None) -> None:
    """One keyboard: a driver and a navigator rotate every timebox; checks run on save."""
    import threading
    import time

    from rich.console import Console
    from rich.live import Live

    from harness import randori, randori_screen
    from harness import watch as watching

    names, seconds = randori.parse_people(people), randori.parse_timebox(timebox)
    catalog = Catalog(catalog_path)
    kata = catalog.get(slug)
    ws = randori.workspace_for(kata, directory or Path(slug),
                               catalog.root if catalog.named else None)
    console = Console()
    loop = randori_screen.RandoriLoop(kata, ws.path, names, seconds, time.monotonic,
                                      lambda: check_workspace(kata, ws, isolation),
                                      cue=lambda message: console.bell(),
                                      interactive=sys.stdin.isatty())
    stop = threading.Event()
    with watching.keyboard(), Live(loop.screen(), console=console, auto_refresh=False,
                                   screen=False) as live:
        try:
            loop.run(watching.events(ws.path, stop, ticks=True),
                     draw=lambda shown: live.update(shown, refresh=True))
        finally:
            stop.set()
    retro = loop.end()
    click.echo(f"Session over after {len(loop.session.state.turns)} turns. Timeline and prompts "
               f"in {retro}; replay it with git log in {ws.path}.")


@dojo.command("board")
@click.argument("slug")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on; 0.0.0.0 lets other machines in the room post.")
@dir_option("Where the board keeps its rows (default ./dojo-board-SLUG).")
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


COMMANDS = (dojo,)
