# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Query plans: compile a parsed query into stages, then stream events through them.

Streaming stages (filter, fields, display, parse) run fused into the scan loop; the first blocking stage
(stats, sort, limit, dedup) receives rows as they come. A ``stats`` keeps one state per group, so memory grows
with the number of groups, never with the number of events.
"""

import time

from . import nodes
from .compiler import (
    EVENT_SLOT, JSON_SLOT, SEQUENCE_SLOT, ExpressionCompiler, compile_regex, event_scope, glob_to_regex,
)
from .jsonfields import json_value
from .stats import CompiledStats
from .errors import QuerySyntaxError
from .fastpath import grouped_flow_log_scan
from .flowlogs import FLOW_LOG_V2_FIELDS
from .functions.json_functions import json_parse, json_stringify
from .functions.registry import QueryContext
from .jsonfields import flatten_json_message, join_path, path_getter, split_path
from .textformats import csv_values, logfmt_pairs
from .values import natural_sort_key, to_text, truthy

DEFAULT_LIMIT = 10000
_V2_WIDTH = len(FLOW_LOG_V2_FIELDS)


class QueryResult:
    """What GetQueryResults returns for a finished query."""

    def __init__(self, rows, statistics, columns):
        self.rows = rows
        self.statistics = statistics
        self.columns = columns
        self.status = "Complete"

    def as_results(self):
        """Rows in the service's wire shape: ``[[{"field": f, "value": v}, ...], ...]``."""
        return [[{"field": field, "value": value} for field, value in row.items()] for row in self.rows]

    def __repr__(self):
        return "QueryResult(%d rows, %r)" % (len(self.rows), self.statistics)


class Stage:
    """kind: "row" (fn(row) -> row or None), "sort", "limit", "dedup", "unnest", "multi" (parse ... multi) or
    "stats"."""

    __slots__ = ("kind", "function", "argument", "is_filter")

    def __init__(self, kind, function=None, argument=None, is_filter=False):
        self.kind, self.function, self.argument, self.is_filter = kind, function, argument, is_filter


