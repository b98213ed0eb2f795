#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)


DOCUMENTATION = r"""
module: flow_log
short_description: Manage VPC, subnet, ENI and transit gateway flow logs, many resources per task
version_added: 0.1.0
description:
  - Creates, replaces, retags and deletes flow logs for many resources in one task, with as few API
    calls as the EC2 limits allow (CreateFlowLogs takes up to 1000 resources per call, 25 for transit
    gateway types).
  - A flow log cannot be changed after it is created; only its tags can. For each resource the module
    finds the flow log with the same destination and traffic type. Identical settings leave it alone,
    different tags are changed in place, and any other difference (role, format, interval, destination
    options) replaces it as O(on_change) says.
  - Every option and every resource id is checked before the first change. A malformed or missing
    resource, an unknown format field or an impossible combination fails the task and changes nothing.
  - A role created moments before may not yet be assumable by the flow-logs service; the module retries
    for O(role_propagation_timeout) seconds, as Terraform does.
  - Every flow log it creates is tagged C(ManagedBy=netobs.flowlogs), also when O(tags) are given and
    with O(purge_tags); O(tags) may therefore hold at most 49 tags.
  - Supports check mode (no change is made) and diff mode (old and new settings per resource).
author:
  - netobs.flowlogs contributors (@netobs)
options:
  resource_type:
    description:
      - The type of the resources in O(resource_ids).
    type: str
    choices: [VPC, Subnet, NetworkInterface, TransitGateway, TransitGatewayAttachment]
    default: VPC
  resource_ids:
    description:
      - The ids of the resources to watch, for example C(vpc-0a1b2c3d4e5f67890). Every id must exist in
        the region when O(state=present).
    type: list
    elements: str
    required: true
  traffic_type:
    description:
      - The traffic to capture. Defaults to V(ALL) for VPC, subnet and ENI flow logs.
      - Not supported for transit gateway types; leave it unset for them.
      - With O(state=absent), only flow logs of this traffic type are deleted; unset deletes any.
    type: str
    choices: [ALL, ACCEPT, REJECT]
  destination_type:
    description:
      - Where the records are delivered.
    type: str
    choices: [cloud-watch-logs, s3, kinesis-data-firehose]
    default: cloud-watch-logs
  log_group:
    description:
      - The CloudWatch Logs log group name, for O(destination_type=cloud-watch-logs).
      - Mutually exclusive with O(destination_arn).
    type: str
  destination_arn:
    description:
      - The ARN of the destination - a log group (C(:*) is accepted and ignored; it must be in the task's
        region), an S3 bucket (optionally with a prefix, C(arn:aws:s3:::bucket/prefix/)) or a Kinesis Data
        Firehose delivery stream.
    type: str
  role:
    description:
      - The IAM role that delivers the records (C(DeliverLogsPermissionArn)), as a name or an ARN.
      - A name is turned into an ARN with the caller's account and partition (one STS call).
      - Required for O(destination_type=cloud-watch-logs); not used for V(s3).
    type: str
  cross_account_role:
    description:
      - The ARN of the role that delivers to a Kinesis Data Firehose stream in another account
        (C(DeliverCrossAccountRole)).
    type: str
  max_aggregation_interval:
    description:
      - The longest time, in seconds, a flow is aggregated into one record.
      - Transit gateway types support only V(60).
    type: int
    choices: [60, 600]
    default: 60
  log_format:
    description:
      - The record format. V(default) is the version 2 default format (for transit gateway types, the
        transit gateway default format).
      - An integer version (3 to 11) means every field up to that version, in catalogue order; V(6) is the
        transit gateway format.
      - A list of field names, or a raw C(${field} ${field}) string, gives a custom format.
      - Every field is checked against the catalogue; see C(docs/flow-log-formats.md).
    type: raw
    default: default
  destination_options:
    description:
      - Options for O(destination_type=s3) only.
    type: dict
    suboptions:
      file_format:
        description: The format of the log files.
        type: str
        choices: [plain-text, parquet]
        default: plain-text
      hive_compatible_partitions:
        description: Use Hive-compatible prefixes for the S3 keys.
        type: bool
        default: false
      per_hour_partition:
        description: Partition the S3 keys per hour rather than per day.
        type: bool
        default: false
  tags:
    description:
      - Tags for the flow logs. Leave out to keep the tags as they are.
    type: dict
  purge_tags:
    description:
      - Remove tags that are not in O(tags). Has no effect when O(tags) is not given.
    type: bool
    default: true
  on_change:
    description:
      - What to do when an existing flow log differs in a setting that cannot be changed in place.
      - V(replace) creates the new flow log first and deletes the old one once the new one exists, so no
        traffic goes unlogged. An interrupted replace (two flow logs for the same resource and destination)
        is finished on the next run.
      - V(fail) fails the task before any change and returns the differences per resource.
      - A resource that already has two flow logs (the AWS limit per network interface, subnet or VPC)
        has no room for the replacement; the task then fails before any change, naming the flow logs
        that hold the places (never a half-done replace, never a gap in logging).
    type: str
    choices: [replace, fail]
    default: replace
  exclusive:
    description:
      - The flow log of this task is the only one the collection keeps on each resource. Flow logs tagged
        C(ManagedBy=netobs.flowlogs) that deliver elsewhere (another log group, another destination type,
        another traffic type) are replaced by it as O(on_change) says (new first, then the old ones).
      - Flow logs without that tag are never changed or deleted.
    type: bool
    default: false
  owned_only:
    description:
      - With O(state=absent), delete only flow logs tagged C(ManagedBy=netobs.flowlogs) (the ones this
        collection created); the others are returned in RV(kept_flow_logs).
    type: bool
    default: false
  validate_only:
    description:
      - Check every option and that every resource exists, then stop without planning any change (no
        mutating call even outside check mode). Lets a role check everything knowable before its first
        change.
    type: bool
    default: false
  option_names:
    description:
      - How messages name the options, as O(on_change=flowlogs_on_change); a role passes its variables'
        names so its users read the names they set.
    type: dict
  role_propagation_timeout:
    description:
      - For how many seconds to retry CreateFlowLogs while EC2 reports that it is unable to assume the
        delivery role (a role created moments ago), with exponential backoff. V(0) does not retry.
    type: int
    default: 120
  state:
    description:
      - V(present) creates, replaces or retags flow logs; V(absent) deletes the flow logs of the resources
        that deliver to O(destination_type) and match O(log_group) or O(destination_arn) and O(traffic_type)
        when given (any destination of that type and any traffic type when not).
      - With V(absent) the resources need not exist any more (flow logs outlive a deleted VPC).
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - netobs.flowlogs.aws
notes:
  - A run that changes nothing makes at most three read calls however many resources it names (up to
    1000) - DescribeVpcs (or the resource type's Describe), DescribeFlowLogs filtered by resource id and,
    when O(role) is a name, GetCallerIdentity. See C(docs/api-calls-flow-log.md).
  - The CreateFlowLogs ClientToken is derived from the settings and resources, so a create retried after a
    lost response never makes duplicates.
  - Changing O(traffic_type) makes a flow log with a different identity; delete the old one with
    O(state=absent) and the old O(traffic_type).
seealso:
  - module: netobs.flowlogs.flow_log_info
  - module: netobs.flowlogs.iam_role
  - module: netobs.flowlogs.log_group
"""

