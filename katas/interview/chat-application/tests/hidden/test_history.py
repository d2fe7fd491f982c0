"""History: the newest `limit` messages below `before_seq`, oldest first."""

import pytest
from _support import brief, seqs, service

pytestmark = pytest.mark.history


def room_of(count):
    chat, _ = service()
    chat.join("lobby", "ann")
    chat.join("lobby", "bob")
    sent = [chat.send("lobby", "ann" if n % 2 else "bob", f"message {n + 1}")
            for n in range(count)]
    return chat, sent


def test_history_gives_the_messages_oldest_first():
    chat, sent = room_of(5)
    got = chat.history("lobby")
    assert seqs(got) == [1, 2, 3, 4, 5], (
        f"history('lobby') after 5 messages gave seqs {seqs(got)}; expected [1, 2, 3, 4, 5] "
        "(oldest first)")
    assert got == sent, (
        f"history('lobby') gave {brief(got)}; expected the messages send() returned, "
        f"{brief(sent)}, field for field (id and ts too)")


def test_history_keeps_the_newest_limit_messages():
    chat, _ = room_of(8)
    got = seqs(chat.history("lobby", limit=3))
    assert got == [6, 7, 8], (
        f"history('lobby', limit=3) after 8 messages gave seqs {got}; expected [6, 7, 8]: "
        "the newest 3, oldest first")


def test_history_limit_defaults_to_50():
    chat, _ = room_of(60)
    got = seqs(chat.history("lobby"))
    assert got == list(range(11, 61)), (
        f"history('lobby') after 60 messages gave {len(got)} messages, seqs "
        f"{got[:3]}...{got[-3:]}; expected the newest 50: seqs 11 to 60")


def test_before_seq_excludes_that_seq():
    chat, _ = room_of(8)
    got = seqs(chat.history("lobby", before_seq=6, limit=3))
    assert got == [3, 4, 5], (
        f"history('lobby', before_seq=6, limit=3) gave seqs {got}; expected [3, 4, 5]: only "
        "seqs below 6, the newest 3 of them")
    got = seqs(chat.history("lobby", before_seq=3))
    assert got == [1, 2], f"history('lobby', before_seq=3) gave seqs {got}; expected [1, 2]"
    got = seqs(chat.history("lobby", before_seq=1))
    assert got == [], f"history('lobby', before_seq=1) gave seqs {got}; expected []"


def test_pages_chained_by_before_seq_cover_every_message_once():
    chat, _ = room_of(23)
    pages, before = [], None
    for _ in range(10):
        page = seqs(chat.history("lobby", before_seq=before, limit=5))
        if not page:
            break
        pages.append(page)
        before = page[0]
    expected = [[19, 20, 21, 22, 23], [14, 15, 16, 17, 18], [9, 10, 11, 12, 13],
                [4, 5, 6, 7, 8], [1, 2, 3]]
    assert pages == expected, (
        f"paging back through 23 messages with limit=5, each page's before_seq the first seq "
        f"of the page before, gave {pages}; expected {expected}")


def test_before_seq_past_the_end_gives_the_newest():
    chat, _ = room_of(4)
    got = seqs(chat.history("lobby", before_seq=100, limit=2))
    assert got == [3, 4], (
        f"history('lobby', before_seq=100, limit=2) gave seqs {got}; expected [3, 4]")


def test_unknown_or_empty_room_has_no_history():
    chat, _ = service()
    chat.join("quiet", "ann")
    assert chat.history("nowhere") == [], "history('nowhere') of a room never joined: expected []"
    assert chat.history("quiet") == [], "history('quiet') of a room without messages: expected []"


def test_messages_stay_after_their_sender_leaves():
    chat, sent = room_of(3)
    chat.leave("lobby", "ann")
    chat.leave("lobby", "bob")
    got = chat.history("lobby")
    assert got == sent, (
        f"after everyone left, history('lobby') gave {brief(got)}; expected the 3 messages "
        f"{brief(sent)}: leaving does not take a member's messages away")
