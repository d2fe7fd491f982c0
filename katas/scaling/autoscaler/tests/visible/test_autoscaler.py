"""Examples of what the hidden tests check. Run them with: python -m pytest"""

import pytest
from autoscaler import Autoscaler

from harness.testing import FakeClock


def scaler(**settings):
    options = {"min_replicas": 1, "max_replicas": 20, "target": 50.0, **settings}
    return Autoscaler(clock=FakeClock(1000.0), **options)


@pytest.mark.rule
def test_scales_by_the_ratio_to_the_target_rounded_up():
    # mean 90 / target 50 = ratio 1.8; 3 replicas x 1.8 = 5.4, rounded up: 6
    assert scaler().recommend(3, [80.0, 90.0, 100.0]) == 6


@pytest.mark.rule
def test_within_tolerance_nothing_moves_and_the_result_is_clamped():
    assert scaler(tolerance=0.1).recommend(4, [52.0, 48.0, 53.0]) == 4  # ratio 1.02
    assert scaler(max_replicas=10).recommend(8, [150.0] * 8) == 10  # 24, clamped
    with pytest.raises(ValueError):
        Autoscaler(0, 5, 50.0)


@pytest.mark.missing
def test_missing_metrics_count_against_the_move():
    # scale-up: the missing one counts as 0, mean over all 75, ratio 1.5: 6 (not 8)
    assert scaler().recommend(4, [100.0, 100.0, 100.0, None]) == 6
    # scale-down: the missing one counts as the target 50, mean 30, ratio 0.6: 5 (not 2)
    assert scaler().recommend(8, [10.0, None]) == 5
    # with the missing ones as 0 the ratio falls below 1: the direction reversed, keep 5
    assert scaler().recommend(5, [90.0, None, None]) == 5


@pytest.mark.stabilization
def test_a_scale_down_waits_for_the_window():
    clock = FakeClock(1000.0)
    autoscaler = Autoscaler(1, 20, 50.0, downscale_window=300.0, clock=clock)
    assert autoscaler.recommend(4, [100.0] * 4) == 8  # scale-up: at once
    clock.advance(100)
    assert autoscaler.recommend(8, [10.0] * 8) == 8  # raw 2, but 8 was recommended 100 s ago
    clock.advance(201)
    assert autoscaler.recommend(8, [10.0] * 8) == 2  # the 8 is 301 s old now
