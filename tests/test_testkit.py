"""harness.testkit's pieces that need no learner process: the lossy network, the static
import check, the overlap count, the deadlock runner, and the trusted learner-side
functions run in this process (tests/test_testkit_boundary.py drives them across the
boundary)."""

from __future__ import annotations

import os
import pickle
import threading
from concurrent.futures import ProcessPoolExecutor

import pytest

from harness.learner import functions
from harness.testing import (
    CPUSpan,
    Deadlock,
    FakeClock,
    Imports,
    LossyLink,
    LossyNetwork,
    most_at_once,
    no_deadlock,
    outbox,
    pids_of,
    source_imports,
)

# -- the lossy network ---------------------------------------------------------------------


def _pump(seed: int, n: int = 200, **faults) -> tuple[LossyLink, list[bytes]]:
    link = LossyLink(seed, FakeClock(), **faults)
    got: list[bytes] = []
    link.b.deliver_to(got.append)
    for i in range(n):
        link.a.send(b"%d" % i)
        link.advance(0.001)
    link.run(until=lambda: link.in_flight == 0, limit=10.0)
    return link, got


def test_the_same_seed_gives_the_same_faults_and_another_seed_others():
    first, got = _pump(3, drop=0.2, duplicate=0.2, reorder=0.2)
    again, got_again = _pump(3, drop=0.2, duplicate=0.2, reorder=0.2)
    other, got_other = _pump(4, drop=0.2, duplicate=0.2, reorder=0.2)
    assert got == got_again and [s.fate for s in first.log] == [s.fate for s in again.log]
    assert got != got_other


def test_faults_happen_at_about_their_rates():
    link, got = _pump(1, n=1000, drop=0.2, duplicate=0.1, reorder=0.0)
    dropped = sum(1 for s in link.log if s.fate == "dropped")
    doubled = sum(1 for s in link.log if s.copies == 2)
    assert 150 < dropped < 250 and 50 < doubled < 150, link.summary()
    assert len(got) == sum(s.copies for s in link.log if s.fate == "delivered")
    assert len(got) > len(set(got)), "duplicates are delivered twice"


def test_reordering_delivers_out_of_order_and_without_it_in_order():
    _, shuffled = _pump(2, drop=0.0, duplicate=0.0, reorder=0.3)
    _, ordered = _pump(2, drop=0.0, duplicate=0.0, reorder=0.0, delay=(0.01, 0.01))
    numbers = [int(p) for p in shuffled]
    assert sorted(numbers) == list(range(200)) and numbers != sorted(numbers)
    assert [int(p) for p in ordered] == list(range(200))


def test_a_perfect_link_delivers_each_packet_once_after_its_delay():
    clock = FakeClock(0.0)
    link = LossyLink(0, clock, drop=0.0, duplicate=0.0, reorder=0.0, delay=(0.5, 0.5))
    seen: list[tuple[float, bytes]] = []
    link.b.deliver_to(lambda packet: seen.append((clock.now, packet)))
    link.a.send(b"x")
    assert link.advance(0.4) == 0 and clock.now == pytest.approx(0.4)
    assert link.advance(0.2) == 1 and seen == [(0.5, b"x")] and clock.now == pytest.approx(0.6)


def test_a_packet_is_bytes():
    link = LossyLink(0, FakeClock())
    with pytest.raises(TypeError, match="bytes, not str"):
        link.a.send("text")  # type: ignore[arg-type]


@pytest.mark.parametrize("faults", [{"drop": 1.5}, {"duplicate": -0.1}, {"delay": (0.2, 0.1)}])
def test_impossible_faults_are_refused(faults):
    with pytest.raises(ValueError):
        LossyNetwork(0, FakeClock(), **faults)


def test_a_partition_loses_packets_across_it_until_healed():
    clock = FakeClock()
    net = LossyNetwork(0, clock, drop=0.0, duplicate=0.0, reorder=0.0, delay=(0.1, 0.1))
    inbox: dict[str, list] = {n: [] for n in "abc"}
    for name in "abc":
        net.attach(name, lambda src, msg, name=name: inbox[name].append((src, msg)))
    net.sender("a")("c", "in flight")
    net.partition(["a", "b"], ["c"])
    net.sender("a")("b", "same side")
    net.sender("a")("c", "across")
    net.advance(1.0)
    assert inbox == {"a": [], "b": [("a", "same side")], "c": []}
    assert [s.fate for s in net.log] == ["partitioned", "delivered", "partitioned"]
    net.heal()
    net.sender("c")("a", {"value": 1})
    net.advance(1.0)
    assert inbox["a"] == [("c", {"value": 1})]


