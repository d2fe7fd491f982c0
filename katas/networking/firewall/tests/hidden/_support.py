"""What the hidden tests of firewall share (imported by name: `from _support import check`).

It runs in the grader like the tests: plain functions, nothing of the learner's called at
import."""

from harness.testing import call_each
from firewall import Firewall


def check(rules, packets, why=""):
    """Asks the firewall built from `rules` about each (protocol, src_ip, port, expected)."""
    fw = Firewall(rules)
    got = call_each(fw, "allows", [(proto, ip, port) for proto, ip, port, _ in packets])
    for (proto, ip, port, expected), answer in zip(packets, got):
        assert answer == expected, (
            f"Firewall({rules!r}).allows({proto!r}, {ip!r}, {port}) returned {answer!r}, "
            f"expected {expected}{why}")
