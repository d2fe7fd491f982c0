"""Many threads at once, with thread switches forced inside your code (seeded, so a
failure names the seed that replays it): one trial only, and no failure lost."""

import threading

import circuit_breaker as learner
import pytest
from _support import LONG, Boom, Func, opened
from circuit_breaker import CircuitBreaker, CircuitOpenError

from harness.testing import FakeClock, race_seeds, run_threads

pytestmark = pytest.mark.threads

SEEDS = race_seeds(3)
THREADS = 8
ROUNDS = 2  # races per seed, each on a new breaker


class Gate:
    """The trial's func: holds every call inside until each of the `threads` callers has
    either entered it or been refused, so callers arrive while the trial runs."""

    def __init__(self, threads):
        self.threads = threads
        self.entered = self.refused = 0
        self.timed_out = False
        self._cv = threading.Condition()

    def _all_in(self):
        return self.entered + self.refused >= self.threads

    def __call__(self):
        with self._cv:
            self.entered += 1
            self._cv.notify_all()
            if not self._cv.wait_for(self._all_in, LONG):
                self.timed_out = True
        return "trial ok"

    def refuse(self):
        with self._cv:
            self.refused += 1
            self._cv.notify_all()


class Together:
    """A failing func: each call waits (2 s at most) until `parties` calls are inside, then
    they all raise at once, so your code records their failures at the same moment."""

    def __init__(self, parties):
        self._barrier = threading.Barrier(parties, timeout=2.0)

    def __call__(self):
        try:
            self._barrier.wait()
        except threading.BrokenBarrierError:  # calls made one at a time: fail alone
            pass
        raise Boom("down")


@pytest.mark.parametrize("seed", SEEDS)
def test_exactly_one_trial_among_concurrent_callers(seed):
    for round_ in range(1, ROUNDS + 1):
        breaker, clock = opened(threshold=1, timeout=30.0)
        clock.advance(31.0)  # the timeout has passed: the next caller is the trial
        gate = Gate(THREADS)

        def caller(breaker=breaker, gate=gate):
            try:
                return breaker.call(gate)
            except CircuitOpenError:
                gate.refuse()
                return "refused"

        got = run_threads(caller, threads=THREADS, switching=[learner], seed=seed + round_,
                          timeout=LONG * 3)
        assert not gate.timed_out or gate.entered > 1, (
            f"half open, {THREADS} threads called at once (seed={seed + round_}): while the "
            f"trial call ran, {THREADS - gate.entered - gate.refused} callers neither got "
            f"CircuitOpenError nor reached func for {LONG:g} s: callers arriving during the "
            "trial must be refused at once (do not hold your lock while func runs)")
        assert got.count("trial ok") == 1 and gate.entered == 1, (
            f"recovery_timeout passed, then {THREADS} threads called at once, switches forced "
            f"in your code (seed={seed + round_}): func was called {gate.entered} times "
            f"({got.count('refused')} callers refused); expected exactly one trial call, "
            "every other caller getting CircuitOpenError: decide and claim the trial in one "
            "step under the lock (reading the state and the trial flag separately lets two "
            "callers both see 'no trial yet')")
        state = breaker.state
        assert state == "closed", (f"the one trial succeeded (seed={seed + round_}): state is "
                                   f"{state!r}, expected 'closed'")


@pytest.mark.parametrize("seed", SEEDS[:2])
def test_no_failure_is_lost_among_concurrent_callers(seed):
    each = 3
    breaker = CircuitBreaker(failure_threshold=THREADS * each, recovery_timeout=600.0,
                             clock=FakeClock())
    func = Together(THREADS)

    def caller():
        outcomes = []
        for _ in range(each):
            try:
                breaker.call(func)
                outcomes.append("returned")
            except Boom:
                outcomes.append("failed")
            except CircuitOpenError:
                outcomes.append("refused")
        return outcomes

    got = [o for outcomes in run_threads(caller, threads=THREADS, switching=[learner],
                                         seed=seed) for o in outcomes]
    state = breaker.state
    assert got.count("failed") == THREADS * each and state == "open", (
        f"failure_threshold={THREADS * each}; {THREADS} threads x {each} calls whose funcs "
        f"fail at the same moment, switches forced in your code (seed={seed}): "
        f"{got.count('failed')} failed, {got.count('refused')} refused, then state "
        f"{state!r}; expected all {THREADS * each} to fail and the circuit open: a count "
        "changed outside a lock loses updates")


@pytest.mark.parametrize("seed", SEEDS[:1])
def test_concurrent_successes_all_go_through(seed):
    breaker = CircuitBreaker(failure_threshold=2, recovery_timeout=30.0, clock=FakeClock())
    func = Func(value="ok")

    def caller():
        return [breaker.call(func) for _ in range(5)]

    got = [v for values in run_threads(caller, threads=THREADS, switching=[learner],
                                       seed=seed) for v in values]
    state = breaker.state
    assert got == ["ok"] * (THREADS * 5) and state == "closed", (
        f"{THREADS} threads x 5 successful calls at once (seed={seed}): {got.count('ok')} "
        f"returned 'ok', state {state!r}; expected all {THREADS * 5} and 'closed'")
