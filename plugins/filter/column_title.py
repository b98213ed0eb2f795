# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
name: column_title
version_added: 1.0.0
short_description: The header a person reads for a Logs Insights result column
description:
  - Flow-log fields and the report's own columns get a readable title with units
    (C(bytesTransferred) is C(Bytes transferred)); other columns keep their name.
  - The CSV and JSON outputs keep the raw column names.
options:
  _input:
    description: The column name.
    type: str
    required: true
"""

EXAMPLES = r"""
- name: The header of a source-address column
  ansible.builtin.debug:
    msg: "{{ 'srcAddr' | netobs.flowlogs.column_title }}"  # Source address
"""

RETURN = r"""
_value:
  description: The title.
  type: str
"""

from ansible_collections.netobs.flowlogs.plugins.plugin_utils.report import column_title


class FilterModule:
    def filters(self):
        return {"column_title": column_title}
