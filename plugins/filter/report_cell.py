# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
name: report_cell
version_added: 0.1.0
short_description: One report table cell as a person reads it
description:
  - Formats a value of a Logs Insights result column for a report - byte columns in decimal units,
    C(MB...) columns rounded, C(protocol) named from the IANA registry (C(TCP (6))), ports with their
    well-known service (C(22 (ssh))), whole numbers without a decimal point.
positional: column
options:
  _input:
    description: The cell value.
    type: raw
    required: true
  column:
    description: The column name, which decides the format.
    type: str
    required: true
"""

EXAMPLES = r"""
- name: A protocol cell as a person reads it
  ansible.builtin.debug:
    msg: "{{ 6 | netobs.flowlogs.report_cell('protocol') }}"  # TCP (6)
"""

RETURN = r"""
_value:
  description: The formatted cell.
  type: str
"""

from ansible_collections.netobs.flowlogs.plugins.plugin_utils.report import report_cell


class FilterModule:
    def filters(self):
        return {"report_cell": report_cell}
