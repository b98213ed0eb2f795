"""The IANA protocol-number registry and service names as data."""

import pytest

from ansible_collections.netobs.flowlogs.plugins.module_utils import iana


def test_registry_covers_every_protocol_number_once():
    assert sorted(iana.PROTOCOLS) == list(range(256))
    assert all(entry["number"] == number for number, entry in iana.PROTOCOLS.items())


@pytest.mark.parametrize("number, keyword", [
    (0, "HOPOPT"), (1, "ICMP"), (2, "IGMP"), (4, "IPv4"), (6, "TCP"), (17, "UDP"), (41, "IPv6"), (47, "GRE"),
    (50, "ESP"), (51, "AH"), (58, "IPv6-ICMP"), (88, "EIGRP"), (89, "OSPFIGP"), (103, "PIM"), (112, "VRRP"),
    (132, "SCTP"), (136, "UDPLite"), (142, "ROHC"), (143, "Ethernet"), (144, "AGGFRAG"), (145, "NSH"),
])
def test_well_known_keywords(number, keyword):
    assert iana.protocol_keyword(number) == keyword
    assert iana.protocol_keyword(str(number)) == keyword
    assert iana.protocol_number(keyword.lower()) == number


def test_unassigned_experimental_and_reserved_ranges():
    assert all(iana.PROTOCOLS[n]["status"] == "unassigned" for n in range(148, 253))
    assert [iana.PROTOCOLS[n]["status"] for n in (253, 254, 255)] == ["experimental", "experimental", "reserved"]
    assert iana.protocol_keyword(200) is None
    assert iana.protocol_name(200) == "Unassigned (200)"
    assert iana.protocol_name(253) == "Use for experimentation and testing (253)"
    assert iana.protocol_name(255) == "Reserved (255)"


def test_numbers_without_keyword_are_named_by_description():
    assert iana.protocol_keyword(61) is None
    assert iana.protocol_name(61) == "any host internal protocol"


@pytest.mark.parametrize("value", [-1, 256, "tcp", None, "6.5"])
def test_out_of_range_or_non_numbers_are_not_protocols(value):
    assert iana.protocol_keyword(value) is None
    assert iana.protocol_name(value) == str(value)


def test_keywords_are_unique_among_assigned_numbers():
    keywords = [e["keyword"].lower() for e in iana.PROTOCOLS.values() if e["keyword"] and e["status"] == "assigned"]
    assert len(keywords) == len(set(keywords))


@pytest.mark.parametrize("port, protocol, name", [
    (22, "tcp", "ssh"), (3389, 6, "ms-wbt-server"), (53, 17, "domain"), (123, "udp", "ntp"), (443, "6", "https"),
    (5432, "tcp", "postgresql"), (9999, "tcp", None), (123, "tcp", None), ("x", "tcp", None),
])
def test_service_names(port, protocol, name):
    assert iana.service_name(port, protocol) == name
