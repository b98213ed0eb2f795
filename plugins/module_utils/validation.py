# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Input validation errors that name the parameter and what it allows."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


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
