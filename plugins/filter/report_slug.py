# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
name: report_slug
version_added: 1.0.0
short_description: A directory or file name that stays inside the report directory
description:
  - Keeps letters, digits, C(.), C(_) and C(-); anything else (C(/), C(..)) is replaced, and the
    result never starts with a dot, so an inventory host name such as an account named
    C(../../x) cannot write outside the report directory.
  - Whenever the name had to change, and for V(fleet) (the fleet report's own directory), a short
    hash of the name is added, so two names never share a slug.
options:
  _input:
    description: The name, for example C(inventory_hostname).
    type: str
    required: true
"""

EXAMPLES = r"""
- name: A directory name for a host
  ansible.builtin.debug:
    msg: "{{ '../../x' | netobs.flowlogs.report_slug }}"  # x- followed by 8 hex digits
"""

RETURN = r"""
_value:
  description: The slug, at most 89 characters.
  type: str
"""

from ansible_collections.netobs.flowlogs.plugins.plugin_utils.report import report_slug


class FilterModule:
    def filters(self):
        return {"report_slug": report_slug}
