# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Log events for the local Insights engine: read from flow-log files or with FilterLogEvents,
and the local run over them.

Events have the shape the engine takes (``{timestamp: epoch ms, message, logStream, logGroup}``).
FilterLogEvents (CloudWatch Logs API reference) takes startTime/endTime in epoch milliseconds,
end exclusive; StartQuery's range is in seconds, both ends inclusive, hence ``end * 1000 + 999``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import gzip

from ansible_collections.netobs.flowlogs.plugins.module_utils import insights as engine
from ansible_collections.netobs.flowlogs.plugins.module_utils.aws import AwsApiError
from ansible_collections.netobs.flowlogs.plugins.module_utils.flowlog_fields import (
    DEFAULT_FIELDS,
    FIELD_NAMES,
    fields_of_format,
)
from ansible_collections.netobs.flowlogs.plugins.module_utils.insights_client import (
    InsightsQueryError,
    log_group_identifier,
)


def _open_text(path):
    if path.endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8")
    return open(path, "r", encoding="utf-8")


def events_from_files(paths, log_format=None):
    """Events from flow-log files (plain or .gz); a header line of field names sets the format."""
    for path in paths:
        fields = fields_of_format(log_format) if log_format else list(DEFAULT_FIELDS)
        with _open_text(path) as handle:
            for number, line in enumerate(handle, 1):
                message = line.rstrip("\r\n")
                if not message.strip():
                    continue
                tokens = message.split(" ")
                if number == 1 and all(token in FIELD_NAMES for token in tokens):
                    fields = tokens  # the header S3 delivery writes
                    continue
                record = dict(zip(fields, tokens))
                start = record.get("start", "-")
                timestamp = int(start) * 1000 if start.isdigit() else 0
                stream = record.get("interface-id", path)
                yield {"timestamp": timestamp, "message": message, "logStream": stream, "logGroup": path}


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
    try:
        result = engine.run_query(text, events, start_time=start, end_time=end, limit=limit)
    except engine.QuerySyntaxError as exc:
        raise InsightsQueryError("the query is malformed: {0}".format(exc), "malformed")
    except (OSError, ValueError) as exc:
        raise InsightsQueryError("reading flow-log files failed: {0}".format(exc), "files")
    return result.rows, dict(result.statistics)
