"""Task 5: everything at once. Over a link that drops, duplicates and reorders, for many
seeds, every message is delivered exactly once and in order, the Sender never stalls,
and it is idle only once the Receiver holds every message."""

import _support
import pytest
from _support import Wire

pytestmark = pytest.mark.lossy

PROFILES = {
    "drops, duplicates and reorders": {"drop": 0.2, "duplicate": 0.2, "reorder": 0.3},
    "more loss and long delays": {"drop": 0.25, "duplicate": 0.1, "reorder": 0.4,
                                   "delay": (0.01, 0.1)},
}


@pytest.mark.parametrize("profile", list(PROFILES))
def test_every_message_arrives_once_and_in_order_for_many_seeds(profile):
    for seed in range(1, 7):
        wire = Wire(seed, **PROFILES[profile])
        wire.send(_support.messages(seed, 20))
        wire.run(in_order=seed % 2 == 1)


def test_messages_sent_while_others_are_in_flight():
    for seed in range(11, 15):
        wire = Wire(seed, window=4, drop=0.2, duplicate=0.2, reorder=0.3)
        for batch in range(5):
            wire.send(_support.messages(100 * seed + batch, 4))
            for _ in range(batch + 1):  # a little time, not enough to finish
                wire.link.advance(_support.STEP)
                wire.sender.tick()
        wire.run(in_order=True)


def test_a_window_of_one_with_an_rto_shorter_than_the_round_trip():
    for seed in range(21, 25):
        wire = Wire(seed, rto=0.05, window=1, drop=0.2, duplicate=0.2, reorder=0.3,
                    delay=(0.02, 0.06))
        wire.send(_support.messages(seed, 12))
        wire.run(in_order=True)


def test_a_long_stream_of_messages():
    wire = Wire(31, window=8, drop=0.03, duplicate=0.03, reorder=0.05)
    wire.send([i.to_bytes(2, "big") for i in range(270)])  # more than one byte counts
    wire.run()
