"""A seeded lossy network under a fake clock, in the grader's process: it drops,
duplicates, delays and reorders what the learner's code sends, the same way for the same
seed, and delivers by calling the learner's handlers as the test moves time on.

`LossyNetwork` links any number of addresses (gossip-broadcast: `send(dst, message)`,
partitions); `LossyLink` is two ends of one datagram path (reliable-udp: `channel.send(
packet: bytes)`). Nothing is delivered while a send is running: a packet the learner's
handler sends is queued, so deliveries never nest. A failure message names the seed::

    clock = FakeClock()
    link = LossyLink(seed, clock, drop=0.2, duplicate=0.1, reorder=0.2)
    sender = Sender(link.a, rto=0.2, clock=clock)
    receiver = Receiver(link.b)
    link.a.deliver_to(sender.on_packet)
    link.b.deliver_to(receiver.on_packet)
    for message in messages:
        sender.send(message)
    assert link.run(until=lambda: sender.idle, tick=[sender.tick], limit=120), link.summary()

Nodes that live in the learner's process are driven in one call per step instead of one
per delivery and per tick (gossip-broadcast): each node's `send` is an `outbox()`, a
trusted recorder made in the learner's process; `host(nodes, outboxes)` names them, and
`step(seconds)` hands the packets due to them, and a tick, to one trusted probe
(`harness.learner.probes.network_step`), which returns the sends the nodes made. The faults
and the counting stay here: a node that hides a send only loses its own message::

    sends = {n: outbox() for n in names}
    nodes = {n: Node(n, peers[n], sends[n]) for n in names}
    network.host(nodes, sends)
    nodes["n1"].broadcast(7)
    network.steps(5.0, every=0.1)        # 50 learner calls, each: deliveries, then ticks
"""

from __future__ import annotations

import dataclasses
import heapq
import itertools
import random
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any

from harness.testkit.process import is_mirror, probe


def outbox(*, process: Any = None) -> Any:
    """A node's `send(dst, message)` for `LossyNetwork.host`: a recorder made in the learner's
    process (`harness.learner.functions.Outbox`; here, when no grading run is active).
    A message is plain data (None, bool, int, float, str, bytes, and lists, tuples, dicts,
    sets, frozensets of them), copied when sent; any other type raises TypeError in the
    learner's `send` call."""
    from harness.boundary import frontier

    if frontier.active is None and process is None:
        from harness.learner.functions import Outbox

        return Outbox()
    return probe("function", "outbox", {}, process=process)


@dataclasses.dataclass
class Sent:
    """One send: when, from where to where, what, and what the network did with it
    (`fate`: "delivered", "dropped", "partitioned"; `copies` > 1: duplicated)."""

    time: float
    src: Hashable
    dst: Hashable
    payload: Any
    fate: str = "in flight"
    copies: int = 1
    held: bool = False  # held back past later packets (reordered)


