"""Subscriptions: every message sent after subscribe, in seq order, until leave; a slow
subscriber never slows a sender. Each next() is given a few seconds: one that waits for
a message that is already there fails, with the stacks of your threads."""

import threading

import pytest
from _support import END, await_a_reader, brief, drain, next_of, seqs, service

from harness.testing import call_each, no_deadlock

pytestmark = pytest.mark.subscriptions


def room():
    chat, _ = service()
    for user in ("ann", "bob"):
        chat.join("lobby", user)
    return chat


def test_a_subscription_gives_each_later_message_in_order():
    chat = room()
    sub = chat.subscribe("lobby", "ann")
    sent = [chat.send("lobby", user, text)
            for user, text in [("bob", "hi"), ("ann", "hello"), ("bob", "how are you?")]]
    got = [next_of(sub, f"after 3 sends, message {n + 1}", f"seq {n + 1}") for n in range(3)]
    assert got == sent, (
        f"ann subscribed, then bob, ann and bob sent: next() gave {brief(got)}; expected "
        f"{brief(sent)} (ann's own message too), each the Message send() returned")


def test_a_subscription_starts_after_the_messages_already_sent():
    chat = room()
    for n in range(3):
        chat.send("lobby", "bob", f"old {n}")
    sub = chat.subscribe("lobby", "ann")
    chat.send("lobby", "bob", "new")
    got = next_of(sub, "3 messages, subscribe, 1 message", "seq 4")
    assert got != END and got.seq == 4, (
        f"ann subscribed after 3 messages, then bob sent one: next() gave "
        f"{got if got == END else brief([got])}; expected seq 4 ('new'): a subscription "
        "gives the messages sent after subscribe, not the history")


def test_a_subscriber_waiting_in_next_gets_the_message_sent_meanwhile():
    chat = room()
    sub = chat.subscribe("lobby", "ann")
    got = []
    waiter = threading.Thread(target=lambda: got.append(next_of(
        sub, "next() called before bob sent", "bob's message")), daemon=True)
    waiter.start()
    await_a_reader()
    with no_deadlock(10.0) as run:  # send must return while a reader waits
        run(lambda: chat.send("lobby", "bob", "wake up"))
    waiter.join(15.0)
    assert got and got[0] != END and got[0].text == "wake up", (
        f"a thread waited in next() while bob sent 'wake up': it got {got}; expected bob's "
        "message (wake the waiting reader when a message arrives)")


def test_every_subscription_gets_every_message():
    chat = room()
    subs = [chat.subscribe("lobby", "ann"), chat.subscribe("lobby", "ann"),
            chat.subscribe("lobby", "bob")]
    for n in range(4):
        chat.send("lobby", "bob", f"m{n}")
    for name in ("ann", "bob"):
        chat.leave("lobby", name)
    got = [seqs(drain(sub, f"subscription {i + 1} after 4 sends and leave", "seqs 1 to 4"))
           for i, sub in enumerate(subs)]
    assert got == [[1, 2, 3, 4]] * 3, (
        f"ann subscribed twice and bob once, 4 messages were sent, both left: the three "
        f"subscriptions gave seqs {got}; expected [1, 2, 3, 4] each")


def test_leave_ends_the_subscription_after_the_messages_sent_before():
    chat = room()
    sub = chat.subscribe("lobby", "ann")
    chat.send("lobby", "bob", "one")
    chat.send("lobby", "bob", "two")
    chat.leave("lobby", "ann")
    chat.send("lobby", "bob", "after ann left")
    got = [next_of(sub, "2 messages, then ann left, then a third",
                   "seq 1, seq 2, then StopIteration") for _ in range(3)]
    shown = [g if g == END else g.seq for g in got]
    assert shown == [1, 2, END], (
        f"ann subscribed, bob sent 2 messages, ann left, bob sent another: next() three times "
        f"gave {shown}; expected [1, 2, 'StopIteration']: the messages sent before the leave "
        "are still given, then the subscription ends (StopIteration, at once)")
    again = next_of(sub, "next() again on the ended subscription", "StopIteration")
    assert again == END, (
        f"next() on an ended subscription gave {again!r}; expected StopIteration again")


