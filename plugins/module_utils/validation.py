# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Input validation errors that name the parameter and what it allows."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

# CloudWatch Logs: 1-512 of letters, digits, '_', '-', '/', '.', '#' (API_CreateLogGroup).
LOG_GROUP_NAME_PATTERN = re.compile(r"^[.\-_/#A-Za-z0-9]{1,512}$")


class ValidationError(ValueError):
    """A parameter value that AWS would reject (or that would do harm); raised before any mutation.

    A ValueError, so callers that already turn bad values into user errors (the lookup, the
    inventory plugin, session_for_module) report it without knowing this class.
    """

    def __init__(self, param, message, allowed=None):
        self.param = param
        self.allowed = allowed
        text = "{0}: {1}".format(param, message)
        if allowed is not None:
            text += " (allowed: {0})".format(", ".join(str(a) for a in allowed))
        super(ValidationError, self).__init__(text)


def require_choice(param, value, allowed):
    if value not in allowed:
        raise ValidationError(param, "{0!r} is not allowed".format(value), allowed=allowed)
    return value


def require_length(param, value, minimum, maximum):
    if value is None or not (minimum <= len(value) <= maximum):
        raise ValidationError(param, "must be {0} to {1} characters, got {2}".format(
            minimum, maximum, 0 if value is None else len(value)))
    return value


def require_log_group_name(param, name):
    """A log group name CloudWatch Logs accepts, or a ValidationError naming ``param``."""
    if not isinstance(name, str) or not LOG_GROUP_NAME_PATTERN.match(name):
        raise ValidationError(param, "{0!r} is not a log group name: 1 to 512 letters, digits and . - _ / #".format(
            name))
    return name
