"""Examples of what the hidden tests check."""

import threading

import pytest
from chat import ChatService


def lobby(*users):
    chat = ChatService(clock=lambda: 1000.0)
    for user in users:
        chat.join("lobby", user)
    return chat


@pytest.mark.messages
def test_messages_are_numbered_per_room():
    chat = lobby("ann", "bob")
    first = chat.send("lobby", "ann", "hi")
    second = chat.send("lobby", "bob", "hello")
    assert (first.seq, second.seq) == (1, 2)
    assert (second.room, second.user, second.text, second.ts) == ("lobby", "bob", "hello", 1000.0)
    assert first.id != second.id


@pytest.mark.messages
def test_non_members_and_bad_texts_are_refused():
    chat = lobby("ann")
    with pytest.raises(PermissionError):
        chat.send("lobby", "zed", "let me in")
    with pytest.raises(ValueError):
        chat.send("lobby", "ann", "")
    with pytest.raises(ValueError):
        chat.send("lobby", "ann", "x" * 2001)
    assert chat.send("lobby", "ann", "x" * 2000).seq == 1


@pytest.mark.history
def test_history_pages_back_by_seq():
    chat = lobby("ann")
    for n in range(10):
        chat.send("lobby", "ann", f"m{n}")
    assert [m.seq for m in chat.history("lobby", limit=3)] == [8, 9, 10]
    assert [m.seq for m in chat.history("lobby", before_seq=8, limit=3)] == [5, 6, 7]


@pytest.mark.unread
def test_unread_counts_others_messages_above_the_read_mark():
    chat = lobby("ann", "bob")
    chat.send("lobby", "bob", "one")
    chat.send("lobby", "ann", "mine: never unread for me")
    chat.send("lobby", "bob", "two")
    assert chat.unread("lobby", "ann") == 2
    chat.mark_read("lobby", "ann", 1)
    assert chat.unread("lobby", "ann") == 1


@pytest.mark.subscriptions
def test_a_subscription_gets_later_messages_until_leave():
    chat = lobby("ann", "bob")
    chat.send("lobby", "bob", "before: not in the subscription")
    sub = chat.subscribe("lobby", "ann")
    chat.send("lobby", "bob", "after")
    chat.send("lobby", "ann", "mine too")
    chat.leave("lobby", "ann")
    assert [m.text for m in sub] == ["after", "mine too"]  # then StopIteration: it ended


@pytest.mark.threads
def test_concurrent_senders_get_every_seq_once():
    chat = lobby(*[f"u{i}" for i in range(4)])
    sub = chat.subscribe("lobby", "u0")
    seqs = []

    def sender(i):
        for k in range(50):
            seqs.append(chat.send("lobby", f"u{i}", f"{i}:{k}").seq)

    threads = [threading.Thread(target=sender, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(seqs) == list(range(1, 201))
    chat.leave("lobby", "u0")
    assert [m.seq for m in sub] == list(range(1, 201))
