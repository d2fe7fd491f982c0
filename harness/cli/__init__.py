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
    except Exception:
        if os.environ.get("KATA_DEBUG"):
            traceback.print_exc()
        else:
            click.echo("kata: internal error (a bug in the harness, not in your code); "
                       "run again with KATA_DEBUG=1 for the traceback", err=True)
        sys.exit(EXIT_HARNESS)
    sys.exit(code if isinstance(code, int) else EXIT_OK)
