"""A horizontal autoscaler: the Kubernetes HPA rule with conservative missing metrics and
scale-down stabilization."""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable


class Autoscaler:
    """Recommends a replica count from the pods' utilizations, as the Kubernetes HPA does."""

    def __init__(self, min_replicas: int, max_replicas: int, target: float,
                 tolerance: float = 0.1, downscale_window: float = 300.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if min_replicas < 1:
            raise ValueError(f"min_replicas must be at least 1, got {min_replicas}")
        if max_replicas < min_replicas:
            raise ValueError(f"max_replicas ({max_replicas}) is below min_replicas "
                             f"({min_replicas})")
        if target <= 0:
            raise ValueError(f"target must be positive, got {target}")
        self._min = min_replicas
        self._max = max_replicas
        self._target = target
        self._tolerance = tolerance
        self._window = downscale_window
        self._clock = clock
        # (time, raw recommendation), oldest first: the calls of the last window, pruned
        # from the left, so the memory is bounded by the call rate, not by the run's length.
        self._recent: deque[tuple[float, int]] = deque()

    def recommend(self, current_replicas: int, utilizations: list[float | None]) -> int:
        now = self._clock()
        raw = self._clamp(self._desired(current_replicas, utilizations))
        recent = self._recent
        # A recommendation exactly `downscale_window` old still counts (as in Kubernetes).
        while recent and now - recent[0][0] > self._window:
            recent.popleft()
        recent.append((now, raw))
        # Scale-up is immediate (raw is in the max); scale-down waits for the window's peak.
        return max(recommendation for _, recommendation in recent)

    def _desired(self, current: int, utilizations: list[float | None]) -> int:
        """The unstabilized recommendation of the HPA rule, before clamping."""
        known = [u for u in utilizations if u is not None]
        if not known:
            return current  # nothing to go on: do not move
        ratio = sum(known) / len(known) / self._target
        if abs(ratio - 1) <= self._tolerance:
            return current
        missing = len(utilizations) - len(known)
        if missing:
            # Conservative: a pod we cannot see is idle when we would grow, and exactly at
            # target when we would shrink, so an outage of metrics never amplifies a move.
            scaling_up = ratio > 1
            fill = 0.0 if scaling_up else self._target
            new_ratio = (sum(known) + fill * missing) / len(utilizations) / self._target
            if abs(new_ratio - 1) <= self._tolerance or (new_ratio > 1) != scaling_up:
                return current
            ratio = new_ratio
        return math.ceil(current * ratio)

    def _clamp(self, replicas: int) -> int:
        return min(self._max, max(self._min, replicas))