class QueryPlan:
    # The accelerator for "stats sum/count ... by <flow-log fields>" (fastpath.py); tests turn it off to compare.
    use_fast_path = True

    def __init__(self, query):
        self.query = query
        text = query.text
        scope = event_scope()
        self.event_scope = scope
        self.context = context = QueryContext()
        self.source = None
        self.stages = []
        self.has_stats = False
        self.has_limit = False
        display_columns = None
        field_columns = []
        parse_columns = []
        stats_columns = None
        for command in query.commands:
            compiler = ExpressionCompiler(text, scope, context=context)
            if isinstance(command, nodes.Source):
                self.source = command  # selects log groups before the scan (see run_query)
            elif isinstance(command, nodes.Unnest):
                source = compiler.compile(command.source)
                self.stages.append(Stage("unnest", argument=(source, scope.define(command.target))))
            elif isinstance(command, nodes.Filter):
                predicate = compiler.compile(command.condition)
                self.stages.append(Stage("row", _filter_stage(predicate), is_filter=True))
            elif isinstance(command, nodes.Fields):  # also Display
                stage = _projection_stage(command.items, compiler, scope)
                if stage is not None:
                    self.stages.append(Stage("row", stage))
                names = [item.name for item in command.items]
                if isinstance(command, nodes.Display):
                    display_columns = names
                else:
                    field_columns.extend(n for n in names if n not in field_columns)
            elif isinstance(command, nodes.JsonField):
                self.stages.append(Stage("row", _json_field_stage(command, compiler, scope)))
                parse_columns.append(command.target)
            elif isinstance(command, nodes.Parse) and command.multi:
                # One row per match: like unnest, it changes the number of rows, so it runs after the scan.
                regex = compile_regex(command.pattern, text, command.pattern_start, command.pattern_end)
                captures = [(scope.define(name), capture) for (name, _s, _e), capture in zip(
                    command.names, command.captures)]
                self.stages.append(Stage("multi", argument=(compiler.compile(command.source), regex.finditer,
                                                            captures)))
                parse_columns.extend(name for name, _start, _end in command.names if name not in parse_columns)
            elif isinstance(command, nodes.Parse):
                self.stages.append(Stage("row", _parse_stage(command, compiler, scope, text)))
                parse_columns.extend(name for name, _start, _end in command.names if name not in parse_columns)
            elif isinstance(command, nodes.Stats):
                stats = CompiledStats(command, scope, text, context)
                self.stages.append(Stage("stats", argument=stats))
                self.has_stats = True
                scope = stats.output_scope
                stats_columns = list(scope.names)
                display_columns = None
                field_columns = []
            elif isinstance(command, nodes.Sort):
                keys = [(compiler.compile(key.expr), key.descending) for key in command.keys]
                self.stages.append(Stage("sort", argument=keys))
            elif isinstance(command, nodes.Limit):
                self.stages.append(Stage("limit", argument=command.count))
                self.has_limit = True
            elif isinstance(command, nodes.Dedup):
                getters = [compiler.field_accessor(field.name) for field in command.fields_]
                self.stages.append(Stage("dedup", argument=getters))
            else:  # pragma: no cover - the parser only builds the commands above
                raise QuerySyntaxError("unsupported command", text, command.start, command.end)
        if display_columns is not None:
            columns = display_columns
        elif stats_columns is not None:
            columns = stats_columns + [n for n in field_columns if n not in stats_columns]
        elif field_columns:
            columns = field_columns
        else:
            columns = ["@timestamp", "@message"] + [n for n in parse_columns if n not in ("@timestamp", "@message")]
        self.columns = columns
        self.final_scope = scope
        final_compiler = ExpressionCompiler(text, scope, context=context)
        self.column_getters = [(name, final_compiler.field_accessor(name)) for name in columns]

    # -- execution -----------------------------------------------------------------------------------------------

    def fast_scan(self):
        """The accelerated scan for this plan (fastpath.py), or None when its shape has none."""
        first = self.stages[0] if self.stages else None
        if not self.use_fast_path or first is None or first.kind != "stats" or self.source is not None:
            return None
        return grouped_flow_log_scan(first.argument)

    def execute(self, events, start_time=None, end_time=None, limit=None, discover_flow_logs=True, now=None,
                timestamp_of=None):
        """Run over ``events``; with ``timestamp_of`` (message -> epoch ms) ``events`` are lists of bare
        messages, which only the fast scan takes (see :meth:`fast_scan`)."""
        stages = self.stages
        context = self.context
        context.start_ms = None if start_time is None else int(start_time) * 1000
        context.end_ms = None if end_time is None else int(end_time) * 1000
        context.now_s = int(time.time()) if now is None else int(now)
        if self.source is not None:
            source = self.source
            events = (event for event in events if source.matches(
                event.get("logGroup") or "", event.get("accountId"), event.get("logGroupClass")))
        for stage in stages:
            if stage.kind == "stats":
                stage.argument.reset()
        first_blocking = next((i for i, s in enumerate(stages) if s.kind != "row"), len(stages))
        streaming = [stage.function for stage in stages[:first_blocking]]
        head = stages[first_blocking] if first_blocking < len(stages) else None
        rest = stages[first_blocking + 1:]
        if head is not None and head.kind == "stats":
            collected = None
            sink = head.argument.add
        else:
            collected = []
            sink = collected.append
        fast = self.fast_scan() if discover_flow_logs and not streaming else None
        if fast is not None:
            counters = fast(events, start_time, end_time, timestamp_of)
        else:
            if timestamp_of is not None:
                raise ValueError("bare messages need a plan with a fast scan")
            counters = _scan(events, self.event_scope.size, streaming, sink, start_time, end_time, discover_flow_logs)
        scanned, matched, bytes_scanned = counters
        if collected is None:
            rows = list(head.argument.rows())
        else:
            # No explicit order yet: the service returns events newest first.
            collected.sort(key=_event_time, reverse=True)
            rows = collected
            rest = stages[first_blocking:]
        seen_stats = collected is None
        for stage in rest:
            rows = _apply(stage, rows)
            if stage.kind == "stats":
                seen_stats = True
            elif stage.is_filter and not seen_stats:
                matched = len(rows)
        if not self.has_limit:
            rows = rows[:limit if limit is not None else DEFAULT_LIMIT]
        output = [self._render(row) for row in rows]
        statistics = {
            "recordsScanned": float(scanned),
            "recordsMatched": float(matched),
            "bytesScanned": float(bytes_scanned),
        }
        return QueryResult(output, statistics, list(self.columns) + ([] if self.has_stats else ["@ptr"]))

    def _render(self, row):
        rendered = {}
        for name, getter in self.column_getters:
            value = getter(row)
            if value is not None:
                text = to_text(value) if value.__class__ not in (dict, list) else json_stringify(value)
                if text is not None:
                    rendered[name] = text
        if not self.has_stats:
            rendered["@ptr"] = "%016x" % row[SEQUENCE_SLOT]
        return rendered


