# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The flow-logs delivery role's documents, built by policy.py so the enable role never spells them in Jinja.

The region is left open (``*``) because one IAM role and policy serve every region of an account.
"""

from ansible.errors import AnsibleFilterError

from ansible_collections.netobs.flowlogs.plugins.module_utils.arn import log_group_arn
from ansible_collections.netobs.flowlogs.plugins.module_utils.policy import (
    ANY_LOG_GROUP,
    flow_logs_delivery_policy,
    flow_logs_trust_policy,
)


def flowlogs_trust_policy(partition, account, confused_deputy=True):
    """policy.py's trust policy for flow logs of ``account`` in any region (the role serves them all)."""
    return flow_logs_trust_policy(partition, account, region=None, confused_deputy=confused_deputy)


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
        return {
            "flowlogs_trust_policy": flowlogs_trust_policy,
            "flowlogs_delivery_policy": flowlogs_delivery_policy,
        }