def test_run_ticks_until_done_and_the_summary_names_the_seed():
    clock = FakeClock(0.0)
    link = LossyLink(42, clock, drop=1.0)
    ticks: list[float] = []
    assert link.run(until=lambda: len(ticks) >= 5, tick=[lambda: ticks.append(clock.now)],
                    every=0.1) is True
    assert ticks == pytest.approx([0.1, 0.2, 0.3, 0.4, 0.5])
    assert link.run(until=lambda: False, limit=1.0) is False and clock.now == pytest.approx(1.5)
    link.a.send(b"lost")
    assert link.a.sent[0].fate == "dropped" and "seed=42" in link.summary()


class _Node:
    """A node for step(): handles by keeping what came, answers a ping, sends on tick."""

    def __init__(self, name, peers, send):
        self.name, self.peers, self.send = name, peers, send
        self.got, self.ticks, self.chatty = [], 0, False

    def handle(self, src, message):
        self.got.append((src, message))
        if message == "ping":
            self.send(src, "pong")

    def tick(self):
        self.ticks += 1
        if self.chatty:
            for peer in self.peers:
                self.send(peer, ["tick", self.ticks])


def _hosted(seed=0, **faults):
    clock = FakeClock(0.0)
    faults = {"drop": 0.0, "duplicate": 0.0, "reorder": 0.0, "delay": (0.05, 0.05), **faults}
    net = LossyNetwork(seed, clock, **faults)
    sends = {n: outbox() for n in "abc"}
    nodes = {n: _Node(n, [p for p in "abc" if p != n], sends[n]) for n in "abc"}
    net.host(nodes, sends)
    return net, nodes, clock


def test_step_delivers_what_falls_due_then_ticks_every_node():
    net, nodes, clock = _hosted()
    net.send("b", "a", "ping")
    assert net.step(0.04) == 0 and nodes["a"].got == [] and clock.now == pytest.approx(0.04)
    assert net.step(0.06) == 1 and nodes["a"].got == [("b", "ping")]
    assert [n.ticks for n in nodes.values()] == [2, 2, 2]
    pong = net.log[-1]
    assert (pong.time, pong.src, pong.dst, pong.payload) == (0.05, "a", "b", "pong")
    assert nodes["b"].got == [], "a reply sent in a step arrives in a later step"
    net.step(0.1)
    assert nodes["b"].got == [("a", "pong")] and clock.now == pytest.approx(0.2)


def test_steps_stamp_sends_made_between_steps_and_on_tick():
    net, nodes, clock = _hosted()
    nodes["c"].send("a", "hello")     # as a node's broadcast called by a test would
    nodes["b"].chatty = True
    assert net.steps(0.3, every=0.1) == 5 and clock.now == 0.3
    times = [(s.time, s.src, s.dst) for s in net.log]
    assert times[0] == (0.0, "c", "a") and (0.1, "b", "a") in times and (0.3, "b", "c") in times
    assert nodes["a"].got == [("c", "hello"), ("b", ["tick", 1]), ("b", ["tick", 2])]


def test_steps_make_no_learner_call_for_a_step_with_nothing_to_do():
    net, nodes, clock = _hosted()
    calls = []
    real = net._call_step
    net._call_step = lambda deliveries, tick: calls.append(tick) or real(deliveries, tick)
    nodes["a"].send("b", "ping")
    net.steps(0.4, every=0.05, tick_every=2)
    # step 1 (the first: sends the ping, due at 0.05), 2 (a tick: delivers it, the pong
    # is due at 0.1), 3 (delivers the pong), 4, 6, 8 (ticks); 5 and 7 have nothing to do
    assert calls == [False, True, False, True, True, True] and clock.now == pytest.approx(0.4)
    assert nodes["b"].got == [("a", "ping")] and nodes["a"].got == [("b", "pong")]


