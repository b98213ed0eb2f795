# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""An offline CloudWatch Logs Insights query engine for VPC flow logs.

Layers: lexer -> parser (Pratt expressions) -> AST (nodes) -> lint/analysis -> compiler (closures) -> engine.
See docs/insights-engine.md for the supported language and every semantic choice the AWS docs leave open.
"""

from .engine import DEFAULT_LIMIT, QueryResult
from .errors import Diagnostic, InsightsError, QuerySyntaxError
from .files import events_from_files, run_query_over_files
from .flowlogs import FLOW_LOG_V2_FIELDS, INSIGHTS_FIELD_NAMES, insights_field_name, parse_prefix_for_log_format
from .lint import analyze, fields_for_format, lint
from .parser import parse


def query_source(query):
    """The ``SOURCE logGroups(...)`` command of a query (a nodes.Source with ``matches(name, account, class)``),
    or None when it has none. A query that starts with SOURCE but does not parse raises QuerySyntaxError;
    any other syntax error is left to the caller's own parse (None)."""
    from . import nodes

    try:
        parsed = parse(query)
    except QuerySyntaxError:
        if query.lstrip()[:6].lower() == "source":
            raise
        return None
    first = parsed.commands[0]
    return first if isinstance(first, nodes.Source) else None


def run_query(query, events, start_time=None, end_time=None, limit=None, discover_flow_logs=True,
              select_log_groups=None, now=None):
    """Run a Logs Insights query over ``events`` like StartQuery + GetQueryResults would.

    ``events``: iterable of ``{"timestamp": epoch_ms, "message": str, "logStream": str, "logGroup": str}``
    (optionally ``"ingestionTime"``), consumed once, streaming. ``start_time``/``end_time``: epoch seconds,
    both inclusive. ``limit``: StartQuery's limit, used when the query has no ``limit`` command.
    ``discover_flow_logs``: give default-format (v2) flow-log records their discovered fields (srcAddr, ...).
    ``select_log_groups``: called with the query's SOURCE command (see :func:`query_source`) to get the events
    of the log groups it selects, instead of ``events``; without it, SOURCE keeps the given events whose
    ``logGroup`` (and ``accountId``/``logGroupClass`` when present) it selects. ``now``: epoch seconds that
    ``now()`` answers (default: the time the query runs).
    Raises QuerySyntaxError for anything the service would answer with MalformedQueryException.
    """
    from .engine import compile_plan

    parsed = parse(query)
    for diagnostic in analyze(parsed):
        if diagnostic.fatal:
            raise QuerySyntaxError(diagnostic.message, query, diagnostic.start, diagnostic.end)
    plan = compile_plan(parsed)
    if plan.source is not None and select_log_groups is not None:
        events = select_log_groups(plan.source)
    return plan.execute(events, start_time, end_time, limit, discover_flow_logs, now)


__all__ = [
    "DEFAULT_LIMIT", "Diagnostic", "FLOW_LOG_V2_FIELDS", "INSIGHTS_FIELD_NAMES", "InsightsError", "QueryResult",
    "QuerySyntaxError", "analyze", "events_from_files", "fields_for_format", "insights_field_name", "lint", "parse",
    "parse_prefix_for_log_format", "query_source", "run_query", "run_query_over_files",
]
