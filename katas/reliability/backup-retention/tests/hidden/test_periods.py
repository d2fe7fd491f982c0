"""keep_daily, keep_weekly (ISO weeks), keep_monthly, keep_yearly, each on its own: the
newest backup of each of the N newest periods that hold a backup."""

from datetime import datetime

import _support
import pytest
from retention import select_backups

pytestmark = pytest.mark.periods


def _check(backups, what="", **options):
    _support.compare(select_backups(list(backups), **options), backups, options, what)


def test_daily_keeps_the_newest_backup_of_each_day():
    backups = [datetime(2024, 5, 2, 8), datetime(2024, 5, 2, 20), datetime(2024, 5, 1, 23, 59),
               datetime(2024, 5, 1, 0, 5), datetime(2024, 5, 3, 0, 0)]
    _check(backups, keep_daily=2)
    _check(backups, keep_daily=3)


def test_days_without_backups_do_not_count():
    backups = [datetime(2024, 5, 20, 3), datetime(2024, 5, 10, 3), datetime(2024, 5, 10, 1),
               datetime(2024, 4, 30, 3)]
    _check(backups, "three days with backups, weeks apart", keep_daily=3)


def test_weeks_run_monday_to_sunday():
    # Sat 8 and Sun 9 June 2024 are one ISO week; Mon 10 June starts the next.
    backups = [datetime(2024, 6, 10, 9), datetime(2024, 6, 9, 22), datetime(2024, 6, 8, 22),
               datetime(2024, 6, 3, 1), datetime(2024, 6, 2, 23)]
    _check(backups, "Sun 2 | Mon 3, Sat 8, Sun 9 | Mon 10 June", keep_weekly=2)
    _check(backups, "Sun 2 | Mon 3, Sat 8, Sun 9 | Mon 10 June", keep_weekly=3)


@pytest.mark.parametrize("days, why", [
    ([(2024, 12, 30), (2025, 1, 2), (2024, 12, 29)],
     "Mon 30 Dec 2024 and Thu 2 Jan 2025 are both in ISO week 2025-W01"),
    ([(2021, 1, 3), (2020, 12, 28), (2020, 12, 27)],
     "Mon 28 Dec 2020 to Sun 3 Jan 2021 is ISO week 2020-W53"),
    ([(2027, 1, 1), (2026, 12, 31), (2026, 12, 27)],
     "Thu 31 Dec 2026 and Fri 1 Jan 2027 are both in ISO week 2026-W53"),
], ids=["2025-W01", "2020-W53", "2026-W53"])
def test_an_iso_week_does_not_split_at_new_year(days, why):
    backups = [datetime(*day, 12) for day in days]
    _check(backups, why, keep_weekly=1)
    _check(backups, why, keep_weekly=2)


def test_a_week_number_of_two_iso_years_is_two_weeks():
    # 2024-12-31 is in 2025-W01, 2024-01-03 in 2024-W01: two weeks, the year of the
    # ISO week tells them apart, not the calendar year.
    backups = [datetime(2024, 12, 31, 12), datetime(2024, 1, 3, 12), datetime(2024, 1, 2, 12)]
    _check(backups, "2024-12-31 (2025-W01) and 2024-01-03 (2024-W01)", keep_weekly=2)


def test_monthly_keeps_the_newest_backup_of_each_month():
    backups = [datetime(2024, 2, 29, 23), datetime(2024, 2, 1), datetime(2024, 3, 1, 0, 0, 1),
               datetime(2024, 1, 31, 23, 59, 59), datetime(2023, 12, 31)]
    _check(backups, keep_monthly=3)


def test_the_same_month_of_two_years_is_two_months():
    backups = [datetime(2024, 3, 5), datetime(2023, 3, 20), datetime(2023, 3, 1)]
    _check(backups, "March 2024 and March 2023", keep_monthly=2)


def test_yearly_keeps_the_newest_backup_of_each_year():
    backups = [datetime(2022, 12, 31, 23, 59), datetime(2022, 1, 1), datetime(2023, 6, 1),
               datetime(2020, 7, 1), datetime(2020, 7, 2)]
    _check(backups, "no backup in 2021", keep_yearly=3)
    _check(backups, keep_yearly=9)


@pytest.mark.parametrize("rule", ["keep_daily", "keep_weekly", "keep_monthly", "keep_yearly"])
def test_one_rule_on_generated_histories_against_the_model(rule):
    for kind in _support.GENERATORS:
        _support.check_generated(select_backups, kind, range(6), rules=(rule,))