def test_a_hosted_network_applies_faults_and_counts_every_send():
    net, nodes, _ = _hosted(seed=3, drop=0.3)
    for node in nodes.values():
        node.chatty = True
    net.partition(["a", "b"], ["c"])
    net.steps(3.0, every=0.1)
    fates = {s.fate for s in net.log}
    assert len(net.log) == 30 * 6 and fates == {"delivered", "dropped", "partitioned"}
    assert not any(src == "c" for src, _ in nodes["a"].got)
    delivered = sum(s.fate == "delivered" for s in net.log)
    assert sum(len(n.got) for n in nodes.values()) == delivered - net.in_flight
    with pytest.raises(RuntimeError, match="step"):
        net.advance(0.1)


def test_an_outbox_copies_each_message_and_takes_plain_data_only():
    send = outbox()
    message = {"values": [1, 2]}
    send("b", message)
    message["values"].append(3)
    assert send.drain() == [("b", {"values": [1, 2]})] and send.drain() == []
    with pytest.raises(TypeError, match="plain data"):
        send("b", {"when": object()})


# -- imports ---------------------------------------------------------------------------------

SNEAKY = '''
import importlib, os.path as p
from queue import Queue as Q
from . import sibling
def f():
    import multiprocessing.queues
    m = __import__("asyncio")
    n = importlib.import_module("heapq")
    return importlib.import_module(name)  # not a constant: not seen
'''


def test_source_imports_sees_every_constant_import_at_any_depth():
    assert source_imports(SNEAKY) == {"importlib", "os.path", "queue", "queue.Queue",
                                      "multiprocessing.queues", "asyncio", "heapq"}
    assert source_imports("def broken(:") == set()


def test_uses_gives_the_evidence_for_a_module_and_its_submodules():
    found = Imports("m", frozenset({"multiprocessing.queues"}), frozenset({"queue"}),
                    frozenset({"queue", "json"}))
    assert found.uses("multiprocessing") == ["multiprocessing.queues (imported in its source)"]
    assert found.uses("queue") == ["queue (bound in its globals)",
                                   "queue (imported by its process)"]
    assert found.uses("queue", loaded=False) == ["queue (bound in its globals)"]
    assert found.uses("asyncio") == [] and found.uses("json", loaded=False) == []


# -- overlap, CPU ----------------------------------------------------------------------------

def test_most_at_once_counts_overlapping_spans_and_touching_ones_apart():
    spans = [(0, 10, 0.0, 1.0), (1, 10, 0.5, 1.5), (2, 11, 1.0, 2.0), (3, 11, 0.2, 0.6)]
    assert most_at_once(spans) == 3 and pids_of(spans) == {10, 11}
    assert most_at_once([(0, 1, 0.0, 1.0), (1, 1, 1.0, 2.0)]) == 1
    assert most_at_once([]) == 0


def test_cpu_span_is_busy_above_the_share_of_a_blocked_wait():
    assert not CPUSpan(0.0003, 0.4).busy and CPUSpan(0.009, 0.4).busy
    assert CPUSpan(0.0, 0.0).share == 0.0


# -- the deadlock runner, in this process ---------------------------------------------------

def test_no_deadlock_reports_the_stuck_threads_stacks_and_the_seed():
    first, second = threading.Lock(), threading.Lock()
    meet = threading.Barrier(2)

    def crossed(a, b):
        with a:
            meet.wait(5)
            with b:
                pass

    with pytest.raises(Deadlock, match=r"2 of 2 calls.*seed=9") as caught:
        with no_deadlock(0.5, seed=9) as run:
            run(lambda: crossed(first, second))
            run(lambda: crossed(second, first))
    assert "in crossed" in caught.value.stacks and caught.value.seed == 9


def test_no_deadlock_raises_the_first_error_and_returns_when_all_finish():
    with pytest.raises(AssertionError, match="call 2 raised KeyError") as caught:
        with no_deadlock(2.0) as run:
            run(lambda: 1)
            run(lambda: {}["missing"])
    assert isinstance(caught.value.__cause__, KeyError)
    with no_deadlock(2.0) as run:
        run(lambda: 1)
    assert run.results == {0: 1}


# -- the trusted functions, run here --------------------------------------------------------

