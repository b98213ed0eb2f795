# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The old import path of the rules: everything here is defined in rules.py.

Kept so code not yet moved to ``rules`` imports the very same objects (one ValidationError class,
one pattern per rule); new code imports ``rules``.
"""

from ansible_collections.netobs.flowlogs.plugins.module_utils.rules import (  # noqa: F401
    LOG_GROUP_NAME_PATTERN,
    ValidationError,
    require_choice,
    require_length,
    require_log_group_name,
)
