# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Log events for the local Insights engine: read from flow-log files or with FilterLogEvents,
and the local run over them.

Events have the shape the engine takes (``{timestamp: epoch ms, message, logStream, logGroup}``).
FilterLogEvents (CloudWatch Logs API reference) takes startTime/endTime in epoch milliseconds,
end exclusive; StartQuery's range is in seconds, both ends inclusive, hence ``end * 1000 + 999``.
"""


from ansible_collections.netobs.flowlogs.plugins.module_utils import insights as engine
from ansible_collections.netobs.flowlogs.plugins.module_utils.aws import AwsApiError
from ansible_collections.netobs.flowlogs.plugins.module_utils.insights_client import (
    InsightsQueryError,
    log_group_identifier,
)


def filter_log_events(session, log_groups, start, end):
    """Every event of ``log_groups`` (names or ARNs) between ``start`` and ``end`` epoch seconds,
    both inclusive; an AWS error names the log group (InsightsQueryError)."""
    events = []
    for group in log_groups:
        name = log_group_identifier(group)[1]
        try:
            found = session.paginate("logs", "filter_log_events", "events", logGroupName=name,
                                     startTime=start * 1000, endTime=end * 1000 + 999)
        except AwsApiError as exc:
            raise InsightsQueryError("{0} (log group {1})".format(exc.message, name), "service", code=exc.code)
        for event in found:
            events.append({"timestamp": event["timestamp"], "message": event["message"],
                           "logStream": event.get("logStreamName"), "logGroup": name,
                           "ingestionTime": event.get("ingestionTime")})
    return events


def run_local_query(text, events, start, end, limit=None):
    """(rows, statistics) of the local engine over ``events``; errors as InsightsQueryError."""
    return _answer(lambda: engine.run_query(text, events, start_time=start, end_time=end, limit=limit))


def run_local_query_over_files(text, paths, start, end, limit=None, log_format=None):
    """(rows, statistics) of the local engine over flow-log files (plain or .gz; the engine's file
    reader, with its fast path for the default format); errors as InsightsQueryError."""
    return _answer(lambda: engine.run_query_over_files(text, paths, start_time=start, end_time=end, limit=limit,
                                                       log_format=log_format))


def _answer(run):
    try:
        result = run()
    except engine.QuerySyntaxError as exc:
        raise InsightsQueryError("the query is malformed: {0}".format(exc), "malformed")
    except (OSError, ValueError) as exc:
        raise InsightsQueryError("reading flow-log files failed: {0}".format(exc), "files")
    return result.rows, dict(result.statistics)
