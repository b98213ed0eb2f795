# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
name: protocol_name
version_added: 0.1.0
short_description: IANA protocol keyword of a protocol number
description:
  - Names a flow log's protocol number from the full IANA Assigned Internet Protocol Numbers registry
    (6 is TCP, 17 UDP, 50 ESP, ...).
  - Numbers without a keyword give the registry's description; unassigned numbers say so.
options:
  _input:
    description: The protocol number.
    type: raw
    required: true
"""

EXAMPLES = r"""
- name: The name of a protocol number
  ansible.builtin.debug:
    msg: "{{ 6 | netobs.flowlogs.protocol_name }}"  # TCP
"""

RETURN = r"""
_value:
  description: The IANA keyword, or the number when it has none.
  type: str
"""

from ansible_collections.netobs.flowlogs.plugins.plugin_utils.report import protocol_name


class FilterModule:
    def filters(self):
        return {"protocol_name": protocol_name}
