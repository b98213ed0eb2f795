"""CloudWatch Logs Insights on the local AWS, answered by this collection's own engine.

moto 5.2.5 computes a query synchronously at StartQuery with a parser that ignores filter, stats
and parse, never returns statistics, has no StopQuery, and fails with HTTP 500 on
logGroupIdentifiers and on unknown query ids (see the probe in moto-server-behaviour.md). This
replaces the handlers with ones that behave as the API reference says:

- StartQuery (API_StartQuery): exactly one of ``logGroupName``, ``logGroupNames`` or
  ``logGroupIdentifiers`` (names or ARNs ``arn:aws:logs:REGION:ACCOUNT:log-group:NAME``; an ARN
  ending ``:*`` is rejected, as AWS does) else InvalidParameterException; a missing group is
  ResourceNotFoundException; ``endTime`` before ``startTime`` is InvalidParameterException;
  ``limit`` 1..10,000; a query our parser rejects is MalformedQueryException with the service's
  body shape (``queryCompileError.location.startCharOffset/endCharOffset`` and ``message``);
  more than MAX_CONCURRENT_QUERIES Scheduled/Running queries in the account and region is
  LimitExceededException. 100 is the quota of the CloudWatch Logs quotas page
  (cloudwatch_limits_cwl.html, "Logs Insights: concurrent queries") and of "View running queries
  or query history" ("You are limited to 100 concurrent CloudWatch Logs Insights queries per
  account, including queries added to dashboards"); the StartQuery reference still says 30.
  ``LocalAws.max_concurrent_queries`` changes it for a test. Returns ``{"queryId"}`` at once.
- GetQueryResults (API_GetQueryResults): ``Running`` with no rows and zero statistics until the
  query has run for ``LocalAws.query_running_seconds``, then ``Complete`` with the engine's rows
  (``[[{field, value}]]``) and ``statistics`` (recordsScanned, recordsMatched, bytesScanned,
  logGroupsScanned). The answer is computed over the events the groups hold when it completes,
  like a real scan. A query whose running time exceeds ``LocalAws.query_max_runtime_seconds``
  (AWS: 60 minutes) ends ``Timeout`` at that point. Unknown id: ResourceNotFoundException (moto: 500).
- StopQuery (API_StopQuery; moto: 500 NotImplemented): a Scheduled/Running query becomes
  ``Cancelled`` and ``{"success": true}``; a query that already ended is InvalidParameterException
  (as AWS answers); an unknown id is ResourceNotFoundException.
- DescribeQueries keeps working (our query objects carry what moto's serialiser reads).

Settings are read live from the LocalAws that started the server (``use_settings_from``), so a
test can change ``query_running_seconds`` between calls.
"""

import json
import re
import threading
import time
import uuid

from moto.core.exceptions import JsonRESTError
from moto.core.utils import unix_time_millis, utcnow
from moto.logs import models, responses
from moto.logs.exceptions import InvalidParameterException, LimitExceededException, ResourceNotFoundException

from ansible_collections.netobs.flowlogs.plugins.module_utils.insights import QuerySyntaxError, query_source, run_query
from ansible_collections.netobs.flowlogs.plugins.module_utils.insights.lint import analyze
from ansible_collections.netobs.flowlogs.plugins.module_utils.insights.parser import parse

MAX_CONCURRENT_QUERIES = 100
DEFAULT_MAX_RUNTIME_SECONDS = 3600.0
MAX_LIMIT = 10000
_ARN = re.compile(r"\Aarn:aws[a-z-]*:logs:([a-z0-9-]+):(\d{12}):log-group:(.+)\Z")
_settings = {"source": None}
_lock = threading.Lock()


def use_settings_from(local_aws):
    """Read query_running_seconds / query_max_runtime_seconds from this object from now on."""
    _settings["source"] = local_aws


def _running_seconds():
    return float(getattr(_settings["source"], "query_running_seconds", 0.0) or 0.0)


def _max_concurrent_queries():
    value = getattr(_settings["source"], "max_concurrent_queries", None)
    return MAX_CONCURRENT_QUERIES if value is None else int(value)


def _max_runtime_seconds():
    value = getattr(_settings["source"], "query_max_runtime_seconds", None)
    return DEFAULT_MAX_RUNTIME_SECONDS if value is None else float(value)


class MalformedQueryException(JsonRESTError):
    code = 400

    def __init__(self, error):
        super().__init__("MalformedQueryException", error.message)
        # The service's shape: the message plus queryCompileError with character offsets.
        self.description = json.dumps({
            "__type": "MalformedQueryException",
            "message": "{0} at line {1}, column {2}".format(error.message, error.line, error.column),
            "queryCompileError": {
                "location": {"startCharOffset": error.start, "endCharOffset": error.end},
                "message": error.message,
            },
        })


