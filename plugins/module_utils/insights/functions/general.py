# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""General functions (CWL_QuerySyntax-operations-functions, "General functions"): ``if``, ``case``,
``isNumeric``, ``messageSize`` and the query-time functions ``queryStartTime``, ``queryEndTime`` (Timestamps)
and ``queryTimeRange`` (milliseconds).

``case(c1, v1, c2, v2, ..., [default])``: the value of the first true condition, else the default (or null);
the docs allow at most 10 condition/value pairs.
"""

from ..values import Timestamp, to_number, to_text, truthy
from .registry import register

MAX_CASE_BRANCHES = 10


def _if(condition, when_true, when_false):
    return when_true if truthy(condition) else when_false


def _case(*arguments):
    pairs = len(arguments) // 2
    for index in range(pairs):
        if truthy(arguments[2 * index]):
            return arguments[2 * index + 1]
    return arguments[-1] if len(arguments) % 2 else None


def _is_numeric(value):
    return value is not None and not isinstance(value, bool) and to_number(value) is not None


def _message_size(value):
    text = to_text(value)
    return None if text is None else len(text.encode("utf-8"))


def _query_start(context):
    return None if context.start_ms is None else Timestamp(context.start_ms)


def _query_end(context):
    return None if context.end_ms is None else Timestamp(context.end_ms)


def _query_range(context):
    if context.start_ms is None or context.end_ms is None:
        return None
    return context.end_ms - context.start_ms


register("if", 3, 3, _if)
register("case", 2, 2 * MAX_CASE_BRANCHES + 1, _case)
register("isNumeric", 1, 1, _is_numeric)
register("messageSize", 1, 1, _message_size)
register("queryStartTime", 0, 0, _query_start, needs_context=True)
register("queryEndTime", 0, 0, _query_end, needs_context=True)
register("queryTimeRange", 0, 0, _query_range, needs_context=True)
