# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
name: csv_cell
version_added: 1.0.0
short_description: A CSV cell that a spreadsheet shows as text
description:
  - Text beginning with C(=), C(+), C(-), C(@), a tab or a carriage return gets a leading C(') so a
    spreadsheet does not run it as a formula (OWASP's advice against CSV injection).
  - Numbers, and text that is a plain number such as C(-5), stay as they are; V(null) becomes an empty cell.
options:
  _input:
    description: The cell value.
    type: raw
    required: true
"""

EXAMPLES = r"""
- name: A cell a spreadsheet will not run as a formula
  ansible.builtin.debug:
    msg: '{{ ''=HYPERLINK("http://x")'' | netobs.flowlogs.csv_cell }}'  # '=HYPERLINK("http://x")
"""

RETURN = r"""
_value:
  description: The cell, safe to write to a CSV file.
  type: raw
"""

from ansible_collections.netobs.flowlogs.plugins.plugin_utils.report import csv_cell


class FilterModule:
    def filters(self):
        return {"csv_cell": csv_cell}
