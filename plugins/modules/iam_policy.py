#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: iam_policy
short_description: Manage an IAM customer managed policy
version_added: 0.1.0
description:
  - Creates, updates and deletes an IAM customer managed policy, for example the policy that lets
    VPC Flow Logs write into a CloudWatch Logs log group.
  - The document is compared by meaning, not by text; key order, a string versus a one-element list,
    and the order of C(Action) and C(Resource) lists make no change.
  - A changed document becomes a new default version. When the policy already holds five versions
    (IAM's limit), the oldest non-default version is deleted first.
  - Every option is validated before the first change, so a bad value leaves the account as it was.
  - Supports check mode (no change is made; C(changed) is predicted) and diff mode (the properties and
    the document before and after).
author:
  - netobs.flowlogs contributors (@netobs)
options:
  name:
    description:
      - The policy name, unique in the account. 1 to 128 letters, digits and C(+=,.@_-).
    type: str
    required: true
  path:
    description:
      - The IAM path, starting and ending with C(/), for example C(/flowlogs/).
      - IAM cannot change a policy's path; a different path on an existing policy is an error.
    type: str
    default: /
  description:
    description:
      - A description, at most 1000 characters. Set only when the policy is created.
      - IAM cannot change a description, and a description grants nothing - a different value on an
        existing policy leaves the policy's own and the task warns (it does not fail). Leave it out to
        accept whatever the policy has.
    type: str
  policy:
    description:
      - The policy document, as a dictionary or a JSON string.
      - Required when O(state=present). Must have a C(Statement) whose entries have C(Effect) V(Allow)
        or V(Deny), an action and a resource, and no principal; at most 6144 characters without whitespace.
    type: raw
  tags:
    description:
      - Tags for the policy. Leave out to keep the policy's tags as they are.
      - Whatever O(tags) and O(purge_tags) say, a policy this module creates or adopts carries
        C(ManagedBy=netobs.flowlogs), the tag that marks what netobs.flowlogs may change and delete.
    type: dict
  purge_tags:
    description:
      - Remove tags that are not in O(tags). Has no effect when O(tags) is not given.
    type: bool
    default: true
  merge_resources:
    description:
      - Keep the C(Resource) entries of the existing default version. Each statement of O(policy) with a
        C(Sid) gets the union of its C(Resource) list and that of the existing statement with the same
        C(Sid); the other statements are as given.
      - For a policy that several runs extend, such as the enable role's delivery policy that names the log
        group of each region of an account - each run adds its own group and keeps the others.
      - Applies to a policy netobs.flowlogs owns only (see O(adopt)). After writing a version the module
        lists the versions; when a concurrent run wrote one meanwhile that holds resources this one lacks,
        it merges them and writes again (up to three times), so the last writer holds them all.
    type: bool
    default: false
  adopt:
    description:
      - Take over an existing policy of this name that netobs.flowlogs did not create (one without the
        C(ManagedBy=netobs.flowlogs) tag).
      - V(false) (the default) leaves such a policy alone - the task fails before any change, naming the
        policy and what would change - unless it already is as asked (then nothing changes and
        RV(policy.owned) is V(false)).
      - V(true) changes it like an own policy and tags it C(ManagedBy=netobs.flowlogs).
      - An adopted policy's document is replaced by O(policy) (O(merge_resources) merges only into an owned one).
    type: bool
    default: false
  state:
    description:
      - V(present) creates or updates the policy.
      - V(absent) detaches it from every role, user and group, deletes its non-default versions, then deletes it.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - netobs.flowlogs.aws
notes:
  - A run on an unchanged policy makes three read calls (GetCallerIdentity, GetPolicy, GetPolicyVersion).
seealso:
  - module: netobs.flowlogs.iam_role
"""

EXAMPLES = r"""
- name: Policy that lets VPC Flow Logs write into one log group
  netobs.flowlogs.iam_policy:
    name: flow-logs-delivery
    path: /flowlogs/
    description: VPC Flow Logs delivery into /vpc/flow-logs
    policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action:
            - logs:CreateLogStream
            - logs:PutLogEvents
            - logs:DescribeLogGroups
            - logs:DescribeLogStreams
          Resource: "arn:aws:logs:eu-west-1:111122223333:log-group:/vpc/flow-logs:*"
    tags:
      owner: network-team

- name: The same document read from a file
  netobs.flowlogs.iam_policy:
    name: flow-logs-delivery
    path: /flowlogs/
    policy: "{{ lookup('ansible.builtin.file', 'flow-logs-policy.json') }}"

- name: Remove the policy, detaching it from whatever uses it
  netobs.flowlogs.iam_policy:
    name: flow-logs-delivery
    path: /flowlogs/
    state: absent
"""

RETURN = r"""
policy:
  description: The policy after the run (predicted in check mode); empty after O(state=absent).
  returned: always
  type: dict
  contains:
    arn:
      description: The policy ARN.
      type: str
      sample: arn:aws:iam::111122223333:policy/flowlogs/flow-logs-delivery
    name:
      description: The policy name.
      type: str
    path:
      description: The IAM path.
      type: str
    policy_id:
      description: The stable policy id; null when the policy is only about to be created (check mode).
      type: str
    description:
      description: The description (empty when none).
      type: str
    default_version_id:
      description: The default version, for example V(v2); null in check mode when a new version would be made.
      type: str
    document:
      description: The default version's document, as a dictionary.
      type: dict
    tags:
      description: The policy's tags.
      type: dict
    owned:
      description: Whether the policy carries C(ManagedBy=netobs.flowlogs) after the run (V(false) for a policy
        someone else made that was left alone because nothing differed).
      type: bool
    adopted:
      description: Whether this run took over a policy netobs.flowlogs had not created (O(adopt)).
      type: bool
    merged_resources:
      description: With O(merge_resources), the resources kept from the existing document (or from a
        concurrent run's version), by statement C(Sid).
      type: dict
actions:
  description: What the run did (or, in check mode, would do), in order.
  returned: always
  type: list
  elements: str
  sample: ["create a new default version of the policy document"]
"""

# Imports follow the documentation, as ansible-test requires.
from ansible.module_utils.basic import AnsibleModule

from ansible_collections.netobs.flowlogs.plugins.module_utils.aws import aws_argument_spec
from ansible_collections.netobs.flowlogs.plugins.module_utils.iam_policies import IAM_POLICY_OPTIONS, IamPolicyResource
from ansible_collections.netobs.flowlogs.plugins.module_utils.options import argument_spec as argument_spec_of
from ansible_collections.netobs.flowlogs.plugins.module_utils.resource import run_resource


def main():
    argument_spec = aws_argument_spec(**argument_spec_of(IAM_POLICY_OPTIONS))
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    run_resource(module, IamPolicyResource)


if __name__ == "__main__":
    main()
