"""A correct alternative: each metric holds a dict from label-value tuples to small child
objects (one lock per child); an unlabelled metric delegates to its single () child.
Exposition goes through a separate writer: every metric yields (suffix, labels, value)
samples and one function renders HELP, TYPE and sample lines into a StringIO."""

from __future__ import annotations

import io
import math
import re
import threading
from collections.abc import Iterator, Sequence

_METRIC_RE = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
_LABEL_RE = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")


# -- children: the values of one label set -------------------------------------------

class _ValueChild:
    __slots__ = ("_lock", "value")

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.value = 0.0

    def _add(self, amount: float) -> None:
        with self._lock:
            self.value += amount

    def snapshot(self) -> float:
        with self._lock:
            return self.value


class CounterChild(_ValueChild):
    __slots__ = ()

    def inc(self, amount: float = 1.0) -> None:
        if amount < 0:
            raise ValueError(f"counters only go up, got inc({amount!r})")
        self._add(amount)


class GaugeChild(_ValueChild):
    __slots__ = ()

    def set(self, value: float) -> None:
        with self._lock:
            self.value = float(value)

    def inc(self, amount: float = 1.0) -> None:
        self._add(amount)

    def dec(self, amount: float = 1.0) -> None:
        self._add(-amount)


class HistogramChild:
    __slots__ = ("_lock", "_bounds", "_cumulative", "_sum")

    def __init__(self, bounds: tuple[float, ...]) -> None:
        self._lock = threading.Lock()
        self._bounds = bounds
        self._cumulative = [0] * len(bounds)  # already cumulative: bucket i counts v <= bound i
        self._sum = 0.0

    def observe(self, value: float) -> None:
        first = len(self._bounds) - 1  # +Inf always takes it
        for i, bound in enumerate(self._bounds):
            if value <= bound:
                first = i
                break
        with self._lock:
            for i in range(first, len(self._cumulative)):
                self._cumulative[i] += 1
            self._sum += value

    def snapshot(self) -> tuple[list[int], float]:
        with self._lock:
            return list(self._cumulative), self._sum


# -- metrics: a name, help, label names and the children ------------------------------

class _Metric:
    _type = "untyped"

    def __init__(self, name: str, help: str, labelnames: Sequence[str]) -> None:
        if not isinstance(name, str) or not _METRIC_RE.fullmatch(name):
            raise ValueError(f"bad metric name {name!r}")
        names = tuple(labelnames)
        for label in names:
            if not isinstance(label, str) or not _LABEL_RE.fullmatch(label) \
                    or label.startswith("__"):
                raise ValueError(f"bad label name {label!r}")
        if len(set(names)) != len(names):
            raise ValueError(f"repeated label names {names!r}")
        self.name = name
        self.help = help
        self.labelnames = names
        self._children_lock = threading.Lock()
        self._children: dict[tuple[str, ...], object] = {}
        if not names:
            self._children[()] = self._new_child()

    def _new_child(self):  # pragma: no cover -- each kind overrides it
        raise NotImplementedError

    def labels(self, **values: str):
        if values.keys() != set(self.labelnames):
            raise ValueError(f"{self.name} needs exactly the labels {self.labelnames}")
        key = tuple(str(values[label]) for label in self.labelnames)
        with self._children_lock:
            child = self._children.get(key)
            if child is None:
                child = self._children[key] = self._new_child()
        return child

    def _only(self):
        if self.labelnames:
            raise ValueError(f"{self.name} has labels {self.labelnames}: use .labels()")
        return self._children[()]

    def _family(self) -> str:
        return self.name

    def _series(self) -> list[tuple[dict[str, str], object]]:
        with self._children_lock:
            items = list(self._children.items())
        return [(dict(zip(self.labelnames, key)), child) for key, child in items]

    def samples(self) -> Iterator[tuple[str, dict[str, str], float]]:
        for labels, child in self._series():
            yield "", labels, child.snapshot()


