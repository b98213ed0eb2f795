# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Compiler: AST -> closures over positional rows.

A row is a Python list. Before the first ``stats`` its slots are: the 14 discovered v2 flow-log fields, the
event dict, the event's sequence number, then one slot per field the query defines (parse names, aliases).
After a ``stats`` a row holds the group keys then the aggregate columns. Field names are resolved to slots at
compile time, so evaluating ``srcAddr`` is ``row[3]`` (an ``operator.itemgetter``), not a dict lookup.
"""

import operator
import re

from . import nodes
from .errors import QuerySyntaxError
from .flowlogs import FLOW_LOG_V2_FIELDS
from .functions import (
    SUBNET_FUNCTION_VERSIONS, Period, floor_to_period, lookup_function,
    parse_network,
)
from .functions.registry import QueryContext
from .jsonfields import json_field_getter, path_getter, split_path, join_path
from .values import Timestamp, to_number, to_text, truthy

EVENT_SLOT = len(FLOW_LOG_V2_FIELDS)
SEQUENCE_SLOT = EVENT_SLOT + 1
JSON_SLOT = SEQUENCE_SLOT + 1  # the event's discovered JSON fields, flattened on first use
_EVENT_NAME = "\0event"
_SEQUENCE_NAME = "\0sequence"
_JSON_NAME = "\0json"

SYSTEM_FIELDS = ("@timestamp", "@message", "@logStream", "@log", "@ingestionTime")

_INLINE_FLAGS_RE = re.compile(r"\(\?([aiLmsux]+)\)")
_NAMED_GROUP_OPEN_RE = re.compile(r"\(\?<(?![=!])")
_SUBNET_CACHE_LIMIT = 65536


def translate_regex(pattern):
    """Logs Insights regex (Hyperscan/RE2 flavour) -> Python ``re`` syntax.

    ``(?<name>`` becomes ``(?P<name>`` and inline global flags such as ``(?i)`` move to the front, because
    Python >= 3.11 rejects them mid-pattern (AWS's own example is ``/^(?i)Exception$/``).
    """
    flags = "".join(_INLINE_FLAGS_RE.findall(pattern))
    body = _INLINE_FLAGS_RE.sub("", pattern)
    body = _NAMED_GROUP_OPEN_RE.sub("(?P<", body)
    if flags:
        body = "(?%s)%s" % ("".join(sorted(set(flags))), body)
    return body


def compile_regex(pattern, query, start, end):
    try:
        return re.compile(translate_regex(pattern))
    except re.error as error:
        raise QuerySyntaxError("invalid regular expression: %s" % error, query, start, end)


def glob_to_regex(glob):
    """A parse glob as a regex: each ``*`` captures lazily, a trailing ``*`` takes the rest of the value.

    A glob that starts with ``*`` is anchored at the start of the value (it captures from there).
    """
    pieces = glob.split("*")
    out = ["^"] if glob.startswith("*") else []
    for index, literal in enumerate(pieces):
        out.append(re.escape(literal))
        if index < len(pieces) - 1:
            out.append("(.*)" if index == len(pieces) - 2 and pieces[-1] == "" else "(.*?)")
    return re.compile("".join(out), re.DOTALL)


class Scope:
    """Field name -> slot of the rows flowing through one part of the pipeline."""

    def __init__(self, names=(), has_event=False):
        self.slots = {}
        self.names = []
        self.has_event = has_event
        for name in names:
            self.define(name)

    @property
    def size(self):
        return len(self.names)

    def define(self, name):
        slot = self.slots.get(name)
        if slot is None:
            slot = self.slots[name] = len(self.names)
            self.names.append(name)
        return slot

    def visible_names(self):
        return [n for n in self.names if not n.startswith("\0")]


def event_scope():
    return Scope(FLOW_LOG_V2_FIELDS + (_EVENT_NAME, _SEQUENCE_NAME, _JSON_NAME), has_event=True)


def _constant(value):
    return lambda row: value


def _event_timestamp(row):
    return Timestamp(row[EVENT_SLOT]["timestamp"])


def _event_message(row):
    return row[EVENT_SLOT]["message"]


def _event_log_stream(row):
    return row[EVENT_SLOT].get("logStream")


def _event_log_group(row):
    # @log is "account-id:log-group-name" (CWL_AnalyzeLogData-discoverable-fields) when the account is known.
    event = row[EVENT_SLOT]
    group = event.get("logGroup")
    account = event.get("accountId")
    return group if account is None or group is None else "%s:%s" % (account, group)


def _event_ingestion_time(row):
    value = row[EVENT_SLOT].get("ingestionTime")
    return None if value is None else Timestamp(value)


_SYSTEM_ACCESSORS = {
    "@timestamp": _event_timestamp,
    "@message": _event_message,
    "@logStream": _event_log_stream,
    "@log": _event_log_group,
    "@ingestionTime": _event_ingestion_time,
}


class ExpressionCompiler:
    """Compiles expression nodes against a scope. ``aggregate_slots`` maps aggregate Call nodes to slots."""

    def __init__(self, query_text, scope, aggregate_slots=None, context=None):
        self.query_text = query_text
        self.scope = scope
        self.aggregate_slots = aggregate_slots
        self.context = context if context is not None else QueryContext()

    def error(self, message, node):
        return QuerySyntaxError(message, self.query_text, node.start, node.end)

    def field_slot(self, node):
        """Slot of a plain field reference, or None."""
        if isinstance(node, nodes.FieldRef):
            return self.scope.slots.get(node.name)
        return None

    def field_accessor(self, name):
        slot = self.scope.slots.get(name)
        if slot is not None:
            return operator.itemgetter(slot)
        if self.scope.has_event and name in _SYSTEM_ACCESSORS:
            return _SYSTEM_ACCESSORS[name]
        path = split_path(name)
        # A path into a map or list a command defined (fields jsonParse(@message) as j | ... j.a.b, j.l[0]).
        for cut in range(len(path) - 1, 0, -1):
            head = join_path(path[:cut])
            head_slot = self.scope.slots.get(head)
            if head_slot is not None:
                return path_getter(operator.itemgetter(head_slot), path[cut:])
        if self.scope.has_event and not name.startswith("@"):
            return json_field_getter(join_path(path, dotted_indexes=True), EVENT_SLOT, JSON_SLOT)
        return _constant(None)

    def compile(self, node):
        method = getattr(self, "_compile_" + type(node).__name__, None)
        if method is None:
            raise self.error("%s cannot be used here" % _describe_node(node), node)
        return method(node)

    def _compile_Literal(self, node):
        return _constant(node.value)

    def _compile_FieldRef(self, node):
        return self.field_accessor(node.name)

    def _compile_Unary(self, node):
        operand = self.compile(node.operand)
        if node.op == "not":
            return lambda row: not truthy(operand(row))

        def negate(row):
            number = to_number(operand(row))
            return None if number is None else -number
        return negate

    def _compile_Binary(self, node):
        op = node.op
        if op in ("and", "or"):
            left, right = self.compile(node.left), self.compile(node.right)
            if op == "and":
                return lambda row: truthy(left(row)) and truthy(right(row))
            return lambda row: truthy(left(row)) or truthy(right(row))
        if op in _COMPARATORS:
            return self._comparison(node)
        return self._arithmetic(node)

    def _arithmetic(self, node):
        left, right = self.compile(node.left), self.compile(node.right)
        apply = _ARITHMETIC[node.op]

        def arithmetic(row):
            a = to_number(left(row))
            if a is None:
                return None
            b = to_number(right(row))
            if b is None:
                return None
            return apply(a, b)
        return arithmetic

    def _comparison(self, node):
        compare = _COMPARATORS[node.op]
        left = self.compile(node.left)
        if isinstance(node.right, nodes.Literal):
            constant = node.right.value
            constant_number = to_number(constant)
            constant_text = to_text(constant)
            if constant_number is None:
                # Against a non-numeric constant the comparison is textual whatever the field holds.
                def compare_text(row):
                    text = to_text(left(row))
                    return text is not None and compare(text, constant_text)
                return compare_text

            def compare_number(row):
                value = left(row)
                if value is None:
                    return False
                number = to_number(value)
                if number is None:
                    text = to_text(value)
                    return text is not None and compare(text, constant_text)
                return compare(number, constant_number)
            return compare_number
        right = self.compile(node.right)

        def compare_values(row):
            a = left(row)
            if a is None:
                return False
            b = right(row)
            if b is None:
                return False
            number_a = to_number(a)
            number_b = to_number(b)
            if number_a is not None and number_b is not None:
                return compare(number_a, number_b)
            text_a, text_b = to_text(a), to_text(b)
            return text_a is not None and text_b is not None and compare(text_a, text_b)
        return compare_values

    def _compile_Like(self, node):
        operand = self.compile(node.operand)
        pattern = node.pattern
        negated = node.negated
        if isinstance(pattern, nodes.Regex) or node.op == "=~":
            search = compile_regex(pattern.value if isinstance(pattern, nodes.Literal) else pattern.pattern,
                                   self.query_text, pattern.start, pattern.end).search

            def matches(row):
                value = operand(row)
                if value is None:
                    return False
                return (search(to_text(value)) is None) if negated else (search(to_text(value)) is not None)
            return matches
        needle = to_text(pattern.value)

        def contains(row):
            value = operand(row)
            if value is None:
                return False
            return (needle not in to_text(value)) if negated else (needle in to_text(value))
        return contains

    def _compile_In(self, node):
        operand = self.compile(node.operand)
        texts = frozenset(to_text(item.value) for item in node.items.items)
        numbers = frozenset(n for n in (to_number(item.value) for item in node.items.items) if n is not None)
        negated = node.negated

        def member(row):
            value = operand(row)
            if value is None:
                return False
            found = to_text(value) in texts
            if not found and numbers:
                number = to_number(value)
                found = number is not None and number in numbers
            return not found if negated else found
        return member

    def _compile_Call(self, node):
        kind, spec = lookup_function(node.name)
        if kind is None:
            raise self.error("unknown function %s()" % node.name, node)
        if kind == "unsupported":
            raise self.error("not supported offline: %s()" % spec, node)
        if kind == "aggregate":
            if self.aggregate_slots is None or node not in self.aggregate_slots:
                raise self.error("aggregate function %s() can only be used in stats" % node.name, node)
            return operator.itemgetter(self.aggregate_slots[node])
        check_arity(node, spec, self.query_text)
        periods = {}
        for position in spec.period_args:
            argument = node.args[position]
            if not isinstance(argument, nodes.Duration):
                raise self.error("argument %d of %s() must be a time period such as 5m" % (
                    position + 1, node.name), argument)
            periods[position] = Period(argument.amount, argument.unit)
        name = spec.name.lower()
        if name == "bin":
            return self._bin(periods[0].capped_for_bin())
        if name in SUBNET_FUNCTION_VERSIONS and isinstance(node.args[1], nodes.Literal):
            return self._subnet_test(node, SUBNET_FUNCTION_VERSIONS[name])
        for position in spec.regex_args:
            argument = node.args[position]
            if isinstance(argument, nodes.Regex):
                periods[position] = compile_regex(argument.pattern, self.query_text, argument.start, argument.end)
        arguments = [
            _constant(periods[i]) if i in periods else self.compile(arg) for i, arg in enumerate(node.args)]
        impl = spec.impl
        if spec.needs_context:
            context = self.context
            return lambda row: impl(context, *[argument(row) for argument in arguments])
        if len(arguments) == 1:
            only = arguments[0]
            return lambda row: impl(only(row))
        if len(arguments) == 2:
            first, second = arguments
            return lambda row: impl(first(row), second(row))
        return lambda row: impl(*[argument(row) for argument in arguments])

    def _bin(self, period):
        timestamp = self.field_accessor("@timestamp")
        size = period.fixed_ms
        if size is not None and period.unit != "w":
            def fixed_bin(row):
                ms = timestamp(row)
                if ms is None:
                    return None
                return Timestamp(ms - ms % size)
            return fixed_bin

        def calendar_bin(row):
            ms = timestamp(row)
            return None if ms is None else Timestamp(floor_to_period(int(ms), period))
        return calendar_bin

    def _subnet_test(self, node, version):
        # A constant CIDR: parse it once and memoise per address, since flow logs repeat addresses heavily.
        network = parse_network(node.args[1].value, version)
        operand = self.compile(node.args[0])
        if network is None:
            return lambda row: False
        from .functions import _parse_address  # noqa: PLC0415 - private helper shared with the registry
        cache = {}

        def in_subnet(row):
            value = operand(row)
            result = cache.get(value)
            if result is None:
                if value is None:
                    return False
                address = _parse_address(value, version)
                result = address is not None and address.version == network.version and address in network
                if len(cache) >= _SUBNET_CACHE_LIMIT:
                    cache.clear()
                cache[value] = result
            return result
        return in_subnet


def check_arity(node, spec, query_text):
    count = len(node.args)
    if count == 1 and isinstance(node.args[0], nodes.Star):
        if spec.name != "count":
            raise QuerySyntaxError("only count() accepts *", query_text, node.args[0].start, node.args[0].end)
        return
    if not spec.min_args <= count <= spec.max_args:
        raise QuerySyntaxError(arity_message(spec, count), query_text, node.start, node.end)


def arity_message(spec, count):
    if spec.min_args == spec.max_args:
        expected = "%d argument%s" % (spec.min_args, "" if spec.min_args == 1 else "s")
    elif spec.max_args > 16:
        expected = "at least %d argument%s" % (spec.min_args, "" if spec.min_args == 1 else "s")
    else:
        expected = "%d to %d arguments" % (spec.min_args, spec.max_args)
    return "%s() takes %s, got %d" % (spec.name, expected, count)


def _describe_node(node):
    return {
        "Duration": "a time period", "Regex": "a regular expression", "ListLiteral": "a list",
        "Star": "'*'",
    }.get(type(node).__name__, type(node).__name__)


def _divide(a, b):
    if b == 0:
        return None
    return a / b


def _modulo(a, b):
    if b == 0:
        return None
    return a % b


def _power(a, b):
    try:
        result = a ** b
    except (OverflowError, ZeroDivisionError):
        return None
    return None if isinstance(result, complex) else result


_ARITHMETIC = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": _divide, "%": _modulo, "^": _power,
}
_COMPARATORS = {
    "=": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}


def aggregate_calls(expr):
    """Aggregate Call nodes in an expression, outermost only, in source order."""
    found = []
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, nodes.Call) and lookup_function(node.name)[0] == "aggregate":
            found.append(node)
            continue
        stack.extend(reversed(list(node.children())))
    return found
