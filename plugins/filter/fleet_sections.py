# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
name: fleet_sections
version_added: 1.0.0
short_description: The fleet report's sections, merged from every target's
description:
  - For each section, merges the targets' rows with P(netobs.flowlogs.merge_rows#filter) semantics as the
    section's C(merge) says (C(group_by), C(sum), C(sort), C(limit), C(rename)), adds up the
    statistics and costs, keeps each note with its target, and puts the target in the chart labels
    of sections whose rows stay per target (private addresses repeat across accounts).
positional: targets, per_target_sections
options:
  _input:
    description: The sections.
    type: list
    elements: dict
    required: true
  targets:
    description: The target names, one per entry of O(per_target_sections).
    type: list
    elements: str
    required: true
  per_target_sections:
    description: Each target's sections as P(netobs.flowlogs.report_sections#filter) returned them.
    type: list
    elements: list
    required: true
"""

EXAMPLES = r"""
- name: Merge the targets' sections into the fleet's
  ansible.builtin.set_fact:
    fleet_sections: >-
      {{ flowlogs_report_sections
         | netobs.flowlogs.fleet_sections(targets, targets | map('extract', hostvars, 'sections')) }}
"""

RETURN = r"""
_value:
  description: The merged sections.
  type: list
  elements: dict
"""

from ansible_collections.netobs.flowlogs.plugins.plugin_utils.report import fleet_sections


class FilterModule:
    def filters(self):
        return {"fleet_sections": fleet_sections}
