# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The coverage audit of flow_log_info: which resources an ACTIVE flow log meeting the
requirements covers, directly or through a parent (a subnet's VPC; an ENI's subnet and VPC; a
transit gateway attachment's transit gateway)."""


from ansible_collections.netobs.flowlogs.plugins.module_utils import ec2_resources
from ansible_collections.netobs.flowlogs.plugins.module_utils.arn import strip_log_group_suffix
from ansible_collections.netobs.flowlogs.plugins.module_utils.rules import TRANSIT_GATEWAY_RESOURCE_TYPES

# Transit gateways and their attachments stay visible to Describe for a while after deletion
# (State deleting/deleted, EC2 API reference: TransitGateway, TransitGatewayAttachment): no flow log
# can be made on them, so they are not in scope.
GONE_STATES = ("deleting", "deleted", "failed", "failing", "rejected")
TRAFFIC_COVERS = dict(ALL=("ALL",), REJECT=("ALL", "REJECT"), ACCEPT=("ALL", "ACCEPT"))


def unmet_requirements(flow_log, requirements):
    """Why ``flow_log`` (a flow_log_summary) does not satisfy ``requirements``; [] when it does."""
    reasons = []
    if flow_log.get("flow_log_status") != "ACTIVE":
        reasons.append("status is {0}, not ACTIVE".format(flow_log.get("flow_log_status")))
    wanted = requirements.get("traffic_type")
    # A transit gateway flow log has no traffic type: it captures all traffic (rules.py).
    transit_gateway = flow_log.get("resource_type") in TRANSIT_GATEWAY_RESOURCE_TYPES
    if wanted and not transit_gateway and flow_log.get("traffic_type") not in TRAFFIC_COVERS[wanted]:
        reasons.append("traffic type {0} does not capture {1} traffic".format(flow_log.get("traffic_type"), wanted))
    if requirements.get("destination_type") and flow_log["destination_type"] != requirements["destination_type"]:
        reasons.append("delivers to {0}, not {1}".format(flow_log["destination_type"],
                                                         requirements["destination_type"]))
    if requirements.get("log_group") and flow_log.get("log_group_name") != requirements["log_group"]:
        reasons.append("delivers to log group {0!r}, not {1!r}".format(flow_log.get("log_group_name"),
                                                                       requirements["log_group"]))
    if requirements.get("destination_arn"):
        wanted_arn = strip_log_group_suffix(requirements["destination_arn"]).rstrip("/")
        if (flow_log.get("destination_arn") or "").rstrip("/") != wanted_arn:
            reasons.append("delivers to {0}, not {1}".format(flow_log.get("destination_arn"), wanted_arn))
    limit = requirements.get("max_aggregation_interval")
    if limit and (flow_log.get("max_aggregation_interval") or 600) > limit:
        reasons.append("aggregation interval {0} s is over {1} s".format(flow_log.get("max_aggregation_interval"),
                                                                         limit))
    minimum = requirements.get("min_format_version")
    if minimum and (flow_log.get("format_version") or 0) < minimum:
        reasons.append("format version {0} is below {1}".format(flow_log.get("format_version"), minimum))
    if requirements.get("require_delivery") and flow_log.get("deliver_logs_status") == "FAILED":
        reasons.append("delivery failing: {0}".format(flow_log.get("deliver_logs_error_message") or "no reason given"))
    return reasons


def evaluate_coverage(resources, flow_logs, requirements):
    """Which resources an ACTIVE flow log satisfying ``requirements`` covers (AWS Config's
    vpc-flow-logs-enabled, extended to subnets and ENIs and to format/interval/destination).

    ``resources``: [{resource_id, resource_type, parents}] where parents are the ids whose flow
    logs also capture this resource's traffic (a subnet's VPC; an ENI's subnet and VPC).
    ``flow_logs``: flow_log_summary dicts.
    """
    by_resource = {}
    for flow_log in flow_logs:
        by_resource.setdefault(flow_log["resource_id"], []).append(flow_log)
    covered, uncovered = [], []
    for resource in resources:
        watched = [resource["resource_id"]] + list(resource.get("parents") or [])
        candidates = [fl for rid in watched for fl in by_resource.get(rid, [])]
        satisfying = [fl for fl in candidates if not unmet_requirements(fl, requirements)]
        if satisfying:
            covered.append(dict(resource_id=resource["resource_id"], resource_type=resource["resource_type"],
                                flow_log_ids=[fl["flow_log_id"] for fl in satisfying],
                                via=sorted(set(fl["resource_id"] for fl in satisfying))))
            continue
        if not candidates:
            reason = "no flow log on {0}".format(" or ".join(watched))
        else:
            reason = "; ".join("{0} on {1}: {2}".format(fl["flow_log_id"], fl["resource_id"],
                                                        ", ".join(unmet_requirements(fl, requirements)))
                               for fl in candidates)
        uncovered.append(dict(resource_id=resource["resource_id"], resource_type=resource["resource_type"],
                              reason=reason))
    return dict(covered=covered, uncovered=uncovered, compliant=not uncovered,
                summary=dict(total=len(resources), covered=len(covered), uncovered=len(uncovered)))


def excluded(item, parents, exclusions, default_vpcs):
    """Why a described resource is out of scope ("excluded by id" ...), or None when it is in scope.

    ``exclusions``: {ids, tags, skip_default_vpc}; an excluded VPC (by id, or as the default VPC)
    takes its subnets and network interfaces out with it (they are its parents)."""
    if not exclusions:
        return None
    excluded_ids = set(exclusions.get("ids") or [])
    hit = [rid for rid in [item["_id"]] + parents if rid in excluded_ids]
    if hit:
        return "excluded by id {0}".format(hit[0])
    tags = dict((tag.get("Key"), tag.get("Value")) for tag in item.get("Tags") or item.get("TagSet") or [])
    for key, value in sorted((exclusions.get("tags") or {}).items()):
        if key in tags and (value is None or tags[key] == value):
            return "excluded by tag {0}".format(key)
    if exclusions.get("skip_default_vpc") and ([item["_id"]] + parents)[-1] in default_vpcs:
        return "in the default VPC"
    return None


def default_vpc_ids(session, exclusions):
    """The ids of the region's default VPC (one filtered DescribeVpcs) when it is to be skipped."""
    if not (exclusions or {}).get("skip_default_vpc"):
        return set()
    vpcs = session.paginate("ec2", "describe_vpcs", "Vpcs", Filters=[dict(Name="is-default", Values=["true"])])
    return set(vpc["VpcId"] for vpc in vpcs)


def coverage_resources(session, resource_types, resource_ids=None, exclusions=None):
    """([{resource_id, resource_type, parents}] of the region's resources of these types, {id: why
    out of scope} of the ones ``exclusions`` takes out (see ``excluded``))."""
    wanted = set(resource_ids or [])
    default_vpcs = default_vpc_ids(session, exclusions)
    resources, out_of_scope = [], {}
    for resource_type in resource_types:
        kind = ec2_resources.kind_of(resource_type)
        if wanted:
            ids = [rid for rid in resource_ids if ec2_resources.resource_type_of_id(rid) == resource_type]
            if not ids:
                continue
            items = ec2_resources.describe_resources(session, resource_type, ids).values()
        else:
            items = session.paginate("ec2", kind.describe, kind.result_key)
        for item in items:
            if item.get("State") in GONE_STATES:
                continue
            parents = []
            if resource_type in ("NetworkInterface",) and item.get("SubnetId"):
                parents.append(item["SubnetId"])
            if resource_type in ("Subnet", "NetworkInterface") and item.get("VpcId"):
                parents.append(item["VpcId"])
            # A transit gateway's flow log also captures the traffic of its attachments.
            if resource_type == "TransitGatewayAttachment" and item.get("TransitGatewayId"):
                parents.append(item["TransitGatewayId"])
            reason = excluded(dict(item, _id=item[kind.id_key]), parents, exclusions, default_vpcs)
            if reason:
                out_of_scope[item[kind.id_key]] = reason
                continue
            resources.append(dict(resource_id=item[kind.id_key], resource_type=resource_type, parents=parents))
    return (sorted(resources, key=lambda r: (ec2_resources.RESOURCE_TYPES.index(r["resource_type"]),
                                             r["resource_id"])),
            out_of_scope)
