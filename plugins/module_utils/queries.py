# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The named flow-log queries: one data-driven library, used by the insights lookup and the docs.

Each entry says what it is for, where it comes from (the article's queries done right, the Insights
console samples, or ours), its parameters and its template. Templates are ours; parameter values
never reach a query as written: each is validated (``ipaddress`` for CIDRs and addresses,
integers for ports and limits, fixed sets for names) and rendered from its canonical form, and
the rendered text is checked once more, so a parameter cannot inject query text.

Placeholders: ``{name}`` renders a parameter as a literal (quoted string, integer, list items);
``{in:FIELD:name}`` renders a subnet test of FIELD against a CIDR (or an ``or`` of tests for a
CIDR list), ``isIpv4InSubnet`` for IPv4 ranges and ``isIpv6InSubnet`` for IPv6 ones.
"""


import ipaddress
import re

from ansible_collections.netobs.flowlogs.plugins.module_utils import iana
from ansible_collections.netobs.flowlogs.plugins.module_utils.times import epoch_seconds
from ansible_collections.netobs.flowlogs.plugins.module_utils.rules import ValidationError
from ansible_collections.netobs.flowlogs.plugins.module_utils.rules import ec2_id_pattern

REQUIRED = object()
string_types = (str,)
integer_types = (int,)
PRIVATE_RANGES = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")
_PLACEHOLDER = re.compile(r"\{(?:in:([A-Za-z@][A-Za-z0-9_.@]*):)?([a-z_]+)\}")
_ENI = ec2_id_pattern("eni-")
# What a rendered literal may contain: digits, hex, dots, colons, slashes, commas, spaces, quotes
# that we put there ourselves, and the eni- prefix. Anything else means a renderer bug.
_SAFE_LITERAL = re.compile(r'\A[0-9A-Za-z.:/, "\-]*\Z')


class Param:
    """One parameter of a named query: kind, default (REQUIRED if none) and documentation."""

    KINDS = ("cidr", "cidr_list", "port_list", "int", "ip", "eni", "choice", "minute")

    def __init__(self, name, kind, description, default=REQUIRED, minimum=None, maximum=None, choices=None):
        if kind not in self.KINDS:
            raise ValueError("unknown parameter kind {0!r}".format(kind))
        self.name = name
        self.kind = kind
        self.description = description
        self.default = default
        self.minimum = minimum
        self.maximum = maximum
        self.choices = choices

    @property
    def required(self):
        return self.default is REQUIRED

    def to_doc(self):
        doc = dict(name=self.name, kind=self.kind, description=self.description, required=self.required)
        if not self.required:
            doc["default"] = self.default
        if self.choices:
            doc["choices"] = sorted(self.choices)
        if self.minimum is not None:
            doc["minimum"] = self.minimum
        if self.maximum is not None:
            doc["maximum"] = self.maximum
        return doc


class NamedQuery:
    def __init__(self, name, title, origin, purpose, template, params=(), fields=(), time_param=None):
        self.name = name
        self.title = title
        self.origin = origin
        self.purpose = purpose
        self.template = template
        self.params = tuple(params)
        self.fields = tuple(fields)  # discovered flow-log fields the query reads
        self.time_param = time_param  # a "minute" parameter that sets the query's time range

    def param(self, name):
        for param in self.params:
            if param.name == name:
                return param
        return None


class RenderedQuery:
    """A named query with its parameters applied: the text, and a time range it imposes (or None)."""

    def __init__(self, name, text, time_range=None, params=None):
        self.name = name
        self.text = text
        self.time_range = time_range
        self.params = params or {}


def _limit(default, maximum=10000):
    return Param("limit", "int", "How many rows to return.", default=default, minimum=1, maximum=maximum)


_SRC = Param("src_cidr", "cidr", "Source address range (CIDR), e.g. the on-premises range 172.16.0.0/16.")
_DST = Param("dst_cidr", "cidr", "Destination address range (CIDR), e.g. the VPC's 10.0.0.0/16.")
_VPC = Param("vpc_cidr", "cidr_list", "The VPC's CIDR blocks: one CIDR or a list (every VPC of the account).")
_BY_5_TUPLE = "srcAddr, srcPort, dstAddr, dstPort, protocol"

QUERIES = (
    # -- the article's five, as it meant them --------------------------------------------------------------
    NamedQuery(
        "top_transfers_mb", "Top byte transfers by source and destination (MB)", "article",
        "Which address pairs moved the most data, in MB (10^6 bytes). The article sorted on "
        "bytesTransferred, a field its stats no longer produced; this sorts on the MB column it computes.",
        "stats sum(bytes) / 1000 / 1000 as MBTransferred by srcAddr, dstAddr"
        " | sort MBTransferred desc | limit {limit}",
        params=(_limit(10),), fields=("bytes", "srcAddr", "dstAddr")),
    NamedQuery(
        "range_transfers_per_minute", "Top transfers between two address ranges, per minute", "article",
        "Traffic from one range to another (e.g. on-premises to the VPC over Direct Connect or VPN), "
        "per 5-tuple, action and minute. Ranges are CIDR tests, not 'like \"172.16.\"' substring tests, "
        "and the filter runs before stats (after stats, srcAddr no longer exists).",
        "filter {in:srcAddr:src_cidr} and {in:dstAddr:dst_cidr}"
        " | stats sum(bytes) / 1000 / 1000 as MBTransferred by " + _BY_5_TUPLE + ", action, bin(1m) as minute"
        " | sort MBTransferred desc | limit {limit}",
        params=(_SRC, _DST, _limit(100)), fields=("bytes", "srcAddr", "dstAddr", "srcPort", "dstPort", "protocol",
                                                  "action")),
    NamedQuery(
        "busiest_minute_between_ranges", "The busiest minute between two address ranges", "article",
        "The minute(s) with the most data from one range to the other; feed the minute to "
        "top_flows_in_minute to see who used it.",
        "filter {in:srcAddr:src_cidr} and {in:dstAddr:dst_cidr}"
        " | stats sum(bytes) / 1000 / 1000 as MBTransferred by bin(1m) as minute"
        " | sort MBTransferred desc | limit {limit}",
        params=(_SRC, _DST, _limit(1)), fields=("bytes", "srcAddr", "dstAddr")),
    NamedQuery(
        "top_flows_in_minute", "The busiest 5-tuples inside one minute between two ranges", "article",
        "Who used the bandwidth in a given minute: the article moved the console's time picker to that "
        "minute; here the minute parameter sets the query's time range (start to start + 59 s).",
        "".join(("filter {in:srcAddr:src_cidr} and {in:dstAddr:dst_cidr}",
                 " | stats sum(bytes) / 1000 / 1000 as MBTransferred by ", _BY_5_TUPLE,
                 " | sort MBTransferred desc | limit {limit}")),
        params=(_SRC, _DST, Param("minute", "minute", "The minute to look into: ISO 8601 (2024-05-01T16:22) or "
                                                      "epoch seconds; seconds are dropped."), _limit(10)),
        fields=("bytes", "srcAddr", "dstAddr", "srcPort", "dstPort", "protocol"), time_param="minute"),
    NamedQuery(
        "top_egress_to_internet", "Top egress from the VPC to outside (NAT gateway traffic)", "article",
        "Accepted traffic from inside the VPC to addresses outside it and outside the internal ranges "
        "(on-premises is not internet egress). With nat_address, only what the NAT gateway itself sent "
        "out (a VPC flow log sees NAT traffic on the instance's ENI and twice on the NAT's ENI).",
        "filter logStatus = \"OK\" and action = \"ACCEPT\" and {in:srcAddr:vpc_cidr}"
        " and not {in:dstAddr:vpc_cidr} and not {in:dstAddr:internal_cidrs}{nat_filter}"
        " | stats sum(bytes) / 1000 / 1000 as MBTransferred by srcAddr, dstAddr"
        " | sort MBTransferred desc | limit {limit}",
        params=(_VPC, Param("internal_cidrs", "cidr_list", "Ranges that are not the internet.",
                            default=list(PRIVATE_RANGES)),
                Param("nat_address", "ip", "The NAT gateway's private address (optional).", default=None),
                _limit(10)),
        fields=("bytes", "srcAddr", "dstAddr", "action", "logStatus")),
    # -- the Insights console's VPC flow-log samples, verbatim ------------------------------------------------
    NamedQuery(
        "bytes_stats_by_pair", "Average, min, and max byte transfers by source and destination", "console",
        "Console sample: the size distribution of records per address pair.",
        "stats avg(bytes), min(bytes), max(bytes) by srcAddr, dstAddr", fields=("bytes", "srcAddr", "dstAddr")),
    NamedQuery(
        "udp_sources", "IP addresses using UDP transfer protocol", "console",
        "Console sample: records per source address for protocol 17 (UDP).",
        "filter protocol=17 | stats count(*) by srcAddr", fields=("protocol", "srcAddr")),
    NamedQuery(
        "top_byte_transfers", "Top 10 byte transfers by source and destination IP addresses", "console",
        "Console sample: the ten address pairs with the most bytes.",
        "stats sum(bytes) as bytesTransferred by srcAddr, dstAddr | sort bytesTransferred desc | limit 10",
        fields=("bytes", "srcAddr", "dstAddr")),
    NamedQuery(
        "top_rejected_sources", "Top 20 source IP addresses with highest number of rejected requests", "console",
        "Console sample: who is being rejected most (scanners, misconfigured clients).",
        "filter action=\"REJECT\" | stats count(*) as numRejections by srcAddr"
        " | sort numRejections desc | limit 20", fields=("action", "srcAddr")),
    # -- ours --------------------------------------------------------------------------------------------------
    NamedQuery(
        "rejected_by_port", "Rejected flows by destination port (SSH/RDP scans)", "netobs",
        "Rejected records and distinct sources per destination port: a port scanned by many sources "
        "(22 SSH, 3389 RDP by default) shows up at the top.",
        "filter action = \"REJECT\" and protocol = {protocol} and dstPort in [{ports}]"
        " | stats count(*) as rejections, count_distinct(srcAddr) as sources by dstPort"
        " | sort rejections desc",
        params=(Param("ports", "port_list", "Destination ports to count.", default=[22, 3389]),
                Param("protocol", "choice", "Transport protocol.", default="tcp", choices=("tcp", "udp"))),
        fields=("action", "protocol", "dstPort", "srcAddr")),
    NamedQuery(
        "top_talkers_per_eni", "Top talkers per network interface", "netobs",
        "Bytes and packets per ENI and source address: which interface, and who on it, moves the data.",
        "filter logStatus = \"OK\"{eni_filter}"
        " | stats sum(bytes) as bytesTransferred, sum(packets) as packetsTransferred by interfaceId, srcAddr"
        " | sort bytesTransferred desc | limit {limit}",
        params=(Param("interface_id", "eni", "Only this ENI (optional).", default=None), _limit(20)),
        fields=("logStatus", "bytes", "packets", "interfaceId", "srcAddr")),
    NamedQuery(
        "protocol_mix", "Protocol mix", "netobs",
        "Records, bytes and packets per IP protocol number; the protocol_name filter (iana.py) turns "
        "6/17/1 into TCP/UDP/ICMP in reports.",
        "filter logStatus = \"OK\""
        " | stats count(*) as flows, sum(bytes) as bytesTransferred, sum(packets) as packetsTransferred"
        " by protocol | sort bytesTransferred desc",
        fields=("logStatus", "protocol", "bytes", "packets")),
    NamedQuery(
        "vpc_onprem_traffic", "Traffic between the VPC and on-premises ranges", "netobs",
        "Both directions between the VPC and the on-premises ranges (Direct Connect / VPN), per "
        "address pair and action, in MB.",
        "filter ({in:srcAddr:vpc_cidr} and {in:dstAddr:onprem_cidrs})"
        " or ({in:srcAddr:onprem_cidrs} and {in:dstAddr:vpc_cidr})"
        " | stats sum(bytes) / 1000 / 1000 as MBTransferred, count(*) as flows by srcAddr, dstAddr, action"
        " | sort MBTransferred desc | limit {limit}",
        params=(_VPC, Param("onprem_cidrs", "cidr_list", "The on-premises ranges."), _limit(50)),
        fields=("bytes", "srcAddr", "dstAddr", "action")),
    NamedQuery(
        "log_status_per_hour", "Flow-log health: OK / NODATA / SKIPDATA records per hour", "netobs",
        "Is logging healthy? NODATA means no traffic in the window; SKIPDATA means records were "
        "skipped (capacity or an internal error) and the data has gaps.",
        "stats count(*) as records by bin(1h) as hour, logStatus | sort hour asc, logStatus asc",
        fields=("logStatus",)),
)
NAMED_QUERIES = dict((query.name, query) for query in QUERIES)
_OPTIONAL_FRAGMENTS = {
    # Fragments that exist only when an optional parameter is set, built from its rendered value.
    "nat_filter": ("nat_address", " and srcAddr = {nat_address}"),
    "eni_filter": ("interface_id", " and interfaceId = {interface_id}"),
}


def is_named(term):
    return term in NAMED_QUERIES


def looks_like_a_name(term):
    """A bare identifier: meant as a named query (a query text always has a command and spaces or |)."""
    return bool(re.match(r"\A[a-z][a-z0-9_]*\Z", term or ""))


# -- validation ------------------------------------------------------------------------------------------------

def _fail(param, message, allowed=None):
    raise ValidationError("params.{0}".format(param), message, allowed=allowed)


def _cidr(name, value):
    if not isinstance(value, string_types):
        _fail(name, "must be a CIDR string such as 10.0.0.0/16, got {0!r}".format(value))
    try:
        return ipaddress.ip_network(value.strip(), strict=True)
    except ValueError as exc:
        _fail(name, "{0!r} is not a valid CIDR: {1}".format(value, exc))


def _as_list(name, value):
    if isinstance(value, string_types):
        value = [piece for piece in value.split(",") if piece.strip()]
    if not isinstance(value, (list, tuple)) or not value:
        _fail(name, "must be a non-empty list")
    if len(value) > 20:
        _fail(name, "at most 20 items, got {0}".format(len(value)))
    return list(value)


def _integer(name, value, minimum=None, maximum=None):
    if isinstance(value, bool):
        _fail(name, "must be an integer, got {0!r}".format(value))
    if isinstance(value, string_types) and re.match(r"\A\s*\d+\s*\Z", value):
        value = int(value)
    if not isinstance(value, integer_types):
        _fail(name, "must be an integer, got {0!r}".format(value))
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        _fail(name, "must be between {0} and {1}, got {2}".format(minimum, maximum, value))
    return int(value)


def parse_minute(name, value):
    """Epoch seconds of the start of the minute ``value`` names (ISO 8601 in UTC unless offset, or epoch)."""
    seconds = epoch_seconds("params.{0}".format(name), value, fractions=False)
    return seconds - seconds % 60


def validate(param, value):
    """The canonical value of ``param`` for ``value``, or ValidationError naming the parameter."""
    name = param.name
    kind = param.kind
    if value is None:
        return None
    if kind == "cidr":
        return _cidr(name, value)
    if kind == "cidr_list":
        return [_cidr(name, item) for item in _as_list(name, value)]
    if kind == "port_list":
        return [_integer(name, item, 0, 65535) for item in _as_list(name, value)]
    if kind == "int":
        return _integer(name, value, param.minimum, param.maximum)
    if kind == "ip":
        if not isinstance(value, string_types):
            _fail(name, "must be an IP address string, got {0!r}".format(value))
        try:
            return ipaddress.ip_address(value.strip())
        except ValueError:
            _fail(name, "{0!r} is not an IP address".format(value))
    if kind == "eni":
        if not isinstance(value, string_types) or not _ENI.match(value.strip()):
            _fail(name, "{0!r} is not a network interface id (eni- and 8 or 17 hex digits)".format(value))
        return value.strip()
    if kind == "choice":
        text = value.strip().lower() if isinstance(value, string_types) else value
        if text not in param.choices:
            _fail(name, "{0!r} is not allowed".format(value), allowed=param.choices)
        return text
    if kind == "minute":
        return parse_minute(name, value)
    raise ValueError(kind)  # pragma: no cover - Param() rejects other kinds


# -- rendering -------------------------------------------------------------------------------------------------

def _quoted(text):
    text = str(text)
    if not _SAFE_LITERAL.match(text) or '"' in text:
        raise ValueError("refusing to render {0!r} into a query".format(text))
    return '"{0}"'.format(text)


def _literal(param, value):
    if param.kind in ("cidr", "ip", "eni"):
        return _quoted(value)
    if param.kind == "cidr_list":
        return ", ".join(_quoted(item) for item in value)
    if param.kind == "port_list":
        return ", ".join(str(int(port)) for port in value)
    if param.kind == "int":
        return str(int(value))
    if param.kind == "choice" and param.name == "protocol":
        return str(iana.protocol_number(value))
    return _quoted(value)


def _subnet_test(field, networks):
    tests = []
    for network in networks:
        function = "isIpv4InSubnet" if network.version == 4 else "isIpv6InSubnet"
        tests.append("{0}({1}, {2})".format(function, field, _quoted(network)))
    return tests[0] if len(tests) == 1 else "(" + " or ".join(tests) + ")"


def get(name):
    if name not in NAMED_QUERIES:
        raise ValidationError("query", "{0!r} is not a named query".format(name), allowed=sorted(NAMED_QUERIES))
    return NAMED_QUERIES[name]


def render(name, params=None):
    """Validate ``params`` for the named query ``name`` and return a RenderedQuery."""
    query = get(name)
    params = dict(params or {})
    known = set(p.name for p in query.params)
    unknown = sorted(set(params) - known)
    if unknown:
        raise ValidationError("params", "{0} does not take {1}".format(name, ", ".join(unknown)),
                              allowed=sorted(known) or ["(no parameters)"])
    values = {}
    for param in query.params:
        raw = params.get(param.name, None if param.required else param.default)
        if raw is None and param.required:
            _fail(param.name, "is required by {0}".format(name))
        values[param.name] = validate(param, raw)

    def expand(template):
        def substitute(match):
            field, param_name = match.group(1), match.group(2)
            if param_name in _OPTIONAL_FRAGMENTS:
                source, fragment = _OPTIONAL_FRAGMENTS[param_name]
                return expand(fragment) if values.get(source) is not None else ""
            param = query.param(param_name)
            value = values[param_name]
            if field:
                return _subnet_test(field, value if isinstance(value, list) else [value])
            return _literal(param, value)
        return _PLACEHOLDER.sub(substitute, template)

    text = expand(query.template)
    time_range = None
    if query.time_param:
        start = values[query.time_param]
        time_range = (start, start + 59)
    shown = dict((key, str(value) if not isinstance(value, (list, int)) else value) for key, value in values.items())
    return RenderedQuery(name, text, time_range=time_range, params=shown)


def catalogue():
    """Every named query as plain data (for docs, ``ansible-doc`` and tests)."""
    return [dict(name=q.name, title=q.title, origin=q.origin, purpose=q.purpose, template=q.template,
                 params=[p.to_doc() for p in q.params], fields=list(q.fields)) for q in QUERIES]


# -- one query over several log formats ------------------------------------------------------------------------
