"""Examples of what the hidden tests check. Run them with: python -m pytest"""

from datetime import datetime, timezone

import pytest
from retention import select_backups

NIGHTLY = [datetime(2024, 12, day, 2, 0) for day in range(20, 32)] + \
          [datetime(2025, 1, day, 2, 0) for day in range(1, 6)]


def _show(backups) -> str:
    return "{" + ", ".join(moment.strftime("%Y-%m-%d %H:%M %a") for moment in sorted(backups)) + "}"


def _expect(got, expected, call):
    assert got == expected, f"{call} kept {_show(got)}, expected {_show(expected)}"


@pytest.mark.last
def test_keep_last_takes_the_newest_in_any_order():
    backups = [datetime(2024, 1, 3), datetime(2024, 1, 5), datetime(2024, 1, 1),
               datetime(2024, 1, 4)]
    _expect(select_backups(backups, keep_last=2), {datetime(2024, 1, 5), datetime(2024, 1, 4)},
            "select_backups(<3, 5, 1, 4 Jan 2024>, keep_last=2)")


@pytest.mark.periods
def test_daily_keeps_the_newest_of_each_day():
    backups = [datetime(2024, 5, 1, 8), datetime(2024, 5, 1, 20), datetime(2024, 5, 2, 9)]
    _expect(select_backups(backups, keep_daily=2),
            {datetime(2024, 5, 2, 9), datetime(2024, 5, 1, 20)},
            "select_backups(<1 May 08:00 and 20:00, 2 May 09:00>, keep_daily=2)")


@pytest.mark.periods
def test_weekly_uses_iso_weeks_across_new_year():
    # Mon 2024-12-30 .. Sun 2025-01-05 is ISO week 2025-W01: one week, not two.
    _expect(select_backups(NIGHTLY, keep_weekly=2),
            {datetime(2025, 1, 5, 2), datetime(2024, 12, 29, 2)},
            "select_backups(<nightly 20 Dec 2024 .. 5 Jan 2025>, keep_weekly=2)")


@pytest.mark.combined
def test_each_rule_counts_its_own_periods_and_the_result_is_the_union():
    backups = [datetime(2024, 5, day, hour) for day in (1, 2, 3) for hour in (6, 18)]
    # keep_last keeps 3 May 18:00; keep_daily keeps it too (3 May counts as its first day)
    # and 2 May 18:00: nothing older.
    _expect(select_backups(backups, keep_last=1, keep_daily=2),
            {datetime(2024, 5, 3, 18), datetime(2024, 5, 2, 18)},
            "select_backups(<06:00 and 18:00 on 1-3 May>, keep_last=1, keep_daily=2)")


@pytest.mark.guards
def test_refuses_to_keep_nothing_and_to_mix_naive_with_aware():
    with pytest.raises(ValueError):
        select_backups(NIGHTLY)
    with pytest.raises(TypeError):
        select_backups([datetime(2024, 1, 1), datetime(2024, 1, 2, tzinfo=timezone.utc)],
                       keep_last=1)
