"""Task 3: a packet that arrives twice, or after packets sent later, still gives each
message once and in order; and a duplicate is acknowledged again, since the ack of its
first copy may be the packet that was lost."""

import _support
import pytest
from _support import Wire, closed_link, shown
from reliable_udp import Receiver, Sender

pytestmark = pytest.mark.duplicates


def handed_over(batch):
    """A Sender and a Receiver on a link that loses everything; the Sender's packets for
    `batch` (sent with room for all of them), in order."""
    clock, link = closed_link()
    sender = Sender(link.a, rto=0.2, window=8, clock=clock)
    receiver = Receiver(link.b)
    for message in batch:
        sender.send(message)
    sender.tick()
    packets = [s.payload for s in link.a.sent]
    assert packets, f"send() of {len(batch)} messages, then tick(): no packet was sent"
    return link, sender, receiver, packets


def test_a_duplicate_is_delivered_once_and_acknowledged_again():
    link, sender, receiver, packets = handed_over([b"once"])
    receiver.on_packet(packets[0])
    first = len(link.b.sent)
    receiver.on_packet(packets[0])
    receiver.on_packet(packets[0])
    got = receiver.delivered()
    assert got == [b"once"], (
        f"the packet of send(b'once') delivered three times to the Receiver: delivered() "
        f"returned {shown(got)}, expected [b'once']")
    assert first >= 1 and len(link.b.sent) >= first + 2, (
        f"the packet of send(b'once') delivered three times: the Receiver sent "
        f"{first} packet(s) for the first copy and {len(link.b.sent) - first} for the two "
        f"duplicates; expected an ack for each: if the first ack is lost, only the ack of "
        f"a duplicate can stop the Sender retransmitting")
    for s in link.b.sent[first:]:
        sender.on_packet(s.payload)
    assert sender.idle, (
        "the packet of send(b'once') delivered three times; only the acks sent for the "
        "duplicates handed to the Sender (the first ack lost): sender.idle is False, "
        "expected True")


def test_an_old_duplicate_after_later_messages_changes_nothing():
    link, sender, receiver, packets = handed_over([b"a", b"b", b"c"])
    for packet in packets:
        receiver.on_packet(packet)
    before = len(link.b.sent)
    receiver.on_packet(packets[0])
    got = receiver.delivered()
    assert got == [b"a", b"b", b"c"], (
        f"the packets of a, b, c delivered, then the packet of a again: delivered() "
        f"returned {shown(got)}, expected [b'a', b'b', b'c']")
    assert len(link.b.sent) > before, (
        "the packets of a, b, c delivered, then the packet of a again: the Receiver sent "
        "no ack for the duplicate")


def test_a_packet_that_arrives_early_is_not_delivered_before_the_earlier_ones():
    batch = [b"a", b"b", b"c"]
    link, sender, receiver, packets = handed_over(batch)
    order = []
    for packet in reversed(packets):
        receiver.on_packet(packet)
        order.append(receiver.delivered())
    assert all(o == batch[:len(o)] for o in order) and order[-1], (
        f"the Sender's packets for a, b, c delivered in reverse order: delivered() after "
        f"each returned {', '.join(shown(o) for o in order)}; expected nothing before a "
        f"arrives, then a first: a message is delivered only after every earlier one")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_duplicated_packets_are_delivered_once(seed):
    wire = Wire(seed, drop=0.0, duplicate=0.5, reorder=0.0, delay=(0.01, 0.01))
    wire.send(_support.messages(seed, 20))
    wire.run(in_order=True)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_reordered_packets_are_delivered_in_order(seed):
    wire = Wire(seed, drop=0.0, duplicate=0.0, reorder=0.5, delay=(0.001, 0.05))
    wire.send(_support.messages(seed, 20))
    wire.run(in_order=True)
