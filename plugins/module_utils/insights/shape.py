# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shape of a query, from its syntax tree: what running it against the service needs to know
to tell a truncated answer from a complete one, and how to merge the halves of a split run."""


from . import nodes
from .parser import parse


class QueryShape:
    """Whether a query aggregates (stats), has its own limit or a dedup, and how it sorts."""

    def __init__(self, aggregated, has_limit_command, sort_fields=None, has_dedup=False, sort_is_mergeable=True):
        self.aggregated = aggregated
        self.has_limit_command = has_limit_command
        # None: no sort (default newest first). A list of (field, descending) when every key is a field.
        self.sort_fields = sort_fields
        self.has_dedup = has_dedup
        # False when the last sort is on an expression: split halves cannot be merged by field.
        self.sort_is_mergeable = sort_is_mergeable


# What a query that does not parse is taken as: the service decides whether it runs.
UNKNOWN_SHAPE = QueryShape(aggregated=False, has_limit_command=False)


def query_shape(query_text):
    """The QueryShape of a query text; raises QuerySyntaxError when it does not parse."""
    commands = parse(query_text).commands
    shape = QueryShape(
        aggregated=any(isinstance(c, nodes.Stats) for c in commands),
        has_limit_command=any(isinstance(c, nodes.Limit) for c in commands),
        has_dedup=any(isinstance(c, nodes.Dedup) for c in commands),
    )
    sorts = [c for c in commands if isinstance(c, nodes.Sort)]
    if sorts:
        keys = sorts[-1].keys  # the last sort decides the final order
        if all(isinstance(key.expr, nodes.FieldRef) for key in keys):
            shape.sort_fields = [(key.expr.name, bool(key.descending)) for key in keys]
        else:
            shape.sort_is_mergeable = False
    return shape
