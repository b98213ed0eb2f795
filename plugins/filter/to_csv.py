# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
name: to_csv
version_added: 0.1.0
short_description: Rows as CSV text
description:
  - Turns a list of dictionaries (for example the rows of the insights lookup) into CSV with a header
    line, quoted as RFC 4180 wants.
positional: columns
options:
  _input:
    description: The rows.
    type: list
    required: true
  columns:
    description: Column order; defaults to the keys in the order first seen.
    type: list
"""

EXAMPLES = r"""
- name: Rows as CSV
  ansible.builtin.set_fact:
    csv_text: "{{ rows | netobs.flowlogs.to_csv }}"
"""

RETURN = r"""
_value:
  description: CSV text.
  type: str
"""

from ansible_collections.netobs.flowlogs.plugins.plugin_utils.report import to_csv


class FilterModule:
    def filters(self):
        return {"to_csv": to_csv}
