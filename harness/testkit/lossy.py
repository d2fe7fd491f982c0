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
"""

from __future__ import annotations

import dataclasses
import heapq
import itertools
import random
from collections.abc import Callable, Hashable, Iterable
from typing import Any


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

    def send(self, src: Hashable, dst: Hashable, payload: Any) -> None:
        now = self.clock.now
        sent = Sent(now, src, dst, payload)
        self.log.append(sent)
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