class Counter(_Metric):
    _type = "counter"

    def __init__(self, name: str, help: str, labelnames: Sequence[str] = ()) -> None:
        super().__init__(name, help, labelnames)

    def _new_child(self) -> CounterChild:
        return CounterChild()

    def _family(self) -> str:
        return self.name if self.name.endswith("_total") else f"{self.name}_total"

    def inc(self, amount: float = 1.0) -> None:
        self._only().inc(amount)


class Gauge(_Metric):
    _type = "gauge"

    def __init__(self, name: str, help: str, labelnames: Sequence[str] = ()) -> None:
        super().__init__(name, help, labelnames)

    def _new_child(self) -> GaugeChild:
        return GaugeChild()

    def set(self, value: float) -> None:
        self._only().set(value)

    def inc(self, amount: float = 1.0) -> None:
        self._only().inc(amount)

    def dec(self, amount: float = 1.0) -> None:
        self._only().dec(amount)


class Histogram(_Metric):
    _type = "histogram"

    def __init__(self, name: str, help: str, buckets: Sequence[float],
                 labelnames: Sequence[str] = ()) -> None:
        bounds = tuple(float(b) for b in buckets)
        for low, high in zip(bounds, bounds[1:]):
            if not low < high:
                raise ValueError(f"bucket bounds must strictly increase: {list(buckets)!r}")
        if not bounds or bounds[-1] != math.inf:
            bounds += (math.inf,)
        if "le" in tuple(labelnames):
            raise ValueError("'le' is reserved for histogram buckets")
        self._bounds = bounds
        super().__init__(name, help, labelnames)

    def _new_child(self) -> HistogramChild:
        return HistogramChild(self._bounds)

    def observe(self, value: float) -> None:
        self._only().observe(value)

    def samples(self) -> Iterator[tuple[str, dict[str, str], float]]:
        for labels, child in self._series():
            cumulative, total = child.snapshot()
            for bound, count in zip(self._bounds, cumulative):
                yield "_bucket", {**labels, "le": _format_value(bound)}, count
            yield "_count", labels, cumulative[-1]
            yield "_sum", labels, total


# -- the text format ------------------------------------------------------------------

def _format_value(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return format(float(value), ".17g")


_LABEL_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n"})
_HELP_ESCAPES = str.maketrans({"\\": "\\\\", "\n": "\\n"})


def _write_family(out: io.StringIO, metric: _Metric) -> None:
    family = metric._family()
    out.write(f"# HELP {family} {metric.help.translate(_HELP_ESCAPES)}\n")
    out.write(f"# TYPE {family} {metric._type}\n")
    for suffix, labels, value in metric.samples():
        out.write(family + suffix)
        if labels:
            out.write("{")
            out.write(",".join(f'{k}="{str(v).translate(_LABEL_ESCAPES)}"'
                               for k, v in labels.items()))
            out.write("}")
        out.write(f" {_format_value(value)}\n")


class Registry:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_name: dict[str, _Metric] = {}

    def _register(self, metric):
        with self._lock:
            if metric.name in self._by_name:
                raise ValueError(f"{metric.name!r} is already registered")
            self._by_name[metric.name] = metric
        return metric

    def counter(self, name: str, help: str, labelnames: Sequence[str] = ()) -> Counter:
        return self._register(Counter(name, help, labelnames))

    def gauge(self, name: str, help: str, labelnames: Sequence[str] = ()) -> Gauge:
        return self._register(Gauge(name, help, labelnames))

    def histogram(self, name: str, help: str, buckets: Sequence[float],
                  labelnames: Sequence[str] = ()) -> Histogram:
        return self._register(Histogram(name, help, buckets, labelnames))

    def expose(self) -> str:
        with self._lock:
            metrics = list(self._by_name.values())
        out = io.StringIO()
        for metric in metrics:
            _write_family(out, metric)
        return out.getvalue()
