"""Task 2: a packet without an ack is retransmitted once `rto` has passed since it was last
sent, never earlier, each message on its own timer, until it gets through.

Over a link that loses everything, whatever the Sender sends after a message's first
packet is a retransmission; which message a packet carries is asked of a fresh Receiver
(the packet format is the learner's)."""

import _support
import pytest
from _support import START, Wire, closed_link, delivers
from reliable_udp import Receiver, Sender

pytestmark = pytest.mark.retransmit

EPSILON = 1e-9  # float slack on a gap of exactly rto


def tick_at(clock, sender, offsets, base):
    for offset in offsets:
        clock.set(base + offset)
        sender.tick()


def times(link, since=0):
    return [round(s.time - START, 4) for s in link.a.sent[since:]]


@pytest.mark.parametrize("rto", [0.5, None])
def test_nothing_is_retransmitted_before_rto_and_something_after(rto):
    clock, link = closed_link()
    given = {} if rto is None else {"rto": rto}
    sender = Sender(link.a, clock=clock, **given)
    rto = 0.2 if rto is None else rto  # the default
    made = f"Sender(rto={rto})" if given else "Sender(channel) (default rto=0.2)"
    sender.send(b"lost")
    sender.tick()
    first = len(link.a.sent)
    assert first >= 1, "send(b'lost') then tick(): no packet was sent on the channel"
    early = [f * rto for f in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)]
    tick_at(clock, sender, early, START)
    assert len(link.a.sent) == first, (
        f"{made}: send(b'lost') at t=0 on a link that loses every packet, then "
        f"tick() every {rto / 10:g} s: packets were sent at t={times(link)}; a packet may "
        f"be retransmitted only once rto={rto} s passed without an ack")
    tick_at(clock, sender, [1.05 * rto], START)
    assert len(link.a.sent) > first, (
        f"{made}: send(b'lost') at t=0 on a link that loses every packet, then "
        f"tick() until t={1.05 * rto:g}: packets were sent at t={times(link)}; after rto "
        f"without an ack, tick() must retransmit")


def test_the_timer_restarts_with_each_retransmission():
    rto = 0.2
    clock, link = closed_link()
    sender = Sender(link.a, rto=rto, clock=clock)
    sender.send(b"lost")
    tick_at(clock, sender, [0.0, 0.1, 0.21], START)
    retransmitted = len(link.a.sent)
    assert retransmitted >= 2, (
        f"send(b'lost') at t=0, tick() at t=0, 0.1, 0.21 over a link that loses every "
        f"packet: packets were sent at t={times(link)}; expected a retransmission after "
        f"rto={rto}")
    tick_at(clock, sender, [0.25, 0.3, 0.35, 0.4], START)
    assert len(link.a.sent) == retransmitted, (
        f"send(b'lost') at t=0 over a link that loses every packet, tick() at t=0, 0.1, "
        f"0.21, 0.25, 0.3, 0.35, 0.4: packets were sent at t={times(link)}; after the "
        f"retransmission at t=0.21, the next may come only rto={rto} s later (wait rto "
        f"from the packet's LAST send, not its first)")


def test_each_message_waits_rto_from_its_own_last_send():
    rto = 0.2
    clock, link = closed_link()
    sender = Sender(link.a, rto=rto, window=4, clock=clock)
    sender.send(b"first")
    sender.tick()
    clock.set(START + 0.1)
    sender.send(b"second")
    offsets = [round(0.1 + 0.02 * k, 4) for k in range(31)]  # 0.1 .. 0.7
    tick_at(clock, sender, offsets, START)
    sent = link.a.sent
    assert sent and delivers([sent[0].payload]) == [b"first"], (
        f"a Receiver handed the first packet the Sender sent after send(b'first') "
        f"delivered {delivers([sent[0].payload]) if sent else 'nothing (none was sent)'}, "
        f"expected [b'first']")
    carried = {b"first": [], b"second": []}
    for s in sent:
        got = delivers([sent[0].payload, s.payload])
        if got == [b"first"]:
            carried[b"first"].append(round(s.time - START, 4))
        elif got == [b"first", b"second"]:
            carried[b"second"].append(round(s.time - START, 4))
    story = (f"Sender(rto={rto}): send(b'first') at t=0, send(b'second') at t=0.1, tick() "
             f"every 0.02 s until t=0.7 over a link that loses every packet; packets "
             f"carrying b'first' were sent at t={carried[b'first']}, b'second' at "
             f"t={carried[b'second']}")
    for message, when in carried.items():
        gaps = [b - a for a, b in zip(when, when[1:], strict=False)]
        assert all(gap >= rto - EPSILON for gap in gaps), (
            f"{story}: {message!r} was retransmitted less than rto after its previous "
            f"send. Each message has its own timer: retransmit only the packets whose own "
            f"rto has run out")
    assert carried[b"first"][1:2] and carried[b"first"][1] <= 0.22 + EPSILON, (
        f"{story}: b'first' must be retransmitted by the first tick() after rto")


def test_an_ack_does_not_hurry_the_retransmission_of_others():
    rto = 0.2
    clock, link = closed_link()
    sender = Sender(link.a, rto=rto, window=4, clock=clock)
    receiver = Receiver(link.b)
    sender.send(b"first")
    sender.tick()
    clock.set(START + 0.15)
    sender.send(b"second")
    sender.tick()
    clock.set(START + 0.16)
    receiver.on_packet(link.a.sent[0].payload)  # b'first' arrives, b'second' is lost
    assert receiver.delivered() == [b"first"], (
        f"a Receiver handed the first packet the Sender sent after send(b'first') "
        f"delivered {receiver.delivered()}, expected [b'first']")
    for s in link.b.sent:
        sender.on_packet(s.payload)
    offsets = [round(0.16 + 0.02 * k, 4) for k in range(18)]  # 0.16 .. 0.5
    tick_at(clock, sender, offsets, START)
    first = link.a.sent[0].payload
    second = [round(s.time - START, 4) for s in link.a.sent
              if delivers([first, s.payload]) == [b"first", b"second"]]
    gaps = [b - a for a, b in zip(second, second[1:], strict=False)]
    assert len(second) >= 2 and all(gap >= rto - EPSILON for gap in gaps), (
        f"Sender(rto={rto}): send(b'first') at t=0, send(b'second') at t=0.15, the ack of "
        f"b'first' back at t=0.16, b'second' lost; tick() every 0.02 s until t=0.5: "
        f"packets carrying b'second' were sent at t={second}; expected its first "
        f"retransmission at t=0.35 or later (rto after its own send) and by t=0.5. A "
        f"timer started for b'first' must not time b'second'")


def test_not_idle_while_nothing_gets_through():
    clock, link = closed_link()
    sender = Sender(link.a, rto=0.2, clock=clock)
    sender.send(b"lost")
    for step in range(1, 6):
        tick_at(clock, sender, [0.25 * step], START)
        assert not sender.idle, (
            f"send(b'lost') over a link that loses every packet, tick() until "
            f"t={0.25 * step:g}: sender.idle is True, expected False (nothing was "
            f"acknowledged)")


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_lost_packets_are_sent_again_until_they_arrive(seed):
    wire = Wire(seed, drop=0.3, duplicate=0.0, reorder=0.0, delay=(0.01, 0.01))
    wire.send(_support.messages(seed, 20))
    wire.run()