class LossyNetwork:
    """Addresses that send each other packets through seeded faults, delivered as the test
    advances `clock` (a harness.testing.FakeClock, read as `.now` and moved by `.set`: the
    clock the learner's objects are given too). Probabilities are per packet; delays are
    uniform in `delay` (seconds); a packet `reorder`ed is held back by up to three times
    the longest delay."""

    def __init__(self, seed: int, clock: Any, *, drop: float = 0.1,
                 duplicate: float = 0.05, reorder: float = 0.1,
                 delay: tuple[float, float] = (0.001, 0.05)) -> None:
        for name, p in (("drop", drop), ("duplicate", duplicate), ("reorder", reorder)):
            if not 0.0 <= p <= 1.0:
                raise ValueError(f"{name} is a probability, not {p}")
        if not 0.0 <= delay[0] <= delay[1]:
            raise ValueError(f"delay must be (low, high) with 0 <= low <= high, not {delay}")
        self.seed, self.clock = seed, clock
        self.drop, self.duplicate, self.reorder, self.delay = drop, duplicate, reorder, delay
        self._rng = random.Random(f"lossy:{seed}")
        self._queue: list[tuple[float, int, Sent]] = []
        self._order = itertools.count()
        self._handlers: dict[Hashable, Callable[[Hashable, Any], Any]] = {}
        self._groups: list[set] | None = None
        self._hosted: dict[Hashable, int] = {}
        self._nodes: list = []
        self._outboxes: list = []
        self.log: list[Sent] = []
        self.delivered = 0

    # -- wiring ---------------------------------------------------------------------------

    def attach(self, address: Hashable, handler: Callable[[Hashable, Any], Any]) -> None:
        """Packets for `address` are delivered as `handler(src, payload)`."""
        self._handlers[address] = handler

    def sender(self, address: Hashable) -> Callable[[Hashable, Any], None]:
        """The `send(dst, payload)` to give the node at `address`."""

        def send(dst: Hashable, payload: Any) -> None:
            self.send(address, dst, payload)

        send.__name__ = send.__qualname__ = "send"
        return send

    def host(self, nodes: Mapping[Hashable, Any], outboxes: Mapping[Hashable, Any]) -> None:
        """Nodes (address -> node, each with `handle(src, message)` and `tick()`) driven by
        `step`, one learner call per step; `outboxes[address]` is the `outbox()` that node
        was given as its `send`. Nodes hosted before stay; an address hosted again is
        replaced."""
        if set(nodes) != set(outboxes):
            raise ValueError("host needs one outbox per node, under the same addresses")
        for address in nodes:
            if address in self._hosted:
                index = self._hosted[address]
                self._nodes[index], self._outboxes[index] = nodes[address], outboxes[address]
            else:
                self._hosted[address] = len(self._nodes)
                self._nodes.append(nodes[address])
                self._outboxes.append(outboxes[address])

    def partition(self, *groups: Iterable[Hashable]) -> None:
        """From now on, packets between different groups are lost (addresses in no group
        are cut off from all), in flight ones too, until `heal()`."""
        self._groups = [set(g) for g in groups]

    def heal(self) -> None:
        self._groups = None

    def _cut(self, src: Hashable, dst: Hashable) -> bool:
        if self._groups is None:
            return False
        return not any(src in g and dst in g for g in self._groups)

    # -- sending and delivering ------------------------------------------------------------

    def send(self, src: Hashable, dst: Hashable, payload: Any, *,
             at: float | None = None) -> None:
        """Sends `payload` from `src` to `dst` at time `at` (default: now) through the
        faults: dropped, or queued (once or twice) to arrive after its delay."""
        now = self.clock.now if at is None else at
        sent = Sent(now, src, dst, payload)
        self.log.append(sent)
        try:
            hash(dst)
        except TypeError:
            sent.fate = "no such address"
            return
        rng = self._rng
        lost, copies = rng.random() < self.drop, 1 + (rng.random() < self.duplicate)
        delays = []
        for _ in range(copies):
            delay = rng.uniform(*self.delay)
            if rng.random() < self.reorder:
                delay += rng.uniform(self.delay[1], 3 * self.delay[1] or 0.01)
                sent.held = True
            delays.append(delay)
        if lost:
            sent.fate = "dropped"
            return
        if self._cut(src, dst):
            sent.fate = "partitioned"
            return
        sent.copies = copies
        for delay in delays:
            heapq.heappush(self._queue, (now + delay, next(self._order), sent))

    def advance(self, seconds: float) -> int:
        """Moves the clock `seconds` on, delivering each packet due meanwhile at its time
        (the clock stands at that time while the handler runs); returns how many."""
        if self._nodes:
            raise RuntimeError("this network hosts nodes: move it on with step(), which "
                               "delivers to them and ticks them in one call")
        end = self.clock.now + seconds
        count = 0
        while self._queue and self._queue[0][0] <= end:
            due, _, sent = heapq.heappop(self._queue)
            if due > self.clock.now:
                self.clock.set(due)
            if self._cut(sent.src, sent.dst):
                sent.fate = "partitioned"
                continue
            handler = self._handlers.get(sent.dst)
            if handler is None:
                sent.fate = "no one attached"
                continue
            sent.fate = "delivered"
            self.delivered += 1
            count += 1
            handler(sent.src, sent.payload)
        if end > self.clock.now:
            self.clock.set(end)
        return count

    def run(self, *, until: Callable[[], bool] | None = None,
            tick: Iterable[Callable[[], Any]] = (), every: float = 0.01,
            limit: float = 60.0) -> bool:
        """Advances time `every` seconds at a time, calling each `tick` after each step,
        until `until()` is true (returns True) or `limit` seconds of fake time passed
        (returns `until()` then, or True without one)."""
        ticks = list(tick)
        end = self.clock.now + limit
        while self.clock.now < end:
            if until is not None and until():
                return True
            self.advance(min(every, end - self.clock.now))
            for call in ticks:
                call()
        return until() if until is not None else True

    def step(self, seconds: float, *, tick: bool = True) -> int:
        """Moves the clock `seconds` on in one learner call: the packets due by then go to
        the hosted nodes (`handle(src, message)`, in the order they fall due; one sent to
        an address hosted by no one is lost), then (with `tick`) every node's `tick()`.
        The sends the nodes made are stamped with the time of the call that made them:
        those made since the last step with its start, during a delivery with its due time,
        during the ticks with the step's end. What is sent in a step arrives in a later one.
        Returns how many packets were delivered."""
        return self._step_to(self.clock.now + seconds, tick)

    def steps(self, seconds: float, *, every: float = 0.1, tick_every: int = 1) -> int:
        """`step(every)` until `seconds` have passed (the last step may be shorter), ticking
        on every `tick_every`-th step; returns how many packets were delivered. A reply
        takes a step to arrive after its request did, so with ticks every 0.1 s and delays
        up to 0.05 s, `every=0.05, tick_every=2` lets an answer come back before the next
        tick. A step without a tick and with nothing due makes no learner call (but the
        first: it sends what the test's calls made since the last step)."""
        if every <= 0 or tick_every < 1:
            raise ValueError("steps needs every > 0 and tick_every >= 1")
        start = self.clock.now
        count, k = 0, 1
        while self.clock.now < start + seconds:
            end = min(start + k * every, start + seconds)
            tick = k % tick_every == 0
            if k == 1 or tick or (self._queue and self._queue[0][0] <= end):
                count += self._step_to(end, tick)
            else:  # nothing due, no tick, no test call since the last step: no learner call
                self.clock.set(end)
            k += 1
        return count

    def _step_to(self, end: float, tick: bool) -> int:
        start = self.clock.now
        deliveries: list[tuple[int, Hashable, Any]] = []
        stamps = [start]
        while self._queue and self._queue[0][0] <= end:
            due, _, sent = heapq.heappop(self._queue)
            if self._cut(sent.src, sent.dst):
                sent.fate = "partitioned"
                continue
            index = self._hosted.get(sent.dst)
            if index is None:
                sent.fate = "no one attached"
                continue
            sent.fate = "delivered"
            self.delivered += 1
            deliveries.append((index, sent.src, sent.payload))
            stamps.append(max(due, start))
        if tick:
            stamps.append(end)
        drains = self._call_step(deliveries, tick)
        if len(drains) != len(stamps):
            raise RuntimeError(f"the network step sent back {len(drains)} lists of sends, "
                               f"expected {len(stamps)}")
        addresses = list(self._hosted)
        for stamp, sends in zip(stamps, drains, strict=True):
            for index, dst, message in sends:
                self.send(addresses[index], dst, message, at=stamp)
        self.clock.set(max(end, self.clock.now))
        return len(deliveries)

    def _call_step(self, deliveries: list, tick: bool) -> list:
        """The sends of one step (harness.learner.probes.network_step), in the learner's
        process when the nodes live there, else here."""
        if not self._nodes:
            return [[] for _ in range(1 + len(deliveries) + tick)]
        if is_mirror(self._nodes[0]):
            drains = probe("network_step", self._nodes, self._outboxes, deliveries, tick,
                           process=self._nodes[0])
        else:
            from harness.learner import functions, probes

            copies = [(i, src, functions.plain_copy(m)) for i, src, m in deliveries]
            drains = probes.network_step(self._nodes, self._outboxes, copies, tick)
        return _checked(drains, len(self._nodes))

    @property
    def in_flight(self) -> int:
        return len(self._queue)

    def summary(self) -> str:
        """What the network did, for a failure message: the seed and the counts."""
        fates: dict[str, int] = {}
        for sent in self.log:
            fates[sent.fate] = fates.get(sent.fate, 0) + 1
        duplicated = sum(1 for s in self.log if s.copies > 1)
        held = sum(1 for s in self.log if s.held and s.fate == "delivered")
        shown = ", ".join(f"{n} {fate}" for fate, n in sorted(fates.items()))
        return (f"seed={self.seed}: {len(self.log)} packets sent ({shown}; {duplicated} "
                f"duplicated, {held} reordered), {self.delivered} deliveries, "
                f"{self.in_flight} still in flight at t={self.clock.now:g}")


