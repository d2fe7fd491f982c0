"""What the commands share: their common options, whether to colour, and one recorded
`kata check` of a workspace."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from harness import databases, reports, runner, workspace
from harness.catalog import Kata
from harness.result import RunResult

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


def format_option(help_text: str | None = None) -> Callable[[Any], Any]:
    return click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
                        help=help_text)


def dir_option(help_text: str) -> Callable[[Any], Any]:
    return click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path),
                        default=None, help=help_text)


def colour() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def check_workspace(kata: Kata, ws: workspace.Workspace, isolation: str,
                    db: str | None = None) -> RunResult:
    """One `kata check` of a workspace, recorded in it and in the learner's progress."""
    submission = runner.Submission(name=ws.path.name, directory=ws.path)
    result = runner.run(kata, submission, env=databases.run_env(kata, db), isolation=isolation)
    ws.record_check(result)
    return result
