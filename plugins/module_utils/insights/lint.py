# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Static checks of a query: what the service would reject (fatal) and what is legal but almost surely wrong.

``lint()`` returns every finding; ``run_query()`` raises the first fatal one as a QuerySyntaxError.
"""

import difflib
import re

from . import nodes
from .compiler import SYSTEM_FIELDS, aggregate_calls, arity_message, compile_regex
from .errors import Diagnostic, QuerySyntaxError
from .flowlogs import FLOW_LOG_V2_FIELDS, parse_prefix_for_log_format
from .functions import BIN_UNIT_CAPS, known_function_names, lookup_function
from .jsonfields import join_path, split_path
from .parser import parse

_ADDRESS_PREFIX_RE = re.compile(r"\d{1,3}(?:\.\d{1,3}){0,3}\.?\Z")
MAX_STATS_COMMANDS = 2
_CONSEQUENCE = {"stats": ", so the aggregate over it is empty in every group",
                "stats-by": ", so every event falls into one group with no value for it"}
COMPARISON_SYMBOLS = frozenset(("=", "!=", "<", "<=", ">", ">="))


class _Analyzer:
    def __init__(self, query, known_fields, strict=False):
        self.query = query
        self.text = query.text
        self.diagnostics = []
        self.open_world = known_fields is None
        # strict: the fields are a flow log's (the default format or a LogFormat), so an unknown name is an error.
        self.strict = strict and known_fields is not None
        base = set(FLOW_LOG_V2_FIELDS) if known_fields is None else set(known_fields)
        self.available = base | set(SYSTEM_FIELDS) | {"@ptr"}
        self.before_stats = set(self.available)  # names known to exist before the latest stats
        self.after_stats = False
        self.aliases = set()
        # Fields that hold a map (parse ... logfmt as lf, fields jsonParse(...) as j): any lf.key is assigned.
        self.maps = set()

    def report(self, severity, rule, message, node_or_span, fatal=False):
        start, end = (node_or_span.start, node_or_span.end) if hasattr(node_or_span, "start") else node_or_span
        self.diagnostics.append(Diagnostic(severity, message, self.text, start, end, rule, fatal))

    def fatal(self, rule, message, node_or_span):
        self.report("error", rule, message, node_or_span, fatal=True)

    # -- commands ------------------------------------------------------------------------------------------------

    def run(self):
        commands = self.query.commands
        stats_seen = 0
        for index, command in enumerate(commands):
            if index and isinstance(commands[index - 1], nodes.Dedup) and not isinstance(command, nodes.Limit):
                self.fatal("dedup-not-last", "only limit may follow dedup; move %s before dedup" % command.name,
                           (command.start, command.start + len(command.keyword)))
            if isinstance(command, nodes.Stats):
                stats_seen += 1
                self._stats_position(commands, index, stats_seen, command)
            getattr(self, "_command_" + command.name)(command, commands[index + 1:])

    def _stats_position(self, commands, index, stats_seen, command):
        keyword_span = (command.start, command.start + len(command.keyword))
        if stats_seen > MAX_STATS_COMMANDS:
            self.fatal("too-many-stats", "a query may have at most %d stats commands; this is number %d" % (
                MAX_STATS_COMMANDS, stats_seen), keyword_span)
        elif stats_seen == 2:
            for earlier in commands[:index]:
                if isinstance(earlier, (nodes.Sort, nodes.Limit)):
                    self.fatal("%s-before-stats" % earlier.name,
                               "%s must come after the second stats command" % earlier.keyword,
                               (earlier.start, earlier.start + len(earlier.keyword)))

    def _command_filter(self, command, _following):
        self.expression(command.condition, "filter")

    def _command_fields(self, command, _following):
        for item in command.items:
            self.expression(item.expr, command.name)
            if item.alias is not None or not isinstance(item.expr, nodes.FieldRef):
                self.define(item.name, (item.alias_start or item.start, item.end))
                if isinstance(item.expr, nodes.Call) and item.expr.name.lower() == "jsonparse":
                    self.maps.add(item.name)

    _command_display = _command_fields

    def _command_parse(self, command, _following):
        self.reference(command.source, "parse")
        if command.is_regex:
            try:
                compile_regex(command.pattern, self.text, command.pattern_start, command.pattern_end)
            except QuerySyntaxError as error:
                self.fatal("regex", error.message, (command.pattern_start, command.pattern_end))
        for name, start, end in command.names:
            self.define(name, (start, end))
        if command.mode == "logfmt":
            self.maps.add(command.names[0][0])

    def _command_json(self, command, _following):
        self.reference(command.source, "json")
        self.define(command.target, (command.target_start, command.target_end))

    def _command_sort(self, command, _following):
        for key in command.keys:
            self.expression(key.expr, "sort")

    def _command_limit(self, command, _following):
        pass

    def _command_source(self, command, _following):
        pass

    def _command_unnest(self, command, _following):
        self.reference(command.source, "unnest")
        self.define(command.target, (command.target_start, command.target_end))

    def _command_dedup(self, command, _following):
        for field in command.fields_:
            self.reference(field, "dedup")

    def _command_stats(self, command, _following):
        local = set()
        for item in command.aggregates:
            calls = aggregate_calls(item.expr)
            uses_local = any(isinstance(n, nodes.FieldRef) and n.name in local for n in nodes.walk(item.expr))
            if not calls and not uses_local:
                self.fatal("stats-without-aggregate",
                           "%r has no aggregate function (count, sum, avg, ...)" % item.text, item.expr)
            self.expression(item.expr, "stats", stats_locals=local)
            local.add(item.name)
        for group in command.groups:
            if aggregate_calls(group.expr):
                self.fatal("aggregate-in-group", "aggregate functions cannot be used after 'by'", group.expr)
            self.expression(group.expr, "stats-by")
        self.before_stats = self.available | self.before_stats if not self.after_stats else set(self.available)
        self.available = {group.name for group in command.groups} | local
        self.aliases = set()
        self.maps = set()
        self.after_stats = True

    # -- names ---------------------------------------------------------------------------------------------------

    def define(self, name, span):
        if name in self.aliases:
            self.report("warning", "redefined-field",
                        "%r is already defined earlier in the query; the service rejects redefinitions" % name, span)
        self.aliases.add(name)
        self.available.add(name)

    def is_assigned(self, name):
        """Whether ``name`` exists here: discovered, parsed or assigned, or a key of a map field (lf.level)."""
        if name in self.available:
            return True
        if not self.maps:
            return False
        path = split_path(name)
        return any(join_path(path[:cut]) in self.maps for cut in range(1, len(path)))

    def reference(self, node, context, stats_locals=None):
        name = node.name
        if self.is_assigned(name) or (stats_locals is not None and name in stats_locals):
            return
        if self.after_stats:
            if name in self.before_stats:
                if context.startswith("stats"):
                    # CWL_QuerySyntax-Stats, "Use multiple stats commands": the second stats may use only
                    # fields the first one defined.
                    self.fatal("field-dropped-by-stats",
                               "the second stats can use only fields the first stats produced (%s); %r is not one "
                               "of them" % (self._listing(), name), node)
                    return
                if context == "filter":
                    message = ("filter after stats refers to %r, which stats dropped (only its group keys and "
                               "aggregates remain: %s); move this filter before stats" % (
                                   name, self._listing()))
                else:
                    message = "%r no longer exists: stats keeps only %s" % (name, self._listing())
                self.report("error", "field-dropped-by-stats", message, node)
            else:
                self.report("error", "unknown-field", "%r does not exist after stats (fields: %s)%s" % (
                    name, self._listing(), self._suggest(name)), node)
            return
        if self.strict:
            close = self._suggest_name(name)
            advice = ": did you mean %s?" % close if close else ""
            self.report("error", "unknown-flow-log-field",
                        "%s%s (not a field of these flow logs: neither discovered, parsed nor assigned; it is "
                        "missing from every event%s)" % (
                            name, advice, _CONSEQUENCE.get(context, "")),
                        node)
        elif not self.open_world:
            self.report("warning", "unknown-field", "%r is not a known field%s" % (name, self._suggest(name)), node)
        else:
            self.before_stats.add(name)

    def _listing(self):
        return ", ".join(sorted(n for n in self.available if n != "@ptr")) or "none"

    def _suggest_name(self, name):
        candidates = [n for n in self.available if n != "@ptr"]
        lowered = {n.lower().replace("_", "").replace("-", ""): n for n in candidates}
        key = name.lower().replace("_", "").replace("-", "")
        if key in lowered:
            return lowered[key]
        close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
        return close[0] if close else None

    def unknown_in(self, node):
        """The first field of a comparison operand that is not available (strict mode only), else None."""
        if not self.strict or self.after_stats:
            return None
        if isinstance(node, nodes.FieldRef) and not self.is_assigned(node.name):
            return node
        return None

    def never_true(self, node, operands):
        for operand in operands:
            missing = self.unknown_in(operand)
            if missing is not None:
                self.report("error", "never-true",
                            "%s can never be true: %s is missing from every event of these flow logs" % (
                                self.text[node.start:node.end], missing.name), node)
                return

    def _suggest(self, name):
        candidates = [n for n in self.available if n != "@ptr"]
        lowered = {n.lower(): n for n in candidates}
        if name.lower() in lowered:
            return "; field names are case-sensitive: did you mean %r?" % lowered[name.lower()]
        close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
        return "; did you mean %r?" % close[0] if close else ""

    # -- expressions ---------------------------------------------------------------------------------------------

    def expression(self, node, context, stats_locals=None, in_aggregate=False):
        kind = type(node)
        if kind is nodes.FieldRef:
            if context == "stats" and not in_aggregate and node.name not in (stats_locals or ()):
                self.fatal("field-outside-aggregate", "%r must be inside an aggregate function such as sum(%s)"
                           " or listed after 'by'" % (node.name, node.name), node)
                return
            self.reference(node, context, stats_locals)
        elif kind is nodes.Call:
            self.call(node, context, stats_locals, in_aggregate)
        elif kind is nodes.Like:
            self.never_true(node, (node.operand,))
            self.expression(node.operand, context, stats_locals, in_aggregate)
            self.like(node)
        elif kind is nodes.In:
            self.never_true(node, (node.operand,))
            self.expression(node.operand, context, stats_locals, in_aggregate)
        elif kind is nodes.Binary and node.op in COMPARISON_SYMBOLS:
            self.never_true(node, (node.left, node.right))
            for child in node.children():
                self.expression(child, context, stats_locals, in_aggregate)
        elif kind in (nodes.Duration, nodes.Regex, nodes.ListLiteral, nodes.Star):
            what = {nodes.Duration: "a time period", nodes.Regex: "a regular expression",
                    nodes.ListLiteral: "a list", nodes.Star: "'*'"}[kind]
            where = {nodes.Duration: "only as the period of bin(), datefloor() or dateceil()",
                     nodes.Regex: "only after like or =~", nodes.ListLiteral: "only after in",
                     nodes.Star: "only as count(*)"}[kind]
            self.fatal("misplaced-literal", "%s can be used %s" % (what, where), node)
        else:
            for child in node.children():
                self.expression(child, context, stats_locals, in_aggregate)

    def call(self, node, context, stats_locals, in_aggregate):
        kind, spec = lookup_function(node.name)
        name_span = (node.start, node.name_end)
        if kind is None:
            close = difflib.get_close_matches(node.name, known_function_names(), n=1, cutoff=0.6)
            self.fatal("unknown-function", "unknown function %s()%s" % (
                node.name, "; did you mean %s()?" % close[0] if close else ""), name_span)
            return
        if kind == "unsupported":
            self.fatal("unsupported-function", "not supported offline: %s()" % spec, name_span)
            return
        if kind == "aggregate":
            if context != "stats":
                self.fatal("aggregate-outside-stats", "%s() is an aggregate and can only be used in stats" % (
                    spec.name), name_span)
            elif in_aggregate:
                self.fatal("nested-aggregate", "aggregate functions cannot be nested", name_span)
        count = len(node.args)
        star = count == 1 and isinstance(node.args[0], nodes.Star)
        if star and spec.name != "count":
            self.fatal("misplaced-literal", "only count() accepts *", node.args[0])
        elif not star and not spec.min_args <= count <= spec.max_args:
            self.fatal("arity", arity_message(spec, count), node)
            return
        if star:
            return
        period_args = getattr(spec, "period_args", ())
        if spec.name == "pct" and count == 2 and not isinstance(node.args[1], nodes.Literal):
            self.fatal("pct-percent", "the second argument of pct() must be a number", node.args[1])
        if spec.name == "bin":
            self._bin(node, context)
        regex_args = getattr(spec, "regex_args", ())
        for position, argument in enumerate(node.args):
            if position in regex_args and isinstance(argument, nodes.Regex):
                try:
                    compile_regex(argument.pattern, self.text, argument.start, argument.end)
                except QuerySyntaxError as error:
                    self.fatal("regex", error.message, argument)
                continue
            if position in period_args:
                if not isinstance(argument, nodes.Duration):
                    self.fatal("period-argument", "argument %d of %s() must be a time period such as 5m" % (
                        position + 1, spec.name), argument)
                continue
            self.expression(argument, context, stats_locals, in_aggregate or kind == "aggregate")

    def _bin(self, node, context):
        period = node.args[0]
        if isinstance(period, nodes.Duration):
            cap = BIN_UNIT_CAPS.get(period.unit)
            if cap is not None and period.amount > cap:
                self.report("warning", "bin-period-capped",
                            "bin(%s) is capped at %s%s by the service; use a larger unit" % (
                                self.text[period.start:period.end], cap, period.unit), period)
        if "@timestamp" not in self.available:
            # CWL_QuerySyntax-Stats: bin() is invalid in a second stats unless a timestamp was carried forward.
            self.report("error", "bin-needs-timestamp",
                        "bin() floors @timestamp, which the previous stats dropped; carry it forward "
                        "(e.g. max(@timestamp) as t) and use datefloor(t, ...)", node,
                        fatal=context.startswith("stats"))

    def like(self, node):
        pattern = node.pattern
        if isinstance(pattern, nodes.Regex) or node.op == "=~":
            source = pattern.pattern if isinstance(pattern, nodes.Regex) else pattern.value
            try:
                compile_regex(source, self.text, pattern.start, pattern.end)
            except QuerySyntaxError as error:
                self.fatal("regex", error.message, pattern)
            return
        operand = node.operand
        if not isinstance(operand, nodes.FieldRef) or "addr" not in operand.name.lower():
            return
        needle = str(pattern.value)
        if not _ADDRESS_PREFIX_RE.match(needle):
            return
        octets = needle.rstrip(".").split(".")
        negation = "not " if node.negated else ""
        if len(octets) == 4 and not needle.endswith("."):
            advice = "%s %s %r" % (operand.name, "!=" if node.negated else "=", needle)
        else:
            cidr = ".".join(octets + ["0"] * (4 - len(octets))) + "/%d" % (8 * len(octets))
            advice = '%sisIpv4InSubnet(%s, "%s")' % (negation, operand.name, cidr)
        self.report("warning", "like-address-prefix",
                    "%r is a substring test: it also matches addresses that merely contain %r (e.g. %r); "
                    "use %s" % (self.text[node.start:node.end], needle, _containing_example(needle), advice), node)


def _containing_example(needle):
    if needle.endswith("."):
        return "10.%s5" % needle
    return "1%s0" % needle


def fields_for_format(log_format=None):
    """The Insights field names of a flow log's records: the default format's discovered fields for None or
    "default", else the names a LogFormat's ``${field}`` tokens get (srcaddr -> srcAddr, as the parse prefix
    names them). Raises ValueError for a string that is not a LogFormat."""
    if log_format is None or log_format == "default":
        return FLOW_LOG_V2_FIELDS
    prefix = parse_prefix_for_log_format(log_format)
    return tuple(name.strip() for name in prefix.split(" as ", 1)[1].split(","))


def analyze(query, known_fields=None, log_format=None):
    """Diagnostics for a parsed query (see :func:`lint`)."""
    strict = log_format is not None
    if strict:
        known_fields = tuple(known_fields or ()) + fields_for_format(log_format)
    analyzer = _Analyzer(query, known_fields, strict)
    analyzer.run()
    diagnostics = analyzer.diagnostics
    if not any(d.fatal for d in diagnostics):
        from .engine import compile_plan  # noqa: PLC0415 - the engine imports this module's callers
        try:
            compile_plan(query)
        except QuerySyntaxError as error:
            diagnostics.append(Diagnostic("error", error.message, query.text, error.start, error.end, "compile",
                                          fatal=True))
    diagnostics.sort(key=lambda d: (d.start, d.end))
    return diagnostics


def lint(query, known_fields=None, log_format=None):
    """Every finding about ``query`` as Diagnostic objects (severity, message, line, column, rule).

    ``known_fields``: the fields the log group has before the query runs. When None, any field may exist before
    the first stats (like a log group with unknown content) and only post-stats references are checked.
    ``log_format``: the group holds flow logs of this LogFormat ("default" or None-with-this-flag for the default
    format): a field neither discovered, parsed nor assigned is then an error with a suggestion
    (``srcaddr: did you mean srcAddr?``), and so is a comparison that can never be true because of it.
    A syntax error becomes a single error diagnostic.
    """
    try:
        parsed = parse(query)
    except QuerySyntaxError as error:
        return [Diagnostic("error", error.message, query, error.start, error.end, "syntax", fatal=True)]
    return analyze(parsed, known_fields, log_format)
