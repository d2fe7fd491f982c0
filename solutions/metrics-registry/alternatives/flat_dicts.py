"""A correct alternative: values in flat dicts keyed by (name, labels), one registry lock."""

import math
import re
import threading

NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*\Z")
LABEL = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*\Z")
LOCK = threading.RLock()


def esc_label(v):
    return v.replace("\\", r"\\").replace('"', r"\"").replace("\n", r"\n")


def fmt(v):
    return "+Inf" if v == math.inf else ("%g" % v if v == int(v) and abs(v) < 1e15 else repr(v))


class _Metric:
    def __init__(self, name, help, labelnames):
        if not NAME.match(name):
            raise ValueError(name)
        for label in labelnames:
            if not LABEL.match(label) or label[:2] == "__":
                raise ValueError(label)
        self.name, self.help, self.labelnames = name, help, list(labelnames)
        self.series = {} if labelnames else {(): self._fresh()}
        self.key = ()

    def labels(self, **values):
        if sorted(values) != sorted(self.labelnames):
            raise ValueError(values)
        key = tuple(str(values[n]) for n in self.labelnames)
        with LOCK:
            self.series.setdefault(key, self._fresh())
        child = object.__new__(type(self))
        child.__dict__.update(self.__dict__)
        child.key = key
        child.labelnames = []
        return child

    def _slot(self):
        if self.labelnames:
            raise ValueError("use labels()")
        return self.key

    def _pairs(self, key):
        return list(zip(self.__dict__.get("_all_labels", self.labelnames) or [], key))


class Counter(_Metric):
    def __init__(self, name, help, labelnames=()):
        super().__init__(name, help, labelnames)
        self._all_labels = list(labelnames)

    def _fresh(self):
        return [0.0]

    def inc(self, amount=1.0):
        if amount < 0:
            raise ValueError(amount)
        key = self._slot()
        with LOCK:
            self.series[key][0] += amount

    def render(self):
        name = self.name if self.name.endswith("_total") else self.name + "_total"
        lines = [f"# HELP {name} " + self.help.replace("\\", r"\\").replace("\n", r"\n"),
                 f"# TYPE {name} counter"]
        for key, (v,) in list(self.series.items()):
            lines.append(name + _braces(self._pairs(key)) + " " + fmt(v))
        return lines


class Gauge(_Metric):
    def __init__(self, name, help, labelnames=()):
        super().__init__(name, help, labelnames)
        self._all_labels = list(labelnames)

    def _fresh(self):
        return [0.0]

    def set(self, value):
        key = self._slot()
        with LOCK:
            self.series[key][0] = float(value)

    def inc(self, amount=1.0):
        key = self._slot()
        with LOCK:
            self.series[key][0] += amount

    def dec(self, amount=1.0):
        self.inc(-amount)

    def render(self):
        lines = [f"# HELP {self.name} " + self.help.replace("\\", r"\\").replace("\n", r"\n"),
                 f"# TYPE {self.name} gauge"]
        for key, (v,) in list(self.series.items()):
            lines.append(self.name + _braces(self._pairs(key)) + " " + fmt(v))
        return lines


class Histogram(_Metric):
    def __init__(self, name, help, buckets, labelnames=()):
        bounds = list(buckets)
        for a, b in zip(bounds, bounds[1:]):
            if not a < b:
                raise ValueError(buckets)
        if not bounds or bounds[-1] != math.inf:
            bounds = bounds + [math.inf]
        self.bounds = bounds
        super().__init__(name, help, labelnames)
        self._all_labels = list(labelnames)

    def _fresh(self):
        return {"cum": [0] * len(self.bounds), "sum": 0.0, "n": 0}

    def observe(self, value):
        key = self._slot()
        with LOCK:
            s = self.series[key]
            for i, bound in enumerate(self.bounds):
                if value <= bound:
                    s["cum"][i] += 1
            s["sum"] += value
            s["n"] += 1

    def render(self):
        lines = [f"# HELP {self.name} " + self.help.replace("\\", r"\\").replace("\n", r"\n"),
                 f"# TYPE {self.name} histogram"]
        for key, s in list(self.series.items()):
            pairs = self._pairs(key)
            for bound, n in zip(self.bounds, s["cum"]):
                lines.append(f"{self.name}_bucket" + _braces(pairs + [("le", fmt(bound))])
                             + f" {n}")
            lines.append(f"{self.name}_count{_braces(pairs)} {s['n']}")
            lines.append(f"{self.name}_sum{_braces(pairs)} {fmt(s['sum'])}")
        return lines


def _braces(pairs):
    return "{" + ",".join(f'{k}="{esc_label(v)}"' for k, v in pairs) + "}" if pairs else ""


class Registry:
    def __init__(self):
        self.metrics = {}

    def _add(self, metric):
        with LOCK:
            if metric.name in self.metrics:
                raise ValueError(metric.name)
            self.metrics[metric.name] = metric
        return metric

    def counter(self, name, help, labelnames=()):
        return self._add(Counter(name, help, labelnames))

    def gauge(self, name, help, labelnames=()):
        return self._add(Gauge(name, help, labelnames))

    def histogram(self, name, help, buckets, labelnames=()):
        return self._add(Histogram(name, help, buckets, labelnames))

    def expose(self):
        with LOCK:
            return "".join(line + "\n" for m in self.metrics.values() for line in m.render())
