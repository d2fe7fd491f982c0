"""A correct alternative without ipaddress: a regular expression for the grammar, addresses
parsed by socket.inet_pton into integers, networks matched with masks."""

import re
import socket

RULE = re.compile(r"(allow|deny)\s+(tcp|udp|any)\s+(\S+)(?:\s+port\s+([0-9]+)(?:-([0-9]+))?)?",
                  re.IGNORECASE | re.ASCII)
FAMILIES = ((4, socket.AF_INET, 32), (6, socket.AF_INET6, 128))


class RuleSyntaxError(ValueError):
    """A rule that does not follow the grammar; `line` is its 1-based line number."""

    line: int

    def __init__(self, line, message="malformed rule"):
        super().__init__(f"line {line}: {message}")
        self.line = line


def parse_address(text):
    """(version, integer, bits) of one IPv4 or IPv6 address; ValueError otherwise."""
    for version, family, bits in FAMILIES:
        try:
            packed = socket.inet_pton(family, text)
        except (OSError, ValueError, TypeError):
            continue
        return version, int.from_bytes(packed, "big"), bits
    raise ValueError(f"not an IP address: {text!r}")


def parse_network(text):
    """(version, network, mask) of 'address/length'; None when malformed (host bits too)."""
    address, slash, length = text.partition("/")
    if not slash or not re.fullmatch(r"[0-9]{1,3}", length):
        return None
    try:
        version, value, bits = parse_address(address)
    except ValueError:
        return None
    if int(length) > bits:
        return None
    mask = ((1 << bits) - 1) ^ ((1 << (bits - int(length))) - 1)
    if value & ~mask:
        return None  # host bits set
    return version, value, mask


class Firewall:
    def __init__(self, rules):
        self.rules = []
        for number, line in enumerate(rules.split("\n"), 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            found = RULE.fullmatch(line)
            if found is None:
                raise RuleSyntaxError(number)
            action, proto, source, low, high = found.groups()
            network = None
            if source.lower() != "any":
                network = parse_network(source)
                if network is None:
                    raise RuleSyntaxError(number, f"bad network {source!r}")
            ports = None
            if low is not None:
                ports = (int(low), int(high if high is not None else low))
                if not 1 <= ports[0] <= ports[1] <= 65535:
                    raise RuleSyntaxError(number, f"bad ports {low}-{high}")
            self.rules.append((action.lower() == "allow", proto.lower(), network, ports))

    def allows(self, protocol, src_ip, dst_port):
        version, value, _ = parse_address(src_ip)
        if not 1 <= dst_port <= 65535:
            raise ValueError(f"port {dst_port} is outside 1-65535")
        for allow, proto, network, ports in self.rules:
            if proto != "any" and proto != protocol:
                continue
            if network is not None:
                net_version, net, mask = network
                if net_version != version or value & mask != net:
                    continue
            if ports is not None and not ports[0] <= dst_port <= ports[1]:
                continue
            return allow
        return False
