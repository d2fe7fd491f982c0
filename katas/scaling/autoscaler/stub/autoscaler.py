"""A horizontal autoscaler: how many replicas should a service run, given how busy its pods are?

Fill in every method marked TODO. `kata check` tells you which task to work on next;
`kata hint` helps when you are stuck. The docstrings are the contract.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class Autoscaler:
    """Recommends a replica count the way the Kubernetes horizontal pod autoscaler does.

    Each call of `recommend` gets the replica count running now and one utilization per pod
    (None for a pod whose metric is missing), and answers how many replicas to run.
    """

    def __init__(self, min_replicas: int, max_replicas: int, target: float,
                 tolerance: float = 0.1, downscale_window: float = 300.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        """An autoscaler that keeps the mean utilization near `target`.

        - Every recommendation lies in [min_replicas, max_replicas].
        - `tolerance`: a ratio within tolerance of 1 is close enough; nothing moves.
        - `downscale_window` (seconds): a recommendation is never lower than the highest
          raw recommendation of the last `downscale_window` seconds, read from `clock`
          (a zero-argument callable returning seconds).
        - min_replicas < 1, max_replicas < min_replicas or target <= 0 raise ValueError.
        """
        # TODO: check the bounds and keep the settings; set up the recommendation history
        raise NotImplementedError

    def recommend(self, current_replicas: int, utilizations: list[float | None]) -> int:
        """The number of replicas to run, given `current_replicas` and the pods' utilizations.

        1. ratio = mean(known utilizations) / target. If |ratio - 1| <= tolerance, the raw
           recommendation is `current_replicas`; otherwise ceil(current_replicas * ratio).
        2. Missing metrics (None): if the known ones call for scaling up, every missing one
           counts as 0; if they call for scaling down, as exactly `target`. The ratio is then
           recomputed over all of them (and step 1 uses that ratio); if it falls within
           tolerance, or reverses the direction, the raw recommendation is `current_replicas`.
           With no known utilization at all (or none given), it is `current_replicas`.
        3. The raw recommendation is clamped to [min_replicas, max_replicas].
        4. Scale-down stabilization: the result is the highest raw recommendation made within
           the last `downscale_window` seconds, this call's own included. Scaling up is
           immediate; scaling down waits until the higher recommendations have aged out.
        """
        # TODO: compute the raw recommendation, clamp it, remember it, stabilize
        raise NotImplementedError
