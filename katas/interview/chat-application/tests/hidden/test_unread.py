"""Unread counts: the messages above a member's read mark sent by others; read marks move
forward only."""

import pytest
from _support import service

pytestmark = pytest.mark.unread


def trio():
    chat, _ = service()
    for user in ("ann", "bob", "cy"):
        chat.join("lobby", user)
    return chat


def test_others_messages_are_unread_until_marked():
    chat = trio()
    for user in ("bob", "cy", "bob"):
        chat.send("lobby", user, "news")
    got = chat.unread("lobby", "ann")
    assert got == 3, f"bob and cy sent 3 messages; unread('lobby', 'ann') = {got}, expected 3"
    chat.mark_read("lobby", "ann", 2)
    got = chat.unread("lobby", "ann")
    assert got == 1, (
        f"after mark_read('lobby', 'ann', 2), unread('lobby', 'ann') = {got}; expected 1 "
        "(only seq 3 is above the mark)")
    chat.mark_read("lobby", "ann", 3)
    got = chat.unread("lobby", "ann")
    assert got == 0, f"after mark_read('lobby', 'ann', 3): unread = {got}, expected 0"


def test_ones_own_messages_are_never_unread():
    chat = trio()
    chat.send("lobby", "ann", "mine")
    chat.send("lobby", "bob", "his")
    chat.send("lobby", "ann", "mine again")
    got = chat.unread("lobby", "ann")
    assert got == 1, (
        f"ann sent seq 1 and 3, bob seq 2; unread('lobby', 'ann') = {got}, expected 1: "
        "one's own messages never count as unread")
    got = chat.unread("lobby", "bob")
    assert got == 2, (
        f"for bob, ann's 2 messages are unread: unread('lobby', 'bob') = {got}, expected 2")


def test_a_newcomer_has_nothing_unread():
    chat = trio()
    for n in range(4):
        chat.send("lobby", "bob", f"before dee {n}")
    chat.join("lobby", "dee")
    got = chat.unread("lobby", "dee")
    assert got == 0, (
        f"dee joined after 4 messages: unread('lobby', 'dee') = {got}; expected 0 (joining "
        "marks everything already there read)")
    chat.send("lobby", "bob", "welcome dee")
    got = chat.unread("lobby", "dee")
    assert got == 1, f"one message after dee joined: unread = {got}, expected 1"


def test_joining_again_keeps_the_read_mark():
    chat = trio()
    chat.send("lobby", "bob", "one")
    chat.send("lobby", "bob", "two")
    chat.join("lobby", "ann")
    got = chat.unread("lobby", "ann")
    assert got == 2, (
        f"ann, already a member, joined again: unread('lobby', 'ann') = {got}, expected the "
        "2 messages bob sent (joining a room one is in changes nothing)")


def test_joining_after_leaving_marks_everything_read():
    chat = trio()
    chat.send("lobby", "bob", "one")
    chat.leave("lobby", "ann")
    for n in range(3):
        chat.send("lobby", "bob", f"while ann was away {n}")
    chat.join("lobby", "ann")
    got = chat.unread("lobby", "ann")
    assert got == 0, (
        f"ann left, bob sent 3 messages, ann joined again: unread('lobby', 'ann') = {got}; "
        "expected 0 (joining marks everything already in the room read, also a second time)")


def test_a_read_mark_never_moves_back():
    chat = trio()
    for n in range(5):
        chat.send("lobby", "bob", f"m{n}")
    chat.mark_read("lobby", "ann", 4)
    chat.mark_read("lobby", "ann", 2)
    got = chat.unread("lobby", "ann")
    assert got == 1, (
        f"mark_read(..., 4) then mark_read(..., 2): unread = {got}, expected 1 (a read mark "
        "never moves back: seq 5 alone is unread)")


def test_unread_counts_per_room():
    chat = trio()
    chat.join("dev", "ann")
    chat.join("dev", "bob")
    chat.send("lobby", "bob", "lobby news")
    for n in range(3):
        chat.send("dev", "bob", f"dev news {n}")
    got = (chat.unread("lobby", "ann"), chat.unread("dev", "ann"))
    assert got == (1, 3), f"(unread lobby, unread dev) for ann = {got}, expected (1, 3)"
    chat.mark_read("dev", "ann", 3)
    got = (chat.unread("lobby", "ann"), chat.unread("dev", "ann"))
    assert got == (1, 0), f"after mark_read('dev', 'ann', 3): {got}, expected (1, 0)"


@pytest.mark.parametrize("call", ["unread", "mark_read"])
def test_non_members_have_no_read_mark(call):
    chat = trio()
    chat.send("lobby", "bob", "hi")
    args = ("lobby", "zed") if call == "unread" else ("lobby", "zed", 1)
    with pytest.raises(PermissionError):
        getattr(chat, call)(*args)
        pytest.fail(f"{call}{args} for zed, not a member, returned; expected PermissionError")
