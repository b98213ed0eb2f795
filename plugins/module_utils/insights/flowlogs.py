# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""VPC flow-log knowledge: the fields Insights discovers for the default format and custom-format parsing."""

import re

# The 14 fields of the default (v2) format, named as Logs Insights discovers them, in record order.
FLOW_LOG_V2_FIELDS = (
    "version", "accountId", "interfaceId", "srcAddr", "dstAddr", "srcPort", "dstPort",
    "protocol", "packets", "bytes", "startTime", "endTime", "action", "logStatus",
)

# Flow-log record field (as written in a LogFormat) -> the camelCase name Insights uses.
# The v2 names follow discovery exactly (note start/end -> startTime/endTime); the rest are hyphens -> camelCase.
INSIGHTS_FIELD_NAMES = {
    "version": "version",
    "account-id": "accountId",
    "interface-id": "interfaceId",
    "srcaddr": "srcAddr",
    "dstaddr": "dstAddr",
    "srcport": "srcPort",
    "dstport": "dstPort",
    "protocol": "protocol",
    "packets": "packets",
    "bytes": "bytes",
    "start": "startTime",
    "end": "endTime",
    "action": "action",
    "log-status": "logStatus",
    "vpc-id": "vpcId",
    "subnet-id": "subnetId",
    "instance-id": "instanceId",
    "tcp-flags": "tcpFlags",
    "type": "type",
    "pkt-srcaddr": "pktSrcAddr",
    "pkt-dstaddr": "pktDstAddr",
    "region": "region",
    "az-id": "azId",
    "sublocation-type": "sublocationType",
    "sublocation-id": "sublocationId",
    "pkt-src-aws-service": "pktSrcAwsService",
    "pkt-dst-aws-service": "pktDstAwsService",
    "flow-direction": "flowDirection",
    "traffic-path": "trafficPath",
    "ecs-cluster-arn": "ecsClusterArn",
    "ecs-cluster-name": "ecsClusterName",
    "ecs-container-instance-arn": "ecsContainerInstanceArn",
    "ecs-container-instance-id": "ecsContainerInstanceId",
    "ecs-container-id": "ecsContainerId",
    "ecs-second-container-id": "ecsSecondContainerId",
    "ecs-service-name": "ecsServiceName",
    "ecs-task-definition-arn": "ecsTaskDefinitionArn",
    "ecs-task-arn": "ecsTaskArn",
    "ecs-task-id": "ecsTaskId",
    "reject-reason": "rejectReason",
    "resource-type": "resourceType",
    "tgw-id": "tgwId",
    "tgw-attachment-id": "tgwAttachmentId",
    "tgw-src-vpc-account-id": "tgwSrcVpcAccountId",
    "tgw-dst-vpc-account-id": "tgwDstVpcAccountId",
    "tgw-src-vpc-id": "tgwSrcVpcId",
    "tgw-dst-vpc-id": "tgwDstVpcId",
    "tgw-src-subnet-id": "tgwSrcSubnetId",
    "tgw-dst-subnet-id": "tgwDstSubnetId",
    "tgw-src-eni": "tgwSrcEni",
    "tgw-dst-eni": "tgwDstEni",
    "tgw-src-az-id": "tgwSrcAzId",
    "tgw-dst-az-id": "tgwDstAzId",
    "tgw-pair-attachment-id": "tgwPairAttachmentId",
    "packets-lost-no-route": "packetsLostNoRoute",
    "packets-lost-blackhole": "packetsLostBlackhole",
    "packets-lost-mtu-exceeded": "packetsLostMtuExceeded",
    "packets-lost-ttl-expired": "packetsLostTtlExpired",
}

# Fields whose values are IP addresses (for lint advice about prefix ``like`` filters).
ADDRESS_FIELDS = frozenset(("srcAddr", "dstAddr", "pktSrcAddr", "pktDstAddr"))

_LOG_FORMAT_FIELD_RE = re.compile(r"\$\{([A-Za-z0-9-]+)\}")


def insights_field_name(field):
    """camelCase Insights name of a flow-log field; fields not in the table get the same hyphen rule."""
    known = INSIGHTS_FIELD_NAMES.get(field)
    if known is not None:
        return known
    head, _, tail = field.partition("-")
    return head + "".join(part[:1].upper() + part[1:] for part in tail.split("-") if part)


def parse_prefix_for_log_format(log_format):
    """``parse @message "* * ..." as a, b, ...`` for a flow log's LogFormat, so custom formats are queryable.

    >>> parse_prefix_for_log_format("${version} ${vpc-id} ${srcaddr}")
    'parse @message "* * *" as version, vpcId, srcAddr'
    """
    fields = _LOG_FORMAT_FIELD_RE.findall(log_format or "")
    leftover = _LOG_FORMAT_FIELD_RE.sub("", log_format or "").strip()
    if not fields or leftover:
        raise ValueError("not a flow-log LogFormat of ${field} tokens separated by spaces: %r" % log_format)
    names = [insights_field_name(field) for field in fields]
    return 'parse @message "%s" as %s' % (" ".join(["*"] * len(names)), ", ".join(names))


def is_default_flow_log_record(tokens):
    """True for the tokens of a default-format (v2) record: 14 fields, version "2"."""
    return len(tokens) == 14 and tokens[0] == "2"
