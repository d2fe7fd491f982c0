"""Many threads at once, with thread switches forced inside your code (seeded, so a
failure names the seed that replays it): one trial only, and no failure lost."""

import threading

import circuit_breaker as learner
import pytest
from _support import LONG, Func, half_open
from circuit_breaker import CircuitBreaker, CircuitOpenError

from harness.testing import FakeClock, learner_function, race_seeds, run_threads

pytestmark = pytest.mark.threads

SEEDS = race_seeds(4)
THREADS = 8


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


@pytest.mark.parametrize("seed", SEEDS)
def test_exactly_one_trial_among_concurrent_callers(seed):
    breaker, _ = half_open(threshold=2)
    gate = Gate(THREADS)

    def caller():
        try:
            return breaker.call(gate)
        except CircuitOpenError:
            gate.refuse()
            return "refused"

    got = run_threads(caller, threads=THREADS, switching=[learner], seed=seed,
                      timeout=LONG * 3)
    trials = got.count("trial ok")
    assert not gate.timed_out or gate.entered > 1, (
        f"half open, {THREADS} threads called at once (seed={seed}): while the trial call "
        f"ran, {THREADS - gate.entered - gate.refused} callers neither got CircuitOpenError "
        f"nor reached func for {LONG:g} s: callers arriving during the trial must be refused "
        "at once (do not hold your lock while func runs)")
    assert trials == 1 and gate.entered == 1, (
        f"half open, {THREADS} threads called at once, switches forced in your code "
        f"(seed={seed}): func was called {gate.entered} times ({got.count('refused')} "
        "callers refused); expected exactly one trial call, every other caller getting "
        "CircuitOpenError: claim the trial under a lock, in the same step that checks for it")
    state = breaker.state
    assert state == "closed", (f"the one trial succeeded (seed={seed}): state is {state!r}, "
                               "expected 'closed'")


@pytest.mark.parametrize("seed", SEEDS[:2])
def test_no_failure_is_lost_among_concurrent_callers(seed):
    each = 4
    breaker = CircuitBreaker(failure_threshold=THREADS * each, recovery_timeout=30.0,
                             clock=FakeClock())
    func = learner_function("raise_on", values=[0], message="down")

    def caller():
        outcomes = []
        for _ in range(each):
            try:
                breaker.call(func, 0)
                outcomes.append("returned")
            except ValueError:
                outcomes.append("failed")
            except CircuitOpenError:
                outcomes.append("refused")
        return outcomes

    got = [o for outcomes in run_threads(caller, threads=THREADS, switching=[learner],
                                         seed=seed) for o in outcomes]
    state = breaker.state
    assert got.count("failed") == THREADS * each and state == "open", (
        f"failure_threshold={THREADS * each}; {THREADS} threads x {each} failing calls at "
        f"once, switches forced in your code (seed={seed}): {got.count('failed')} failed, "
        f"{got.count('refused')} refused, then state {state!r}; expected all "
        f"{THREADS * each} to fail and the circuit open: a count changed outside a lock "
        "loses updates")


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