class EmulatedQuery:
    """One Insights query: its inputs, the time it started, and its answer once it has one."""

    def __init__(self, query_id, query, log_groups, start_time, end_time, limit):
        self.query_id = query_id
        self.query = query
        self.log_groups = log_groups
        self.log_group_names = [group.name for group in log_groups]
        self.start_time = start_time
        self.end_time = end_time
        self.limit = limit
        self.create_time = utcnow()
        self.started = time.monotonic()
        self.status = "Running"
        self.result = None

    def refresh(self):
        """Advance Running -> Complete/Timeout when its time has come (called on every read)."""
        if self.status != "Running":
            return
        elapsed = time.monotonic() - self.started
        running, max_runtime = _running_seconds(), _max_runtime_seconds()
        if running > max_runtime and elapsed >= max_runtime:
            self.status = "Timeout"
        elif elapsed >= running:
            self.result = run_query(self.query, self._events(), self.start_time, self.end_time, self.limit)
            self.status = "Complete"

    def _events(self):
        for group in self.log_groups:
            for stream_name, stream in list(group.streams.items()):
                for event in list(stream.events):
                    # accountId: @log is account-id:log-group-name (CWL_AnalyzeLogData-discoverable-fields).
                    yield {"timestamp": event.timestamp, "message": event.message, "logStream": stream_name,
                           "logGroup": group.name, "ingestionTime": event.ingestion_time,
                           "accountId": getattr(group, "account_id", None)}

    def to_json(self, log_group_name):
        return {"queryId": self.query_id, "queryString": self.query, "status": self.status,
                "createTime": int(unix_time_millis(self.create_time)), "logGroupName": log_group_name}

    def to_result_json(self):
        statistics = {"recordsMatched": 0.0, "recordsScanned": 0.0, "bytesScanned": 0.0,
                      "logGroupsScanned": float(len(self.log_groups))}
        results = []
        if self.result is not None:
            statistics.update(self.result.statistics)
            results = self.result.as_results()
        return {"results": results, "statistics": statistics, "status": self.status}


def _resolve_groups(backend, response):
    name = response._get_param("logGroupName")
    names = response._get_param("logGroupNames")
    identifiers = response._get_param("logGroupIdentifiers")
    given = [value for value in (name, names, identifiers) if value]
    try:
        source = query_source(response._get_param("queryString") or "")
    except QuerySyntaxError as error:
        raise MalformedQueryException(error)
    if source is not None:
        # CWL_QuerySyntax-Source: SOURCE selects the log groups instead of the request's parameters.
        if given:
            raise InvalidParameterException(
                "A query with a SOURCE command must not also specify logGroupName, logGroupNames or "
                "logGroupIdentifiers")
        selected = [group for group_name, group in sorted(backend.groups.items()) if source.matches(
            group_name, backend.account_id, getattr(group, "log_group_class", None))]
        if len(selected) > 10000:
            raise InvalidParameterException("SOURCE selects more than 10,000 log groups")
        return selected
    if len(given) != 1:
        raise InvalidParameterException(
            "Exactly one of logGroupName, logGroupNames or logGroupIdentifiers must be specified")
    wanted = [name] if name else list(names or [])
    for identifier in identifiers or []:
        if identifier.endswith(":*"):
            raise InvalidParameterException(
                "Invalid log group identifier {0}: an ARN must not end with ':*'".format(identifier))
        match = _ARN.match(identifier)
        if match:
            region, account, group_name = match.groups()
            if region != backend.region_name or account != backend.account_id:
                raise ResourceNotFoundException("Log group {0} does not exist".format(identifier))
            wanted.append(group_name)
        else:
            wanted.append(identifier)
    if len(wanted) > 50:
        raise InvalidParameterException("At most 50 log groups can be queried at once")
    missing = [group for group in wanted if group not in backend.groups]
    if missing:
        raise ResourceNotFoundException("Log group {0} does not exist".format(missing[0]))
    return [backend.groups[group] for group in wanted]


def _query(backend, query_id):
    query = backend.queries.get(query_id)
    if not isinstance(query, EmulatedQuery):
        raise ResourceNotFoundException("Query does not exist: {0}".format(query_id))
    return query


def start_query(self):
    backend = self.logs_backend
    groups = _resolve_groups(backend, self)
    start_time = self._get_int_param("startTime")
    end_time = self._get_int_param("endTime")
    query_string = self._get_param("queryString") or ""
    limit = self._get_int_param("limit")
    if end_time < start_time:
        raise InvalidParameterException("endTime must be greater than or equal to startTime")
    if limit is not None and not 1 <= limit <= MAX_LIMIT:
        raise InvalidParameterException(constraint="Member must have value between 1 and 10000",
                                        parameter="limit", value=limit)
    try:
        parsed = parse(query_string)
        for diagnostic in analyze(parsed):
            if diagnostic.fatal:
                raise QuerySyntaxError(diagnostic.message, query_string, diagnostic.start, diagnostic.end)
    except QuerySyntaxError as error:
        raise MalformedQueryException(error)
    with _lock:
        for query in backend.queries.values():
            if isinstance(query, EmulatedQuery):
                query.refresh()
        running = sum(1 for q in backend.queries.values() if getattr(q, "status", None) in ("Scheduled", "Running"))
        if running >= _max_concurrent_queries():
            raise LimitExceededException()
        query_id = str(uuid.uuid4())
        backend.queries[query_id] = EmulatedQuery(query_id, query_string, groups, start_time, end_time, limit)
    return json.dumps({"queryId": query_id})


def get_query_results(self):
    query = _query(self.logs_backend, self._get_param("queryId"))
    with _lock:
        query.refresh()
        return json.dumps(query.to_result_json())


def stop_query(self):
    query = _query(self.logs_backend, self._get_param("queryId"))
    with _lock:
        query.refresh()
        if query.status not in ("Scheduled", "Running"):
            raise InvalidParameterException("Query {0} is already {1}".format(query.query_id, query.status))
        query.status = "Cancelled"
    return json.dumps({"success": True})


def apply():
    # Fail here, not deep inside a test, when the moto internals this relies on move.
    assert hasattr(models.LogsBackend, "start_query") and hasattr(models, "LogQuery")
    responses.LogsResponse.start_query = start_query
    responses.LogsResponse.get_query_results = get_query_results
    responses.LogsResponse.stop_query = stop_query
