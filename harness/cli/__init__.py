"""The command line: argument parsing and output only; the work is done by the other modules.

The commands are grouped by who runs them (learner, author, instructor, dojo); `main` alone
turns errors and outcomes into exit codes.
"""

from __future__ import annotations

import os
import signal
import sys
import traceback

import click

from harness import __version__, workspace
from harness.cli import author, dojo, instructor, learner
from harness.errors import EXIT_FAIL, EXIT_HARNESS, EXIT_OK, EXIT_USAGE, KataError

WELCOME = """\
kata: practise system design by writing code.

  kata list                   the katas, by topic, with your progress
  kata start load-balancer    a workspace with a stub, instructions and example tests
  kata check                  grade your work with the hidden tests (inside the workspace)
  kata hint                   the next hint for the task you are on

Progress is kept in {home} (set KATA_HOME to move it).
"""


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kata")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Practise system design by writing code, graded by hidden tests."""
    if ctx.invoked_subcommand is None:
        click.echo(WELCOME.format(home=workspace.kata_home()), nl=False)


for command in (*learner.COMMANDS, *author.COMMANDS, *instructor.COMMANDS, *dojo.COMMANDS):
    cli.add_command(command)


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
    except Exception as exc:
        if os.environ.get("KATA_DEBUG"):
            traceback.print_exc()
        else:  # what went wrong, and where, in one line: enough to report it
            click.echo(f"kata: internal error (a bug in the harness, not in your code): "
                       f"{_where(exc)}; run again with KATA_DEBUG=1 for the traceback", err=True)
        sys.exit(EXIT_HARNESS)
    sys.exit(code if isinstance(code, int) else EXIT_OK)


def _where(exc: BaseException) -> str:
    """`Type: message` and the harness line that raised it (innermost frame in harness/)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if "/harness/" in f.filename.replace("\\", "/")]
    lines = str(exc).strip().splitlines()
    told = f"{type(exc).__name__}: {lines[0][:300]}" if lines else type(exc).__name__
    if not frames:
        return told
    frame = frames[-1]
    at = frame.filename.replace("\\", "/").rsplit("/harness/", 1)[-1]
    return f"{told} (harness/{at}:{frame.lineno})"
