# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Running one Logs Insights query against the service: StartQuery, polling, StopQuery, splitting.

Service facts this follows (API reference StartQuery / GetQueryResults / StopQuery):
- StartQuery takes epoch seconds, both ends inclusive, and ``logGroupNames`` or
  ``logGroupIdentifiers`` (names or ARNs without ``:*``); it returns a queryId at once.
- GetQueryResults answers Scheduled or Running (with partial or no rows) until a terminal
  status: Complete, Failed, Cancelled, Timeout, or Unknown.
- Too many concurrent queries give LimitExceededException on StartQuery; that lasts until other
  queries finish, longer than botocore's retry backoff, so StartQuery has its own bounded,
  jittered retry on top. Throttling on either call is botocore's retry mode's job.
- A query returns at most ``limit`` rows (default 10,000); a non-aggregated query that hits it
  is split in two by time range and each half re-run, recursively, then merged — or fails, when
  asked to — so rows are never silently dropped.
"""


import random
import re
import time
from collections import deque

from ansible_collections.netobs.flowlogs.plugins.module_utils.arn import strip_log_group_suffix
from ansible_collections.netobs.flowlogs.plugins.module_utils.aws import (
    AwsApiError, BotoCoreError, ClientError, error_code,
)
from ansible_collections.netobs.flowlogs.plugins.module_utils.insights import QuerySyntaxError, lint
from ansible_collections.netobs.flowlogs.plugins.module_utils.insights.shape import UNKNOWN_SHAPE, query_shape
from ansible_collections.netobs.flowlogs.plugins.module_utils.insights.values import natural_sort_key
from ansible_collections.netobs.flowlogs.plugins.module_utils.rules import require_log_group_name
from ansible_collections.netobs.flowlogs.plugins.module_utils.rules import parse_arn

TERMINAL_STATUSES = ("Complete", "Failed", "Cancelled", "Timeout", "Unknown")
SERVICE_ROW_LIMIT = 10000
FAST_POLLS = 5
# Logs Insights allows 100 concurrent queries per account and region (CloudWatch Logs quotas,
# "Concurrent CloudWatch Logs Insights queries"); a report shares them with every other user.
DEFAULT_MAX_CONCURRENT = 10
_INTEGER = re.compile(r"\A-?(?:0|[1-9]\d*)\Z")
_DECIMAL = re.compile(r"\A-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?\Z")


class InsightsQueryError(Exception):
    """A query that could not produce a complete answer. ``kind`` says why, for callers and tests."""

    def __init__(self, message, kind, query_id=None, code=None):
        super(InsightsQueryError, self).__init__(message)
        self.kind = kind
        self.query_id = query_id
        self.code = code


def log_group_identifier(value):
    """Validate a log group name or ARN (ARN without ``:*``); returns (identifier, name)."""
    # DescribeLogGroups' "arn" ends in :*; StartQuery rejects that form.
    text = strip_log_group_suffix((value or "").strip())
    parts = parse_arn(text)
    if parts and parts["service"] == "logs" and parts["region"] and parts["resource"].startswith("log-group:"):
        return text, parts["resource"][len("log-group:"):]
    if text.startswith("arn:"):
        raise ValueError("{0!r} is not a log group ARN (arn:aws:logs:REGION:ACCOUNT:log-group:NAME)".format(value))
    return text, require_log_group_name("log_groups", text)


class InsightsClient:
    """StartQuery/GetQueryResults/StopQuery on one ``AwsSession``, with polling and splitting."""

    def __init__(self, session, poll_interval=1.0, max_poll_interval=10.0, timeout=900.0, start_attempts=6,
                 start_backoff=1.0, sleep=time.sleep, clock=time.monotonic, rng=None, on_poll=None):
        self.session = session
        self.poll_interval = float(poll_interval)
        self.max_poll_interval = max(float(max_poll_interval), self.poll_interval)
        self.timeout = float(timeout)
        self.start_attempts = int(start_attempts)
        self.start_backoff = float(start_backoff)
        self.sleep = sleep
        self.clock = clock
        self.random = rng or random.Random()
        self.on_poll = on_poll
        self.queries_started = []

    # -- one query -----------------------------------------------------------------------------------------

    def _logs(self):
        return self.session.client("logs")

    def start_one(self, query, log_groups, start_time, end_time, limit=None):
        """One StartQuery, no retry (ConcurrentRun decides when to try again); AwsApiError on failure."""
        kwargs = self._start_arguments(query, log_groups, start_time, end_time, limit)
        try:
            query_id = self._logs().start_query(**kwargs)["queryId"]
        except (BotoCoreError, ClientError) as exc:
            raise self.session.error(exc, "StartQuery")
        self.queries_started.append(query_id)
        return query_id

    def poll(self, query_id):
        try:
            response = self._logs().get_query_results(queryId=query_id)
        except (BotoCoreError, ClientError) as exc:
            raise self.session.error(exc, "GetQueryResults")
        if self.on_poll is not None:
            self.on_poll(query_id, response.get("status"))
        return response

    def timed_out(self, query_id, status):
        stopped = self.stop(query_id)
        raise InsightsQueryError(
            "query {0} was still {1} after the {2:g} s timeout; StopQuery was called ({3}). Narrow the "
            "time range or the log groups, or raise the timeout option.".format(
                query_id, status, self.timeout, "stopped" if stopped else "it had already ended"),
            "timeout", query_id=query_id)

    def complete(self, query_id, response):
        """(rows, statistics) of a terminal GetQueryResults answer; InsightsQueryError unless Complete."""
        status = response.get("status")
        if status != "Complete":
            explanation = {
                "Failed": "the service could not run it",
                "Cancelled": "it was cancelled (StopQuery, by this or another client)",
                "Timeout": "the service timed it out (Logs Insights stops queries after 60 minutes); narrow "
                           "the time range or split the log groups",
                "Unknown": "the service reported status Unknown",
            }.get(status, "unexpected status")
            raise InsightsQueryError("query {0} ended {1}: {2}".format(query_id, status, explanation),
                                     status.lower() if status else "unknown", query_id=query_id)
        rows = [dict((item["field"], item["value"]) for item in row) for row in response.get("results", [])]
        return rows, dict(response.get("statistics") or {})

    def _start_arguments(self, query, log_groups, start_time, end_time, limit):
        identifiers = [log_group_identifier(group)[0] for group in log_groups]
        kwargs = dict(queryString=query, startTime=int(start_time), endTime=int(end_time))
        if any(identifier.startswith("arn:") for identifier in identifiers):
            kwargs["logGroupIdentifiers"] = identifiers
        else:
            kwargs["logGroupNames"] = identifiers
        if limit is not None:
            kwargs["limit"] = int(limit)
        return kwargs

    def stop(self, query_id):
        """StopQuery; True when the service stopped it (False: it had already ended)."""
        try:
            return bool(self._logs().stop_query(queryId=query_id).get("success"))
        except (BotoCoreError, ClientError) as exc:
            if error_code(exc) in ("InvalidParameterException", "ResourceNotFoundException"):
                return False
            raise self.session.error(exc, "StopQuery")


class QueryJob:
    """One query of a concurrent run: its text, log groups, time range and shape; filled in with its
    rows, statistics and query ids once every piece (a split run has several) is Complete."""

    def __init__(self, query, log_groups, start_time, end_time, shape, limit=None, on_truncation="split",
                 max_splits=64):
        self.query = query
        self.log_groups = list(log_groups)
        self.start_time = int(start_time)
        self.end_time = int(end_time)
        self.shape = shape
        self.row_limit = int(limit) if limit is not None else SERVICE_ROW_LIMIT
        self.on_truncation = on_truncation
        self.splits_left = max_splits
        self.pieces = {}  # low end of a time piece -> (rows, statistics)
        self.query_ids = []

    def result(self, natural_sort_key=None):
        """(rows, statistics, query_ids): pieces newest first, as a split run returns them."""
        rows, statistics = [], {}
        for low in sorted(self.pieces, reverse=True):
            piece_rows, piece_statistics = self.pieces[low]
            rows.extend(piece_rows)
            statistics = _add_statistics(statistics, piece_statistics) if statistics else dict(piece_statistics)
        if len(self.pieces) > 1 and self.shape.sort_fields and natural_sort_key is not None:
            rows = _merge_sort(rows, self.shape.sort_fields, natural_sort_key)
        return rows, statistics, list(self.query_ids)


class ConcurrentRun:
    """Many queries at once: StartQuery for up to ``max_concurrent``, one GetQueryResults polling loop
    for all, a finished piece that hit the row limit split in two and queued again.

    LimitExceededException on StartQuery (the account's concurrency quota is shared) keeps the
    query queued: it is started again when one of ours finishes, or, with none of ours running,
    after a bounded, jittered backoff (``start_attempts`` tries in a row). The first query that
    cannot be answered stops the ones still running (StopQuery) and raises InsightsQueryError.
    """

    def __init__(self, client, max_concurrent=DEFAULT_MAX_CONCURRENT, natural_sort_key=None):
        if int(max_concurrent) < 1:
            raise ValueError("max_concurrent must be at least 1")
        self.client = client
        self.max_concurrent = int(max_concurrent)
        self.natural_sort_key = natural_sort_key
        self.most_running = 0

    def run(self, jobs):
        client = self.client
        pending = deque((job, job.start_time, job.end_time) for job in jobs)
        running = {}  # query id -> (job, low, high, deadline)
        refused = 0
        interval = client.poll_interval
        polls = 0
        try:
            while pending or running:
                while pending and len(running) < self.max_concurrent:
                    job, low, high = pending[0]
                    try:
                        query_id = client.start_one(job.query, job.log_groups, low, high, job.row_limit)
                    except AwsApiError as exc:
                        exc.query_job = job  # which query the service refused, for the message
                        if exc.code != "LimitExceededException":
                            raise
                        refused += 1
                        if not running:
                            if refused >= client.start_attempts:
                                raise
                            cap = min(30.0, client.start_backoff * (2 ** (refused - 1)))
                            client.sleep(client.random.uniform(cap / 2.0, cap))
                        break  # started again once one of ours finishes, or after the backoff
                    refused = 0
                    pending.popleft()
                    job.query_ids.append(query_id)
                    running[query_id] = (job, low, high, client.clock() + client.timeout)
                    self.most_running = max(self.most_running, len(running))
                if not running:
                    continue
                for query_id in list(running):
                    job, low, high, deadline = running[query_id]
                    response = client.poll(query_id)
                    if response.get("status") not in TERMINAL_STATUSES:
                        if client.clock() >= deadline:
                            del running[query_id]
                            client.timed_out(query_id, response.get("status"))
                        continue
                    del running[query_id]
                    rows, statistics = client.complete(query_id, response)
                    for piece in self._pieces(job, low, high, rows, statistics, query_id):
                        pending.append(piece)
                if running:
                    # Jittered (0.8x-1.2x) so many lookups do not poll in lockstep, never past the first
                    # deadline; the interval grows (x1.5) only after FAST_POLLS polls, so short queries
                    # are seen finishing within about one poll_interval.
                    first_deadline = min(entry[3] for entry in running.values())
                    client.sleep(max(0.0, min(first_deadline - client.clock(),
                                              interval * client.random.uniform(0.8, 1.2))))
                    polls += 1
                    if polls >= FAST_POLLS:
                        interval = min(client.max_poll_interval, interval * 1.5)
        except BaseException:
            for query_id in running:
                client.stop(query_id)
            raise
        return [job.result(self.natural_sort_key) for job in jobs]

    def _pieces(self, job, low, high, rows, statistics, query_id):
        """Records a Complete piece, or returns its two halves when it was truncated."""
        shape = job.shape
        full = not shape.has_limit_command and len(rows) >= job.row_limit
        truncated = full and (shape.aggregated or statistics.get("recordsMatched", 0) > len(rows))
        if not truncated:
            job.pieces[low] = (rows, statistics)
            return []
        where = "between {0} and {1} (epoch s)".format(low, high)
        if job.on_truncation == "fail" or shape.aggregated:
            raise InsightsQueryError(
                "query {0} returned {1} rows, the row limit, {2}: {3}".format(
                    query_id, len(rows), where,
                    "an aggregated query cannot be split by time; add a 'limit' command or narrow the groups"
                    if shape.aggregated else
                    "more records matched ({0:g}); on_truncation=fail, so failing instead of splitting the "
                    "time range".format(statistics.get("recordsMatched", 0))),
                "truncated", query_id=query_id)
        if shape.has_dedup or not shape.sort_is_mergeable:
            raise InsightsQueryError(
                "query {0} hit the row limit {1} and cannot be split safely ({2}); narrow the time range "
                "or add a 'limit' command".format(
                    query_id, where, "dedup across halves" if shape.has_dedup else "it sorts on an expression"),
                "truncated", query_id=query_id)
        if high <= low or job.splits_left <= 0:
            raise InsightsQueryError(
                "query {0} hit the row limit within one second ({1}) or after too many splits; raise the limit "
                "option (at most 10000) or filter more narrowly".format(query_id, where),
                "truncated", query_id=query_id)
        job.splits_left -= 1
        middle = (low + high) // 2
        return [(job, middle + 1, high), (job, low, middle)]


def _add_statistics(left, right):
    total = dict(left)
    for key, value in right.items():
        if isinstance(value, (int, float)):
            total[key] = total.get(key, 0) + value
    return total


def _merge_sort(rows, sort_fields, natural_sort_key):
    ordered = list(rows)
    for field, descending in reversed(sort_fields):
        ordered.sort(key=lambda row, field=field: natural_sort_key(row.get(field)), reverse=descending)
    return ordered


def run_service_query(client, text, log_groups, start_time, end_time, limit=None, on_truncation="split"):
    """One query text on the service: (rows, statistics, query_ids); a ConcurrentRun of one job, so
    splitting, polling and the service's errors (a rejected query gets our lint's hint) work the same."""
    job = job_for(text, log_groups, start_time, end_time, limit=limit, on_truncation=on_truncation)
    return run_service_queries(client, [job], max_concurrent=1)[0]


def run_service_queries(client, jobs, max_concurrent=DEFAULT_MAX_CONCURRENT):
    """Run QueryJobs concurrently (ConcurrentRun); [(rows, statistics, query_ids)] in the jobs' order.
    The service's errors become InsightsQueryError with a readable message (a rejected query gets our
    lint's hint)."""
    try:
        return ConcurrentRun(client, max_concurrent, natural_sort_key=natural_sort_key).run(jobs)
    except AwsApiError as exc:
        refused = getattr(exc, "query_job", None)
        if exc.code == "MalformedQueryException" and refused is not None:
            message = "CloudWatch Logs rejected the query: {0}\n{1}\nquery: {2}".format(
                exc.message, lint_hint(refused.query), refused.query)
        elif exc.code == "ResourceNotFoundException":
            groups = sorted(set(group for job in ([refused] if refused else jobs) for group in job.log_groups))
            message = "{0} (log groups: {1})".format(exc.message, ", ".join(groups))
        else:
            message = exc.message
        raise InsightsQueryError(message, "service", code=exc.code)


