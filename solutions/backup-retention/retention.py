"""Backup retention, the rules of `restic forget`: keep the newest backup of each of the N
newest days, ISO weeks, months and years (and the N newest backups), delete the rest."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import datetime


def _backup(moment: datetime) -> Hashable:
    return moment


def _day(moment: datetime) -> Hashable:
    return moment.date()


def _iso_week(moment: datetime) -> Hashable:
    # (ISO year, week): 2024-12-30 is in 2025-W01, so the year must be the ISO year too.
    iso = moment.isocalendar()
    return iso[0], iso[1]


def _month(moment: datetime) -> Hashable:
    return moment.year, moment.month


def _year(moment: datetime) -> Hashable:
    return moment.year


def select_backups(backups: list[datetime], *, keep_last: int = 0, keep_daily: int = 0,
                   keep_weekly: int = 0, keep_monthly: int = 0,
                   keep_yearly: int = 0) -> set[datetime]:
    """The backups to keep: the union of what each rule keeps on its own."""
    rules: list[tuple[int, Callable[[datetime], Hashable]]] = [
        (keep_last, _backup), (keep_daily, _day), (keep_weekly, _iso_week),
        (keep_monthly, _month), (keep_yearly, _year)]
    if not any(count for count, _ in rules):
        raise ValueError("every keep option is 0: that would delete every backup")
    # A mixed history raises TypeError in this sort: a sort compares every two backups
    # that end up side by side, somewhere a naive one sits next to an aware one, and
    # Python refuses to compare those (there is no telling which is older).
    newest_first = sorted(set(backups), reverse=True)
    kept: set[datetime] = set()
    for count, period_of in rules:
        if count:
            kept |= _newest_of_each_period(newest_first, period_of, count)
    return kept


def _newest_of_each_period(newest_first: list[datetime],
                           period_of: Callable[[datetime], Hashable],
                           count: int) -> set[datetime]:
    """One rule on its own: walking newest first, the first backup met in a period is the
    newest of that period; stop after `count` periods. What other rules kept does not
    matter here (restic's semantics), so each rule is its own pass."""
    kept: set[datetime] = set()
    seen: set[Hashable] = set()
    for backup in newest_first:
        period = period_of(backup)
        if period in seen:
            continue
        seen.add(period)
        kept.add(backup)
        if len(seen) == count:
            break
    return kept