def _checked(drains: Any, nodes: int) -> list:
    """The probe's answer, checked: lists of (node index, dst, message)."""
    ok = type(drains) is list and all(
        type(sends) is list and all(
            type(send) is tuple and len(send) == 3 and type(send[0]) is int
            and 0 <= send[0] < nodes for send in sends) for sends in drains)
    if not ok:
        raise RuntimeError("the network step sent back something malformed")
    return drains


class Endpoint:
    """One end of a LossyLink, as the learner's code sees it: `send(packet: bytes)`."""

    def __init__(self, network: LossyNetwork, name: str, peer: str) -> None:
        self._network, self.name, self._peer = network, name, peer

    def send(self, packet: bytes) -> None:
        if type(packet) is not bytes:
            raise TypeError(f"a packet is bytes, not {type(packet).__name__}")
        self._network.send(self.name, self._peer, packet)

    def deliver_to(self, handler: Callable[[bytes], Any]) -> None:
        """Packets arriving at this end are delivered as `handler(packet)`."""
        self._network.attach(self.name, lambda src, packet: handler(packet))

    @property
    def sent(self) -> list[Sent]:
        """Every packet this end sent, in order, with the time and what became of it."""
        return [s for s in self._network.log if s.src == self.name]

    def __repr__(self) -> str:
        return f"<the {self.name} end of a lossy link>"


class LossyLink(LossyNetwork):
    """Two ends, `a` and `b`, of a datagram path with seeded faults (see LossyNetwork)."""

    def __init__(self, seed: int, clock: Any, **faults: Any) -> None:
        super().__init__(seed, clock, **faults)
        self.a = Endpoint(self, "a", "b")
        self.b = Endpoint(self, "b", "a")
