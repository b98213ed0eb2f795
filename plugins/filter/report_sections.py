# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
name: report_sections
version_added: 1.0.0
short_description: A target's report sections with the answers of their queries
description:
  - Pairs each section of the report role (C(id), C(title), C(query) and how to show it) with the
    C(netobs.flowlogs.insights) lookup's result for it, in order, adding C(rows) (sorted by the
    section's C(order) when it names a time column), C(statistics), C(query_text), C(cost_usd),
    C(notes) and C(formats).
  - Fails when there are not as many results as sections.
positional: results
options:
  _input:
    description: The sections.
    type: list
    elements: dict
    required: true
  results:
    description: The lookup's results, one per section.
    type: list
    elements: dict
    required: true
"""

EXAMPLES = r"""
- name: A target's sections with their answers
  ansible.builtin.set_fact:
    sections: "{{ flowlogs_report_sections | netobs.flowlogs.report_sections(flowlogs_report_results) }}"
"""

RETURN = r"""
_value:
  description: The sections with their answers.
  type: list
  elements: dict
"""

from ansible_collections.netobs.flowlogs.plugins.plugin_utils.report import report_sections


class FilterModule:
    def filters(self):
        return {"report_sections": report_sections}