def job_for(text, log_groups, start_time, end_time, limit=None, on_truncation="split"):
    """A QueryJob for a query text, its shape from our parser (unknown when it does not parse)."""
    try:
        shape = query_shape(text)
    except QuerySyntaxError:
        shape = UNKNOWN_SHAPE  # lint was off; the service decides
    return QueryJob(text, log_groups, start_time, end_time, shape, limit=limit, on_truncation=on_truncation)


def describe_estate(session, log_groups):
    """What a report needs to know of a target: the log formats of the flow logs delivering to each
    of ``log_groups`` (DescribeFlowLogs, filter ``log-group-name``; EC2 API reference) and the CIDR
    blocks of every VPC of the region (DescribeVpcs; associated IPv4 blocks and IPv6 blocks).
    Returns dict(formats={group: [LogFormat, ...]}, vpc_cidrs=[...])."""
    names = [log_group_identifier(group)[1] for group in log_groups]
    formats = dict((name, []) for name in names)
    if names:
        flow_logs = session.paginate("ec2", "describe_flow_logs", "FlowLogs",
                                     Filters=[{"Name": "log-group-name", "Values": names}])
        for flow_log in flow_logs:
            group = flow_log.get("LogGroupName")
            log_format = flow_log.get("LogFormat")
            if group in formats and log_format and log_format not in formats[group]:
                formats[group].append(log_format)
    cidrs = []
    for vpc in session.paginate("ec2", "describe_vpcs", "Vpcs"):
        blocks = [a.get("CidrBlock") for a in vpc.get("CidrBlockAssociationSet") or []
                  if (a.get("CidrBlockState") or {}).get("State", "associated") == "associated"]
        blocks += [a.get("Ipv6CidrBlock") for a in vpc.get("Ipv6CidrBlockAssociationSet") or []
                   if (a.get("Ipv6CidrBlockState") or {}).get("State", "associated") == "associated"]
        for block in blocks or [vpc.get("CidrBlock")]:
            if block and block not in cidrs:
                cidrs.append(block)
    return dict(formats=dict((group, sorted(found)) for group, found in formats.items()), vpc_cidrs=cidrs)