def _event_time(row):
    return row[EVENT_SLOT]["timestamp"]


def _scan(events, width, streaming, sink, start_time, end_time, discover):
    """Turn events into rows, run the streaming stages, hand survivors to ``sink``. Returns the counters."""
    low = None if start_time is None else int(start_time) * 1000
    # end_time is inclusive to the whole second: 12:00:05 covers events up to 12:00:05.999.
    high = None if end_time is None else int(end_time) * 1000 + 999
    padding = [None] * (width - _V2_WIDTH - 2)
    blank = [None] * _V2_WIDTH
    scanned = matched = byte_count = 0
    single = streaming[0] if len(streaming) == 1 else None
    for sequence, event in enumerate(events):
        if low is not None or high is not None:
            timestamp = event["timestamp"]
            if (low is not None and timestamp < low) or (high is not None and timestamp > high):
                continue
        message = event["message"]
        scanned += 1
        byte_count += len(message) if message.isascii() else len(message.encode("utf-8"))
        row = None
        if discover:
            tokens = message.split(" ", _V2_WIDTH)
            if len(tokens) == _V2_WIDTH and tokens[0] == "2":
                # NODATA/SKIPDATA records hold "-" placeholders: those fields are absent.
                row = tokens if tokens[13] == "OK" else [None if t == "-" else t for t in tokens]
        flat = None
        if row is None:
            if message[:1] == "{":
                # A JSON event: its discovered fields, including any named like a flow-log field (action).
                flat = flatten_json_message(message)
                row = [flat.get(name) for name in FLOW_LOG_V2_FIELDS]
            else:
                row = blank[:]
        row.append(event)
        row.append(sequence)
        if padding:
            row.extend(padding)
            if flat is not None:
                row[JSON_SLOT] = flat
        if single is not None:
            if single(row) is None:
                continue
        elif streaming:
            for stage in streaming:
                if stage(row) is None:
                    break
            else:
                matched += 1
                sink(row)
            continue
        matched += 1
        sink(row)
    return scanned, matched, byte_count


def _filter_stage(predicate):
    def apply(row):
        return row if truthy(predicate(row)) else None
    return apply


def _projection_stage(items, compiler, scope):
    assignments = []
    for item in items:
        if item.alias is None and isinstance(item.expr, nodes.FieldRef):
            continue
        function = compiler.compile(item.expr)
        assignments.append((scope.define(item.name), function))
    if not assignments:
        return None

    def apply(row):
        for slot, function in assignments:
            row[slot] = function(row)
        return row
    return apply


def _parse_stage(command, compiler, scope, text):
    source = compiler.compile(command.source)
    slots = [scope.define(name) for name, _start, _end in command.names]
    count = len(slots)
    if command.mode in ("logfmt", "csv"):
        return _format_parse_stage(command.mode, source, slots)
    if command.is_regex:
        regex = compile_regex(command.pattern, text, command.pattern_start, command.pattern_end)
        captures = list(zip(slots, command.captures))
        search = regex.search

        def parse_regex(row):
            value = source(row)
            match = search(to_text(value)) if value is not None else None
            if match is None:
                for slot in slots:
                    row[slot] = None
            else:
                group = match.group
                for slot, capture in captures:
                    row[slot] = group(capture)
            return row
        return parse_regex
    separator = _uniform_separator(command.pattern)
    if separator is not None:
        # "* * * *": one str.split gives what the lazy glob regex would capture.
        def parse_split(row):
            value = source(row)
            pieces = to_text(value).split(separator, count - 1) if value is not None else ()
            if len(pieces) == count:
                for slot, piece in zip(slots, pieces):
                    row[slot] = piece
            else:
                for slot in slots:
                    row[slot] = None
            return row
        return parse_split
    search = glob_to_regex(command.pattern).search

    def parse_glob(row):
        value = source(row)
        match = search(to_text(value)) if value is not None else None
        if match is None:
            for slot in slots:
                row[slot] = None
        else:
            for slot, piece in zip(slots, match.groups()):
                row[slot] = piece
        return row
    return parse_glob


