"""Task 4: at most `window` messages are unacknowledged on the network at any time.

How many messages a Sender has put on the network is what a fresh Receiver delivers when
handed every packet the Sender sent (the packet format is the learner's). How many of them
the Sender can know to be acknowledged is at most what the Receiver held when it sent the
latest ack that reached the Sender."""

import _support
import pytest
from _support import START, closed_link, distinct_messages
from reliable_udp import Receiver, Sender

from harness.testing import FakeClock, LossyLink

pytestmark = pytest.mark.window


@pytest.mark.parametrize("window", [1, 3, None])
def test_at_most_window_messages_go_out_before_any_ack(window):
    clock, link = closed_link()
    given = {} if window is None else {"window": window}
    sender = Sender(link.a, rto=0.2, clock=clock, **given)
    window = 8 if window is None else window
    batch = _support.messages(window, 2 * window + 3)
    made = f"Sender({', '.join(f'{k}={v}' for k, v in given.items()) or 'channel'})"
    for message in batch:
        sender.send(message)
    for step in range(1, 41):  # 0.8 s: the first packets are retransmitted meanwhile
        clock.set(START + 0.02 * step)
        sender.tick()
    out = distinct_messages([s.payload for s in link.a.sent])
    assert 1 <= out <= window, (
        f"{made}: send() of {len(batch)} messages, then tick() every 0.02 s for 0.8 s over "
        f"a link that loses every packet: the {len(link.a.sent)} packets sent carry "
        f"{out} different messages (a Receiver handed them all delivers {out}); expected "
        f"1 to {window}: no ack came back, so at most window={window} messages may be "
        f"out, and the others wait in the Sender")


def test_waiting_messages_go_out_as_acks_come_back():
    clock, link = closed_link()
    sender = Sender(link.a, rto=0.2, window=2, clock=clock)
    receiver = Receiver(link.b)
    batch = _support.messages(6, 7)
    for message in batch:
        sender.send(message)
    sender.tick()
    handed, acked, held, story = 0, 0, 0, []
    for _ in range(len(batch)):  # no time passes: acks alone must move the window on
        new = link.a.sent[handed:]
        handed += len(new)
        for s in new:
            receiver.on_packet(s.payload)
        before, held = held, len(receiver.delivered())
        story.append(held - before)
        assert held - before <= 2, (
            f"Sender(window=2), send() of 7 messages; each round every packet sent is "
            f"handed to the Receiver and every ack back, then tick(): new messages per "
            f"round {story}; at most 2 may go out before their acks come back")
        acks = link.b.sent[acked:]
        acked += len(acks)
        for s in acks:
            sender.on_packet(s.payload)
        sender.tick()
        if held == len(batch):
            break
    assert held == len(batch) and sender.idle, (
        f"Sender(window=2), send() of 7 messages; each round every packet sent is handed to "
        f"the Receiver and every ack back, then tick(), all at the same time: new messages "
        f"per round {story}, the Receiver holds {held}, sender.idle is {sender.idle}; "
        f"expected all 7 and idle: an ack makes room for a waiting message at once, "
        f"without waiting for rto")


class Watched:
    """A Sender and Receiver over an in-order link (constant delay, no loss, duplicates),
    checking after every call of the Sender that the messages it has put on the network
    are at most `window` more than the Receiver held when it sent the latest ack the
    Sender got."""

    def __init__(self, seed, window):
        self.clock = FakeClock()
        self.link = LossyLink(seed, self.clock, drop=0.0, duplicate=0.3, reorder=0.0,
                              delay=(0.02, 0.02))
        self.window = window
        self.sender = Sender(self.link.a, rto=1.0, window=window, clock=self.clock)
        self.receiver = Receiver(self.link.b)
        _, closed = closed_link()
        self.shadow = Receiver(closed.b)  # gets a copy of every packet the Sender sends
        self.copied = 0
        self.held_when_sent = {}  # id of an ack packet -> messages the Receiver held then
        self.known = 0
        self.link.a.deliver_to(self.to_sender)
        self.link.b.deliver_to(self.to_receiver)

    def to_receiver(self, packet):
        before = len(self.link.b.sent)
        self.receiver.on_packet(packet)
        acks = self.link.b.sent[before:]
        if acks:
            held = len(self.receiver.delivered())
            for s in acks:
                self.held_when_sent[id(s.payload)] = held

    def to_sender(self, packet):
        self.known = max(self.known, self.held_when_sent.get(id(packet), 0))
        self.sender.on_packet(packet)
        self.check("on_packet(ack)")

    def check(self, call):
        new = self.link.a.sent[self.copied:]
        self.copied += len(new)
        for s in new:
            self.shadow.on_packet(s.payload)
        out = len(self.shadow.delivered())
        assert out <= self.window + self.known, (
            f"Sender(window={self.window}) over an in-order link that duplicates packets "
            f"({self.link.summary()}): after {call}, {out} different messages had been "
            f"sent, while the acks that reached the Sender came from a Receiver holding at "
            f"most {self.known}: {out - self.known} unacknowledged messages in flight, "
            f"expected at most {self.window}. Count a message as acknowledged once, "
            f"however many acks say so")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_unacknowledged_messages_never_exceed_the_window(seed):
    watched = Watched(seed, window=3)
    batch = _support.messages(seed, 24)
    for message in batch:
        watched.sender.send(message)
        watched.check("send()")
    for _ in range(200):
        watched.link.advance(0.02)
        watched.sender.tick()
        watched.check("tick()")
        if watched.receiver.delivered() == batch and watched.sender.idle:
            break
    got = watched.receiver.delivered()
    assert got == batch, (
        f"Sender(window=3) over an in-order link that duplicates packets "
        f"({watched.link.summary()}): {_support.what_differs(got, batch)}")
