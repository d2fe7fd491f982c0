"""What the catalog fixes about session ids, checked by `kata compare` on the learner's code
alone: the ids are random, so the model passes each side its own and compares neither them
nor a session's `id`, and destroy_all's count only by type (whether expired sessions count
is free), but ids are unguessable and never reused, a session carries the id it is under,
and destroy_all counts every live session of the user."""

import ast
import re

from harness.properties import prop

USER = "zed"  # a user the model's sequences never name: all of their sessions are made here
#: what is done for the user: start a session, or rotate the first or the last live one
STEPS = {"list": {"one_of": ["create", "create", "rotate first", "rotate last"]}, "max": 8}
URL_SAFE = re.compile(r"[A-Za-z0-9_.~-]+")
UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
HEX = re.compile(r"[0-9a-fA-F]+")


def _bits(session_id: str) -> int:
    """The most random bits an id can carry, as its alphabet reads: a uuid's (with its
    hyphens) 122, 4 a hex digit, 6 a character of base64url. (A uuid4's hex without hyphens
    cannot be told from 32 random hex digits: it passes.)"""
    if UUID.fullmatch(session_id):
        return 122
    return len(session_id) * (4 if HEX.fullmatch(session_id) else 6)


def _fields(shown):
    """The fields of a Session from its repr (`Session(id='...', ...)`), read without
    running it; None when the repr is not of that form (its layout is the learner's)."""
    try:
        call = ast.parse(shown, mode="eval").body
        if not isinstance(call, ast.Call):
            return None
        return {k.arg: ast.literal_eval(k.value) for k in call.keywords}
    except (SyntaxError, ValueError, TypeError):
        return None


def _run(store, steps):
    """Does the steps for USER; the ids made, in order, and the ids live at the end."""
    made: list[str] = []
    live: list[str] = []
    for step in steps:
        if step == "create":
            session_id = store.create(USER)
        elif not live:
            continue
        else:
            old = live.pop(0 if step.endswith("first") else -1)
            session_id = store.rotate(old)
        made.append(session_id)
        live.append(session_id)
    return made, live


@prop(steps=STEPS)
def ids_are_url_safe_unguessable_and_never_reused(store, steps):
    """Session ids are URL-safe, carry at least 128 random bits, and are never reused."""
    made, _ = _run(store, steps)
    for session_id in made:
        if not isinstance(session_id, str) or not URL_SAFE.fullmatch(session_id):
            return f"an id {session_id!r} is not a URL-safe text"
        if _bits(session_id) < 128:
            return f"the id {session_id!r} carries at most {_bits(session_id)} random bits"
    if len(set(made)) != len(made):
        again = next(i for i in made if made.count(i) > 1)
        return f"the id {again!r} was given twice, for {steps}"
    return None


@prop(steps=STEPS)
def a_session_carries_the_id_it_is_under(store, steps):
    """get(id) is the session under id, with that id, also after rotate moved it there."""
    _, live = _run(store, steps)
    for session_id in live:
        shown = store.get(session_id)
        fields = _fields(shown) if isinstance(shown, str) else None
        if fields is None:
            return None if shown is not None else f"get({session_id!r}) returned None, alive"
        if fields.get("id", session_id) != session_id or fields.get("user_id") != USER:
            return f"get({session_id!r}) returned {shown}"
    return None


@prop(steps=STEPS)
def destroy_all_counts_every_live_session_of_the_user(store, steps):
    """destroy_all(user) ends every live session of the user and returns how many."""
    _, live = _run(store, steps)
    count = store.destroy_all(USER)
    if count != len(live):
        return (f"after {steps}, {USER!r} had {len(live)} live sessions and "
                f"destroy_all({USER!r}) returned {count!r}")
    for session_id in live:
        if store.get(session_id) is not None:
            return f"get({session_id!r}) still gave a session after destroy_all({USER!r})"
    return None
