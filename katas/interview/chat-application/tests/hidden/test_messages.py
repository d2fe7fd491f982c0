"""Rooms, members and messages: seq 1, 2, 3 ... per room, the fields of a Message, who may
send and what text is refused."""

import pytest
from _support import service
from chat import Message

pytestmark = pytest.mark.messages


def test_the_first_messages_of_a_room_are_numbered_1_2_3():
    chat, _ = service()
    chat.join("lobby", "ann")
    chat.join("lobby", "bob")
    got = [chat.send("lobby", user, text).seq
           for user, text in [("ann", "hi"), ("bob", "hello"), ("ann", "how are you?")]]
    assert got == [1, 2, 3], (
        f"three send() calls in a new room returned messages with seq {got}; expected "
        "[1, 2, 3]: a room's first message has seq 1, then each the next number")


def test_a_message_holds_its_room_user_text_and_the_clock_reading():
    chat, clock = service(1000.0)
    chat.join("lobby", "ann")
    clock.set(1042.5)
    message = chat.send("lobby", "ann", "hello")
    assert isinstance(message, Message), f"send() returned {message!r}, expected a Message"
    got = (message.room, message.user, message.text, message.seq, message.ts)
    assert got == ("lobby", "ann", "hello", 1, 1042.5), (
        f"with the clock at 1042.5, send('lobby', 'ann', 'hello') returned (room, user, text, "
        f"seq, ts) = {got}; expected ('lobby', 'ann', 'hello', 1, 1042.5): ts is what the "
        "injected clock says during send")
    clock.set(1050.0)
    later = chat.send("lobby", "ann", "again")
    assert later.ts == 1050.0, (
        f"the clock moved to 1050.0, yet the next message has ts {later.ts!r}; expected 1050.0")


def test_each_room_counts_its_own_seqs():
    chat, _ = service()
    for room in ("lobby", "dev"):
        chat.join(room, "ann")
    order = ["lobby", "dev", "dev", "lobby", "dev", "lobby", "lobby"]
    got = [(room, chat.send(room, "ann", "x").seq) for room in order]
    expected = [("lobby", 1), ("dev", 1), ("dev", 2), ("lobby", 2), ("dev", 3), ("lobby", 3),
                ("lobby", 4)]
    assert got == expected, (
        f"sends to two rooms in the order {order} got the (room, seq) pairs {got}; expected "
        f"{expected}: each room numbers its messages on its own, from 1")


def test_message_ids_are_unique_across_rooms():
    chat, _ = service()
    for room in ("lobby", "dev", "ops"):
        chat.join(room, "ann")
    messages = [chat.send(room, "ann", f"{room} {n}") for n in range(5)
                for room in ("lobby", "dev", "ops")]
    ids = [m.id for m in messages]
    assert all(isinstance(i, (int, str)) for i in ids), (
        f"message ids {ids[:5]}...: expected ints or strs")
    assert len(set(ids)) == len(ids), (
        f"15 messages over 3 rooms got the ids {ids}: some repeat, expected every id unique "
        "in the whole service (seq alone repeats across rooms)")


@pytest.mark.parametrize("setup", ["never joined", "unknown room", "member of another room",
                                   "left the room"])
def test_only_members_may_send(setup):
    chat, _ = service()
    chat.join("lobby", "ann")
    chat.join("dev", "bob")
    room = "lobby"
    if setup == "unknown room":
        room = "nowhere"
    elif setup == "left the room":
        chat.join("lobby", "bob")
        chat.send("lobby", "bob", "bye")
        chat.leave("lobby", "bob")
    with pytest.raises(PermissionError):
        chat.send(room, "bob", "may I?")
        pytest.fail(f"bob ({setup}) sent to {room!r} and send() returned; expected "
                    "PermissionError: only members of a room may send to it")


def test_empty_text_is_refused():
    chat, _ = service()
    chat.join("lobby", "ann")
    with pytest.raises(ValueError):
        chat.send("lobby", "ann", "")
        pytest.fail("send('lobby', 'ann', '') returned; expected ValueError: a message "
                    "needs at least one character")


def test_text_of_2000_characters_is_allowed_and_2001_refused():
    chat, _ = service()
    chat.join("lobby", "ann")
    assert chat.send("lobby", "ann", "a").text == "a"
    longest = chat.send("lobby", "ann", "x" * 2000)
    assert longest.text == "x" * 2000 and longest.seq == 2, (
        f"send() of 2000 characters gave seq {longest.seq} and {len(longest.text)} "
        "characters; expected seq 2 and the 2000 characters: 2000 is the limit, allowed")
    accented = chat.send("lobby", "ann", "é" * 2000)
    assert accented.seq == 3, (
        f"send() of 2000 'é' (4000 bytes in UTF-8) gave {accented!r}; expected seq 3: the limit "
        "counts characters, not bytes")
    with pytest.raises(ValueError):
        chat.send("lobby", "ann", "é" * 2001)
        pytest.fail("send() of 2001 characters returned; expected ValueError (more than "
                    "2000 characters)")


def test_a_refused_send_takes_no_seq():
    chat, _ = service()
    chat.join("lobby", "ann")
    chat.send("lobby", "ann", "one")
    for user, text in [("ann", ""), ("ann", "y" * 2001), ("zed", "not a member")]:
        with pytest.raises((ValueError, PermissionError)):
            chat.send("lobby", user, text)
    got = chat.send("lobby", "ann", "two").seq
    assert got == 2, (
        f"after one message and three refused sends, the next message got seq {got}; expected "
        "2: a refused send takes no number, or the room's seqs get a gap")


def test_joining_twice_is_joining_once():
    chat, _ = service()
    chat.join("lobby", "ann")
    chat.join("lobby", "ann")
    chat.send("lobby", "ann", "hi")
    chat.leave("lobby", "ann")
    with pytest.raises(PermissionError):
        chat.send("lobby", "ann", "still here?")
        pytest.fail("ann joined twice, left once, and could still send; expected "
                    "PermissionError: joining a room one is in changes nothing")


def test_a_user_who_joins_again_may_send_again():
    chat, _ = service()
    chat.join("lobby", "ann")
    chat.send("lobby", "ann", "one")
    chat.leave("lobby", "ann")
    chat.join("lobby", "ann")
    got = chat.send("lobby", "ann", "two").seq
    assert got == 2, f"ann left, joined again and sent: seq {got}, expected 2"
