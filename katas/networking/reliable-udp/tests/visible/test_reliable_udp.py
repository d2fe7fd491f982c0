"""Examples of what the hidden tests check. Run them with: python -m pytest

Both ends are wired to a simulated network, a LossyLink: `link.a` is the Sender's
channel, `link.b` the Receiver's, and nothing moves until the test moves the fake clock
(`link.advance(seconds)` delivers what falls due meanwhile). `link.log` lists every packet
sent and what became of it; `link.summary()` says what the network did, with its seed."""

import pytest
from reliable_udp import Receiver, Sender

from harness.testing import FakeClock, LossyLink


def wire(seed, rto=0.2, window=8, **faults):
    clock = FakeClock()
    link = LossyLink(seed, clock, **faults)
    sender = Sender(link.a, rto=rto, window=window, clock=clock)
    receiver = Receiver(link.b)
    link.a.deliver_to(sender.on_packet)
    link.b.deliver_to(receiver.on_packet)
    return clock, link, sender, receiver


def run_until_idle(link, sender, limit=60.0):
    """Moves time on 0.05 s at a time, calling tick() after each step."""
    return link.run(until=lambda: sender.idle, tick=[sender.tick], every=0.05, limit=limit)


@pytest.mark.delivery
def test_messages_arrive_in_order_over_a_perfect_link():
    clock, link, sender, receiver = wire(1, drop=0, duplicate=0, reorder=0, delay=(0.01, 0.01))
    assert sender.idle  # nothing sent yet
    for message in [b"one", b"two", b"", b"two"]:
        sender.send(message)
    assert not sender.idle  # no ack has come back yet
    link.advance(0.05)  # time for the packets to arrive and the acks to come back
    assert receiver.delivered() == [b"one", b"two", b"", b"two"]
    assert sender.idle


@pytest.mark.retransmit
def test_a_lost_packet_is_sent_again_after_rto_not_before():
    clock, link, sender, receiver = wire(2, drop=1.0)  # this link loses everything
    sender.send(b"hello")
    sender.tick()
    assert len(link.a.sent) == 1
    clock.advance(0.15)
    sender.tick()
    assert len(link.a.sent) == 1  # 0.15 s < rto: too early
    clock.advance(0.1)
    sender.tick()
    assert len(link.a.sent) == 2  # 0.25 s without an ack: sent again
    assert not sender.idle


@pytest.mark.duplicates
def test_a_duplicate_is_delivered_once_and_acknowledged_again():
    clock, link, sender, receiver = wire(3, drop=1.0)  # the test carries the packets itself
    sender.send(b"once")
    packet = link.a.sent[0].payload
    receiver.on_packet(packet)
    receiver.on_packet(packet)
    assert receiver.delivered() == [b"once"]
    assert len(link.b.sent) >= 2  # an ack for each copy


@pytest.mark.window
def test_at_most_window_messages_before_any_ack():
    clock, link, sender, receiver = wire(4, window=2, drop=1.0)
    for i in range(5):
        sender.send(b"m%d" % i)
    sender.tick()
    # a fresh Receiver handed every packet sent delivers the messages that went out
    probe = Receiver(LossyLink(0, clock, drop=1.0).b)
    for s in link.a.sent:
        probe.on_packet(s.payload)
    assert 1 <= len(probe.delivered()) <= 2


@pytest.mark.lossy
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_message_once_and_in_order_over_a_lossy_link(seed):
    clock, link, sender, receiver = wire(seed, drop=0.2, duplicate=0.2, reorder=0.3)
    messages = [b"m%d" % i for i in range(30)]
    for message in messages:
        sender.send(message)
    assert run_until_idle(link, sender), link.summary()
    assert receiver.delivered() == messages, link.summary()
