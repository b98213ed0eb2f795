# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
name: svg_bar_chart
version_added: 0.1.0
short_description: Inline SVG horizontal bar chart
description:
  - Draws one horizontal bar per row, labelled, with human values, as an inline SVG string for a
    self-contained HTML report.
positional: label_keys, value_key, title, width, bar_height, value_format
options:
  _input:
    description: The rows.
    type: list
    required: true
  label_keys:
    description: The key, or list of keys, that label a bar.
    type: raw
    required: true
  value_key:
    description: The key of the numeric value.
    type: str
    required: true
  title:
    description: Chart title.
    type: str
  width:
    description: Width in pixels.
    type: int
  bar_height:
    description: Bar height in pixels.
    type: int
  value_format:
    description: V(bytes) for human byte units, V(mb) for values already in MB, anything else for plain numbers.
    type: str
"""

EXAMPLES = r"""
- name: A bar chart of the top talkers
  ansible.builtin.set_fact:
    chart: "{{ rows | netobs.flowlogs.svg_bar_chart(['srcAddr', 'dstAddr'], 'bytesTransferred', title='Top talkers') }}"
"""

RETURN = r"""
_value:
  description: An C(<svg>) element.
  type: str
"""

from ansible_collections.netobs.flowlogs.plugins.plugin_utils.report import svg_bar_chart


class FilterModule:
    def filters(self):
        return {"svg_bar_chart": svg_bar_chart}
