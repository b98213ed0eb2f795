# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The flow-log record field catalogue: the one list every part of the collection uses.

Sources: the VPC user guide's "Flow log records" (v2-v5), the Transit Gateway flow-log guide
(v6), and AWS's What's New posts for v7-v11 (see docs/flow-log-formats.md). A flow log's
``log_format`` option is validated and normalised here, the traffic synthesizer writes
records in these fields, and the Insights helper maps them to the camelCase names Logs
Insights uses.
"""


import re

from ansible_collections.netobs.flowlogs.plugins.module_utils.rules import (
    TRANSIT_GATEWAY_RESOURCE_TYPES,
    ValidationError,
)

# (field, version, kind, scope). kind: int | ip | str. scope: vpc | tgw | both.
_CATALOGUE = (
    ("version", 2, "int", "both"),
    ("account-id", 2, "str", "both"),
    ("interface-id", 2, "str", "vpc"),
    ("srcaddr", 2, "ip", "both"),
    ("dstaddr", 2, "ip", "both"),
    ("srcport", 2, "int", "both"),
    ("dstport", 2, "int", "both"),
    ("protocol", 2, "int", "both"),
    ("packets", 2, "int", "both"),
    ("bytes", 2, "int", "both"),
    ("start", 2, "int", "both"),
    ("end", 2, "int", "both"),
    ("action", 2, "str", "vpc"),
    ("log-status", 2, "str", "both"),
    ("vpc-id", 3, "str", "vpc"),
    ("subnet-id", 3, "str", "vpc"),
    ("instance-id", 3, "str", "vpc"),
    ("tcp-flags", 3, "int", "both"),
    ("type", 3, "str", "both"),
    ("pkt-srcaddr", 3, "ip", "vpc"),
    ("pkt-dstaddr", 3, "ip", "vpc"),
    ("region", 4, "str", "both"),
    ("az-id", 4, "str", "vpc"),
    ("sublocation-type", 4, "str", "vpc"),
    ("sublocation-id", 4, "str", "vpc"),
    ("pkt-src-aws-service", 5, "str", "both"),
    ("pkt-dst-aws-service", 5, "str", "both"),
    ("flow-direction", 5, "str", "both"),
    ("traffic-path", 5, "int", "vpc"),
    ("resource-type", 6, "str", "tgw"),
    ("tgw-id", 6, "str", "tgw"),
    ("tgw-attachment-id", 6, "str", "tgw"),
    ("tgw-src-vpc-account-id", 6, "str", "tgw"),
    ("tgw-dst-vpc-account-id", 6, "str", "tgw"),
    ("tgw-src-vpc-id", 6, "str", "tgw"),
    ("tgw-dst-vpc-id", 6, "str", "tgw"),
    ("tgw-src-subnet-id", 6, "str", "tgw"),
    ("tgw-dst-subnet-id", 6, "str", "tgw"),
    ("tgw-src-eni", 6, "str", "tgw"),
    ("tgw-dst-eni", 6, "str", "tgw"),
    ("tgw-src-az-id", 6, "str", "tgw"),
    ("tgw-dst-az-id", 6, "str", "tgw"),
    ("tgw-pair-attachment-id", 6, "str", "tgw"),
    ("packets-lost-no-route", 6, "int", "tgw"),
    ("packets-lost-blackhole", 6, "int", "tgw"),
    ("packets-lost-mtu-exceeded", 6, "int", "tgw"),
    ("packets-lost-ttl-expired", 6, "int", "tgw"),
    ("ecs-cluster-arn", 7, "str", "vpc"),
    ("ecs-cluster-name", 7, "str", "vpc"),
    ("ecs-container-instance-arn", 7, "str", "vpc"),
    ("ecs-container-instance-id", 7, "str", "vpc"),
    ("ecs-container-id", 7, "str", "vpc"),
    ("ecs-second-container-id", 7, "str", "vpc"),
    ("ecs-service-name", 7, "str", "vpc"),
    ("ecs-task-definition-arn", 7, "str", "vpc"),
    ("ecs-task-arn", 7, "str", "vpc"),
    ("ecs-task-id", 7, "str", "vpc"),
    ("reject-reason", 8, "str", "vpc"),
    ("resource-id", 9, "str", "vpc"),
    ("encryption-status", 10, "int", "vpc"),
    ("instance-tag", 11, "str", "vpc"),
    ("instance-tag-2", 11, "str", "vpc"),
    ("interface-tag", 11, "str", "vpc"),
    ("interface-tag-2", 11, "str", "vpc"),
    ("asg-tag", 11, "str", "vpc"),
    ("asg-tag-2", 11, "str", "vpc"),
    ("interface-type", 11, "str", "vpc"),
    ("next-hop-interface-id", 11, "str", "vpc"),
    ("next-hop-subnet-id", 11, "str", "vpc"),
    ("next-hop-az-id", 11, "str", "vpc"),
    ("next-hop-vpc-id", 11, "str", "vpc"),
    ("next-hop-interface-type", 11, "str", "vpc"),
)

# Logs Insights discovers the v2 fields of a default-format flow log under these names.
_INSIGHTS_V2_NAMES = {
    "account-id": "accountId", "interface-id": "interfaceId", "srcaddr": "srcAddr", "dstaddr": "dstAddr",
    "srcport": "srcPort", "dstport": "dstPort", "start": "startTime", "end": "endTime", "log-status": "logStatus",
    "pkt-srcaddr": "pktSrcAddr", "pkt-dstaddr": "pktDstAddr",
}

FIELD_NAMES = tuple(entry[0] for entry in _CATALOGUE)
FIELD_VERSION = dict((entry[0], entry[1]) for entry in _CATALOGUE)
FIELD_KIND = dict((entry[0], entry[2]) for entry in _CATALOGUE)
FIELD_SCOPE = dict((entry[0], entry[3]) for entry in _CATALOGUE)
MAX_VERSION = max(FIELD_VERSION.values())
VPC_VERSIONS = tuple(sorted(set(v for f, v in FIELD_VERSION.items() if FIELD_SCOPE[f] != "tgw")))
DEFAULT_FIELDS = tuple(f for f in FIELD_NAMES if FIELD_VERSION[f] == 2)
# The TGW default format, as DescribeFlowLogs reports it for a TGW flow log without LogFormat.
TGW_DEFAULT_FIELDS = (
    "version", "resource-type", "account-id", "tgw-id", "tgw-attachment-id", "tgw-src-vpc-account-id",
    "tgw-dst-vpc-account-id", "tgw-src-vpc-id", "tgw-dst-vpc-id", "tgw-src-subnet-id", "tgw-dst-subnet-id",
    "tgw-src-eni", "tgw-dst-eni", "tgw-src-az-id", "tgw-dst-az-id", "tgw-pair-attachment-id", "srcaddr",
    "dstaddr", "srcport", "dstport", "protocol", "packets", "bytes", "start", "end", "log-status", "type",
    "packets-lost-no-route", "packets-lost-blackhole", "packets-lost-mtu-exceeded", "packets-lost-ttl-expired",
    "tcp-flags", "region", "flow-direction", "pkt-src-aws-service", "pkt-dst-aws-service",
)
_TOKEN = re.compile(r"\$\{([^}]*)\}")


def insights_name(field):
    """The name Logs Insights (and our engine's parse prefix) uses for ``field``: camelCase."""
    if field in _INSIGHTS_V2_NAMES:
        return _INSIGHTS_V2_NAMES[field]
    head, _sep, rest = field.partition("-")
    return head + "".join(part[:1].upper() + part[1:] for part in rest.split("-") if part)


def format_string(fields):
    return " ".join("${%s}" % field for field in fields)


DEFAULT_LOG_FORMAT = format_string(DEFAULT_FIELDS)
TGW_DEFAULT_LOG_FORMAT = format_string(TGW_DEFAULT_FIELDS)


def fields_of_format(log_format):
    """The field names of a ``${a} ${b}`` format string (no validation)."""
    return [match.group(1) for match in _TOKEN.finditer(log_format or "")]


def fields_up_to_version(version, resource_type="VPC"):
    scope = "tgw" if resource_type in TRANSIT_GATEWAY_RESOURCE_TYPES else "vpc"
    return [f for f in FIELD_NAMES if FIELD_VERSION[f] <= version and FIELD_SCOPE[f] in (scope, "both")]


def record_version(fields):
    """The version number a record of these fields carries: the highest version among them."""
    return max(FIELD_VERSION[f] for f in fields)


def _check_fields(fields, resource_type, param):
    if not fields:
        raise ValidationError(param, "a custom format must name at least one field")
    unknown = [f for f in fields if f not in FIELD_VERSION]
    if unknown:
        raise ValidationError(param, "unknown field(s) {0}".format(", ".join(repr(f) for f in unknown)),
                              allowed=FIELD_NAMES)
    is_tgw = resource_type in TRANSIT_GATEWAY_RESOURCE_TYPES
    wrong = [f for f in fields if FIELD_SCOPE[f] == ("vpc" if is_tgw else "tgw")]
    if wrong:
        raise ValidationError(param, "field(s) {0} are not available for {1} flow logs".format(
            ", ".join(wrong), resource_type))
    duplicates = sorted(set(f for f in fields if fields.count(f) > 1))
    if duplicates:
        raise ValidationError(param, "field(s) {0} appear more than once".format(", ".join(duplicates)))


def normalise_log_format(value, resource_type="VPC", param="log_format"):
    """Canonical ``${...}`` string for the ``log_format`` option.

    Accepts ``default`` (or None), an integer version (every field up to it), a list of field
    names (with or without ``${}``), or a raw ``${a} ${b}`` string; always validated against the
    catalogue, and spaced exactly as DescribeFlowLogs returns formats so comparisons are exact.
    """
    is_tgw = resource_type in TRANSIT_GATEWAY_RESOURCE_TYPES
    if value is None or (isinstance(value, str) and value.strip().lower() == "default"):
        return TGW_DEFAULT_LOG_FORMAT if is_tgw else DEFAULT_LOG_FORMAT
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool):
        raise ValidationError(param, "must be 'default', a version number, a list of fields or a ${...} string")
    if isinstance(value, int):
        versions = (6,) if is_tgw else VPC_VERSIONS
        if value not in versions:
            raise ValidationError(param, "version {0} is not a {1} flow-log format version".format(
                value, "transit gateway" if is_tgw else "VPC"), allowed=versions)
        fields = list(TGW_DEFAULT_FIELDS) if is_tgw else fields_up_to_version(value, resource_type)
    elif isinstance(value, (list, tuple)):
        fields = [str(f).strip() for f in value]
        fields = [f[2:-1] if f.startswith("${") and f.endswith("}") else f for f in fields]
    elif isinstance(value, str):
        text = value.strip()
        leftover = _TOKEN.sub("", text).strip()
        if leftover:
            raise ValidationError(param, "{0!r} is not a ${{field}} format string: unexpected text {1!r}".format(
                value, leftover))
        fields = fields_of_format(text)
    else:
        raise ValidationError(param, "must be 'default', a version number, a list of fields or a ${...} string")
    _check_fields(fields, resource_type, param)
    return format_string(fields)
