"""A Prometheus metrics registry: counters, gauges, histograms, text format 0.0.4.

Fill in every method marked TODO; the docstrings are the contract. The tests parse
`Registry.expose()` with prometheus_client's own parser.
"""

from __future__ import annotations

from collections.abc import Sequence


class _Metric:
    """What the three kinds share: a name, a help text, label names, one child per label set.

    Metric names match [a-zA-Z_:][a-zA-Z0-9_:]*, label names [a-zA-Z_][a-zA-Z0-9_]* and
    must not start with "__"; anything else raises ValueError.
    """

    def __init__(self, name: str, help: str, labelnames: Sequence[str]) -> None:
        # TODO: check the names, keep the children (an unlabelled metric has exactly one)
        raise NotImplementedError

    def labels(self, **values: str):
        """The child for these label values; missing or extra names raise ValueError.
        A labelled metric used without labels() raises ValueError too."""
        # TODO
        raise NotImplementedError


class Counter(_Metric):
    """Only goes up. Exposed as NAME_total (HELP, TYPE and samples alike), never NAME_total_total."""

    def __init__(self, name: str, help: str, labelnames: Sequence[str] = ()) -> None:
        # TODO
        raise NotImplementedError

    def inc(self, amount: float = 1.0) -> None:
        """Adds amount; a negative amount raises ValueError."""
        # TODO
        raise NotImplementedError


class Gauge(_Metric):
    """Goes up and down."""

    def __init__(self, name: str, help: str, labelnames: Sequence[str] = ()) -> None:
        # TODO
        raise NotImplementedError

    def set(self, value: float) -> None:
        # TODO
        raise NotImplementedError

    def inc(self, amount: float = 1.0) -> None:
        # TODO
        raise NotImplementedError

    def dec(self, amount: float = 1.0) -> None:
        # TODO
        raise NotImplementedError


class Histogram(_Metric):
    """Counts observations in cumulative buckets (le = less than or equal), plus _count and
    _sum. Bounds must be strictly increasing (else ValueError); +Inf is added if absent."""

    def __init__(self, name: str, help: str, buckets: Sequence[float],
                 labelnames: Sequence[str] = ()) -> None:
        # TODO
        raise NotImplementedError

    def observe(self, value: float) -> None:
        # TODO
        raise NotImplementedError


class Registry:
    """Holds metrics by name (a name registered twice raises ValueError) and exposes them."""

    def __init__(self) -> None:
        # TODO
        raise NotImplementedError

    def counter(self, name: str, help: str, labelnames: Sequence[str] = ()) -> Counter:
        # TODO
        raise NotImplementedError

    def gauge(self, name: str, help: str, labelnames: Sequence[str] = ()) -> Gauge:
        # TODO
        raise NotImplementedError

    def histogram(self, name: str, help: str, buckets: Sequence[float],
                  labelnames: Sequence[str] = ()) -> Histogram:
        # TODO
        raise NotImplementedError

    def expose(self) -> str:
        """Every metric in the Prometheus text format 0.0.4: # HELP and # TYPE lines, then
        the samples. An unlabelled metric shows from registration (value 0); a labelled
        one shows one series per label set used. Label values escape \\, " and newline;
        HELP text escapes \\ and newline."""
        # TODO
        raise NotImplementedError
