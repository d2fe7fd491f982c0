"""What the hidden tests of reliable-udp share: a Sender and a Receiver of the learner's
joined by a seeded LossyLink under a FakeClock, the messages they carry, a run that moves
time on until the Sender is idle, and failure messages naming the seed and what the
network did.

The packet format is the learner's to choose, so nothing here reads a packet. What a
packet carries is learned, where a test needs it, from the learner's own Receiver: a fresh
one fed the packet (after the packets of the messages before it) delivers the message the
packet carries."""

import random

from reliable_udp import Receiver, Sender

from harness.testing import FakeClock, LossyLink

START = FakeClock().now  # the time every test starts at
STEP = 0.05  # seconds of fake time between two calls of tick(): a quarter of the default rto
STALLED = 400  # packets on the network without a new message delivered: a livelock


def messages(seed, count):
    """`count` short messages, among them the empty message, bytes that are no text, and
    messages equal to earlier ones (the Receiver must tell them apart by position, not
    by content)."""
    rng = random.Random(f"messages:{seed}")
    made = []
    for i in range(count):
        if i % 7 == 3:
            made.append(rng.choice(made))
        elif i % 11 == 5:
            made.append(b"")
        elif i % 13 == 8:
            made.append(bytes([0, 255, rng.randrange(256)]) + b":\n")
        else:
            made.append(b"m%d" % i)
    return made


def shown(items, limit=6):
    """A short text of a list of messages: the first few and how many more."""
    head = ", ".join(repr(m) for m in items[:limit])
    more = f", ... ({len(items)} in all)" if len(items) > limit else ""
    return f"[{head}{more}]"


def what_differs(got, expected):
    """Why `got` (Receiver.delivered()) is not `expected` (the messages sent, in order)."""
    if len(got) > len(expected):
        return (f"{len(got)} messages were delivered for {len(expected)} sent: a message "
                f"was delivered more than once")
    for i, (a, b) in enumerate(zip(got, expected, strict=False)):
        if a != b:
            return (f"message {i} delivered is {a!r}, expected {b!r} (the messages sent: "
                    f"{shown(expected)}): messages must be delivered in the order they "
                    f"were sent, each once")
    return (f"only {len(got)} of the {len(expected)} messages were delivered; the first "
            f"missing is message {len(got)}, {expected[len(got)]!r}")


class Wire:
    """The learner's Sender (on end a) and Receiver (on end b) of one LossyLink."""

    def __init__(self, seed, *, rto=0.2, window=8, **faults):
        self.seed = seed
        self.clock = FakeClock()
        self.link = LossyLink(seed, self.clock, **faults)
        self.sender = Sender(self.link.a, rto=rto, window=window, clock=self.clock)
        self.receiver = Receiver(self.link.b)
        self.rto, self.window = rto, window
        self.acks = 0  # packets delivered to the Sender so far
        self.arrivals = 0  # packets delivered to the Receiver so far
        self.link.a.deliver_to(self._to_sender)
        self.link.b.deliver_to(self._to_receiver)
        self.sent = []  # every message given to send(), in order

    def _to_sender(self, packet):
        self.acks += 1
        self.sender.on_packet(packet)

    def _to_receiver(self, packet):
        self.arrivals += 1
        self.receiver.on_packet(packet)

    def send(self, batch):
        for message in batch:
            self.sender.send(message)
        self.sent.extend(batch)

    def context(self):
        return (f"Sender(rto={self.rto}, window={self.window}) and Receiver over a lossy "
                f"link, {self.link.summary()}")

    def run(self, *, limit=600.0, tick=True, in_order=False):
        """Moves time on, calling tick() after each step (unless `tick` is False), until
        the Sender is idle. Fails if it is not within `limit` seconds of fake time, or
        after STALLED packets on the network without a new message delivered (a livelock),
        or if it says idle before the Receiver holds every message sent. With `in_order`,
        checks after every arrival that delivered() is the start of the messages sent.

        Steps are STEP long while packets are on the network; while none are, they
        double up to two seconds (a Sender that backs off waits long, and nothing can happen
        but a retransmission, which tick() may send late)."""
        end = self.clock.now + limit
        idle = self.sender.idle
        step, held, mark = STEP, 0, 0  # mark: packets sent when the Receiver last grew
        while not idle and self.clock.now < end:
            acks, arrivals, packets = self.acks, self.arrivals, len(self.link.log)
            self.link.advance(min(step, end - self.clock.now))
            if in_order and self.arrivals != arrivals:
                self.check_order()
            if tick:
                self.sender.tick()
            if self.acks != acks:  # only an ack can make the Sender idle
                idle = self.sender.idle
            quiet = self.link.in_flight == 0 and len(self.link.log) == packets
            step = min(2 * step, 2.0) if quiet else STEP
            if len(self.link.log) - mark > STALLED and not idle:
                before, held = held, len(self.receiver.delivered())
                if held == before:
                    self.fail_unfinished(f"{STALLED} packets went over the network since the "
                                         f"Receiver last delivered a new message")
                mark = len(self.link.log)
        if not idle:
            self.fail_unfinished(f"{limit:g} s passed since the last send()")
        got = self.receiver.delivered()
        assert got == self.sent, (
            f"sender.idle became True, yet {what_differs(got, self.sent)} "
            f"({self.context()}): idle means every message sent has been acknowledged, so "
            f"either the Sender took an ack for a message the Receiver does not hold, or "
            f"the Receiver acknowledged a packet whose message it then dropped")

    def fail_unfinished(self, what):
        got = self.receiver.delivered()
        where = ("the Receiver has every message, but the Sender does not know it"
                 if got == self.sent else what_differs(got, self.sent))
        raise AssertionError(
            f"{what} and the Sender is still not idle: {where} ({self.context()}). A lost "
            f"packet must be retransmitted after rto, the Receiver must acknowledge every "
            f"packet, duplicates too, and an ack must retire only what the Receiver holds")

    def check_order(self):
        got = self.receiver.delivered()
        assert got == self.sent[:len(got)], (
            f"at t={self.clock.now - START:.2f} s, receiver.delivered() returned {shown(got)}: "
            f"{what_differs(got, self.sent)} ({self.context()}). A message that arrives "
            f"before an earlier one must wait until the earlier one is delivered")


def closed_link(seed=0):
    """A clock and a LossyLink that loses every packet: what the learner's code sends is
    seen (`link.a.sent`, `link.b.sent`), and nothing arrives unless a test hands it on."""
    clock = FakeClock()
    return clock, LossyLink(seed, clock, drop=1.0)


def delivers(packets):
    """What a fresh Receiver of the learner's delivers from `packets`, in that order."""
    _, link = closed_link()
    receiver = Receiver(link.b)
    for packet in packets:
        receiver.on_packet(packet)
    return receiver.delivered()


def distinct_messages(packets):
    """How many messages a Receiver gets from every packet in `packets`: the messages a
    Sender has put on the network, whatever became of them (it sends them in order)."""
    return len(delivers(packets))