def lint_hint(text):
    """What our lint finds wrong with a query the service rejected."""
    try:
        diagnostics = [d for d in lint(text) if d.severity == "error"]
    except QuerySyntaxError as exc:
        return "hint (netobs lint): {0}".format(exc)
    if diagnostics:
        return "hint (netobs lint): " + "; ".join(
            "line {0}, column {1}: {2}".format(d.line, d.column, d.message) for d in diagnostics)
    return "hint (netobs lint): no error found locally; the service may not support this construct"


class SessionCache:
    """Sessions by connection options, for one process (a play's loop, or several lookups in one
    task): boto3 clients take ~0.1 s to build. The options never leave memory."""

    def __init__(self, factory=None):
        self.factory = factory
        self.sessions = {}

    def get(self, options, factory=None):
        """The session for ``options``, made by ``factory(options)`` (or the cache's) the first time."""
        key = tuple(sorted((name, repr(value)) for name, value in options.items()))
        if key not in self.sessions:
            self.sessions[key] = (factory or self.factory)(options)
        return self.sessions[key]


def convert_value(field, value):
    """A result value as a number when it is a numeric string; everything else (and every @ field,
    e.g. @ptr) as is. GetQueryResults returns every value as a string."""
    if not isinstance(value, str) or field.startswith("@"):
        return value
    if _INTEGER.match(value):
        return int(value)
    if _DECIMAL.match(value):
        return float(value)
    return value
