"""Backup retention without sorting the history: one pass per rule fills a dict from
period to the newest backup seen in it, then the `count` newest periods are kept."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import datetime

PERIODS: dict[str, Callable[[datetime], Hashable]] = {
    "keep_last": lambda moment: moment,
    "keep_daily": lambda moment: (moment.year, moment.month, moment.day),
    "keep_weekly": lambda moment: moment.isocalendar()[:2],
    "keep_monthly": lambda moment: (moment.year, moment.month),
    "keep_yearly": lambda moment: moment.year,
}


def select_backups(backups: list[datetime], *, keep_last: int = 0, keep_daily: int = 0,
                   keep_weekly: int = 0, keep_monthly: int = 0,
                   keep_yearly: int = 0) -> set[datetime]:
    """The union, over the rules, of the newest backup of each of the rule's newest periods."""
    counts = {"keep_last": keep_last, "keep_daily": keep_daily, "keep_weekly": keep_weekly,
              "keep_monthly": keep_monthly, "keep_yearly": keep_yearly}
    if all(count == 0 for count in counts.values()):
        raise ValueError("refusing to delete every backup: all keep options are 0")
    if len({moment.tzinfo is None or moment.utcoffset() is None for moment in backups}) == 2:
        raise TypeError("cannot mix naive and aware datetimes")
    kept: set[datetime] = set()
    for rule, count in counts.items():
        if count:
            kept.update(_newest_periods(backups, PERIODS[rule], count))
    return kept


def _newest_periods(backups: list[datetime], period_of: Callable[[datetime], Hashable],
                    count: int) -> list[datetime]:
    newest: dict[Hashable, datetime] = {}
    for moment in backups:
        period = period_of(moment)
        if period not in newest or moment > newest[period]:
            newest[period] = moment
    # A period's newest backup stands for the period: the newest periods are the ones
    # whose newest backups are newest (periods do not overlap, so the order is the same).
    return sorted(newest.values(), reverse=True)[:count]