EXAMPLES = r"""
- name: Flow logs for every VPC of the account, to one log group, 60-second records, version 5 fields
  netobs.flowlogs.flow_log:
    resource_ids: "{{ vpcs.vpcs | map(attribute='vpc_id') | list }}"
    log_group: /vpc/flow-logs
    role: vpc-flow-logs-delivery
    log_format: 5
    tags:
      owner: network-team

- name: Rejected traffic of two subnets, custom format
  netobs.flowlogs.flow_log:
    resource_type: Subnet
    resource_ids: [subnet-0a1b2c3d4e5f67890, subnet-0123456789abcdef0]
    traffic_type: REJECT
    log_group: /vpc/rejects
    role: arn:aws:iam::111122223333:role/vpc-flow-logs-delivery
    log_format: [version, interface-id, srcaddr, dstaddr, dstport, protocol, action, reject-reason]

- name: Transit gateway flow logs to S3 as Parquet
  netobs.flowlogs.flow_log:
    resource_type: TransitGateway
    resource_ids: [tgw-0a1b2c3d4e5f67890]
    destination_type: s3
    destination_arn: arn:aws:s3:::network-flow-logs/tgw/
    destination_options:
      file_format: parquet
      per_hour_partition: true

- name: Show what would change, fail rather than replace
  netobs.flowlogs.flow_log:
    resource_ids: [vpc-0a1b2c3d4e5f67890]
    log_group: /vpc/flow-logs
    role: vpc-flow-logs-delivery
    on_change: fail
  check_mode: true
  diff: true

- name: Remove the flow logs of a VPC that deliver to a log group
  netobs.flowlogs.flow_log:
    resource_ids: [vpc-0a1b2c3d4e5f67890]
    log_group: /vpc/flow-logs
    state: absent
"""

