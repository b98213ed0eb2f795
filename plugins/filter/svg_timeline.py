# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
name: svg_timeline
version_added: 0.1.0
short_description: Inline SVG area chart over time
description:
  - Draws the value of each row over its time label (for example per-minute bytes from C(bin(1m))), marking the peak.
positional: time_key, value_key, title, width, height, value_format
options:
  _input:
    description: The rows.
    type: list
    required: true
  time_key:
    description: The key holding the time label.
    type: str
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
  height:
    description: Height in pixels.
    type: int
  value_format:
    description: V(bytes) for human byte units, V(mb) for values already in MB, anything else for plain numbers.
    type: str
"""

EXAMPLES = r"""
- name: A timeline of traffic per minute
  ansible.builtin.set_fact:
    chart: "{{ rows | netobs.flowlogs.svg_timeline('minute', 'bytes', title='Traffic per minute') }}"
"""

RETURN = r"""
_value:
  description: An C(<svg>) element.
  type: str
"""

from ansible_collections.netobs.flowlogs.plugins.plugin_utils.report import svg_timeline


class FilterModule:
    def filters(self):
        return {"svg_timeline": svg_timeline}
