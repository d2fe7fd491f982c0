"""Examples of what the hidden tests check. Run them with: python -m pytest"""

import threading

import pytest
from idempotency import IdempotencyConflict, IdempotencyStore

from harness.testing import FakeClock


class Counting:
    """A handler that counts its runs and returns f"charge-{run}"."""

    def __init__(self):
        self.calls = 0
        self.lock = threading.Lock()

    def __call__(self):
        with self.lock:
            self.calls += 1
            return f"charge-{self.calls}"


@pytest.mark.replay
def test_a_retry_gets_the_first_response():
    store = IdempotencyStore(60.0, clock=FakeClock(1000.0))
    handler = Counting()
    assert store.execute("key-1", "POST /charge amount=500", handler) == "charge-1"
    assert store.execute("key-1", "POST /charge amount=500", handler) == "charge-1"
    assert handler.calls == 1  # the retry did not charge again


@pytest.mark.replay
def test_none_is_a_response():
    store = IdempotencyStore(60.0, clock=FakeClock(1000.0))
    assert store.execute("key-1", "fp", lambda: None) is None
    assert store.execute("key-1", "fp", lambda: "ran again") is None


@pytest.mark.conflict
def test_the_same_key_for_another_request_is_refused():
    store = IdempotencyStore(60.0, clock=FakeClock(1000.0))
    store.execute("key-1", "amount=500", lambda: "charged 500")
    with pytest.raises(IdempotencyConflict):
        store.execute("key-1", "amount=900", lambda: "charged 900")
    assert store.execute("key-1", "amount=500", lambda: "again") == "charged 500"


@pytest.mark.failures
def test_a_failure_is_raised_and_not_stored():
    store = IdempotencyStore(60.0, clock=FakeClock(1000.0))

    def declined():
        raise ConnectionError("payment provider down")

    with pytest.raises(ConnectionError):
        store.execute("key-1", "fp", declined)
    assert store.execute("key-1", "fp", lambda: "ok") == "ok"  # runs again


@pytest.mark.expiry
def test_a_response_expires_after_ttl():
    clock = FakeClock(1000.0)
    store = IdempotencyStore(10.0, clock=clock)
    handler = Counting()
    assert store.execute("key-1", "fp", handler) == "charge-1"
    clock.set(1009.0)
    assert store.execute("key-1", "fp", handler) == "charge-1"  # still stored
    clock.set(1011.0)
    assert store.execute("key-1", "fp", handler) == "charge-2"  # expired: runs again


@pytest.mark.concurrent
def test_concurrent_retries_run_the_handler_once():
    store = IdempotencyStore(60.0, clock=FakeClock(1000.0))
    gate, calls = threading.Event(), []

    def slow_handler():
        calls.append(1)
        gate.wait(5)  # hold the first run open while the retries arrive
        return "charged"

    results = []
    threads = [threading.Thread(
        target=lambda: results.append(store.execute("key-1", "fp", slow_handler)))
        for _ in range(5)]
    for thread in threads:
        thread.start()
    threading.Event().wait(0.1)
    gate.set()
    for thread in threads:
        thread.join(5)
    assert len(calls) == 1 and results == ["charged"] * 5


@pytest.mark.threads
def test_many_threads_many_keys():
    store = IdempotencyStore(60.0, clock=FakeClock(1000.0))
    handlers = {key: Counting() for key in "abc"}
    threads = [threading.Thread(
        target=lambda: [store.execute(k, "fp", handlers[k]) for k in "abc"])
        for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert all(handler.calls == 1 for handler in handlers.values())
