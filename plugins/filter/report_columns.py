# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
name: report_columns
version_added: 1.0.0
short_description: Every column of a list of result rows, in first-seen order
description:
  - Rows merged from several targets or log formats need not all have the same columns; this
    returns their union, in the order they first appear, without Logs Insights' C(@ptr).
options:
  _input:
    description: The rows (a list of dicts).
    type: list
    elements: dict
    required: true
"""

EXAMPLES = r"""
- name: The columns of a section's rows
  ansible.builtin.set_fact:
    columns: "{{ section.rows | netobs.flowlogs.report_columns }}"
"""

RETURN = r"""
_value:
  description: The column names.
  type: list
  elements: str
"""

from ansible_collections.netobs.flowlogs.plugins.plugin_utils.report import report_columns


class FilterModule:
    def filters(self):
        return {"report_columns": report_columns}
