"""Exceptions the harness raises for people to read; `cli` turns them into exit codes."""

from __future__ import annotations


class KataError(Exception):
    """An error the command line shows as it is, with the exit code it carries."""

    exit_code = 2


class UsageError(KataError):
    """The user asked for something that cannot be done: unknown kata, bad flag, missing file."""

    exit_code = 2


class CatalogError(UsageError):
    """A kata's files are invalid: the message names the file, the field and the fix."""


class HarnessError(KataError):
    """The harness itself failed (never the learner's code)."""

    exit_code = 3
