#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: iam_role
short_description: Manage an IAM role, by default one that VPC Flow Logs can assume
version_added: 0.1.0
description:
  - Creates, updates and deletes an IAM role, its trust policy, attached managed policies, permissions
    boundary, maximum session duration and tags.
  - Without O(trust_policy) the role trusts C(vpc-flow-logs.amazonaws.com) with confused-deputy
    protection - C(aws:SourceAccount) is the caller's account and C(aws:SourceArn) matches
    C(arn:<partition>:ec2:<region>:<account>:vpc-flow-log/*).
  - Trust policies are compared by meaning, so an equivalent document makes no change.
  - Every option is validated (and managed policy names resolved) before the first change, so a bad
    value leaves the account as it was.
  - Supports check mode (no change is made; C(changed) is predicted) and diff mode.
author:
  - netobs.flowlogs contributors (@netobs)
options:
  name:
    description:
      - The role name, unique in the account. 1 to 64 letters, digits and C(+=,.@_-).
    type: str
    required: true
  path:
    description:
      - The IAM path, starting and ending with C(/).
      - IAM cannot change a role's path; a different path on an existing role is an error.
    type: str
    default: /
  description:
    description:
      - The role description, at most 1000 characters. Leave out to keep the current one.
    type: str
  trust_policy:
    description:
      - The trust (assume role) policy, as a dictionary or a JSON string. Each statement needs a
        C(Principal) and must not have a C(Resource).
      - Leave out for the VPC Flow Logs trust policy described above.
    type: raw
  confused_deputy_protection:
    description:
      - With the default trust policy, restrict it to flow logs of this account and region
        (C(aws:SourceAccount) and C(aws:SourceArn) conditions).
      - V(false) drops the conditions. Setting V(false) together with O(trust_policy) is an error; write
        the conditions you want into O(trust_policy) instead.
      - The region is the O(region) option's; with no region the condition allows any region (C(*)).
    type: bool
    default: true
  managed_policies:
    description:
      - Managed policies to attach, by ARN or by name.
      - A name is looked up among the account's customer managed policies (one ListPolicies call, made
        only when a name is given); an unknown name is an error. Give AWS managed policies by ARN.
      - Each ARN that is not attached yet is checked with GetPolicy before the first change; one that does
        not exist fails the task naming this option, and the role is not created (in check mode it is not an
        error, since an earlier task of the play may create the policy).
      - Leave out to keep the attached policies as they are.
    type: list
    elements: str
  purge_policies:
    description:
      - Detach managed policies that are not in O(managed_policies). Has no effect when
        O(managed_policies) is not given.
    type: bool
    default: true
  max_session_duration:
    description:
      - The maximum session duration in seconds, 3600 to 43200. IAM's default is 3600.
    type: int
  permissions_boundary:
    description:
      - The ARN of a managed policy used as the role's permissions boundary.
      - An empty string removes the boundary; leave out to keep the current one.
    type: str
  tags:
    description:
      - Tags for the role. Leave out to keep the role's tags as they are.
      - Whatever O(tags) and O(purge_tags) say, a role this module creates or adopts carries
        C(ManagedBy=netobs.flowlogs), the tag that marks what netobs.flowlogs may change and delete.
    type: dict
  purge_tags:
    description:
      - Remove tags that are not in O(tags). Has no effect when O(tags) is not given.
    type: bool
    default: true
  wait:
    description:
      - After creating the role or changing its trust policy, poll GetRole until IAM returns the role
        with that trust policy three times in a row, so a following task (for example creating a flow
        log) sees it. A run that changes nothing does not wait.
      - IAM has no signal that a service can already assume the role; consistent reads cover the usual
        replication lag.
    type: bool
    default: true
  wait_timeout:
    description:
      - How many seconds O(wait) may take before the task fails.
    type: int
    default: 120
  adopt:
    description:
      - Take over an existing role of this name that netobs.flowlogs did not create (one without the
        C(ManagedBy=netobs.flowlogs) tag).
      - V(false) (the default) leaves such a role alone - the task fails before any change, naming the
        role and what would change - unless it already is as asked (then nothing changes and
        RV(role.owned) is V(false)).
      - V(true) changes it like an own role and tags it C(ManagedBy=netobs.flowlogs).
      - Under V(true) the role's inline policies are deleted (this module manages none, and the role a service
        assumes must hold no grant nobody reviews) and a given or default O(trust_policy) replaces the old one;
        both are listed in RV(role.removed_inline_policies) and RV(role.removed_trust_principals).
    type: bool
    default: false
  state:
    description:
      - V(present) creates or updates the role.
      - V(absent) detaches its managed policies, deletes its inline policies, removes it from instance
        profiles, then deletes it.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - netobs.flowlogs.aws
notes:
  - A run on an unchanged role makes two read calls (GetRole, ListAttachedRolePolicies), three when
    O(managed_policies) holds names (ListPolicies).
seealso:
  - module: netobs.flowlogs.iam_policy
"""

EXAMPLES = r"""
- name: Role VPC Flow Logs assumes, with the delivery policy attached
  netobs.flowlogs.iam_role:
    name: flow-logs-delivery
    path: /flowlogs/
    description: Lets VPC Flow Logs of this account write into CloudWatch Logs
    managed_policies:
      - flow-logs-delivery
    tags:
      owner: network-team

- name: One role for flow logs in every region (no region in the condition)
  netobs.flowlogs.iam_role:
    name: flow-logs-delivery-global
    trust_policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Principal:
            Service: vpc-flow-logs.amazonaws.com
          Action: sts:AssumeRole
          Condition:
            StringEquals:
              aws:SourceAccount: "111122223333"
            ArnLike:
              aws:SourceArn: "arn:aws:ec2:*:111122223333:vpc-flow-log/*"

- name: Delete the role and everything that keeps it in place
  netobs.flowlogs.iam_role:
    name: flow-logs-delivery
    state: absent
"""

RETURN = r"""
role:
  description: The role after the run (predicted in check mode); empty after O(state=absent).
  returned: always
  type: dict
  contains:
    arn:
      description: The role ARN.
      type: str
      sample: arn:aws:iam::111122223333:role/flowlogs/flow-logs-delivery
    role_id:
      description: The stable role id; null when the role is only about to be created (check mode).
      type: str
    name:
      description: The role name.
      type: str
    path:
      description: The IAM path.
      type: str
    description:
      description: The description (empty when none).
      type: str
    trust_policy:
      description: The trust policy, as a dictionary.
      type: dict
    attached_policies:
      description: ARNs of the attached managed policies, sorted.
      type: list
      elements: str
    max_session_duration:
      description: The maximum session duration in seconds.
      type: int
    permissions_boundary:
      description: The permissions boundary ARN (empty when none).
      type: str
    tags:
      description: The role's tags.
      type: dict
    owned:
      description: Whether the role carries C(ManagedBy=netobs.flowlogs) after the run (V(false) for a role
        someone else made that was left alone because nothing differed).
      type: bool
    adopted:
      description: Whether this run took over a role netobs.flowlogs had not created (O(adopt)).
      type: bool
    removed_trust_principals:
      description: Principals the old trust policy trusted that the new one does not (C(Kind:value)).
      type: list
      elements: str
    removed_inline_policies:
      description: Inline policies deleted from a role this run adopted.
      type: list
      elements: str
actions:
  description: What the run did (or, in check mode, would do), in order.
  returned: always
  type: list
  elements: str
"""

# Imports follow the documentation, as ansible-test requires.
from ansible.module_utils.basic import AnsibleModule

from ansible_collections.netobs.flowlogs.plugins.module_utils.aws import aws_argument_spec
from ansible_collections.netobs.flowlogs.plugins.module_utils.iam_roles import IAM_ROLE_OPTIONS, IamRoleResource
from ansible_collections.netobs.flowlogs.plugins.module_utils.options import argument_spec as argument_spec_of
from ansible_collections.netobs.flowlogs.plugins.module_utils.resource import run_resource


def main():
    argument_spec = aws_argument_spec(**argument_spec_of(IAM_ROLE_OPTIONS))
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    run_resource(module, IamRoleResource)


if __name__ == "__main__":
    main()
