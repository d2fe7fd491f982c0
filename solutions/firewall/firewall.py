"""A packet filter: ordered allow/deny rules, first match wins, default deny."""

from __future__ import annotations

import ipaddress
from typing import NamedTuple

ACTIONS = {"allow": True, "deny": False}
PROTOCOLS = ("tcp", "udp", "any")
MIN_PORT, MAX_PORT = 1, 65535

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class RuleSyntaxError(ValueError):
    """A rule that does not follow the grammar; `line` is its 1-based line number."""

    line: int

    def __init__(self, line: int, message: str = "malformed rule") -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line


class _Rule(NamedTuple):
    allow: bool
    protocol: str  # "tcp", "udp" or "any"
    source: Network | None  # None: any source, either version
    ports: tuple[int, int] | None  # inclusive range; None: every port

    def matches(self, protocol: str, source: ipaddress.IPv4Address | ipaddress.IPv6Address,
                port: int) -> bool:
        if self.protocol != "any" and self.protocol != protocol:
            return False
        # `in` across versions is False: an IPv4 rule never matches an IPv6 source.
        if self.source is not None and source not in self.source:
            return False
        return self.ports is None or self.ports[0] <= port <= self.ports[1]


def _port(text: str, line: int) -> int:
    if not text.isdigit() or not text.isascii():
        raise RuleSyntaxError(line, f"port {text!r} is not a number")
    port = int(text)
    if not MIN_PORT <= port <= MAX_PORT:
        raise RuleSyntaxError(line, f"port {port} is outside {MIN_PORT}-{MAX_PORT}")
    return port


def _parse(text: str, line: int) -> _Rule:
    words = text.split()
    if len(words) not in (3, 5):
        raise RuleSyntaxError(line, "expected ACTION PROTO SOURCE [port PORTS]")
    action, protocol, source = (w.lower() for w in words[:3])
    if action not in ACTIONS:
        raise RuleSyntaxError(line, f"unknown action {words[0]!r}")
    if protocol not in PROTOCOLS:
        raise RuleSyntaxError(line, f"unknown protocol {words[1]!r}")
    network = None
    if source != "any":
        try:
            network = ipaddress.ip_network(words[2])  # strict: host bits set raise
        except ValueError as error:
            raise RuleSyntaxError(line, str(error)) from None
    ports = None
    if len(words) == 5:
        if words[3].lower() != "port":
            raise RuleSyntaxError(line, f"expected 'port', got {words[3]!r}")
        low, dash, high = words[4].partition("-")
        ports = (_port(low, line), _port(high, line) if dash else _port(low, line))
        if ports[0] > ports[1]:
            raise RuleSyntaxError(line, f"empty port range {words[4]}")
    return _Rule(ACTIONS[action], protocol, network, ports)


class Firewall:
    """Ordered rules `ACTION PROTO SOURCE [port PORTS]`; the first that matches decides."""

    def __init__(self, rules: str) -> None:
        self._rules: list[_Rule] = []
        for number, raw in enumerate(rules.split("\n"), start=1):
            text = raw.split("#", 1)[0].strip()
            if text:
                self._rules.append(_parse(text, number))

    def allows(self, protocol: str, src_ip: str, dst_port: int) -> bool:
        source = ipaddress.ip_address(src_ip)  # ValueError for anything but one address
        if not MIN_PORT <= dst_port <= MAX_PORT:
            raise ValueError(f"port {dst_port} is outside {MIN_PORT}-{MAX_PORT}")
        protocol = protocol.lower()
        for rule in self._rules:
            if rule.matches(protocol, source, dst_port):
                return rule.allow
        return False
