#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: flow_logs_target
short_description: Turn on flow logs for one account and region in one task
version_added: 1.0.0
description:
  - Converges one target - the account and region of the connection - in one run - the CloudWatch Logs
    log group, the IAM policy that lets VPC Flow Logs deliver to it, the IAM role the service assumes,
    and one flow log on every chosen resource (every VPC of the region by default).
  - The same resources as M(netobs.flowlogs.log_group), M(netobs.flowlogs.iam_policy),
    M(netobs.flowlogs.iam_role) and M(netobs.flowlogs.flow_log), read once and planned together before
    the first change, so a target that would fail (a resource that does not exist, a flow log with no
    room, a resource someone else made) changes nothing; then applied in the order AWS needs.
  - Ownership is as those modules have it - what this module creates carries C(ManagedBy=netobs.flowlogs);
    a log group, policy or role of the same name without that tag is refused unless O(adopt); flow logs
    of other owners are never touched; the shared delivery policy keeps the log groups other regions
    added.
  - This is the C(netobs.flowlogs.enable) role's one task per target.
  - Supports check mode (the whole target's plan with zero mutating calls) and diff mode.
author:
  - netobs.flowlogs contributors (@netobs)
options:
  resource_type:
    description: The type of resource to watch.
    type: str
    choices: [VPC, Subnet, NetworkInterface, TransitGateway, TransitGatewayAttachment]
    default: VPC
  resource_ids:
    description:
      - The resources to watch. Leave out for every resource of O(resource_type) in the region (found
        with one Describe call).
      - Ids that do not exist fail the task before any change, naming them.
    type: list
    elements: str
  exclude_ids:
    description:
      - Resources out of scope (VPC, subnet or network interface ids; an excluded VPC takes its subnets and
        network interfaces with it). Their flow logs are neither made nor deleted.
    type: list
    elements: str
    default: []
  exclude_tags:
    description: Resources carrying any of these tags are out of scope; a null value matches any value of the key.
    type: dict
    default: {}
  skip_default_vpc:
    description: The region's default VPC (and its subnets and network interfaces) is out of scope.
    type: bool
    default: false
  traffic_type:
    description:
      - The traffic to capture. V(ALL) by default for VPCs, subnets and network interfaces; transit gateway
        flow logs capture all traffic and take no traffic type.
    type: str
    choices: [ALL, ACCEPT, REJECT]
  destination_type:
    description:
      - Where records go. With V(cloud-watch-logs) the log group, policy and role are converged too; with
        V(s3) or V(kinesis-data-firehose) only the flow logs, to O(destination_arn).
    type: str
    choices: [cloud-watch-logs, s3, kinesis-data-firehose]
    default: cloud-watch-logs
  destination_arn:
    description: The S3 bucket (optionally with a C(/prefix/)) or Firehose stream ARN, for those destination types.
    type: str
  destination_options:
    description: S3 options, as M(netobs.flowlogs.flow_log) takes them.
    type: dict
    suboptions:
      file_format:
        description: V(plain-text) or V(parquet).
        type: str
        choices: [plain-text, parquet]
        default: plain-text
      hive_compatible_partitions:
        description: Hive-compatible S3 prefixes.
        type: bool
        default: false
      per_hour_partition:
        description: Partition by hour.
        type: bool
        default: false
  max_aggregation_interval:
    description: The aggregation interval in seconds; transit gateway flow logs take only V(60).
    type: int
    choices: [60, 600]
    default: 60
  log_format:
    description:
      - The record format - V(default), a version (V(2) to V(10)), a list of field names, or the
        C(${field} ...) string, as M(netobs.flowlogs.flow_log) takes it.
    type: raw
    default: default
  flow_log_name:
    description: The C(Name) tag of the flow logs.
    type: str
  on_change:
    description:
      - What to do with an own flow log whose settings AWS cannot change in place - V(replace) it (the new one
        first) or V(fail) the task, listing the differences.
    type: str
    choices: [replace, fail]
    default: replace
  role_propagation_timeout:
    description: How many seconds to retry while EC2 cannot assume a role IAM has just created.
    type: int
    default: 120
  log_group_name:
    description: The log group the flow logs deliver to.
    type: str
    default: /vpc/flow-logs
  retention_days:
    description: The log group's retention, as M(netobs.flowlogs.log_group) takes it; leave out to keep it as it is.
    type: int
  kms_key_id:
    description: The KMS key ARN of the log group; an empty string removes the key; leave out to keep it.
    type: str
  log_group_class:
    description:
      - The log group class, set when it is created; CloudWatch Logs cannot change the class of an existing group.
    type: str
    choices: [STANDARD, INFREQUENT_ACCESS]
  policy_name:
    description: The customer managed policy that lets the flow-logs service deliver.
    type: str
    default: flowlog
  role_name:
    description: The role the flow-logs service assumes; shared by every region of the account.
    type: str
    default: vpcflowlog
  iam_path:
    description: The IAM path of the policy and the role.
    type: str
    default: /
  policy_resource_scope:
    description:
      - V(log_groups) - the policy names the log group's streams in any region of the account, and keeps
        the groups other regions' runs added; V(any) - the VPC User Guide's policy on every resource.
    type: str
    choices: [log_groups, any]
    default: log_groups
  confused_deputy_protection:
    description:
      - The role trusts only flow logs of this account (the VPC User Guide's C(aws:SourceAccount) and
        C(aws:SourceArn) conditions).
    type: bool
    default: true
  tags:
    description: Tags for everything the task creates (C(ManagedBy=netobs.flowlogs) is always added).
    type: dict
  purge_tags:
    description: Remove tags that are not in O(tags) from the resources this collection owns.
    type: bool
    default: true
  adopt:
    description: Take over a log group, policy or role of the same name that netobs.flowlogs did not create.
    type: bool
    default: false
  option_names:
    description:
      - "How messages name the options - a role passes its variable names, for example
        C(resource_ids: flowlogs_vpc_ids)."
    type: dict
extends_documentation_fragment:
  - netobs.flowlogs.aws
notes:
  - A run that changes nothing on a target whose VPCs are found makes nine read calls - GetCallerIdentity,
    DescribeVpcs, DescribeFlowLogs, DescribeLogGroups, ListTagsForResource, GetPolicy, GetPolicyVersion,
    GetRole, ListAttachedRolePolicies - plus AssumeRole when the connection assumes one.
seealso:
  - module: netobs.flowlogs.flow_log
  - module: netobs.flowlogs.flow_log_info
"""

EXAMPLES = r"""
- name: Flow logs for every VPC of the region, to /vpc/flow-logs
  netobs.flowlogs.flow_logs_target:
    retention_days: 30
    tags:
      owner: network-team

- name: Rejected traffic of every subnet except the default VPC's, as format 5
  netobs.flowlogs.flow_logs_target:
    resource_type: Subnet
    skip_default_vpc: true
    traffic_type: REJECT
    log_format: 5
    log_group_name: /vpc/rejects

- name: What would change on a new account
  netobs.flowlogs.flow_logs_target:
  check_mode: true
  diff: true
"""

RETURN = r"""
account_id:
  description: The target's account (null for destinations other than CloudWatch Logs, which need no IAM).
  returned: always
  type: str
resource_ids:
  description: The resources in scope (found or given, less the excluded).
  returned: always
  type: list
  elements: str
excluded:
  description: Resource id -> why it is out of scope.
  returned: always
  type: dict
log_group:
  description:
    - The log group, as M(netobs.flowlogs.log_group) returns it; empty when nothing is in scope or the
      destination is not CloudWatch Logs.
  returned: always
  type: dict
policy:
  description: The delivery policy, as M(netobs.flowlogs.iam_policy) returns it.
  returned: always
  type: dict
role:
  description: The delivery role, as M(netobs.flowlogs.iam_role) returns it.
  returned: always
  type: dict
flow_logs:
  description: The flow logs in place after the run, as M(netobs.flowlogs.flow_log) returns them.
  returned: always
  type: list
  elements: dict
resources:
  description: What happened to each resource - C(created), C(replaced), C(retagged), C(unchanged) or C(failed).
  returned: always
  type: dict
summary:
  description: How many resources had each outcome.
  returned: always
  type: dict
deleted_flow_log_ids:
  description: The own flow logs deleted because they were replaced.
  returned: always
  type: list
  elements: str
delivery_failures:
  description: The resources whose flow log does not deliver (C(DeliverLogsStatus) C(FAILED)) and AWS's reason.
  returned: when a flow log does not deliver
  type: dict
actions:
  description: What the run did (or, in check mode, would do), in order.
  returned: always
  type: list
  elements: str
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.netobs.flowlogs.plugins.module_utils.aws import aws_argument_spec
from ansible_collections.netobs.flowlogs.plugins.module_utils.options import argument_spec as argument_spec_of
from ansible_collections.netobs.flowlogs.plugins.module_utils.resource import run_resource
from ansible_collections.netobs.flowlogs.plugins.module_utils.target import TARGET_OPTIONS, TargetResource


def main():
    argument_spec = aws_argument_spec(**argument_spec_of(TARGET_OPTIONS))
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    run_resource(module, TargetResource)


if __name__ == "__main__":
    main()
