# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A resource's options, declared once (the way a Terraform provider schema declares attributes).

Each resource module_utils file holds one table, ``{option name: Option(...)}``: its type, choices,
default, whether AWS can change it in place (``immutable``) and the AWS API key it maps to. The
module's argument_spec (``argument_spec(table)``), the immutable set (``immutable_options``) and the
tests that keep DOCUMENTATION and the roles' argument_specs in line are derived from it.
"""

STATES = ("present", "absent")


class Option:
    """One option of a resource."""

    def __init__(self, type, required=False, default=None, choices=None, elements=None, no_log=None,
                 immutable=False, aws_key=None, options=None):
        self.type = type
        self.required = required
        self.default = default
        self.choices = list(choices) if choices is not None else None
        self.elements = elements
        self.no_log = no_log
        # True when AWS cannot change the value of an existing resource (the task then fails, naming it).
        self.immutable = immutable
        # The key of the AWS API request/response the option maps to (None: no single key).
        self.aws_key = aws_key
        # A dict option's own table (its suboptions).
        self.options = options

    def argument(self):
        """This option as an AnsibleModule argument_spec entry."""
        spec = dict(type=self.type)
        for key in ("required", "default", "choices", "elements", "no_log"):
            value = getattr(self, key)
            if value not in (None, False) or (key == "default" and value is False):
                spec[key] = value
        if self.options is not None:
            spec["options"] = argument_spec(self.options)
        return spec


def argument_spec(table):
    """The module options of ``table`` as an argument_spec (connection options not included)."""
    return dict((name, option.argument()) for name, option in table.items())


def immutable_options(table):
    return tuple(name for name, option in table.items() if option.immutable)


def state_option():
    return Option("str", default="present", choices=STATES)
