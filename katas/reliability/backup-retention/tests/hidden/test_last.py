"""keep_last: the N newest backups, whatever order they come in; equal datetimes are one."""

from datetime import datetime

import _support
import pytest
from retention import select_backups

pytestmark = pytest.mark.last


def _at(day: int, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(2024, 3, day, hour, minute)


def test_keeps_the_newest_n_backups_of_a_sorted_history():
    backups = [_at(1), _at(2), _at(3), _at(4), _at(5)]
    _support.compare(select_backups(list(backups), keep_last=2), backups, {"keep_last": 2})


def test_input_in_any_order_gives_the_same_backups():
    backups = [_at(3), _at(5, 9), _at(1), _at(5, 8), _at(4), _at(2)]
    for count in (1, 2, 3):
        _support.compare(select_backups(list(backups), keep_last=count), backups,
                         {"keep_last": count}, "newest first is yours to sort")


def test_backups_of_the_same_day_each_count():
    backups = [_at(7, 23, 59), _at(7, 0, 1), _at(7, 12), _at(6, 23)]
    _support.compare(select_backups(list(backups), keep_last=3), backups, {"keep_last": 3},
                     "keep_last counts backups, not days")


def test_more_than_there_are_keeps_every_backup():
    backups = [_at(2), _at(1), _at(9)]
    _support.compare(select_backups(list(backups), keep_last=10), backups, {"keep_last": 10})


def test_no_backups_keeps_nothing():
    got = select_backups([], keep_last=3)
    assert got == set(), f"select_backups([], keep_last=3) returned {got!r}, expected set()"


def test_a_backup_listed_twice_is_one_backup():
    backups = [_at(5), _at(4), _at(5), _at(3), _at(4)]
    _support.compare(select_backups(list(backups), keep_last=3), backups, {"keep_last": 3},
                     "5 and 4 March listed twice: equal datetimes are one backup, so "
                     "keep_last=3 keeps three distinct ones")


def test_generated_histories_against_the_model():
    for kind in _support.GENERATORS:
        _support.check_generated(select_backups, kind, range(6), rules=("keep_last",))
