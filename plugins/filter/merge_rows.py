# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
name: merge_rows
version_added: 0.1.0
short_description: Merge per-target query rows into fleet rows
description:
  - Groups the rows of several targets' results by O(group_by), adds up O(sum_columns), sorts by
    O(sort_by) and keeps the first O(limit) rows. Right for sums and counts; not for averages or
    distinct counts.
positional: group_by, sum_columns, sort_by, limit, descending, sources, source_column
options:
  _input:
    description: A list of row lists, one per target.
    type: list
    elements: list
    required: true
  group_by:
    description: The column, or columns, that identify a row.
    type: raw
    required: true
  sum_columns:
    description: The numeric columns to add up.
    type: raw
    required: true
  sort_by:
    description: The column to sort by.
    type: str
  limit:
    description: How many rows to keep.
    type: int
  descending:
    description: Sort largest first.
    type: bool
    default: true
  sources:
    description:
      - One name per row list (for example the inventory hostnames); each row then gets a column
        O(source_column) with its source, which O(group_by) can use to keep targets apart.
    type: list
    elements: str
  source_column:
    description: The name of the column O(sources) adds; dropped again when O(group_by) does not use it.
    type: str
    default: target
"""

EXAMPLES = r"""
- name: Top talkers across targets
  ansible.builtin.set_fact:
    fleet_rows: >-
      {{ per_target_rows
         | netobs.flowlogs.merge_rows(['srcAddr', 'dstAddr'], ['bytesTransferred'], 'bytesTransferred', 10) }}
"""

RETURN = r"""
_value:
  description: The merged rows.
  type: list
  elements: dict
"""

from ansible_collections.netobs.flowlogs.plugins.plugin_utils.report import merge_rows


class FilterModule:
    def filters(self):
        return {"merge_rows": merge_rows}
