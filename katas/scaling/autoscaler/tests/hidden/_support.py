"""An independent model of the autoscaler's documented rules, seeded histories drawn from it,
and the replay that compares the learner's Autoscaler with it, call by call.

The model is written from the contract alone, in exact arithmetic (`Fraction` of the very
floats the learner receives). Floats and exact numbers agree everywhere except within a
rounding error of a decision boundary (|ratio - 1| == tolerance, a ratio of exactly 1, a
product current * ratio that is a whole number), so the generator redraws any step that
falls within 1e-9 of one: whichever way a learner writes the arithmetic, the expected
answer is the same. It also keeps out what the contract leaves open:

- a call whose `current_replicas` lies outside [min, max] (is "keep current" clamped?);
- a recommendation exactly `downscale_window` seconds old (does it still count?);
- a call with no known utilization while an in-window recommendation is above
  `current_replicas`, or one that is still in the window of a later call (is that "keep
  current" a recommendation that stabilization sees?);
- a known ratio of exactly 1 with missing metrics (Kubernetes itself then fills them as on a
  scale-up, which is not what "call for scaling" means).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from fractions import Fraction

from harness.testing import FakeClock

EDGE = Fraction(1, 10**9)  # how close to a decision boundary a generated step may come
START = 1000.0  # where every history's FakeClock starts


@dataclass(frozen=True)
class Settings:
    min_replicas: int
    max_replicas: int
    target: float
    tolerance: float
    downscale_window: float

    def call(self) -> str:
        return (f"Autoscaler(min_replicas={self.min_replicas}, max_replicas={self.max_replicas}, "
                f"target={self.target!r}, tolerance={self.tolerance!r}, "
                f"downscale_window={self.downscale_window!r}, clock=clock)")

    def kwargs(self) -> dict:
        return {"min_replicas": self.min_replicas, "max_replicas": self.max_replicas,
                "target": self.target, "tolerance": self.tolerance,
                "downscale_window": self.downscale_window}


@dataclass(frozen=True)
class Raw:
    """One call's raw recommendation (clamped), why, and how near a boundary it came."""

    replicas: int
    why: str
    margin: Fraction


def _num(x: Fraction) -> str:
    return f"{float(x):.4g}"


def raw_recommendation(s: Settings, current: int, utilizations: list) -> Raw:
    """The documented rule, before stabilization, in exact arithmetic."""
    target, tol = Fraction(s.target), Fraction(s.tolerance)
    known = [Fraction(u) for u in utilizations if u is not None]
    missing = len(utilizations) - len(known)
    infinite = Fraction(10**9)

    def clamp(replicas: int, why: str, margin: Fraction) -> Raw:
        bounded = min(s.max_replicas, max(s.min_replicas, replicas))
        if bounded != replicas:
            why += f", clamped to [{s.min_replicas}, {s.max_replicas}]: {bounded}"
        return Raw(bounded, why, margin)

    if not known:
        return clamp(current, "no known utilization: keep current_replicas", infinite)
    ratio = sum(known) / len(known) / target
    why = (f"mean of the {len(known)} known utilizations {_num(sum(known) / len(known))} / "
           f"target {s.target!r} = ratio {_num(ratio)}")
    margin = abs(abs(ratio - 1) - tol)
    if abs(ratio - 1) <= tol:
        if missing:
            margin = min(margin, abs(ratio - 1))
        return clamp(current, why + f", within tolerance {s.tolerance!r}: keep {current}", margin)
    if missing:
        up = ratio > 1
        fill = Fraction(0) if up else target
        ratio_all = (sum(known) + fill * missing) / len(utilizations) / target
        why += (f", {'above' if up else 'below'} 1, so the {missing} missing count as "
                f"{'0' if up else 'target'}: ratio over all {_num(ratio_all)}")
        margin = min(margin, abs(abs(ratio_all - 1) - tol), abs(ratio_all - 1))
        if abs(ratio_all - 1) <= tol:
            return clamp(current, why + f", within tolerance: keep {current}", margin)
        if (ratio_all > 1) != up:
            return clamp(current, why + f", the direction reversed: keep {current}", margin)
        ratio = ratio_all
    product = current * ratio
    if product:
        margin = min(margin, product - math.floor(product), math.ceil(product) - product)
    replicas = math.ceil(product)
    return clamp(replicas, why + f": ceil({current} x {_num(ratio)}) = {replicas}", margin)


@dataclass
class Model:
    """Every raw recommendation with its time; a call's result is the highest of the window."""

    settings: Settings
    made: list[tuple[float, int]] = field(default_factory=list)

    def peak(self, now: float) -> tuple[int, float] | None:
        """The highest raw recommendation within the window at `now`, and when it was made."""
        window = [(r, t) for t, r in self.made if now - t <= self.settings.downscale_window]
        return max(window, key=lambda rt: (rt[0], rt[1])) if window else None

    def recommend(self, now: float, current: int, utilizations: list) -> tuple[int, str]:
        raw = raw_recommendation(self.settings, current, utilizations)
        self.made.append((now, raw.replicas))
        best, when = self.peak(now)
        why = f"raw recommendation: {raw.why}"
        if best > raw.replicas:
            why += (f"; but the highest raw recommendation within the last "
                    f"{self.settings.downscale_window!r} s is {best} (made at t={when}), "
                    f"so the result is {best}")
        elif self.settings.downscale_window > 0:
            why += (f"; nothing higher was recommended within the last "
                    f"{self.settings.downscale_window!r} s")
        return best, why


