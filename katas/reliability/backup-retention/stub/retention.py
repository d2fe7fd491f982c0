"""Backup retention: which backups a grandfather-father-son policy keeps.

Fill in `select_backups`. `kata check` tells you which task to work on next;
`kata hint` helps when you are stuck. The docstring is the contract.
"""

from __future__ import annotations

from datetime import datetime


def select_backups(backups: list[datetime], *, keep_last: int = 0, keep_daily: int = 0,
                   keep_weekly: int = 0, keep_monthly: int = 0,
                   keep_yearly: int = 0) -> set[datetime]:
    """The backups to keep (every other one may be deleted), as a set.

    Each rule on its own walks the backups from newest to oldest and keeps the newest
    backup of each period until it has kept that many periods:

    - keep_last: the period is the backup itself (the N newest backups);
    - keep_daily: a calendar day; keep_weekly: an ISO week (Monday to Sunday, numbered
      in its ISO year: 2024-12-30 is in 2025-W01); keep_monthly: a calendar month;
      keep_yearly: a calendar year.

    Periods without a backup do not count. A rule counts a period even when another
    rule already kept that period's newest backup; the result is the union of what the
    rules keep, each backup once. A rule with fewer periods than its count keeps one
    backup of every period there is.

    `backups` may come in any order. Equal datetimes are the same backup: one listed
    twice counts once. Aware datetimes are ordered by the instant they name.

    Raises ValueError when every keep option is 0 (that policy would delete everything),
    and TypeError when naive and timezone-aware datetimes are mixed.
    """
    # TODO: refuse the dangerous inputs, then run each rule and union what they keep
    raise NotImplementedError
