"""What the hidden tests of rate-limiter share: an exact model of each algorithm (in
fractions, so it has no rounding of its own), generated histories of requests at times
on a grid of 1/16 s, and the check of a history against the model in one message.

Every limit and window the tests use make `limit / window` and `window / limit` powers of
two, and every time is a multiple of 1/16 s: the sums, differences and quotients a
limiter computes are then exact in floating point, so no expected decision sits on a
rounding edge, whichever correct formula a limiter uses."""

import math
import random
from fractions import Fraction

import pytest
from rate_limiter import RateLimiter

from harness.testing import calls_at, learner_clock

ALGORITHMS = ("token_bucket", "fixed_window", "sliding_log")
# (limit, window): limit / window and window / limit are both powers of two
CONFIGS = ((1, 0.5), (3, 0.75), (4, 2.0), (5, 2.5), (6, 3.0), (2, 0.25), (2, 4.0),
           (1, 2.0))  # refill rates from 8 down to 0.5 tokens per second
TICK = Fraction(1, 16)  # every time of a generated history is a multiple of this
START = 1_000.0


class Model:
    """The rules of one algorithm, for any number of keys, in exact fractions."""

    def __init__(self, algorithm, limit, window):
        self.algorithm, self.limit, self.window = algorithm, limit, Fraction(window)
        self.rate = self.limit / self.window
        self.keys = {}

    # -- token bucket: (tokens, at), refilled at `rate`, never above `limit` --------------
    def _tokens(self, key, now):
        tokens, at = self.keys.get(key, (Fraction(self.limit), now))
        return min(Fraction(self.limit), tokens + (now - at) * self.rate)

    # -- fixed window: the admitted count per (key, window number) ------------------------
    def _window_count(self, key, now):
        k = math.floor(now / self.window)
        return k, self.keys.get((key, k), 0)

    # -- sliding log: the times of the admitted requests, each counted for a window ----------
    def _live(self, key, now):
        return [s for s in self.keys.get(key, []) if s + self.window > now]

    def allow(self, key, now):
        now = Fraction(now)
        if self.algorithm == "token_bucket":
            tokens = self._tokens(key, now)
            admitted = tokens >= 1
            self.keys[key] = (tokens - 1 if admitted else tokens, now)
        elif self.algorithm == "fixed_window":
            k, count = self._window_count(key, now)
            admitted = count < self.limit
            self.keys[(key, k)] = count + admitted
        else:
            live = self._live(key, now)
            admitted = len(live) < self.limit
            self.keys[key] = live + [now] * admitted
        return admitted

    def retry_after(self, key, now):
        now = Fraction(now)
        if self.algorithm == "token_bucket":
            tokens = self._tokens(key, now)
            return Fraction(0) if tokens >= 1 else (1 - tokens) / self.rate
        if self.algorithm == "fixed_window":
            k, count = self._window_count(key, now)
            return Fraction(0) if count < self.limit else (k + 1) * self.window - now
        live = sorted(self._live(key, now))
        if len(live) < self.limit:
            return Fraction(0)
        return live[len(live) - self.limit] + self.window - now

    def answer(self, method, key, now):
        return getattr(self, method)(key, now)


def history(seed, limit, window, calls=150, keys=("a", "b", "c")):
    """Calls `(t, method, (key,))` at times going forward on the 1/16 s grid: bursts at one
    instant, steps of a fraction of `window / limit`, and rests past a whole window, so the
    requests find buckets empty, half full and full, windows full and new, logs full and
    draining, and often land on the very instant a retry_after names."""
    rng = random.Random(seed)
    spacing = Fraction(window) / limit  # one token's refill time
    now = Fraction(START) + rng.randrange(64) * TICK  # not aligned to the windows
    out = []
    for _ in range(calls):
        roll = rng.random()
        if roll < 0.35:
            step = Fraction(0)
        elif roll < 0.75:
            step = rng.randrange(1, 9) * spacing / 4
        elif roll < 0.92:
            step = rng.randrange(1, 5) * spacing
        else:
            step = Fraction(window) * rng.randrange(1, 3) + rng.randrange(16) * TICK
        now += step - step % TICK
        key = rng.choice(keys[:1] * 3 + keys[1:])  # one busy key, others quieter
        method = "allow" if rng.random() < 0.7 else "retry_after"
        out.append((now, method, (key,)))
    return out


def check_history(algorithm, seed, config, calls=150):
    """Runs a generated history on your limiter at the history's times (one message) and
    compares every answer with the model's; fails at the first difference, showing that
    key's calls up to it."""
    limit, window = config
    clock = learner_clock(START)
    limiter = RateLimiter(limit, window, algorithm, clock)
    planned = history(seed, limit, window, calls)
    got = calls_at(clock, limiter, [(float(t), m, args) for t, m, args in planned])
    model = Model(algorithm, limit, window)
    for index, ((t, method, (key,)), answer) in enumerate(zip(planned, got, strict=True)):
        expected = model.answer(method, key, t)
        if method == "allow":
            same = answer == expected and answer in (True, False)
        else:
            same = answer == pytest.approx(float(expected), rel=1e-9, abs=1e-9)
        if not same:
            raise AssertionError(
                f"RateLimiter({limit}, {window}, {algorithm!r}), a generated history "
                f"(seed={seed}): call {index + 1}, {method}({key!r}) at t={float(t)} "
                f"returned {answer!r}, expected {_show(expected)}.\n{key!r}'s calls up to "
                f"it:\n{_story(planned, got, key, index)}")


def _show(value):
    return repr(value) if isinstance(value, bool) else repr(float(value))


def _story(planned, got, key, index, last=14):
    lines = [f"  t={float(t):<10} {m}({k!r}) -> {a!r}"
             for (t, m, (k,)), a in zip(planned[:index + 1], got[:index + 1], strict=True)
             if k == key]
    skipped = len(lines) - last
    return "\n".join(([f"  ... {skipped} earlier calls"] if skipped > 0 else []) + lines[-last:])


def answers(limiter, clock, t, method, key, times=1):
    """`times` calls of `limiter.method(key)` at time t, in one message."""
    return calls_at(clock, limiter, [(t, method, (key,))] * times)
