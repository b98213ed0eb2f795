# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
name: port_service
version_added: 0.1.0
short_description: Well-known service name of a port
description:
  - Names a transport port from the IANA service registry's well-known entries
    (22 is ssh, 3389 ms-wbt-server, 443 https, ...).
positional: protocol
options:
  _input:
    description: The port number.
    type: raw
    required: true
  protocol:
    description: The protocol (number or name) to disambiguate.
    type: raw
"""

EXAMPLES = r"""
- name: The service of a port
  ansible.builtin.debug:
    msg: "{{ 22 | netobs.flowlogs.port_service }}"  # ssh
"""

RETURN = r"""
_value:
  description: The service name, or the port when it has none.
  type: str
"""

from ansible_collections.netobs.flowlogs.plugins.plugin_utils.report import port_service


class FilterModule:
    def filters(self):
        return {"port_service": port_service}
