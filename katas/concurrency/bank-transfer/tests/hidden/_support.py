"""What the hidden tests of bank-transfer share: a call started in a thread of the test,
and the balances of a bank as one dict for the failure messages."""

import threading


def started(call):
    """Runs `call()` in a daemon thread; returns the thread and a list holding what it
    returned, or ("raised", exception)."""
    box = []

    def body():
        try:
            box.append(call())
        except BaseException as exc:  # reported by the test that waits for it
            box.append(("raised", exc))

    thread = threading.Thread(target=body, daemon=True)
    thread.start()
    return thread, box


def balances(bank, names):
    """{name: bank.balance(name)} for the names."""
    return {name: bank.balance(name) for name in names}


def unchanged_after(call, bank, names):
    """The balances before and after `call`, for a check that a refused transfer moved
    nothing."""
    before = balances(bank, names)
    call()
    return before, balances(bank, names)
