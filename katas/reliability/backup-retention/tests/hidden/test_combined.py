"""Rules together: each rule counts its own periods, and the result is their union."""

from datetime import datetime, timedelta, timezone

import _support
import pytest
from retention import select_backups

pytestmark = pytest.mark.combined


def _check(backups, what="", **options):
    _support.compare(select_backups(list(backups), **options), backups, options, what)


def test_a_period_kept_by_another_rule_still_counts():
    # Two backups a day for three days. keep_last=1 keeps the newest; keep_daily=2 keeps
    # the newest of today and of yesterday: today counts for keep_daily although keep_last
    # kept the same backup (restic's reading; borg would reach back a day further).
    backups = [datetime(2024, 5, day, hour) for day in (1, 2, 3) for hour in (6, 18)]
    _check(backups, "two a day, 1-3 May; each rule counts its own periods",
           keep_last=1, keep_daily=2)


def test_a_backup_kept_by_two_rules_does_not_end_a_rule_early():
    backups = [datetime(2024, 5, day, 12) for day in range(1, 11)]
    _check(backups, "one a day, 1-10 May", keep_last=3, keep_daily=5)
    _check(backups, "one a day, 1-10 May", keep_daily=2, keep_weekly=2, keep_monthly=1)


def test_the_result_is_the_union_of_the_rules():
    backups = [datetime(2023, 11, 30, 12), datetime(2023, 12, 30, 12), datetime(2024, 1, 7, 12),
               datetime(2024, 1, 8, 12), datetime(2024, 1, 9, 12)]
    _check(backups, keep_daily=1, keep_weekly=2, keep_monthly=3, keep_yearly=2)


def test_a_classic_gfs_policy_on_a_year_of_nightly_backups():
    start = datetime(2023, 1, 1, 2)
    backups = [start + timedelta(days=day) for day in range(400)]
    _check(backups, "nightly at 02:00 from 2023-01-01, 400 nights",
           keep_daily=7, keep_weekly=4, keep_monthly=12, keep_yearly=3)


@pytest.mark.parametrize("kind", sorted(_support.GENERATORS))
def test_generated_histories_against_the_model(kind):
    _support.check_generated(select_backups, kind, range(12))


@pytest.mark.parametrize("kind", sorted(_support.GENERATORS))
def test_aware_histories_in_utc(kind):
    _support.check_generated(select_backups, kind, range(6), zones="utc")


@pytest.mark.parametrize("kind", sorted(_support.GENERATORS))
def test_aware_histories_in_several_time_zones(kind):
    # Each backup between 10:00 and 14:00 UTC, zones within 9 hours of UTC: its own day
    # and its UTC day agree, so either reading of "day" gives the same periods.
    _support.check_generated(select_backups, kind, range(6), zones="mixed")


def test_newest_means_the_latest_instant_across_time_zones():
    # 12:30+02:00 is 10:30 UTC, earlier than 11:00 UTC on the same day.
    plus_two = timezone(timedelta(hours=2))
    backups = [datetime(2024, 5, 1, 12, 30, tzinfo=plus_two),
               datetime(2024, 5, 1, 11, 0, tzinfo=timezone.utc),
               datetime(2024, 4, 30, 11, 0, tzinfo=timezone.utc)]
    _check(backups, keep_daily=1)
    _check(backups, keep_last=1)