@dataclass(frozen=True)
class Step:
    advance: float
    current: int
    utilizations: list
    now: float
    expected: int
    why: str

    def call(self) -> str:
        return f"recommend({self.current}, {self.utilizations!r})"


@dataclass(frozen=True)
class History:
    seed: int
    settings: Settings
    steps: list[Step]


def _utilizations(rng: random.Random, s: Settings, none_share: float) -> list:
    count = rng.choice([0] + [1, 2, 3, 4, 5, 6, 8] * 3) if none_share else rng.randint(1, 8)
    low, high = rng.choice([(0.9, 1.1), (0.8, 1.2), (0.0, 0.9), (0.2, 0.8), (1.1, 3.0),
                            (1.2, 2.0), (0.0, 2.5)])
    digits = 1 if s.target >= 1 else 3
    return [None if rng.random() < none_share
            else round(s.target * rng.uniform(low, high), digits) for _ in range(count)]


def generate(seed: int, *, missing: bool, stabilize: bool, steps: int = 25) -> History:
    """A seeded history: settings, and calls each with its time step and expected answer.

    `missing` lets utilizations be None; `stabilize` gives a window over several calls
    (without it the window is 0 and time moves at least a second per call, so no
    recommendation ever stabilizes another).
    """
    rng = random.Random(seed)
    low = rng.choice([1, 1, 2, 3])
    settings = Settings(
        min_replicas=low, max_replicas=low + rng.choice([0, 4, 9, 20, 40]),
        target=rng.choice([50.0, 60.0, 70.0, 80.0, 45.5, 0.6, 0.75]),
        tolerance=rng.choice([0.1, 0.1, 0.0, 0.05, 0.2]),
        downscale_window=rng.choice([30.0, 60.0, 300.0, 45.5, 120.0]) if stabilize else 0.0)
    window = settings.downscale_window
    none_share = rng.choice([0.15, 0.3, 0.45]) if missing else 0.0
    model = Model(settings)
    now, current, out, times = START, None, [], []
    must_outlive_window = False
    for _ in range(steps):
        if stabilize:
            advance = float(round(window * rng.choice([0, 0.05, 0.1, 0.2, 0.35, 0.5, 0.8, 1.2])))
        else:
            advance = float(rng.choice([1, 2, 5, 15, 60]))
        if must_outlive_window:  # the last call had no known metric: let it age out
            advance = max(advance, math.floor(window) + 1.0)
        while any(now + advance - t == window for t in times):  # never exactly at the edge
            advance += 1.0
        now += advance
        if current is None or rng.random() < 0.3:
            current = rng.randint(settings.min_replicas, settings.max_replicas)
        for _attempt in range(200):
            utilizations = _utilizations(rng, settings, none_share)
            raw = raw_recommendation(settings, current, utilizations)
            if raw.margin >= EDGE:
                break
        else:  # pragma: no cover -- a generator bug, not a learner's
            raise RuntimeError(f"history {seed}: no step away from a float edge")
        must_outlive_window = all(u is None for u in utilizations)
        if must_outlive_window:
            peak = model.peak(now)
            current = max(current, peak[0] if peak else current)
        expected, why = model.recommend(now, current, utilizations)
        times.append(now)
        out.append(Step(advance, current, utilizations, now, expected, why))
        current = expected if rng.random() < 0.8 else current
    return History(seed, settings, out)


def shown_prefix(history: History, index: int, limit: int = 12) -> str:
    """The construction and the calls before call `index`, the oldest ones elided."""
    lines = [f"clock = FakeClock({START})  (history seed {history.seed})",
             f"scaler = {history.settings.call()}"]
    first = max(0, index - limit)
    if first:
        lines.append(f"... {first} earlier calls not shown")
    for step in history.steps[first:index]:
        lines.append(f"clock.advance({step.advance:g}) -> t={step.now:g}: scaler.{step.call()}"
                     f" -> {step.expected}")
    return "\n".join(lines)


def once(autoscaler_class, current: int, utilizations: list, **settings) -> tuple[int, str]:
    """What a fresh autoscaler (min 1, max 100, target 50 unless `settings` say otherwise)
    recommends on its first call, and that call as text for a failure message."""
    options = {"min_replicas": 1, "max_replicas": 100, "target": 50.0, **settings}
    scaler = autoscaler_class(clock=FakeClock(START), **options)
    shown = ", ".join(f"{key}={value!r}" for key, value in options.items())
    return scaler.recommend(current, utilizations), (
        f"Autoscaler({shown}).recommend({current}, {utilizations!r})")


def replay(autoscaler_class, history: History) -> None:
    """Runs the history on the learner's class; the first wrong answer fails with the
    history so far, the call, what came back, what was expected and why."""
    clock = FakeClock(START)
    scaler = autoscaler_class(clock=clock, **history.settings.kwargs())
    for index, step in enumerate(history.steps):
        clock.advance(step.advance)
        got = scaler.recommend(step.current, list(step.utilizations))
        assert got == step.expected, (
            f"{shown_prefix(history, index)}\n"
            f"clock.advance({step.advance:g}) -> t={step.now:g}: scaler.{step.call()} returned "
            f"{got!r}, expected {step.expected}\n"
            f"why {step.expected}: {step.why}")
