#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: log_group
short_description: Manage a CloudWatch Logs log group
version_added: 0.1.0
description:
  - Creates, updates and deletes a CloudWatch Logs log group - its retention, KMS key, class and tags.
  - Retention and the KMS key are changed in place on an existing group too.
  - Every option is validated before the first change; an invalid retention or key fails the task and
    never touches the group.
  - Supports check mode (no change is made; C(changed) is predicted) and diff mode.
author:
  - netobs.flowlogs contributors (@netobs)
options:
  name:
    description:
      - The log group name, 1 to 512 letters, digits and C(._-/#), for example C(/vpc/flow-logs).
    type: str
    required: true
  retention_days:
    description:
      - How many days CloudWatch Logs keeps events.
      - One of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557,
        2922, 3288 or 3653 (the values CloudWatch Logs accepts).
      - V(0) means never expire - the retention policy is removed.
      - Leave out to keep the group's retention as it is (a new group never expires).
    type: int
  kms_key_id:
    description:
      - The ARN of the KMS key that encrypts the group's events, in the group's region
        (C(arn:aws:kms:<region>:<account>:key/<key id>); aliases are not accepted by CloudWatch Logs).
      - Associated with an existing group too; an empty string disassociates the current key.
      - Leave out to keep the group's key as it is.
    type: str
  log_group_class:
    description:
      - The log group class, set when the group is created (new groups default to V(STANDARD)).
      - CloudWatch Logs cannot change a class; a different class on an existing group is an error.
    type: str
    choices: [STANDARD, INFREQUENT_ACCESS]
  tags:
    description:
      - Tags for the log group. Leave out to keep the group's tags as they are.
    type: dict
  purge_tags:
    description:
      - Remove tags that are not in O(tags). Has no effect when O(tags) is not given.
    type: bool
    default: true
  adopt:
    description:
      - Take over an existing log group of this name that netobs.flowlogs did not create (one without the
        C(ManagedBy=netobs.flowlogs) tag).
      - V(false) (the default) leaves such a log group alone - the task fails before any change, naming the
        log group and what would change - unless it already is as asked (then nothing changes and
        RV(log_group.owned) is V(false)).
      - V(true) changes it like an own log group and tags it C(ManagedBy=netobs.flowlogs).
    type: bool
    default: false
  state:
    description:
      - V(present) creates or updates the group; V(absent) deletes it with all its events.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - netobs.flowlogs.aws
notes:
  - A run on an unchanged group makes two read calls (DescribeLogGroups with the name as prefix,
    ListTagsForResource).
seealso:
  - module: netobs.flowlogs.iam_role
"""

EXAMPLES = r"""
- name: Log group for VPC flow logs, kept a week
  netobs.flowlogs.log_group:
    name: /vpc/flow-logs
    retention_days: 7
    tags:
      owner: network-team

- name: Keep the events forever and encrypt them
  netobs.flowlogs.log_group:
    name: /vpc/flow-logs
    retention_days: 0
    kms_key_id: arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab

- name: Delete the group and its events
  netobs.flowlogs.log_group:
    name: /vpc/flow-logs
    state: absent
"""

RETURN = r"""
log_group:
  description: The log group after the run (predicted in check mode); empty after O(state=absent).
  returned: always
  type: dict
  contains:
    name:
      description: The log group name.
      type: str
    arn:
      description: The log group ARN, without C(:*) (what tagging and KMS use).
      type: str
      sample: arn:aws:logs:eu-west-1:111122223333:log-group:/vpc/flow-logs
    arn_with_streams:
      description: The C(:*) form of the ARN that IAM policies for VPC Flow Logs delivery name.
      type: str
      sample: arn:aws:logs:eu-west-1:111122223333:log-group:/vpc/flow-logs:*
    retention_days:
      description: The retention in days; null when events never expire.
      type: int
    kms_key_id:
      description: The KMS key ARN; null when none.
      type: str
    log_group_class:
      description: The log group class.
      type: str
    tags:
      description: The log group's tags.
      type: dict
    owned:
      description: Whether the log group carries C(ManagedBy=netobs.flowlogs) after the run (V(false) for a log group
        someone else made that was left alone because nothing differed).
      type: bool
    adopted:
      description: Whether this run took over a log group netobs.flowlogs had not created (O(adopt)).
      type: bool
actions:
  description: What the run did (or, in check mode, would do), in order.
  returned: always
  type: list
  elements: str
"""

# Imports follow the documentation, as ansible-test requires.
from ansible.module_utils.basic import AnsibleModule

from ansible_collections.netobs.flowlogs.plugins.module_utils.aws import aws_argument_spec
from ansible_collections.netobs.flowlogs.plugins.module_utils.log_groups import LOG_GROUP_OPTIONS, LogGroupResource
from ansible_collections.netobs.flowlogs.plugins.module_utils.options import argument_spec as argument_spec_of
from ansible_collections.netobs.flowlogs.plugins.module_utils.resource import run_resource


def main():
    argument_spec = aws_argument_spec(**argument_spec_of(LOG_GROUP_OPTIONS))
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    run_resource(module, LogGroupResource)


if __name__ == "__main__":
    main()
