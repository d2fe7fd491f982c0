"""Another design: the order of the Kubernetes controller, and the other reading of every
point the contract leaves open.

Like `replica_calculator.go` and `normalizeDesiredReplicas`, it stabilizes the UNCLAMPED
recommendation and clamps afterwards (with fixed bounds, the same answers as clamping
first); it drops a recommendation once it is `downscale_window` old (the reference keeps
it until it is older); a call with no known metric returns current_replicas without
reading the clock or touching the window (Kubernetes records nothing when metrics fail);
and it picks the fill of missing metrics the way the controller does, `usage < 1.0` or
not. The hidden suite must pass it: it never depends on any of these choices.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable


class Autoscaler:
    """Recommends a replica count from the pods' utilizations, as the Kubernetes HPA does."""

    def __init__(self, min_replicas: int, max_replicas: int, target: float,
                 tolerance: float = 0.1, downscale_window: float = 300.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if min_replicas < 1 or max_replicas < min_replicas or target <= 0:
            raise ValueError("need 1 <= min_replicas <= max_replicas and target > 0")
        self._min, self._max = min_replicas, max_replicas
        self._target, self._tolerance = target, tolerance
        self._window, self._clock = downscale_window, clock
        self._recommendations: list[tuple[float, int]] = []

    def recommend(self, current_replicas: int, utilizations: list[float | None]) -> int:
        known = [u for u in utilizations if u is not None]
        if not known:
            return current_replicas  # no metrics: the controller skips this round
        now = self._clock()
        desired = self._calculate(current_replicas, utilizations, known)
        cutoff = now - self._window
        self._recommendations = [(t, r) for t, r in self._recommendations if t > cutoff]
        self._recommendations.append((now, desired))
        stabilized = max(r for _, r in self._recommendations)
        return min(self._max, max(self._min, stabilized))

    def _calculate(self, current: int, utilizations: list[float | None],
                   known: list[float]) -> int:
        usage = sum(known) / len(known) / self._target
        if math.fabs(1.0 - usage) <= self._tolerance:
            return current
        missing = len(utilizations) - len(known)
        if not missing:
            return math.ceil(usage * current)
        fill = self._target if usage < 1.0 else 0.0
        new_usage = (sum(known) + fill * missing) / len(utilizations) / self._target
        if (math.fabs(1.0 - new_usage) <= self._tolerance
                or (usage < 1.0 and new_usage > 1.0) or (usage > 1.0 and new_usage < 1.0)):
            return current
        return math.ceil(new_usage * current)
