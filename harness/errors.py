"""Exceptions the harness raises for people to read, and the exit codes `cli.main` turns
them (and every command's outcome) into: the one table of exit codes."""

from __future__ import annotations

EXIT_OK = 0  # the command did its job (check, grade: every submission reached the pass mark)
EXIT_FAIL = 1  # a submission fell short (or the person stopped the command)
EXIT_USAGE = 2  # usage error: unknown kata, bad flag, missing file
EXIT_HARNESS = 3  # the harness itself failed


class KataError(Exception):
    """An error the command line shows as it is, with the exit code it carries."""

    exit_code = EXIT_USAGE


class UsageError(KataError):
    """The user asked for something that cannot be done: unknown kata, bad flag, missing file."""

    exit_code = EXIT_USAGE


class CatalogError(UsageError):
    """A kata's files are invalid: the message names the file, the field and the fix."""


class HarnessError(KataError):
    """The harness itself failed (never the learner's code)."""

    exit_code = EXIT_HARNESS
