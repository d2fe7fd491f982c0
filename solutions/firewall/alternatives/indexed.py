"""A correct alternative: ipaddress for the addresses, and an index of the rules by
(protocol, IP version), each list in rule order, so a packet scans only its candidates."""

import ipaddress
import re

PORTS = re.compile(r"([0-9]+)(?:-([0-9]+))?", re.ASCII)


class RuleSyntaxError(ValueError):
    """A rule that does not follow the grammar; `line` is its 1-based line number."""

    line: int

    def __init__(self, line, message="malformed rule"):
        super().__init__(f"line {line}: {message}")
        self.line = line


class Firewall:
    def __init__(self, rules):
        self.index = {(proto, version): [] for proto in ("tcp", "udp") for version in (4, 6)}
        for number, line in enumerate(rules.split("\n"), start=1):
            words = line.split("#")[0].split()
            if words:
                self._add(number, words)

    def _add(self, number, words):
        def bad(why):
            return RuleSyntaxError(number, why)

        if len(words) not in (3, 5):
            raise bad("expected ACTION PROTO SOURCE [port PORTS]")
        action, proto, source = (word.lower() for word in words[:3])
        if action not in ("allow", "deny") or proto not in ("tcp", "udp", "any"):
            raise bad("unknown action or protocol")
        if source == "any":
            network, versions = None, (4, 6)
        else:
            try:
                network = ipaddress.ip_network(source)
            except ValueError as error:
                raise bad(str(error)) from None
            versions = (network.version,)
        ports = range(1, 65536)
        if len(words) == 5:
            found = PORTS.fullmatch(words[4])
            if words[3].lower() != "port" or found is None:
                raise bad("expected port N or port N-M")
            low, high = int(found[1]), int(found[2] or found[1])
            if not 1 <= low <= high <= 65535:
                raise bad("ports are 1-65535, the start not above the end")
            ports = range(low, high + 1)
        protos = ("tcp", "udp") if proto == "any" else (proto,)
        for p in protos:
            for version in versions:
                self.index[(p, version)].append((action == "allow", network, ports))

    def allows(self, protocol, src_ip, dst_port):
        address = ipaddress.ip_address(src_ip)
        if dst_port not in range(1, 65536):
            raise ValueError(f"port {dst_port} is outside 1-65535")
        for allow, network, ports in self.index.get((protocol, address.version), ()):
            if (network is None or address in network) and dst_port in ports:
                return allow
        return False
