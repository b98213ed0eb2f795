# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
name: markdown_cell
version_added: 1.0.0
short_description: Text that stays inside one Markdown table cell
description:
  - HTML is escaped (Markdown passes HTML through), C(|) and C(\) are escaped so they do not split
    the cell, and line breaks become C(<br>) so they do not end the row.
options:
  _input:
    description: The cell value; V(null) becomes an empty cell.
    type: raw
    required: true
"""

EXAMPLES = r"""
- name: Text that stays in one table cell
  ansible.builtin.debug:
    msg: "{{ 'a|b' | netobs.flowlogs.markdown_cell }}"  # a\|b
"""

RETURN = r"""
_value:
  description: The escaped text.
  type: str
"""

from ansible_collections.netobs.flowlogs.plugins.plugin_utils.report import markdown_cell


class FilterModule:
    def filters(self):
        return {"markdown_cell": markdown_cell}
