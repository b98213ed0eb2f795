# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
name: role_problems
author: netobs.flowlogs contributors (@netobs)
short_description: What is wrong with a netobs.flowlogs role's variables, by the modules' own rules
version_added: 0.1.0
description:
  - >-
    Checks the variables of the C(enable), C(disable) or C(audit) role that C(meta/argument_specs.yml)
    cannot check (VPC ids, log group, role and policy names, the IAM path, ARNs, the region, the flow-log
    format) with the same Python rules the modules run, and returns one C(<variable>: <problem>) message per
    bad variable, naming the role variable and what it allows. An empty list means all are good.
  - The roles call it before their first AWS call; no AWS call is made.
options:
  _terms:
    description: The role names (V(enable), V(disable), V(audit)).
    required: true
    type: list
    elements: str
"""

EXAMPLES = r"""
- name: Check the variables argument_specs cannot check
  ansible.builtin.assert:
    that: __problems | length == 0
    fail_msg: "{{ __problems | join('; ') }}"
  vars:
    __problems: "{{ query('netobs.flowlogs.role_problems', 'enable') }}"
"""

RETURN = r"""
_list:
  description: "The problems, for example C(flowlogs_vpc_ids: not VPC ids (vpc- and 8 or 17 hex digits): vpc-1)."
  type: list
  elements: str
"""

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase

from ansible_collections.netobs.flowlogs.plugins.plugin_utils.role_checks import checked_variables, role_problems


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        variables = variables or {}
        problems = []
        for role in terms:
            try:
                names = checked_variables(role)
            except ValueError as exc:
                raise AnsibleLookupError("role_problems: {0}".format(exc))
            values = dict((name, self._templar.template(variables[name])) for name in names if name in variables)
            problems.extend(role_problems(values, role))
        return problems
