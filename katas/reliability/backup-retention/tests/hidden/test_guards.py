"""Refusals: a policy of all zeros (it would delete every backup) and a history that mixes
naive and timezone-aware datetimes (they have no order)."""

from datetime import datetime, timedelta, timezone

import pytest
from retention import select_backups

pytestmark = pytest.mark.guards

BACKUPS = [datetime(2024, 1, day, 3) for day in range(1, 6)]
ZERO = {"keep_last": 0, "keep_daily": 0, "keep_weekly": 0, "keep_monthly": 0, "keep_yearly": 0}


def _raises(expected, call_text, call):
    try:
        got = call()
    except expected:
        return
    except Exception as exc:  # the wrong kind of error teaches too
        pytest.fail(f"{call_text} raised {type(exc).__name__}: {exc}; expected {expected.__name__}")
    pytest.fail(f"{call_text} returned {got!r}; expected it to raise {expected.__name__}")


@pytest.mark.parametrize("options", [{}, ZERO], ids=["no options", "every option 0"])
def test_a_policy_that_keeps_nothing_is_refused(options):
    _raises(ValueError, f"select_backups(<5 backups>, **{options})",
            lambda: select_backups(list(BACKUPS), **options))


def test_a_policy_that_keeps_nothing_is_refused_even_without_backups():
    _raises(ValueError, "select_backups([]) with every keep option 0",
            lambda: select_backups([]))


@pytest.mark.parametrize("rule", sorted(ZERO))
def test_one_rule_is_enough(rule):
    got = select_backups(list(BACKUPS), **{rule: 1})
    assert got == {max(BACKUPS)}, (
        f"select_backups(<5 nightly backups 1-5 Jan 2024>, {rule}=1) returned {got!r}; "
        f"expected {{{max(BACKUPS)!r}}}")


AWARE = datetime(2024, 1, 2, 12, tzinfo=timezone.utc)
NAIVE = datetime(2024, 1, 2, 13)


@pytest.mark.parametrize("backups, what", [
    ([AWARE, NAIVE], "aware first"),
    ([NAIVE, AWARE], "naive first"),
    ([*BACKUPS, AWARE], "five naive, one aware last"),
    ([AWARE.astimezone(timezone(timedelta(hours=-3))), *BACKUPS], "one aware (-03:00) first"),
], ids=["aware-first", "naive-first", "aware-last", "aware-offset-first"])
@pytest.mark.parametrize("rule", ["keep_last", "keep_yearly"])
def test_naive_and_aware_datetimes_mixed_are_refused(backups, what, rule):
    _raises(TypeError, f"select_backups([{what}], {rule}=1)",
            lambda: select_backups(list(backups), **{rule: 1}))


def test_aware_only_or_naive_only_is_fine():
    aware = [moment.replace(tzinfo=timezone.utc) for moment in BACKUPS]
    got = select_backups(aware, keep_last=2)
    assert got == set(aware[-2:]), f"select_backups(<5 aware UTC>, keep_last=2) returned {got!r}"
