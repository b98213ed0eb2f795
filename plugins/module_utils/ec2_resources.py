# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The EC2 resources a flow log can watch: id formats and one Describe call per type.

Ids are checked by shape before any call (a malformed id never reaches AWS), and existence is
checked with one filtered Describe per 200 ids of a resource type (EC2's limit on the values of
one filter), so a task over 1000 VPCs costs five DescribeVpcs calls, not 1000.
"""


from ansible_collections.netobs.flowlogs.plugins.module_utils.rules import ValidationError
from ansible_collections.netobs.flowlogs.plugins.module_utils.rules import ec2_id_pattern

# EC2 ids are a prefix and 8 (older resources) or 17 lowercase hex digits.


class ResourceKind:
    """How one flow-log resource type is named and described."""

    def __init__(self, resource_type, prefix, describe, result_key, id_key, filter_name, chunk):
        self.resource_type = resource_type
        self.prefix = prefix
        self.pattern = ec2_id_pattern(prefix)
        self.describe = describe
        self.result_key = result_key
        self.id_key = id_key
        self.filter_name = filter_name
        # CreateFlowLogs' ResourceIds limit for this type (EC2 API reference, CreateFlowLogs).
        self.create_chunk = chunk


RESOURCE_KINDS = dict((kind.resource_type, kind) for kind in (
    ResourceKind("VPC", "vpc-", "describe_vpcs", "Vpcs", "VpcId", "vpc-id", 1000),
    ResourceKind("Subnet", "subnet-", "describe_subnets", "Subnets", "SubnetId", "subnet-id", 1000),
    ResourceKind("NetworkInterface", "eni-", "describe_network_interfaces", "NetworkInterfaces",
                 "NetworkInterfaceId", "network-interface-id", 1000),
    ResourceKind("TransitGateway", "tgw-", "describe_transit_gateways", "TransitGateways",
                 "TransitGatewayId", "transit-gateway-id", 25),
    ResourceKind("TransitGatewayAttachment", "tgw-attach-", "describe_transit_gateway_attachments",
                 "TransitGatewayAttachments", "TransitGatewayAttachmentId", "transit-gateway-attachment-id", 25),
))
RESOURCE_TYPES = tuple(RESOURCE_KINDS)
# Values in one Describe filter: EC2 refuses more than 200 (FilterLimitExceeded), so ids go in chunks of 200.
FILTER_VALUES_PER_CALL = 200


def kind_of(resource_type):
    return RESOURCE_KINDS[resource_type]


def resource_type_of_id(resource_id):
    """The flow-log resource type an id names by its prefix, or None."""
    for kind in sorted(RESOURCE_KINDS.values(), key=lambda k: -len(k.prefix)):
        if kind.pattern.match(resource_id or ""):
            return kind.resource_type
    return None


def validate_resource_ids(resource_type, resource_ids, param="resource_ids"):
    """The ids, de-duplicated in order; raises ValidationError for a malformed or mistyped id."""
    if not resource_ids:
        raise ValidationError(param, "must name at least one {0} id".format(resource_type))
    kind = kind_of(resource_type)
    bad = [rid for rid in resource_ids if not isinstance(rid, str) or not kind.pattern.match(rid)]
    if bad:
        raise ValidationError(param, "malformed {0} id(s) {1}; expected {2} followed by 8 or 17 hex digits".format(
            resource_type, ", ".join(repr(b) for b in bad[:10]) + (" ..." if len(bad) > 10 else ""), kind.prefix))
    seen = set()
    unique = []
    for rid in resource_ids:
        if rid not in seen:
            seen.add(rid)
            unique.append(rid)
    return unique


def chunks(items, size):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]


def describe_resources(session, resource_type, resource_ids):
    """{id: description} of the ids that exist (one filtered Describe per 200 ids)."""
    kind = kind_of(resource_type)
    found = {}
    for chunk in chunks(resource_ids, FILTER_VALUES_PER_CALL):
        items = session.paginate("ec2", kind.describe, kind.result_key,
                                 Filters=[{"Name": kind.filter_name, "Values": chunk}])
        for item in items:
            found[item[kind.id_key]] = item
    return found


def require_ids_of_types(param, resource_ids, types=RESOURCE_TYPES):
    """Every id names a resource of one of ``types`` (by its prefix); raises ValidationError naming the others."""
    bad = [rid for rid in resource_ids or [] if resource_type_of_id(rid) not in types]
    if bad:
        kinds = " or ".join(types) if tuple(types) != RESOURCE_TYPES else \
            "resource a flow log can watch ({0})".format(", ".join(RESOURCE_TYPES))
        raise ValidationError(param, "not ids of a {0}: {1}".format(kinds, ", ".join(str(rid) for rid in bad)))


def not_found(param, resource_type, region, missing):
    """The ValidationError naming the ids of ``resource_type`` that do not exist in ``region``."""
    return ValidationError(param, "{0} {1} not found in region {2}: {3}".format(
        resource_type, "id" if len(missing) == 1 else "ids", region,
        ", ".join(missing[:20]) + (" and {0} more".format(len(missing) - 20) if len(missing) > 20 else "")))


def require_existing(session, resource_type, resource_ids, param="resource_ids"):
    """The descriptions of ``resource_ids``; raises ValidationError naming every missing id."""
    found = describe_resources(session, resource_type, resource_ids)
    missing = [rid for rid in resource_ids if rid not in found]
    if missing:
        raise not_found(param, resource_type, session.region_name, missing)
    return found
