#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)


DOCUMENTATION = r"""
module: flow_log_info
short_description: List flow logs and audit which VPCs, subnets and ENIs they cover
version_added: 0.1.0
description:
  - Lists the flow logs of a region, filtered by resource, flow log id, log group, destination type,
    traffic type or tags.
  - With O(coverage), reports for the region's VPCs (and optionally subnets and network interfaces) which
    are covered by an ACTIVE flow log meeting the requirements given and which are not, with a reason for
    each - the AWS Config rule C(vpc-flow-logs-enabled) (Security Hub control EC2.6) as a task result,
    extended to the destination, aggregation interval and record format.
  - A subnet counts as covered by a flow log on it or on its VPC; a network interface by a flow log on it,
    its subnet or its VPC.
  - Makes no change; check mode runs it as usual.
author:
  - netobs.flowlogs contributors (@netobs)
options:
  resource_ids:
    description: Only flow logs of these resources.
    type: list
    elements: str
  flow_log_ids:
    description: Only these flow logs.
    type: list
    elements: str
  log_group:
    description: Only flow logs delivering to this log group (name).
    type: str
  destination_type:
    description: Only flow logs delivering to this type of destination.
    type: str
    choices: [cloud-watch-logs, s3, kinesis-data-firehose]
  traffic_type:
    description: Only flow logs capturing this traffic type (exactly).
    type: str
    choices: [ALL, ACCEPT, REJECT]
  tags:
    description: Only flow logs carrying all these tags (key and value).
    type: dict
  coverage:
    description:
      - Audit coverage. Leave out to only list flow logs.
      - A flow log satisfies the audit when it is ACTIVE and meets every requirement given here.
    type: dict
    suboptions:
      resource_types:
        description:
          - Which resources to audit. A transit gateway attachment is also covered by a flow log on its
            transit gateway.
        type: list
        elements: str
        choices: [VPC, Subnet, NetworkInterface, TransitGateway, TransitGatewayAttachment]
        default: [VPC]
      resource_ids:
        description: Audit only these resources (of the types in O(coverage.resource_types)).
        type: list
        elements: str
      traffic_type:
        description:
          - The traffic that must be captured. V(REJECT) (what Security Hub EC2.6 asks) is met by V(ALL) or
            V(REJECT) flow logs, V(ACCEPT) by V(ALL) or V(ACCEPT), V(ALL) only by V(ALL). Unset accepts any.
          - Transit gateway flow logs have no traffic type (they capture all traffic), so they meet any.
        type: str
        choices: [ALL, ACCEPT, REJECT]
      destination_type:
        description: The destination type the flow log must deliver to.
        type: str
        choices: [cloud-watch-logs, s3, kinesis-data-firehose]
      log_group:
        description: The log group (name) the flow log must deliver to.
        type: str
      destination_arn:
        description: The destination ARN the flow log must deliver to.
        type: str
      max_aggregation_interval:
        description: The longest aggregation interval allowed, in seconds (V(60) rejects 600-second flow logs).
        type: int
      min_format_version:
        description: The lowest record format version allowed (the highest version among the format's fields).
        type: int
      require_delivery:
        description:
          - A flow log whose delivery status is C(FAILED) (AWS delivers nothing through it, for example
            C(Access error) when its role cannot write to the log group) does not count; the reason reads
            C(delivery failing) and AWS's message.
          - V(false) counts every ACTIVE flow log, whether it delivers or not.
        type: bool
        default: true
      exclude_ids:
        description:
          - Resources out of scope (VPC, subnet, network interface, transit gateway or attachment ids). An
            excluded VPC takes its subnets and network interfaces with it, an excluded subnet its network
            interfaces, an excluded transit gateway its attachments.
          - Excluded resources are neither covered nor uncovered; RV(coverage.excluded) lists them.
        type: list
        elements: str
      exclude_tags:
        description:
          - Resources carrying any of these tags are out of scope; a null value matches any value of the key.
          - Only the resource's own tags count (a subnet of a tagged VPC stays in scope unless tagged too).
        type: dict
      skip_default_vpc:
        description: The region's default VPC (and its subnets and network interfaces) is out of scope.
        type: bool
        default: false
extends_documentation_fragment:
  - netobs.flowlogs.aws
notes:
  - Listing makes one DescribeFlowLogs call (per 1000 ids); coverage adds one Describe per audited
    resource type and, when listing filters are given, one unfiltered DescribeFlowLogs;
    O(coverage.skip_default_vpc) one filtered DescribeVpcs.
seealso:
  - module: netobs.flowlogs.flow_log
"""

