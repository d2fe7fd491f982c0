"""Task 1: over a link that loses nothing, every message reaches the Receiver in order,
and the Sender is idle exactly when everything it sent has been acknowledged."""

import _support
import pytest
from _support import Wire, closed_link, shown, what_differs
from reliable_udp import Receiver, Sender

pytestmark = pytest.mark.delivery

PERFECT = {"drop": 0.0, "duplicate": 0.0, "reorder": 0.0, "delay": (0.01, 0.01)}


def test_a_new_sender_is_idle():
    clock, link = closed_link()
    sender = Sender(link.a, clock=clock)
    assert sender.idle, "Sender(channel).idle is False, expected True: nothing was sent " \
        "yet, so everything sent has been acknowledged"


def test_one_message_is_delivered_and_acknowledged():
    wire = Wire(1, **PERFECT)
    wire.send([b"hello"])
    assert not wire.sender.idle, (
        "sender.idle is True right after send(b'hello'), before any ack came back: idle "
        "means every message sent has been acknowledged")
    wire.run(tick=False)
    assert wire.link.a.sent, "send(b'hello') sent no packet on the channel"


def test_messages_are_delivered_in_the_order_sent():
    wire = Wire(2, window=32, **PERFECT)
    wire.send(_support.messages(2, 20))
    wire.run(tick=False, in_order=True)


def test_any_bytes_are_a_message():
    batch = [b"", b"\x00" * 9, b"ack", b"same", b"same", b"\xff" * 40, bytes(range(256)),
             b"", b"D\x00\x00\x00\x00\x00\x00\x00\x00"]
    wire = Wire(3, window=32, **PERFECT)
    wire.send(batch)
    wire.run(tick=False)


def test_not_idle_until_the_ack_arrives():
    clock, link = closed_link()
    sender = Sender(link.a, clock=clock)
    receiver = Receiver(link.b)
    sender.send(b"one")
    clock.advance(0.01)
    assert not sender.idle, "send(b'one'), no ack yet: sender.idle is True, expected False"
    sent = [s.payload for s in link.a.sent]
    assert sent, "send(b'one') sent no packet on the channel"
    for packet in sent:
        receiver.on_packet(packet)
    got = receiver.delivered()
    assert got == [b"one"], (
        f"the Sender's packets for send(b'one') handed to a Receiver: delivered() returned "
        f"{shown(got)}, expected [b'one']")
    acks = [s.payload for s in link.b.sent]
    assert acks, "the Receiver got a packet and sent no ack on its channel"
    for ack in acks:
        sender.on_packet(ack)
    assert sender.idle, "send(b'one'), the packet handed to the Receiver and its ack " \
        "handed back to the Sender: sender.idle is False, expected True"


def test_messages_sent_after_idle_are_delivered_too():
    wire = Wire(4, window=32, **PERFECT)
    first, second = _support.messages(41, 5), _support.messages(42, 6)
    wire.send(first)
    wire.run(tick=False)
    wire.send(second)
    assert not wire.sender.idle, (
        "the Sender was idle, then send() was called again: sender.idle is True, expected "
        "False until the new messages are acknowledged")
    wire.run(tick=False)


def test_delivered_lists_every_message_so_far():
    wire = Wire(5, window=32, **PERFECT)
    wire.send([b"a", b"b"])
    wire.run(tick=False)
    wire.send([b"c"])
    wire.run(tick=False)
    got, again = wire.receiver.delivered(), wire.receiver.delivered()
    assert got == again == [b"a", b"b", b"c"], (
        f"delivered() twice after a, b, then c were sent: returned {shown(got)} and "
        f"{shown(again)}, expected [b'a', b'b', b'c'] both times; "
        f"{what_differs(again, [b'a', b'b', b'c'])}")
