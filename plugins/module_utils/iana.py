# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""IANA registries as data: Assigned Internet Protocol Numbers (all 256) and common service ports.

Flow-log records carry the IP protocol as a number (``6``); reports show the registry keyword
(``TCP``). Source: https://www.iana.org/assignments/protocol-numbers (keywords as the registry
spells them; the entries without a keyword, e.g. 61 "any host internal protocol", keep an empty
keyword and are named by their description). Service names follow the IANA Service Name and
Transport Protocol Port Number Registry.
"""


# (number, keyword, description). 148-252 are unassigned, 253-254 are for experimentation
# and testing (RFC 3692), 255 is reserved; those ranges are generated below.
_ASSIGNED = (
    (0, "HOPOPT", "IPv6 Hop-by-Hop Option"),
    (1, "ICMP", "Internet Control Message"),
    (2, "IGMP", "Internet Group Management"),
    (3, "GGP", "Gateway-to-Gateway"),
    (4, "IPv4", "IPv4 encapsulation"),
    (5, "ST", "Stream"),
    (6, "TCP", "Transmission Control"),
    (7, "CBT", "CBT"),
    (8, "EGP", "Exterior Gateway Protocol"),
    (9, "IGP", "any private interior gateway (used by Cisco for their IGRP)"),
    (10, "BBN-RCC-MON", "BBN RCC Monitoring"),
    (11, "NVP-II", "Network Voice Protocol"),
    (12, "PUP", "PUP"),
    (13, "ARGUS", "ARGUS (deprecated)"),
    (14, "EMCON", "EMCON"),
    (15, "XNET", "Cross Net Debugger"),
    (16, "CHAOS", "Chaos"),
    (17, "UDP", "User Datagram"),
    (18, "MUX", "Multiplexing"),
    (19, "DCN-MEAS", "DCN Measurement Subsystems"),
    (20, "HMP", "Host Monitoring"),
    (21, "PRM", "Packet Radio Measurement"),
    (22, "XNS-IDP", "XEROX NS IDP"),
    (23, "TRUNK-1", "Trunk-1"),
    (24, "TRUNK-2", "Trunk-2"),
    (25, "LEAF-1", "Leaf-1"),
    (26, "LEAF-2", "Leaf-2"),
    (27, "RDP", "Reliable Data Protocol"),
    (28, "IRTP", "Internet Reliable Transaction"),
    (29, "ISO-TP4", "ISO Transport Protocol Class 4"),
    (30, "NETBLT", "Bulk Data Transfer Protocol"),
    (31, "MFE-NSP", "MFE Network Services Protocol"),
    (32, "MERIT-INP", "MERIT Internodal Protocol"),
    (33, "DCCP", "Datagram Congestion Control Protocol"),
    (34, "3PC", "Third Party Connect Protocol"),
    (35, "IDPR", "Inter-Domain Policy Routing Protocol"),
    (36, "XTP", "XTP"),
    (37, "DDP", "Datagram Delivery Protocol"),
    (38, "IDPR-CMTP", "IDPR Control Message Transport Proto"),
    (39, "TP++", "TP++ Transport Protocol"),
    (40, "IL", "IL Transport Protocol"),
    (41, "IPv6", "IPv6 encapsulation"),
    (42, "SDRP", "Source Demand Routing Protocol"),
    (43, "IPv6-Route", "Routing Header for IPv6"),
    (44, "IPv6-Frag", "Fragment Header for IPv6"),
    (45, "IDRP", "Inter-Domain Routing Protocol"),
    (46, "RSVP", "Reservation Protocol"),
    (47, "GRE", "Generic Routing Encapsulation"),
    (48, "DSR", "Dynamic Source Routing Protocol"),
    (49, "BNA", "BNA"),
    (50, "ESP", "Encap Security Payload"),
    (51, "AH", "Authentication Header"),
    (52, "I-NLSP", "Integrated Net Layer Security TUBA"),
    (53, "SWIPE", "IP with Encryption (deprecated)"),
    (54, "NARP", "NBMA Address Resolution Protocol"),
    (55, "Min-IPv4", "Minimal IPv4 Encapsulation"),
    (56, "TLSP", "Transport Layer Security Protocol using Kryptonet key management"),
    (57, "SKIP", "SKIP"),
    (58, "IPv6-ICMP", "ICMP for IPv6"),
    (59, "IPv6-NoNxt", "No Next Header for IPv6"),
    (60, "IPv6-Opts", "Destination Options for IPv6"),
    (61, "", "any host internal protocol"),
    (62, "CFTP", "CFTP"),
    (63, "", "any local network"),
    (64, "SAT-EXPAK", "SATNET and Backroom EXPAK"),
    (65, "KRYPTOLAN", "Kryptolan"),
    (66, "RVD", "MIT Remote Virtual Disk Protocol"),
    (67, "IPPC", "Internet Pluribus Packet Core"),
    (68, "", "any distributed file system"),
    (69, "SAT-MON", "SATNET Monitoring"),
    (70, "VISA", "VISA Protocol"),
    (71, "IPCV", "Internet Packet Core Utility"),
    (72, "CPNX", "Computer Protocol Network Executive"),
    (73, "CPHB", "Computer Protocol Heart Beat"),
    (74, "WSN", "Wang Span Network"),
    (75, "PVP", "Packet Video Protocol"),
    (76, "BR-SAT-MON", "Backroom SATNET Monitoring"),
    (77, "SUN-ND", "SUN ND PROTOCOL-Temporary"),
    (78, "WB-MON", "WIDEBAND Monitoring"),
    (79, "WB-EXPAK", "WIDEBAND EXPAK"),
    (80, "ISO-IP", "ISO Internet Protocol"),
    (81, "VMTP", "VMTP"),
    (82, "SECURE-VMTP", "SECURE-VMTP"),
    (83, "VINES", "VINES"),
    (84, "IPTM", "Internet Protocol Traffic Manager (also TTP)"),
    (85, "NSFNET-IGP", "NSFNET-IGP"),
    (86, "DGP", "Dissimilar Gateway Protocol"),
    (87, "TCF", "TCF"),
    (88, "EIGRP", "EIGRP"),
    (89, "OSPFIGP", "OSPFIGP"),
    (90, "Sprite-RPC", "Sprite RPC Protocol"),
    (91, "LARP", "Locus Address Resolution Protocol"),
    (92, "MTP", "Multicast Transport Protocol"),
    (93, "AX.25", "AX.25 Frames"),
    (94, "IPIP", "IP-within-IP Encapsulation Protocol"),
    (95, "MICP", "Mobile Internetworking Control Pro. (deprecated)"),
    (96, "SCC-SP", "Semaphore Communications Sec. Pro."),
    (97, "ETHERIP", "Ethernet-within-IP Encapsulation"),
    (98, "ENCAP", "Encapsulation Header"),
    (99, "", "any private encryption scheme"),
    (100, "GMTP", "GMTP"),
    (101, "IFMP", "Ipsilon Flow Management Protocol"),
    (102, "PNNI", "PNNI over IP"),
    (103, "PIM", "Protocol Independent Multicast"),
    (104, "ARIS", "ARIS"),
    (105, "SCPS", "SCPS"),
    (106, "QNX", "QNX"),
    (107, "A/N", "Active Networks"),
    (108, "IPComp", "IP Payload Compression Protocol"),
    (109, "SNP", "Sitara Networks Protocol"),
    (110, "Compaq-Peer", "Compaq Peer Protocol"),
    (111, "IPX-in-IP", "IPX in IP"),
    (112, "VRRP", "Virtual Router Redundancy Protocol"),
    (113, "PGM", "PGM Reliable Transport Protocol"),
    (114, "", "any 0-hop protocol"),
    (115, "L2TP", "Layer Two Tunneling Protocol"),
    (116, "DDX", "D-II Data Exchange (DDX)"),
    (117, "IATP", "Interactive Agent Transfer Protocol"),
    (118, "STP", "Schedule Transfer Protocol"),
    (119, "SRP", "SpectraLink Radio Protocol"),
    (120, "UTI", "UTI"),
    (121, "SMP", "Simple Message Protocol"),
    (122, "SM", "Simple Multicast Protocol (deprecated)"),
    (123, "PTP", "Performance Transparency Protocol"),
    (124, "ISIS over IPv4", "ISIS over IPv4"),
    (125, "FIRE", "FIRE"),
    (126, "CRTP", "Combat Radio Transport Protocol"),
    (127, "CRUDP", "Combat Radio User Datagram"),
    (128, "SSCOPMCE", "SSCOPMCE"),
    (129, "IPLT", "IPLT"),
    (130, "SPS", "Secure Packet Shield"),
    (131, "PIPE", "Private IP Encapsulation within IP"),
    (132, "SCTP", "Stream Control Transmission Protocol"),
    (133, "FC", "Fibre Channel"),
    (134, "RSVP-E2E-IGNORE", "RSVP-E2E-IGNORE"),
    (135, "Mobility Header", "Mobility Header"),
    (136, "UDPLite", "UDPLite"),
    (137, "MPLS-in-IP", "MPLS-in-IP"),
    (138, "manet", "MANET Protocols"),
    (139, "HIP", "Host Identity Protocol"),
    (140, "Shim6", "Shim6 Protocol"),
    (141, "WESP", "Wrapped Encapsulating Security Payload"),
    (142, "ROHC", "Robust Header Compression"),
    (143, "Ethernet", "Ethernet"),
    (144, "AGGFRAG", "AGGFRAG encapsulation payload for ESP"),
    (145, "NSH", "Network Service Header"),
    (146, "Homa", "Homa"),
    (147, "BIT-EMU", "Bit-stream Emulation"),
)
FIRST_UNASSIGNED = 148
EXPERIMENTAL = (253, 254)
RESERVED = 255


def _build_registry():
    registry = {}
    for number, keyword, description in _ASSIGNED:
        registry[number] = dict(number=number, keyword=keyword, description=description, status="assigned")
    for number in range(FIRST_UNASSIGNED, EXPERIMENTAL[0]):
        registry[number] = dict(number=number, keyword="", description="Unassigned", status="unassigned")
    for number in EXPERIMENTAL:
        registry[number] = dict(number=number, keyword="", description="Use for experimentation and testing",
                                status="experimental")
    registry[RESERVED] = dict(number=RESERVED, keyword="Reserved", description="Reserved", status="reserved")
    return registry


PROTOCOLS = _build_registry()
_BY_KEYWORD = dict((entry["keyword"].lower(), number) for number, entry in PROTOCOLS.items()
                   if entry["keyword"] and entry["status"] == "assigned")


def _number(value):
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 <= number <= 255 else None


def protocol_keyword(value):
    """The registry keyword of protocol ``value`` (``6`` or ``"6"`` -> ``"TCP"``), or None.

    Numbers without a keyword (61, 63, 68, 99, 114, unassigned, experimental) give None.
    """
    number = _number(value)
    if number is None:
        return None
    return PROTOCOLS[number]["keyword"] or None


def protocol_name(value):
    """A label for any protocol value: the keyword, else the description, else the value itself."""
    number = _number(value)
    if number is None:
        return str(value)
    entry = PROTOCOLS[number]
    if entry["keyword"] and entry["status"] == "assigned":
        return entry["keyword"]
    if entry["status"] == "assigned":
        return entry["description"]
    return "{0} ({1})".format(entry["description"], number)


def protocol_number(keyword):
    """The number of a registry keyword (case-insensitive: ``"tcp"`` -> 6), or None."""
    return _BY_KEYWORD.get(str(keyword).strip().lower())


# (port, transport) -> IANA service name, for the ports flow-log reports meet most.
SERVICES = {
    (20, "tcp"): "ftp-data", (21, "tcp"): "ftp", (22, "tcp"): "ssh", (23, "tcp"): "telnet",
    (25, "tcp"): "smtp", (53, "tcp"): "domain", (53, "udp"): "domain", (67, "udp"): "bootps",
    (68, "udp"): "bootpc", (69, "udp"): "tftp", (80, "tcp"): "http", (88, "tcp"): "kerberos",
    (88, "udp"): "kerberos", (110, "tcp"): "pop3", (111, "tcp"): "sunrpc", (111, "udp"): "sunrpc",
    (123, "udp"): "ntp", (135, "tcp"): "epmap", (137, "udp"): "netbios-ns", (138, "udp"): "netbios-dgm",
    (139, "tcp"): "netbios-ssn", (143, "tcp"): "imap", (161, "udp"): "snmp", (162, "udp"): "snmptrap",
    (179, "tcp"): "bgp", (389, "tcp"): "ldap", (443, "tcp"): "https", (443, "udp"): "https",
    (445, "tcp"): "microsoft-ds", (465, "tcp"): "submissions", (500, "udp"): "isakmp", (514, "udp"): "syslog",
    (587, "tcp"): "submission", (636, "tcp"): "ldaps", (853, "tcp"): "domain-s", (873, "tcp"): "rsync",
    (993, "tcp"): "imaps", (995, "tcp"): "pop3s", (1194, "udp"): "openvpn", (1433, "tcp"): "ms-sql-s",
    (1521, "tcp"): "ncube-lm", (2049, "tcp"): "nfs", (2049, "udp"): "nfs", (2379, "tcp"): "etcd-client",
    (3306, "tcp"): "mysql", (3389, "tcp"): "ms-wbt-server", (3389, "udp"): "ms-wbt-server",
    (4500, "udp"): "ipsec-nat-t", (5432, "tcp"): "postgresql", (5671, "tcp"): "amqps", (5672, "tcp"): "amqp",
    (5985, "tcp"): "wsman", (5986, "tcp"): "wsmans", (6379, "tcp"): "redis", (6443, "tcp"): "sun-sr-https",
    (8080, "tcp"): "http-alt", (8443, "tcp"): "pcsync-https", (9200, "tcp"): "wap-wsp",
    (11211, "tcp"): "memcache", (27017, "tcp"): "mongodb",
}


def service_name(port, protocol="tcp"):
    """The IANA service name of ``port`` over ``protocol`` (``"tcp"``, ``"udp"``, 6 or 17), or None."""
    transport = protocol_keyword(protocol) if _number(protocol) is not None else str(protocol)
    transport = (transport or "").lower()
    try:
        port = int(str(port).strip())
    except (TypeError, ValueError):
        return None
    return SERVICES.get((port, transport))
