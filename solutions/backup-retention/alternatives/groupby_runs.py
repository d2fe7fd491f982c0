"""Backup retention with itertools.groupby: sorted newest first, the backups of one
period form one run; a rule takes the head of each of its first `count` runs."""

from __future__ import annotations

from datetime import datetime
from itertools import groupby, islice


def select_backups(backups: list[datetime], *, keep_last: int = 0, keep_daily: int = 0,
                   keep_weekly: int = 0, keep_monthly: int = 0,
                   keep_yearly: int = 0) -> set[datetime]:
    """Each rule walks the same newest-first list; their heads are unioned."""
    if keep_last == keep_daily == keep_weekly == keep_monthly == keep_yearly == 0:
        raise ValueError("all keep options are 0")
    aware = [moment.utcoffset() is not None for moment in backups]
    if any(aware) and not all(aware):
        raise TypeError("naive and aware datetimes mixed")
    ordered = sorted(set(backups), reverse=True)
    rules = [
        (keep_last, lambda moment: moment),
        (keep_daily, lambda moment: moment.date()),
        (keep_weekly, lambda moment: (moment.isocalendar().year, moment.isocalendar().week)),
        (keep_monthly, lambda moment: moment.strftime("%Y-%m")),
        (keep_yearly, lambda moment: moment.year),
    ]
    kept: set[datetime] = set()
    for count, key in rules:
        runs = groupby(ordered, key=key)
        kept.update(next(run) for _, run in islice(runs, count))
    return kept
