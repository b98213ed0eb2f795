# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
name: human_bytes
version_added: 0.1.0
short_description: Bytes in human decimal units
description:
  - A byte count shown with decimal units (1 MB = 1,000,000 bytes), as the CloudWatch console uses.
positional: unit, precision
options:
  _input:
    description: The number of bytes (a number or numeric string).
    type: raw
    required: true
  unit:
    description: Force one unit (B, kB, MB, GB, TB, PB) instead of the largest that fits.
    type: str
  precision:
    description: Decimal places.
    type: int
"""

EXAMPLES = r"""
- name: Bytes in decimal units
  ansible.builtin.debug:
    msg: "{{ 123456789 | netobs.flowlogs.human_bytes }}"  # 123.5 MB

- name: Bytes in a fixed unit and precision
  ansible.builtin.debug:
    msg: "{{ 1234567 | netobs.flowlogs.human_bytes('GB', 3) }}"  # 0.001 GB
"""

RETURN = r"""
_value:
  description: The value with its unit, for example C(123.5 MB).
  type: str
"""

from ansible_collections.netobs.flowlogs.plugins.plugin_utils.report import human_bytes


class FilterModule:
    def filters(self):
        return {"human_bytes": human_bytes}
