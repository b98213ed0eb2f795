# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
name: aws_connection
author: netobs.flowlogs contributors (@netobs)
short_description: The connection options the play's variables set, for module_defaults
version_added: 0.1.0
description:
  - Returns the modules' connection options (O(netobs.flowlogs.log_group#module:region),
    O(netobs.flowlogs.log_group#module:assume_role_arn), the credentials...) from the variables that
    carry them - C(aws_region), C(aws_profile), C(aws_access_key_id), C(aws_secret_access_key),
    C(aws_session_token), C(aws_endpoint_url), C(assume_role_arn), C(assume_role_external_id) - the
    same variables the C(netobs.flowlogs.insights) lookup reads and the C(aws_accounts) inventory sets.
  - Unset and empty variables are left out, so a module falls back to its environment variables.
  - The roles pass it to their modules with C(module_defaults); use it the same way in a play.
options:
  _terms:
    description: Not used.
    required: false
"""

EXAMPLES = r"""
- name: Act in this host's account and region
  module_defaults:
    group/netobs.flowlogs.flowlogs: "{{ query('netobs.flowlogs.aws_connection') | first }}"
  block:
    - name: Find the VPCs
      netobs.flowlogs.flow_log_info:
        coverage: {resource_types: [VPC]}
"""

RETURN = r"""
_list:
  description: One dictionary of module options.
  type: list
  elements: dict
"""

from ansible.plugins.lookup import LookupBase

from ansible_collections.netobs.flowlogs.plugins.plugin_utils.connection import (
    CONNECTION_VARIABLES,
    module_options_from_variables,
)


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        variables = variables or {}
        names = set(name for group in CONNECTION_VARIABLES.values() for name in group)
        values = dict((name, self._templar.template(variables[name])) for name in names if name in variables)
        return [module_options_from_variables(values)]
