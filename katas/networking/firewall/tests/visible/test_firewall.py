"""Examples of what the hidden tests check. Run them with: python -m pytest"""

import pytest

from firewall import Firewall, RuleSyntaxError

RULES = """\
# web and ssh from the office
allow tcp any port 80
allow tcp any port 443
deny tcp 10.0.0.13/32
allow tcp 10.0.0.0/8 port 22
allow udp 2001:db8::/32 port 5000-5100
"""


@pytest.mark.rules
def test_first_match_wins_and_nothing_else_passes():
    fw = Firewall(RULES)
    assert fw.allows("tcp", "203.0.113.9", 443) is True
    assert fw.allows("tcp", "203.0.113.9", 22) is False, "no rule matches: deny"
    assert fw.allows("udp", "203.0.113.9", 80) is False, "the port 80 rule is tcp only"


@pytest.mark.rules
def test_port_ranges_include_both_ends():
    fw = Firewall("allow any any port 1000-2000")
    assert [fw.allows("udp", "192.0.2.1", p) for p in (999, 1000, 2000, 2001)] == [
        False, True, True, False]


@pytest.mark.networks
def test_source_networks():
    fw = Firewall(RULES)
    assert fw.allows("tcp", "10.9.8.7", 22) is True
    assert fw.allows("tcp", "10.0.0.13", 22) is False, "denied by the earlier /32 rule"
    assert fw.allows("udp", "2001:db8::42", 5050) is True
    assert fw.allows("udp", "10.0.0.1", 5050) is False, "an IPv6 rule never matches IPv4"


@pytest.mark.errors
def test_a_malformed_rule_names_its_line():
    with pytest.raises(RuleSyntaxError) as caught:
        Firewall("# rules\n\nallow tcp any port 80\nallow tcp 10.0.0.1/8")
    assert caught.value.line == 4, "10.0.0.1/8 has host bits set; lines count from 1"


@pytest.mark.errors
def test_bad_packets_raise_value_error():
    fw = Firewall("allow any any")
    with pytest.raises(ValueError):
        fw.allows("tcp", "10.0.0.300", 80)
    with pytest.raises(ValueError):
        fw.allows("tcp", "10.0.0.1", 0)
