"""A firewall: ordered allow/deny rules over protocol, source network and port.

Fill in every method marked TODO. `kata check` tells you which task to work on next;
`kata hint` helps when you are stuck. The docstrings are the contract.
"""

from __future__ import annotations


class RuleSyntaxError(ValueError):
    """A rule that does not follow the grammar. `line` is the 1-based number of its line in
    the text given to Firewall, counting every line (blank lines and comments too)."""

    line: int

    def __init__(self, line: int, message: str = "malformed rule") -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line


class Firewall:
    """Decides whether a packet may pass, from rules written one per line:

        ACTION PROTO SOURCE [port PORTS]

    - ACTION is `allow` or `deny`; PROTO is `tcp`, `udp` or `any` (either protocol).
    - SOURCE is an IPv4 or IPv6 network in CIDR notation (`10.0.0.0/8`, `2001:db8::/32`)
      or `any` (every address, IPv4 and IPv6). A network with host bits set
      (`10.0.0.1/8`) is malformed.
    - PORTS is one port `N` or an inclusive range `N-M`, each from 1 to 65535; a range
      whose start is above its end (`90-80`) is malformed. Without `port PORTS` the rule
      matches every port.
    - Keywords (allow, deny, tcp, udp, any, port) are case-insensitive.
    - Blank lines and comment lines (starting with `#`, possibly after spaces) are ignored.

    Left to you (the tests never depend on it): whether a bare address without `/len` is
    one host (/32 or /128) or malformed; whether words may be separated by several spaces
    or tabs; whether a `#` after a rule starts a comment; what `allows` does with a
    protocol other than "tcp" or "udp".

    Rules are tried in order: the first rule that matches the packet decides; a packet
    that no rule matches is denied. An IPv4 network never matches an IPv6 source and an
    IPv6 network never matches an IPv4 source, even an IPv4-mapped one (`::ffff:10.0.0.1`
    is an IPv6 address).
    """

    def __init__(self, rules: str) -> None:
        """Parses every line of `rules`. The first malformed line raises RuleSyntaxError
        with its 1-based line number in `.line`."""
        # TODO: parse the rules, in order
        raise NotImplementedError

    def allows(self, protocol: str, src_ip: str, dst_port: int) -> bool:
        """True if the first rule matching (protocol, src_ip, dst_port) allows it; False if
        it denies it or no rule matches.

        `protocol` is "tcp" or "udp"; `src_ip` one IPv4 or IPv6 address. A `src_ip` that is
        not a valid address, or a `dst_port` outside 1-65535, raises ValueError.
        """
        # TODO: find the first matching rule
        raise NotImplementedError
