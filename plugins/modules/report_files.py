#!/usr/bin/python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
module: report_files
short_description: Write a flow-log report's files on the controller
version_added: 1.0.0
description:
  - Writes one report scope (a target, or the fleet) to O(dest) on the controller - one CSV and one JSON
    file per section under C(csv/) and C(json/), C(json/failures.json), and each of O(templates)
    rendered from the role's C(templates/<name>.j2) with the task's variables.
  - The files are written by the controller process that runs the task, in one step, instead of one
    module run per file; only files whose content changes are replaced, each atomically.
  - This is the C(netobs.flowlogs.report) role's writer; it runs as an action plugin on the controller
    whatever host the task is for.
  - Supports check mode (nothing is written; C(changed) tells whether a file would change) and diff
    mode (before and after of each changed file).
author:
  - netobs.flowlogs contributors (@netobs)
options:
  dest:
    description: The scope's report directory, created with its C(csv/) and C(json/) subdirectories.
    type: path
    required: true
  sections:
    description:
      - The scope's sections, as P(netobs.flowlogs.report_sections#filter) or
        P(netobs.flowlogs.fleet_sections#filter) return them; each needs an C(id) (the file name, made
        safe with P(netobs.flowlogs.report_slug#filter)) and C(rows).
    type: list
    elements: dict
    required: true
  failures:
    description: The targets that have no report (C(target), C(step), C(message)), written to C(json/failures.json).
    type: list
    elements: dict
    default: []
  templates:
    description: The documents to render from the role's C(templates/<name>.j2) into O(dest).
    type: list
    elements: str
    default: [report.md, report.html]
  mode:
    description: The permissions of the files written.
    type: str
    default: "0644"
  directory_mode:
    description: The permissions of the directories created.
    type: str
    default: "0755"
attributes:
  check_mode:
    support: full
    description: Nothing is written; RV(written) lists the files that would change.
  diff_mode:
    support: full
    description: The before and after of each file that changes (files over C(MAX_FILE_SIZE_FOR_DIFF) are named only).
  platform:
    support: full
    platforms: all
    description: Runs on the controller, whatever host the task is for.
"""

EXAMPLES = r"""
- name: Write this target's report
  netobs.flowlogs.report_files:
    dest: "{{ flowlogs_report_dir }}/{{ inventory_hostname | netobs.flowlogs.report_slug }}"
    sections: "{{ flowlogs_report_sections | netobs.flowlogs.report_sections(flowlogs_report_results) }}"
"""

RETURN = r"""
dest:
  description: The scope's report directory.
  returned: always
  type: str
files:
  description: Every file of the scope, written or already up to date.
  returned: always
  type: list
  elements: str
written:
  description: The files whose content changed (in check mode, would change).
  returned: always
  type: list
  elements: str
"""