def _format_parse_stage(mode, source, slots):
    """``parse ... logfmt as lf`` (one map) or ``parse ... csv as a, b`` (each value to its alias, in order)."""
    if mode == "logfmt":
        slot = slots[0]

        def parse_logfmt(row):
            value = source(row)
            row[slot] = logfmt_pairs(to_text(value)) if value is not None else None
            return row
        return parse_logfmt

    def parse_csv(row):
        value = source(row)
        values = csv_values(to_text(value)) if value is not None else None
        values = values or ()
        # "Each comma-separated value is assigned to the corresponding alias": an alias without a value is absent,
        # a value without an alias is dropped.
        for index, slot in enumerate(slots):
            row[slot] = values[index] if index < len(values) else None
        return row
    return parse_csv


def _json_field_stage(command, compiler, scope):
    """``json field=f "a.b" as x``: ``a.b`` inside ``f``, a map or list (jsonParse, logfmt) or a JSON string (a
    parsed ``{...}``). ``f`` may also be an object of a JSON event, whose keys discovery flattened to ``f.a.b``."""
    structure = compiler.compile(command.source)
    path = split_path(command.path)
    inside = path_getter(lambda row: json_parse(structure(row)), path)
    name = command.source.name
    discovered = None
    if scope.has_event and name not in scope.slots and not name.startswith("@"):
        discovered = compiler.field_accessor(join_path(split_path(name) + path))
    slot = scope.define(command.target)

    def extract(row):
        value = inside(row)
        if value is None and discovered is not None:
            value = discovered(row)
        row[slot] = value
        return row
    return extract


def _multi_match_rows(stage, rows):
    """Multi-match mode: one row per match of the regex in the field; an event with none is kept without the
    extracted fields, as for any parse that does not match (CWL_QuerySyntax-Parse)."""
    source, finditer, captures = stage.argument
    expanded = []
    for row in rows:
        value = source(row)
        matches = list(finditer(to_text(value))) if value is not None else ()
        if not matches:
            for slot, _capture in captures:
                row[slot] = None
            expanded.append(row)
            continue
        for match in matches:
            copy = list(row)
            for slot, capture in captures:
                copy[slot] = match.group(capture)
            expanded.append(copy)
    return expanded


def _uniform_separator(glob):
    """The separator of a glob made only of ``*`` joined by one repeated non-empty literal, else None."""
    pieces = glob.split("*")
    if len(pieces) < 3 or pieces[0] != "" or pieces[-1] != "":
        return None
    separators = set(pieces[1:-1])
    if len(separators) != 1:
        return None
    separator = separators.pop()
    return separator or None


def _apply(stage, rows):
    kind = stage.kind
    if kind == "row":
        function = stage.function
        return [row for row in rows if function(row) is not None]
    if kind == "limit":
        return rows[:stage.argument]
    if kind == "sort":
        ordered = list(rows)
        # Stable sorts from the last key to the first give a multi-key sort with per-key direction.
        for getter, descending in reversed(stage.argument):
            ordered.sort(key=lambda row, getter=getter: natural_sort_key(getter(row)), reverse=descending)
        return ordered
    if kind == "dedup":
        getters = stage.argument
        seen = set()
        kept = []
        for row in rows:
            key = tuple(to_text(getter(row)) for getter in getters)
            if None in key:
                kept.append(row)  # rows with a null dedup field are always kept
            elif key not in seen:
                seen.add(key)
                kept.append(row)
        return kept
    if kind == "unnest":
        # A list gives one row per element; any other present value counts as a one-element list.
        source, slot = stage.argument
        expanded = []
        for row in rows:
            value = source(row)
            for item in (value if isinstance(value, list) else [value]):
                copy = list(row)
                copy[slot] = json_value(item)
                expanded.append(copy)
        return expanded
    if kind == "multi":
        return _multi_match_rows(stage, rows)
    if kind == "stats":
        stats = stage.argument
        for row in rows:
            stats.add(row)
        return list(stats.rows())
    raise ValueError(kind)  # pragma: no cover


def compile_plan(query):
    return QueryPlan(query)
