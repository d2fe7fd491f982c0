"""Another design: every recommendation in a plain list, scanned on each call.

Simplest to read and to get right, and what a first version often is: nothing is ever
pruned, so memory and the time of a call grow with the number of calls made (one call every
15 s is 5,760 a day). Also written the other way round: the tolerance test compares the
mean with the target directly, and the missing metrics are filled in before one shared
ratio function runs.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable


class Autoscaler:
    """Recommends a replica count from the pods' utilizations, as the Kubernetes HPA does."""

    def __init__(self, min_replicas: int, max_replicas: int, target: float,
                 tolerance: float = 0.1, downscale_window: float = 300.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if min_replicas < 1 or max_replicas < min_replicas or target <= 0:
            raise ValueError("need 1 <= min_replicas <= max_replicas and target > 0")
        self.min_replicas = min_replicas
        self.max_replicas = max_replicas
        self.target = target
        self.tolerance = tolerance
        self.downscale_window = downscale_window
        self.clock = clock
        self.history: list[tuple[float, int]] = []

    def recommend(self, current_replicas: int, utilizations: list[float | None]) -> int:
        now = self.clock()
        raw = self.raw_recommendation(current_replicas, utilizations)
        raw = min(self.max_replicas, max(self.min_replicas, raw))
        self.history.append((now, raw))
        return max(r for t, r in self.history if now - t <= self.downscale_window)

    def raw_recommendation(self, current: int, utilizations: list[float | None]) -> int:
        known = [u for u in utilizations if u is not None]
        if not known:
            return current
        direction = self.direction(statistics.fmean(known))
        if direction == 0:
            return current
        if len(known) == len(utilizations):
            return math.ceil(current * statistics.fmean(known) / self.target)
        fill = 0.0 if direction > 0 else self.target
        mean = statistics.fmean([fill if u is None else u for u in utilizations])
        if self.direction(mean) != direction:  # within tolerance (0) or reversed
            return current
        return math.ceil(current * mean / self.target)

    def direction(self, mean: float) -> int:
        """+1 to scale up, -1 to scale down, 0 within tolerance."""
        if abs(mean - self.target) <= self.tolerance * self.target:
            return 0
        return 1 if mean > self.target else -1
