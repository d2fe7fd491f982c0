"""Scale-down stabilization: a result is never lower than the highest raw recommendation of
the last downscale_window seconds (this call's own included), so a scale-up is immediate and
a scale-down waits until the higher recommendations have aged out. Time is a FakeClock."""

import _support
import pytest
from autoscaler import Autoscaler

from harness.testing import FakeClock

pytestmark = pytest.mark.stabilization


class Session:
    """One autoscaler (min 1, max 100, target 50) on a FakeClock, with the calls so far
    kept as text for the failure messages."""

    def __init__(self, **settings):
        self.clock = FakeClock(_support.START)
        options = {"min_replicas": 1, "max_replicas": 100, "target": 50.0, **settings}
        self.scaler = Autoscaler(clock=self.clock, **options)
        shown = ", ".join(f"{key}={value!r}" for key, value in options.items())
        self.lines = [f"scaler = Autoscaler({shown}, clock=clock)  (clock starts at t=1000)"]

    def at(self, t, current, utilizations, expected, why):
        self.clock.set(_support.START + t)
        got = self.scaler.recommend(current, utilizations)
        call = f"t=+{t:g}: scaler.recommend({current}, {utilizations!r})"
        history = "\n".join(self.lines)
        assert got == expected, (f"{history}\n{call} returned {got!r}, expected {expected} "
                                 f"({why})")
        self.lines.append(f"{call} -> {got}")


def test_a_scale_down_waits_until_the_peak_ages_out():
    s = Session(downscale_window=300.0)
    s.at(0, 4, [100.0] * 4, 8, "ratio 2: a scale-up to 8, at once")
    s.at(100, 8, [10.0] * 8, 8, "raw 2 (ratio 0.2), but 8 was recommended 100 s ago")
    s.at(250, 8, [10.0] * 8, 8, "raw 2, but 8 was recommended 250 s ago, within 300 s")
    s.at(301, 8, [10.0] * 8, 2, "the 8 is now 301 s old: only the 2s of the window remain")


def test_a_scale_up_is_immediate():
    s = Session(downscale_window=300.0)
    s.at(0, 4, [10.0] * 4, 1, "ratio 0.2: ceil(0.8) = 1, nothing higher before it")
    s.at(10, 1, [150.0], 3, "ratio 3: a scale-up to 3 is never held back")
    s.at(20, 3, [120.0] * 3, 8, "ratio 2.4: ceil(7.2) = 8, higher than anything in the window")


def test_a_recommendation_between_two_keeps_the_highest():
    s = Session(downscale_window=60.0)
    s.at(0, 4, [100.0] * 4, 8, "ratio 2: 8")
    s.at(30, 8, [31.0] * 8, 8, "raw ceil(8 x 0.62) = 5, but 8 was recommended 30 s ago")
    s.at(70, 8, [10.0] * 8, 5, "the 8 is 70 s old, out of the 60 s window; the 5 of t=+30 "
                               "is 40 s old and the highest left (raw now: 2)")
    s.at(91, 5, [10.0] * 5, 2, "the 5 is now 61 s old: only the 2s remain")


def test_the_window_holds_raw_recommendations_not_results():
    s = Session(downscale_window=300.0)
    s.at(0, 4, [100.0] * 4, 8, "ratio 2: 8")
    s.at(200, 8, [10.0] * 8, 8, "raw 2, held up by the 8 of t=+0")
    s.at(400, 8, [10.0] * 8, 2, "the 8 of t=+0 is 400 s old; the call of t=+200 recommended "
                                "2 (its result was 8, but what counts is its raw "
                                "recommendation)")


def test_keeping_current_is_a_recommendation_too():
    s = Session(downscale_window=300.0)
    s.at(0, 6, [52.0] * 6, 6, "ratio 1.04, within tolerance: keep 6")
    s.at(10, 6, [10.0] * 6, 6, "raw ceil(6 x 0.2) = 2, but the 6 kept 10 s ago counts")


def test_several_calls_at_the_same_time_share_the_window():
    s = Session(downscale_window=30.0)
    s.at(0, 4, [100.0] * 4, 8, "ratio 2: 8")
    s.at(0, 8, [10.0] * 8, 8, "raw 2 at the same moment as the 8")
    s.at(31, 8, [10.0] * 8, 2, "both calls of t=+0 are 31 s old")


def test_the_default_window_is_300_seconds():
    s = Session()
    s.at(0, 4, [100.0] * 4, 8, "ratio 2: 8")
    s.at(299, 8, [10.0] * 8, 8, "the 8 is 299 s old: within the default 300 s")
    s.at(301, 8, [10.0] * 8, 2, "the 8 is 301 s old: out of the default 300 s window")


def test_a_clamped_recommendation_is_what_the_window_remembers():
    s = Session(downscale_window=60.0, max_replicas=6)
    s.at(0, 4, [100.0] * 4, 6, "ratio 2: 8, clamped to max_replicas 6")
    s.at(10, 6, [10.0] * 6, 6, "raw 2, held up by the 6 of t=+0 (never above max_replicas)")


@pytest.mark.parametrize("seed", range(10))
def test_generated_histories_stabilize_scale_downs(seed):
    _support.replay(Autoscaler, _support.generate(300 + seed, missing=True, stabilize=True,
                                                    steps=30))