RETURN = r"""
flow_logs:
  description:
    - The flow logs in place for the resources after the run (in check mode, the predicted ones; a flow log
      still to be created has a null C(flow_log_id)). Empty after O(state=absent).
  returned: always
  type: list
  elements: dict
  contains:
    flow_log_id:
      description: The flow log id.
      type: str
      sample: fl-0a1b2c3d4e5f67890
    resource_id:
      description: The watched resource.
      type: str
    resource_type:
      description: The watched resource's type.
      type: str
    flow_log_status:
      description: C(ACTIVE) once created.
      type: str
    deliver_logs_status:
      description: C(SUCCESS) or C(FAILED).
      type: str
    deliver_logs_error_message:
      description: Why delivery fails, when it does.
      type: str
    destination_type:
      description: C(cloud-watch-logs), C(s3) or C(kinesis-data-firehose).
      type: str
    destination:
      description: The log group name, or the destination ARN for other types.
      type: str
    log_group_name:
      description: The log group name (CloudWatch Logs only).
      type: str
    destination_arn:
      description: The destination ARN, without C(:*).
      type: str
    deliver_logs_permission_arn:
      description: The delivery role ARN.
      type: str
    deliver_cross_account_role:
      description: The cross-account delivery role ARN.
      type: str
    traffic_type:
      description: C(ALL), C(ACCEPT) or C(REJECT); null for transit gateway types.
      type: str
    max_aggregation_interval:
      description: 60 or 600.
      type: int
    log_format:
      description: The record format.
      type: str
    format_version:
      description: The version a record carries - the highest version among the format's fields.
      type: int
    destination_options:
      description: The S3 options (C(file_format), C(hive_compatible_partitions), C(per_hour_partition)).
      type: dict
    tags:
      description: The flow log's tags.
      type: dict
    creation_time:
      description: When the flow log was created.
      type: str
resources:
  description:
    - What happened to each resource - C(created), C(replaced), C(retagged), C(unchanged), C(deleted)
      or C(failed).
  returned: always
  type: dict
  sample: {"vpc-0a1b2c3d4e5f67890": created, "vpc-0123456789abcdef0": unchanged}
summary:
  description: How many resources had each outcome.
  returned: always
  type: dict
  sample: {"created": 48, "replaced": 1, "retagged": 0, "unchanged": 1, "deleted": 0, "failed": 0}
deleted_flow_log_ids:
  description: The flow logs deleted (or, in check mode, to be deleted).
  returned: always
  type: list
  elements: str
failures:
  description: Why each failed resource failed (the task fails; what was created is still returned).
  returned: when some resources failed
  type: dict
differences:
  description: With O(on_change=fail), the settings that differ per resource and flow log.
  returned: when O(on_change=fail) stopped the task
  type: dict
kept_flow_logs:
  description: With O(owned_only), the matching flow logs left in place because the collection did not create them.
  returned: when some were kept
  type: list
  elements: dict
delivery_failures:
  description:
    - The resources whose flow log does not deliver (C(DeliverLogsStatus) C(FAILED)) and AWS's reason, such as
      C(Access error). Each also gives a warning.
  returned: when a flow log does not deliver
  type: dict
quota_exceeded:
  description: The resources with no room for another flow log and the flow logs holding the places.
  returned: when the task stopped for that reason
  type: dict
validated:
  description: With O(validate_only), what the run would do to each resource.
  returned: with O(validate_only)
  type: dict
actions:
  description: What the run did (or, in check mode, would do), in order.
  returned: always
  type: list
  elements: str
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.netobs.flowlogs.plugins.module_utils.aws import aws_argument_spec
from ansible_collections.netobs.flowlogs.plugins.module_utils.flow_logs.options import flow_log_options
from ansible_collections.netobs.flowlogs.plugins.module_utils.flow_logs.resource import FlowLogResource
from ansible_collections.netobs.flowlogs.plugins.module_utils.resource import run_resource


def main():
    argument_spec = aws_argument_spec(**flow_log_options())
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True,
                           mutually_exclusive=[["log_group", "destination_arn"]])
    run_resource(module, FlowLogResource)


if __name__ == "__main__":
    main()
