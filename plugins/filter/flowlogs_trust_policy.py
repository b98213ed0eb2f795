# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The flow-logs delivery role's documents, built by policy.py so the enable role never spells them in Jinja."""

DOCUMENTATION = r"""
name: flowlogs_trust_policy
version_added: 0.1.0
short_description: The trust policy of the VPC Flow Logs delivery role, for every region of an account
description:
  - The trust policy that lets C(vpc-flow-logs.amazonaws.com) assume the role, built by the collection's
    policy code (the same document the C(iam_role) module uses by default).
  - With confused-deputy protection (the VPC User Guide's C(aws:SourceAccount) and C(aws:SourceArn)
    conditions) only flow logs of the account, in any region, may use it; the role is shared by the
    account's regions, so the document is the same from every region.
positional: account, confused_deputy
options:
  _input:
    description: The partition (V(aws), V(aws-cn), V(aws-us-gov)...).
    type: str
    required: true
  account:
    description: The 12-digit account id.
    type: str
    required: true
  confused_deputy:
    description: Add the confused-deputy conditions.
    type: bool
    default: true
"""

EXAMPLES = r"""
- name: The trust policy of the delivery role
  ansible.builtin.set_fact:
    trust_policy: "{{ 'aws' | netobs.flowlogs.flowlogs_trust_policy('111122223333') }}"
"""

RETURN = r"""
_value:
  description: The trust policy document.
  type: dict
"""

from ansible_collections.netobs.flowlogs.plugins.module_utils.policy import flow_logs_trust_policy


def flowlogs_trust_policy(partition, account, confused_deputy=True):
    """policy.py's trust policy for flow logs of ``account`` in any region (the role serves them all)."""
    return flow_logs_trust_policy(partition, account, region=None, confused_deputy=confused_deputy)


class FilterModule:
    def filters(self):
        return {"flowlogs_trust_policy": flowlogs_trust_policy}
