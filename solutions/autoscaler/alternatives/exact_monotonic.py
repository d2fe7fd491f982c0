"""Another design: exact arithmetic with Fraction, and a monotonic deque for the window.

The arithmetic is done on the exact values of the floats given, so no answer depends on
the order of the float operations. The window keeps only the recommendations that can
still become the maximum (each newer and lower than the one before it): the head is the
window's peak, and every recommendation is appended and dropped once, O(1) amortized.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from fractions import Fraction


class Autoscaler:
    """Recommends a replica count from the pods' utilizations, as the Kubernetes HPA does."""

    def __init__(self, min_replicas: int, max_replicas: int, target: float,
                 tolerance: float = 0.1, downscale_window: float = 300.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if not (min_replicas >= 1 and max_replicas >= min_replicas and target > 0):
            raise ValueError("need 1 <= min_replicas <= max_replicas and target > 0")
        self._bounds = (min_replicas, max_replicas)
        self._target = Fraction(target)
        self._tolerance = Fraction(tolerance)
        self._window = downscale_window
        self._clock = clock
        self._peaks: deque[tuple[float, int]] = deque()  # recommendations strictly falling

    def recommend(self, current_replicas: int, utilizations: list[float | None]) -> int:
        now = self._clock()
        low, high = self._bounds
        raw = min(high, max(low, self._raw(current_replicas, utilizations)))
        peaks = self._peaks
        while peaks and peaks[-1][1] <= raw:  # never the maximum again: newer and not lower
            peaks.pop()
        peaks.append((now, raw))
        while now - peaks[0][0] > self._window:  # the newest (this call's) always stays
            peaks.popleft()
        return peaks[0][1]

    def _raw(self, current: int, utilizations: list[float | None]) -> int:
        known = [Fraction(u) for u in utilizations if u is not None]
        if not known:
            return current
        ratio = self._ratio(known, len(known))
        if self._within_tolerance(ratio):
            return current
        if len(known) < len(utilizations):
            fill = Fraction(0) if ratio > 1 else self._target
            overall = self._ratio(known + [fill] * (len(utilizations) - len(known)),
                                  len(utilizations))
            if self._within_tolerance(overall) or (overall > 1) != (ratio > 1):
                return current
            ratio = overall
        return math.ceil(current * ratio)

    def _ratio(self, values: list[Fraction], count: int) -> Fraction:
        return sum(values, Fraction(0)) / count / self._target

    def _within_tolerance(self, ratio: Fraction) -> bool:
        return abs(ratio - 1) <= self._tolerance
