"""What the catalog fixes about retransmission, checked by `kata compare` on the learner's
Sender alone. How many packets go out again once rto has passed is free (a timer per
packet resends each one that is due; TCP's single timer resends only the oldest, and backs
off), so the reference's count is no yardstick; but "a packet is retransmitted only after
`rto` without an ack" bounds it, whatever the packet format: over the model's recording
channel, where nothing is ever acknowledged, a message goes out again only `rto` after it
last went out, so in any stretch of time no longer than rto each message can go out again
at most once, and only a message first sent at least rto before the stretch ends."""

from harness.properties import prop

RTO = 5.0  # the model's Sender: Sender(channel, 5.0, window, clock)
MESSAGES = {"list": {"list": {"bytes": ["a", "b", ""]}, "max": 3}, "max": 4}
# halves only: every time is exact in binary, so no sum lands a hair off rto
WAITS = {"list": {"one_of": [0.5, 1, 2.5, 4.5, 5, 6]}, "max": 10}


@prop(max_operations=1, batches=MESSAGES, waits=WAITS)
def a_message_goes_out_again_only_rto_after_it_last_went_out(sender, batches, waits):
    """A packet is retransmitted only after rto without an ack."""
    now = 0.0  # seconds since the property's first call
    count = sender.sent()  # packets so far: a send before the property's calls, or none
    first_sent: list[float] = [now] * count
    again: list[tuple[float, int]] = []  # (when, how many packets went out again)
    for step in range(max(len(batches), len(waits))):
        for message in batches[step] if step < len(batches) else []:
            sender.send(message)
            total = sender.sent()
            out, count = total - count, total
            if out:  # its first transmission, unless the window is full
                first_sent.append(now)
            if out > 1:
                again.append((now, out - 1))
        if step < len(waits):
            sender.wait(waits[step])
            now += waits[step]
            sender.tick()
            total = sender.sent()
            out, count = total - count, total
            if out:
                again.append((now, out))
        for when, _ in again:
            stretch = sum(n for at, n in again if when - RTO < at <= when)
            due = sum(1 for sent_at in first_sent if sent_at <= when - RTO)
            if stretch > due:
                return (f"{stretch} packet(s) went out again in the {RTO:g} s up to "
                        f"{when:g} s (counted from the first call above), when only {due} "
                        f"message(s) had been out for {RTO:g} s")
    return None
