# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The flow-logs delivery role's documents, built by policy.py so the enable role never spells them in Jinja."""

DOCUMENTATION = r"""
name: flowlogs_delivery_policy
version_added: 0.1.0
short_description: The policy that lets VPC Flow Logs deliver records to a log group
description:
  - With O(scope=log_groups), the least-privilege policy - C(logs:CreateLogStream),
    C(logs:DescribeLogGroups), C(logs:DescribeLogStreams) and C(logs:PutLogEvents) on the log group's
    streams (C(arn:<partition>:logs:*:<account>:log-group:<name>:*)) in any region of the account.
  - With O(scope=any), the policy of the VPC User Guide's IAM role for publishing flow logs to
    CloudWatch Logs (also C(logs:CreateLogGroup)) on every resource.
positional: partition, account, scope
options:
  _input:
    description: The log group name.
    type: str
    required: true
  partition:
    description: The partition (V(aws), V(aws-cn), V(aws-us-gov)...).
    type: str
    required: true
  account:
    description: The 12-digit account id.
    type: str
    required: true
  scope:
    description: Which resources the policy names.
    type: str
    default: log_groups
    choices: [log_groups, any]
"""

EXAMPLES = r"""
- name: The delivery policy for one log group
  ansible.builtin.set_fact:
    policy: "{{ '/vpc/flow-logs' | netobs.flowlogs.flowlogs_delivery_policy('aws', '111122223333') }}"
"""

RETURN = r"""
_value:
  description: The policy document.
  type: dict
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.netobs.flowlogs.plugins.module_utils.arn import log_group_arn
from ansible_collections.netobs.flowlogs.plugins.module_utils.policy import ANY_LOG_GROUP, flow_logs_delivery_policy


def flowlogs_delivery_policy(log_group_name, partition, account, scope="log_groups"):
    """The delivery policy: ``log_groups`` = this group's streams in any region, ``any`` = the VPC guide's."""
    if scope == "any":
        return flow_logs_delivery_policy(ANY_LOG_GROUP)
    if scope != "log_groups":
        raise AnsibleFilterError("flowlogs_delivery_policy: scope {0!r} is not allowed (allowed: log_groups, "
                                 "any)".format(scope))
    return flow_logs_delivery_policy([log_group_arn(partition, "*", account, log_group_name)])


class FilterModule:
    def filters(self):
        return {"flowlogs_delivery_policy": flowlogs_delivery_policy}