EXAMPLES = r"""
- name: The flow logs delivering to one log group
  netobs.flowlogs.flow_log_info:
    log_group: /vpc/flow-logs
  register: delivered

- name: Security Hub EC2.6 as a task - every VPC must log rejected traffic
  netobs.flowlogs.flow_log_info:
    coverage:
      traffic_type: REJECT
  register: audit

- name: Fail the play when a VPC is not covered
  ansible.builtin.assert:
    that: audit.coverage.compliant
    fail_msg: "{{ audit.coverage.uncovered | map(attribute='resource_id') | join(', ') }} not covered"

- name: Stricter - subnets too, 60-second records of format 5 or later, to our log group
  netobs.flowlogs.flow_log_info:
    coverage:
      resource_types: [VPC, Subnet]
      traffic_type: ALL
      log_group: /vpc/flow-logs
      max_aggregation_interval: 60
      min_format_version: 5
      require_delivery: true
"""

RETURN = r"""
flow_logs:
  description: The flow logs that pass the filters, in the shape M(netobs.flowlogs.flow_log) returns.
  returned: always
  type: list
  elements: dict
coverage:
  description: The audit, when O(coverage) is given.
  returned: when O(coverage) is given
  type: dict
  contains:
    covered:
      description: The covered resources, each with the satisfying flow logs and the resources they are on.
      type: list
      elements: dict
      sample: [{"resource_id": "vpc-0a1b2c3d4e5f67890", "resource_type": "VPC",
                "flow_log_ids": ["fl-0123456789abcdef0"], "via": ["vpc-0a1b2c3d4e5f67890"]}]
    uncovered:
      description: The resources not covered, each with the reason.
      type: list
      elements: dict
      sample: [{"resource_id": "vpc-0123456789abcdef0", "resource_type": "VPC",
                "reason": "fl-0a1b2c3d4e5f67890 on vpc-0123456789abcdef0: traffic type ACCEPT does not
                           capture REJECT traffic"}]
    compliant:
      description: True when every audited resource is covered.
      type: bool
    summary:
      description: Counts of audited, covered and uncovered resources.
      type: dict
    requirements:
      description: The requirements the audit applied.
      type: dict
    excluded:
      description: Resource id -> why it is out of scope (O(coverage.exclude_ids), O(coverage.exclude_tags),
        O(coverage.skip_default_vpc)).
      type: dict
      sample: {"vpc-0a1b2c3d": "excluded by tag Team", "vpc-0d3c2b1a": "in the default VPC"}
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.netobs.flowlogs.plugins.module_utils.aws import (
    AwsApiError,
    aws_argument_spec,
    session_for_module,
)
from ansible_collections.netobs.flowlogs.plugins.module_utils.flow_logs.info import flow_log_info
from ansible_collections.netobs.flowlogs.plugins.module_utils.flow_logs.options import flow_log_info_options
from ansible_collections.netobs.flowlogs.plugins.module_utils.rules import ValidationError


def main():
    argument_spec = aws_argument_spec(**flow_log_info_options())
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    session = session_for_module(module)
    try:
        result = flow_log_info(session, module.params)
    except ValidationError as exc:
        module.fail_json(msg=str(exc), invalid_parameter=exc.param)
    except AwsApiError as exc:
        module.fail_json(**exc.as_result())
    module.exit_json(**result)


if __name__ == "__main__":
    main()