def test_a_rendezvous_fills_only_when_the_parties_are_inside_together():
    meet = functions.Rendezvous(2, timeout=5.0)
    threads = [threading.Thread(target=meet, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert meet.filled and meet.arrivals == 2 and not meet.timed_out
    late = functions.Rendezvous(2, timeout=0.05)
    assert late(1) == 1 and late(2) == 2
    assert not late.filled and late.timed_out and late.arrivals == 2


def test_a_script_fixes_the_order_calls_end_in_and_records_it():
    script = functions.make("script", after_end={0: 2}, gated=[1], raises=[2], timeout=5.0)
    results: dict = {}

    def call(x):
        try:
            results[x] = script(x)
        except ValueError as exc:
            results[x] = exc.args

    threads = [threading.Thread(target=call, args=(x,)) for x in range(3)]
    for thread in threads:
        thread.start()
    assert script.wait_ended(0, 5.0) and script.wait_started(1, 5.0)
    assert script.ended == [2, 0] and script.running == 1 and not script.wait_ended(1, 0.05)
    script.open()
    for thread in threads:
        thread.join(10)
    assert results == {0: 0, 1: 1, 2: ("script", 2)} and script.running == 0
    assert sorted(script.started) == [0, 1, 2] and not script.timed_out
    alone = functions.Script(after_start={0: 1}, timeout=0.05)
    assert alone(0) == 0 and alone.timed_out and alone.ended == [0]


def test_scripted_sleeps_and_raises_per_item_and_pickles():
    scripted = pickle.loads(pickle.dumps(functions.make("scripted", sleeps={1: 0.01},
                                                        raises=(2,))))
    assert scripted(1) == 1 and scripted(3) == 3
    with pytest.raises(ValueError) as caught:
        scripted(2)
    assert caught.value.args == ("scripted", 2)


def test_holding_stays_inside_until_released_and_reports_errors():
    lock = threading.Lock()
    holding = functions.Holding(lambda: lock)
    assert holding.entered(5.0) and lock.locked() and not holding.done(0.05)
    holding.release()
    assert holding.done(5.0) and not lock.locked() and holding.error is None
    broken = functions.Holding(lambda: 1 / 0)
    assert broken.done(5.0) and not broken.entered() and "ZeroDivisionError" in broken.error


def test_a_gate_stops_the_first_caller_until_released_and_lets_the_rest_through():
    gate = functions.Gate(timeout=10.0)
    assert not gate.reached(0.01)
    first = threading.Thread(target=gate, args=(1,), name="first")
    first.start()
    assert gate.reached(5.0) and gate.holder == "first"
    assert gate(2) == 2 and gate.calls == 2  # a later call passes at once
    first.join(0.05)
    assert first.is_alive()
    gate.release()
    first.join(5.0)
    assert not first.is_alive() and not gate.timed_out
    forgotten = functions.Gate(timeout=0.05)
    assert forgotten("x") == "x" and forgotten.timed_out


def test_a_gate_with_every_parks_each_call_in_turn_until_opened():
    gate = functions.Gate(timeout=10.0, every=True)
    worker = threading.Thread(target=lambda: [gate(i) for i in range(5)])
    worker.start()
    for parked in (1, 2, 3):
        assert gate.reached(5.0) and gate.parked == parked and gate.calls == parked
        gate.release()
    gate.open()
    worker.join(5.0)
    assert not worker.is_alive() and gate.calls == 5 and not gate.timed_out
    assert not gate.reached(0.01)


def test_a_watched_int_is_an_int_that_reports_its_uses_with_its_partners():
    used = []
    amount = functions.make("watched_int", value=5, on_use=lambda value, other:
                            used.append((value, other)), partners=[100])
    assert isinstance(amount, int) and amount == 5 and hash(amount) == hash(5)
    assert repr(amount) == "5" and {5: "x"}[amount] == "x"
    assert used == []  # == 5 and the dict lookup are not with a partner
    assert not amount <= 0 and amount < 6 and -amount == -5 and used == []
    balance = 100
    assert (balance < amount, balance - amount, amount + balance) == (False, 95, 105)
    balance -= amount
    assert type(balance) is int and balance == 95  # arithmetic gives plain ints
    assert used == [(5, 100)] * 4
    everything = functions.WatchedInt(3, on_use=lambda value, other: used.append(other))
    used.clear()
    assert everything <= 0 or -everything == -3
    assert used == [0, None]
    assert type(pickle.loads(pickle.dumps(amount))) is int


def test_made_functions_pickle_by_reference_and_the_unpicklable_one_does_not():
    slow = functions.make("slow_identity", seconds=0.0)
    assert pickle.loads(pickle.dumps(slow))("x") == "x"
    assert pickle.loads(pickle.dumps(functions.make("square")))(3) == 9
    with pytest.raises((pickle.PicklingError, AttributeError)):
        pickle.dumps(functions.make("unpicklable"))
    assert functions.make("unpicklable", function="square")(4) == 16
    with pytest.raises(ValueError, match="raise_on"):
        functions.make("raise_on", values=(2,))(2)
    with pytest.raises(ValueError, match="no learner function 'cube'"):
        functions.make("cube")


def test_getpid_and_span_run_in_the_worker_processes():
    with ProcessPoolExecutor(2) as pool:
        spans = list(pool.map(functions.make("span", seconds=0.01), range(4)))
        pids = set(pool.map(functions.getpid, range(4)))
    assert [s[0] for s in spans] == [0, 1, 2, 3] and most_at_once(spans) <= 2
    assert pids and os.getpid() not in pids


# -- log lines of a scenario, run in this process --------------------------------------------

_LOGGING_MODULE = '''
import contextlib, contextvars, json, logging

_bound = contextvars.ContextVar("bound", default=())


@contextlib.contextmanager
def bind(**fields):
    token = _bound.set(tuple(dict(_bound.get(), **fields).items()))
    try:
        yield
    finally:
        _bound.reset(token)


class JsonFormatter(logging.Formatter):
    def format(self, record):
        return json.dumps({"message": record.getMessage(), **dict(_bound.get())})
'''


def test_learner_logs_runs_a_plain_module_here_with_tasks_taking_turns(tmp_path, monkeypatch):
    import importlib
    import json

    from harness.testing import learner_logs
    from harness.testing import log_steps as S

    (tmp_path / "kata_logs_example.py").write_text(_LOGGING_MODULE)
    monkeypatch.syspath_prepend(str(tmp_path))
    module = importlib.import_module("kata_logs_example")
    lines = learner_logs(module, S.tasks(
        [S.bind({"rid": "a"}, S.sync(), S.log("INFO", "a %s", 1))],
        [S.bind({"rid": "b"}, S.log("INFO", "b early"), S.sync(), S.log("INFO", "b"))]))
    order = [(line.where, line.message, json.loads(line.text).get("rid")) for line in lines]
    # task 1 logs before task 0's first turn is over: the turns are fixed, not scheduled
    assert order == [("task 1", "b early", "b"), ("task 0", "a 1", "a"), ("task 1", "b", "b")]


def test_describe_shows_a_scenario_as_code():
    from harness.testing import log_steps as S

    text = S.describe([S.bind({"rid": 1}, S.catch(S.fail("x"))),
                       S.log("ERROR", "m %s", 2, extra={"w": S.opaque("W()")},
                             exc=("ValueError", "v"))])
    assert text.splitlines() == [
        "with bind(rid=1):",
        "    try:",
        "        raise RuntimeError('x')",
        "    except RuntimeError: pass",
        "logging.getLogger('app').error('m %s', 2, extra={'w': W()}, exc_info=True)"
        "  # while handling ValueError('v')"]


def test_durability_calls_sees_fsync_and_rename_however_they_were_imported(tmp_path,
                                                                           monkeypatch):
    """`from os import fsync, replace` binds the functions before the probe runs: the
    learner's module's own names are watched too, and every call still does its work."""
    import importlib.util
    import sys

    from harness.learner import probes

    (tmp_path / "store.py").write_text(
        "import os\nfrom os import fsync, replace\n\n"
        "class Store:\n"
        "    def __init__(self, folder):\n        self.folder = folder\n"
        "    def compact(self):\n"
        "        temp = os.path.join(self.folder, 'new.tmp')\n"
        "        with open(temp, 'wb') as f:\n"
        "            f.write(b'x')\n            f.flush()\n            fsync(f.fileno())\n"
        "        replace(temp, os.path.join(self.folder, 'data.log'))\n"
        "        os.sync()\n", encoding="utf-8")
    spec = importlib.util.spec_from_file_location("kata_store_probe", tmp_path / "store.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setitem(sys.modules, "kata_store_probe", module)
    monkeypatch.setitem(probes.context, "work", str(tmp_path))
    folder = os.path.realpath(tmp_path)
    fsync, replace = os.fsync, os.replace
    calls = probes.durability_calls(module.Store(folder), "compact")
    assert calls == [["fsync", f"{folder}/new.tmp"],
                     ["move", f"{folder}/new.tmp", f"{folder}/data.log"], ["sync"]], calls
    assert (tmp_path / "data.log").read_bytes() == b"x"
    assert (os.fsync, os.replace, module.fsync, module.replace) == (fsync, replace) * 2