def test_an_idle_subscription_ends_at_once_on_leave():
    chat = room()
    sub = chat.subscribe("lobby", "ann")
    chat.leave("lobby", "ann")
    got = next_of(sub, "ann subscribed and left, no message sent", "StopIteration")
    assert got == END, f"ann subscribed and left: next() gave {got!r}; expected StopIteration"


def test_a_reader_waiting_in_next_is_released_by_leave():
    chat = room()
    sub = chat.subscribe("lobby", "ann")
    got = []
    waiter = threading.Thread(target=lambda: got.append(next_of(
        sub, "next() called before ann left", "StopIteration")), daemon=True)
    waiter.start()
    await_a_reader()
    with no_deadlock(10.0) as run:  # leave must return while a reader waits
        run(lambda: chat.leave("lobby", "ann"))
    waiter.join(15.0)
    assert got == [END], (
        f"a thread waited in next() while ann left: it got {got}; expected StopIteration "
        "(wake the waiting reader when the subscription ends)")


def test_leave_ends_only_the_leavers_subscriptions():
    chat = room()
    ann, bob = chat.subscribe("lobby", "ann"), chat.subscribe("lobby", "bob")
    chat.join("dev", "ann")
    dev = chat.subscribe("dev", "ann")
    chat.leave("lobby", "ann")
    chat.send("lobby", "bob", "still here")
    chat.send("dev", "ann", "in dev")
    got = next_of(bob, "ann left lobby, bob sent", "bob's message")
    assert got != END and got.text == "still here", (
        f"after ann left, bob's subscription to lobby gave {got!r}; expected bob's message "
        "'still here': leave ends the leaver's subscriptions only")
    got = next_of(dev, "ann left lobby, then sent to dev", "her message in dev")
    assert got != END and got.text == "in dev", (
        f"ann left lobby; her subscription to dev gave {got!r}; expected 'in dev': leaving "
        "one room ends none of the others")
    assert next_of(ann, "ann left lobby", "StopIteration") == END


def test_joining_again_does_not_revive_an_ended_subscription():
    chat = room()
    old = chat.subscribe("lobby", "ann")
    chat.leave("lobby", "ann")
    chat.join("lobby", "ann")
    new = chat.subscribe("lobby", "ann")
    chat.send("lobby", "bob", "welcome back")
    got = next_of(old, "ann left, joined again, bob sent", "StopIteration")
    assert got == END, (
        f"ann's subscription from before she left gave {got!r} after she joined again; "
        "expected StopIteration: an ended subscription stays ended (subscribe again)")
    got = next_of(new, "ann's new subscription, bob sent", "bob's message")
    assert got != END and got.text == "welcome back", f"the new subscription gave {got!r}"


def test_only_members_may_subscribe():
    chat = room()
    with pytest.raises(PermissionError):
        chat.subscribe("lobby", "zed")
        pytest.fail("subscribe('lobby', 'zed') by a non-member returned; expected PermissionError")


def test_a_subscriber_that_never_reads_does_not_slow_the_senders():
    chat = room()
    chat.subscribe("lobby", "ann")  # never read
    reader = chat.subscribe("lobby", "bob")
    calls = [("lobby", "bob", f"m{n}") for n in range(3000)]
    try:
        with no_deadlock(30.0) as run:
            run(lambda: call_each(chat, "send", calls))
    except AssertionError as exc:
        raise AssertionError(
            "ann subscribed and never read; bob's 3,000 sends did not finish in 30 s: send "
            "must never wait for a subscriber (an unbounded buffer per subscription, not "
            f"a queue.Queue(maxsize=...))\n{exc}") from None
    chat.leave("lobby", "bob")
    got = seqs(drain(reader, "bob's subscription after 3,000 sends", "seqs 1 to 3000"))
    assert got == list(range(1, 3001)), (
        f"bob's subscription gave {len(got)} messages; expected the 3,000, seqs 1 to 3000 in "
        "order: nothing may be dropped")
