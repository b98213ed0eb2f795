# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""An offline CloudWatch Logs Insights query engine for VPC flow logs.

Layers: lexer -> parser (Pratt expressions) -> AST (nodes) -> lint/analysis -> compiler (closures) -> engine.
See docs/insights-engine.md for the supported language and every semantic choice the AWS docs leave open.
"""

from .engine import DEFAULT_LIMIT, QueryResult
from .errors import Diagnostic, InsightsError, QuerySyntaxError
from .flowlogs import FLOW_LOG_V2_FIELDS, INSIGHTS_FIELD_NAMES, insights_field_name, parse_prefix_for_log_format
from .lint import analyze, lint
from .parser import parse


def run_query(query, events, start_time=None, end_time=None, limit=None, discover_flow_logs=True):
    """Run a Logs Insights query over ``events`` like StartQuery + GetQueryResults would.

    ``events``: iterable of ``{"timestamp": epoch_ms, "message": str, "logStream": str, "logGroup": str}``
    (optionally ``"ingestionTime"``), consumed once, streaming. ``start_time``/``end_time``: epoch seconds,
    both inclusive. ``limit``: StartQuery's limit, used when the query has no ``limit`` command.
    ``discover_flow_logs``: give default-format (v2) flow-log records their discovered fields (srcAddr, ...).
    Raises QuerySyntaxError for anything the service would answer with MalformedQueryException.
    """
    from .engine import compile_plan

    parsed = parse(query)
    for diagnostic in analyze(parsed):
        if diagnostic.fatal:
            raise QuerySyntaxError(diagnostic.message, query, diagnostic.start, diagnostic.end)
    return compile_plan(parsed).execute(events, start_time, end_time, limit, discover_flow_logs)


__all__ = [
    "DEFAULT_LIMIT", "Diagnostic", "FLOW_LOG_V2_FIELDS", "INSIGHTS_FIELD_NAMES", "InsightsError", "QueryResult",
    "QuerySyntaxError", "insights_field_name", "lint", "parse", "parse_prefix_for_log_format", "run_query",
]
