"""Missing metrics (None) count the conservative way: as 0 when the known ones call for a
scale-up, as exactly target when they call for a scale-down; the ratio over all of them
decides, and a result within tolerance or in the other direction keeps current."""

import _support
import pytest
from autoscaler import Autoscaler

pytestmark = pytest.mark.missing


@pytest.mark.parametrize("utilizations", [[None], [None, None, None], []])
def test_no_known_utilization_keeps_current(utilizations):
    got, call = _support.once(Autoscaler, 5, utilizations)
    assert got == 5, f"{call} returned {got!r}, expected 5 (no known metric: keep current)"


def test_on_a_scale_up_missing_ones_count_as_zero():
    got, call = _support.once(Autoscaler, 4, [100.0, 100.0, 100.0, None])
    assert got == 6, (f"{call} returned {got!r}, expected 6: the known ones (ratio 2) call for "
                      "a scale-up, so the missing one counts as 0; the mean over all 4 is 75, "
                      "ratio 1.5, ceil(4 x 1.5) = 6")


def test_on_a_scale_down_missing_ones_count_as_target():
    got, call = _support.once(Autoscaler, 8, [10.0, None])
    assert got == 5, (f"{call} returned {got!r}, expected 5: the known one (ratio 0.2) calls "
                      "for a scale-down, so the missing one counts as the target 50; the mean "
                      "over both is 30, ratio 0.6, ceil(8 x 0.6) = 5")


def test_the_recomputed_ratio_within_tolerance_keeps_current():
    got, call = _support.once(Autoscaler, 4, [100.0, 100.0, None, None])
    assert got == 4, (f"{call} returned {got!r}, expected 4: missing count as 0 on a scale-up,"
                      " the mean over all is 50, ratio 1: within tolerance")
    got, call = _support.once(Autoscaler, 6, [40.0, None, None, None])
    assert got == 6, (f"{call} returned {got!r}, expected 6: missing count as target 50 on a "
                      "scale-down, the mean over all is 47.5, ratio 0.95: within tolerance")


@pytest.mark.parametrize("utilizations, why", [
    ([150.0, 150.0, None], "scale-up: (150 + 150 + 0) / 3 = 100, ratio 1.25"),
    ([40.0, None], "scale-down: (40 + 80) / 2 = 60, ratio 0.75"),
])
def test_a_recomputed_ratio_on_the_tolerance_edge_keeps_current(utilizations, why):
    # target 80 and tolerance 0.25 are exact in binary: the ratio over all is exactly 1 +- 0.25
    got, call = _support.once(Autoscaler, 4, utilizations, target=80.0, tolerance=0.25)
    assert got == 4, (f"{call} returned {got!r}, expected 4 ({why} over all: |ratio - 1| = 0.25"
                      " is within the tolerance, edge included, so nothing moves)")


def test_a_reversed_direction_keeps_current():
    got, call = _support.once(Autoscaler, 5, [90.0, None, None])
    assert got == 5, (f"{call} returned {got!r}, expected 5: the known one (ratio 1.8) calls "
                      "for a scale-up, but with the missing ones as 0 the ratio over all is "
                      "0.6, a scale-down: the direction reversed, so nothing moves")


@pytest.mark.parametrize("utilizations, ratio", [([52.0, None], 1.04), ([47.0, None], 0.94)])
def test_known_ones_within_tolerance_keep_current_whatever_is_missing(utilizations, ratio):
    got, call = _support.once(Autoscaler, 5, utilizations)
    assert got == 5, (f"{call} returned {got!r}, expected 5 (the known ratio {ratio} is within "
                      "tolerance 0.1: they call for no scaling)")


def test_with_missing_ones_the_result_is_still_clamped():
    got, call = _support.once(Autoscaler, 4, [100.0, 100.0, 100.0, None], max_replicas=5)
    assert got == 5, (f"{call} returned {got!r}, expected 5: ratio over all 1.5, "
                      "ceil(4 x 1.5) = 6, clamped to max_replicas 5")
    got, call = _support.once(Autoscaler, 8, [10.0, None], min_replicas=6)
    assert got == 6, (f"{call} returned {got!r}, expected 6: ratio over all 0.6, "
                      "ceil(8 x 0.6) = 5, clamped to min_replicas 6")


@pytest.mark.parametrize("seed", range(6))
def test_generated_histories_with_missing_metrics(seed):
    _support.replay(Autoscaler,
                    _support.generate(200 + seed, missing=True, stabilize=False))
