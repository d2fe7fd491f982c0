"""Many senders at once, with thread switches forced at random bytecodes of your module
(seeded: a failure names its seed, and the same seed replays it): seqs stay gapless and
unique per room, and every subscriber gets every message in seq order."""

import chat as learner
import pytest
from _support import brief, drain, seqs, service

from harness.testing import call_each, race_seeds, run_threads

pytestmark = pytest.mark.threads

SENDERS, EACH = 6, 64
ROOMS = ["lobby", "dev"]
SEEDS = race_seeds(5)
# the chance of a forced switch at each bytecode of your module. A low one provokes more:
# a sender that releases the lock and is switched out before handing its message on stays
# out while another sender runs its whole send (with 0.2, each sender is switched out so
# often that they advance in step, and one overtaking another is rare). Measured on a
# reference that delivers after releasing the lock, 6 threads x 24 sends to one room with
# 2 subscriptions: out of order on 19 of 20 seeds at 0.05, on 5 of 10 at 0.2.
PROBABILITY = 0.05
# seconds the threads of a test are given: they finish in about one; on a loaded machine
# the wait goes on while your process still uses CPU (starved, not deadlocked), so only a
# deadlock waits this long
LOADED = 20.0


def plan(i):
    """The sends of thread i: EACH messages, three of four to the first room (the more
    senders meet in one room, the more they race), one to the second."""
    return [(ROOMS[(i + k) % 4 == 3], f"u{i}", f"{i}:{k}") for k in range(EACH)]


@pytest.mark.parametrize("seed", SEEDS)
def test_concurrent_senders_get_gapless_seqs_delivered_in_order(seed):
    chat, _ = service()
    users = [f"u{i}" for i in range(SENDERS)]
    for room in ROOMS:
        for user in users + ["watch"]:
            chat.join(room, user)
    subs = {room: [chat.subscribe(room, "watch"), chat.subscribe(room, "u0"),
                   chat.subscribe(room, "watch")] for room in ROOMS}

    results = run_threads(lambda i: call_each(chat, "send", plan(i)), threads=SENDERS,
                          args=lambda i: (i,), switching=[learner], seed=seed,
                          probability=PROBABILITY, timeout=LOADED)
    by_room = {room: [m for sent in results for m in sent if m.room == room] for room in ROOMS}
    for room, sent in by_room.items():
        count = len(sent)
        got = sorted(seqs(sent))
        assert got == list(range(1, count + 1)), (
            f"{SENDERS} threads sent {count} messages to {room!r} at once (seed={seed}): the "
            f"seqs send() returned, sorted, were {_ranges(got)}; expected 1 to {count}, each "
            "once. Taking the next seq and storing the message must be one step under a lock")
    for i, sent in enumerate(results):
        for room in ROOMS:
            own = [m.seq for m in sent if m.room == room]
            assert own == sorted(own), (
                f"thread {i} sent to {room!r} one message after another and got the seqs "
                f"{own} (seed={seed}); expected them increasing")

    for room in ROOMS:
        chat.leave(room, "watch")
        chat.leave(room, "u0")
        expected = sorted(by_room[room], key=lambda m: m.seq)
        count = len(expected)
        owners = ("watch", "u0 (a sender)", "watch (its second)")
        for who, sub in zip(owners, subs[room], strict=True):
            got = drain(sub, f"the subscription of {who} to {room!r} after the sends",
                        f"the {count} messages")
            assert seqs(got) == list(range(1, count + 1)), (
                f"{SENDERS} threads sent {count} messages to {room!r} at once (seed={seed}); "
                f"the subscription of {who} gave the seqs {_out_of_order(seqs(got))}; expected "
                f"1, 2, ... {count} in order, none missing. Hand the message to the "
                "subscriptions in the same locked step that numbers it: released before, "
                "another sender's later seq can overtake it")
            assert got == expected, (
                f"the subscription of {who} to {room!r} gave {brief(got)[:6]}...; expected the "
                f"messages send() returned, {brief(expected)[:6]}... (seed={seed})")
        history = chat.history(room, limit=count)
        assert history == expected, (
            f"after the sends (seed={seed}), history({room!r}, limit={count}) gave "
            f"{brief(history)[:6]}...; expected the messages send() returned, oldest first")


def _ranges(values):
    """A long list of ints, shortened around where it goes wrong."""
    for n, value in enumerate(values):
        if value != n + 1:
            return f"[..., {', '.join(map(str, values[max(0, n - 3):n + 4]))}, ...]"
    return f"[1 ... {values[-1]}]" if values else "[]"


def _out_of_order(values):
    for n, value in enumerate(values):
        if value != n + 1:
            return (f"[... {', '.join(map(str, values[max(0, n - 3):n + 4]))} ...] "
                    f"({len(values)} in all)")
    return f"1 to {len(values)}"
