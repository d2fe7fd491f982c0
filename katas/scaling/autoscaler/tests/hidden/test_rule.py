"""The HPA rule without missing metrics or stabilization: ratio = mean / target, a tolerance
band around 1, ceil(current * ratio), clamped to [min, max]; invalid bounds refused.

Every call here gets a fresh scaler or a later time with a window of 0, so no earlier
recommendation holds a result up."""

import _support
import pytest
from autoscaler import Autoscaler

from harness.testing import FakeClock

pytestmark = pytest.mark.rule


@pytest.mark.parametrize("bounds", [
    {"min_replicas": 0, "max_replicas": 5, "target": 50.0},
    {"min_replicas": -1, "max_replicas": 5, "target": 50.0},
    {"min_replicas": 4, "max_replicas": 3, "target": 50.0},
    {"min_replicas": 1, "max_replicas": 5, "target": 0.0},
    {"min_replicas": 1, "max_replicas": 5, "target": -10.0},
])
def test_invalid_bounds_raise_value_error(bounds):
    shown = ", ".join(f"{k}={v!r}" for k, v in bounds.items())
    with pytest.raises(ValueError):
        Autoscaler(clock=FakeClock(), **bounds)
        pytest.fail(f"Autoscaler({shown}) was accepted; expected ValueError "
                    "(min_replicas >= 1, max_replicas >= min_replicas, target > 0)")


def test_the_smallest_valid_bounds_are_accepted():
    got, call = _support.once(Autoscaler, 1, [50.0], min_replicas=1, max_replicas=1, target=0.001)
    assert got == 1, f"{call} returned {got!r}, expected 1 (min = max = 1 is valid)"


@pytest.mark.parametrize("utilizations, why", [
    ([52.0, 48.0, 53.0], "mean 51: ratio 1.02"),
    ([46.0, 45.0], "mean 45.5: ratio 0.91"),
    ([50.0], "ratio exactly 1"),
])
def test_a_ratio_within_tolerance_keeps_current(utilizations, why):
    got, call = _support.once(Autoscaler, 4, utilizations, tolerance=0.1)
    assert got == 4, f"{call} returned {got!r}, expected 4 ({why}, within tolerance 0.1)"


@pytest.mark.parametrize("utilizations, ratio", [([100.0, 100.0], 1.25), ([60.0, 60.0], 0.75)])
def test_the_tolerance_band_includes_its_edges(utilizations, ratio):
    # target 80 and tolerance 0.25 are exact in binary: |ratio - 1| is exactly 0.25
    got, call = _support.once(Autoscaler, 4, utilizations, target=80.0, tolerance=0.25)
    assert got == 4, (f"{call} returned {got!r}, expected 4: ratio {ratio}, |ratio - 1| = 0.25 "
                      "is not more than the tolerance, so nothing moves (<=, not <)")


@pytest.mark.parametrize("current, utilizations, expected, why", [
    (3, [80.0, 90.0, 100.0], 6, "mean 90 / 50 = 1.8; 3 x 1.8 = 5.4, rounded up"),
    (10, [12.0, 20.0], 4, "mean 16 / 50 = 0.32; 10 x 0.32 = 3.2, rounded up"),
    (4, [70.0], 6, "70 / 50 = 1.4; 4 x 1.4 = 5.6, rounded up"),
    (7, [30.0, 31.0, 35.0], 5, "mean 32 / 50 = 0.64; 7 x 0.64 = 4.48, rounded up"),
])
def test_outside_tolerance_it_scales_to_ceil_of_current_times_ratio(current, utilizations,
                                                                    expected, why):
    got, call = _support.once(Autoscaler, current, utilizations)
    assert got == expected, f"{call} returned {got!r}, expected {expected} ({why})"


def test_a_whole_product_is_not_rounded_further():
    got, call = _support.once(Autoscaler, 3, [100.0, 100.0])
    assert got == 6, f"{call} returned {got!r}, expected 6 (ratio exactly 2: 3 x 2 = 6)"


def test_it_multiplies_current_replicas_not_the_number_of_utilizations():
    got, call = _support.once(Autoscaler, 6, [75.0])
    assert got == 9, (f"{call} returned {got!r}, expected 9 (ratio 1.5 x current_replicas 6; "
                      "the list may hold fewer or more values than there are replicas)")
    got, call = _support.once(Autoscaler, 2, [20.0] * 8)
    assert got == 1, f"{call} returned {got!r}, expected 1 (ratio 0.4 x current_replicas 2 = 0.8)"


@pytest.mark.parametrize("current, utilizations, expected, why", [
    (8, [150.0] * 8, 10, "ratio 3: 24 replicas, above max_replicas 10"),
    (5, [5.0, 5.0], 3, "ratio 0.1: 0.5 rounds up to 1, below min_replicas 3"),
    (4, [0.0, 0.0], 3, "ratio 0: 0 replicas, below min_replicas 3"),
])
def test_the_result_is_clamped_to_min_and_max(current, utilizations, expected, why):
    got, call = _support.once(Autoscaler, current, utilizations, min_replicas=3, max_replicas=10)
    assert got == expected, f"{call} returned {got!r}, expected {expected} ({why})"


def test_min_equal_to_max_pins_the_count():
    for utilizations in ([200.0], [1.0], [50.0]):
        got, call = _support.once(Autoscaler, 5, utilizations, min_replicas=5, max_replicas=5)
        assert got == 5, f"{call} returned {got!r}, expected 5 (min = max = 5)"


@pytest.mark.parametrize("seed", range(5))
def test_generated_histories_follow_the_rule(seed):
    _support.replay(Autoscaler,
                    _support.generate(100 + seed, missing=False, stabilize=False))
