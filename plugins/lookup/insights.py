# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: insights
author: netobs.flowlogs contributors (@netobs)
short_description: Run a CloudWatch Logs Insights query (or a named flow-log query) and return its rows
version_added: 0.1.0
description:
  - Runs a Logs Insights query over one or more log groups and returns one dict per result row.
  - A term is either a query text or the name of a named flow-log query (see C(docs/named-queries.md));
    named queries take O(params), which are validated and can never inject query text.
  - Before sending, the query is linted by this collection's own Insights engine; lint errors stop
    the query (see O(lint) and O(allow_lint_errors)), lint warnings are shown.
  - Polls GetQueryResults with a growing, jittered interval until the query is Complete; Failed,
    Cancelled, Timeout and Unknown are errors. When O(timeout) passes first, StopQuery is called.
  - Concurrency limits (C(LimitExceededException) on StartQuery) are retried with a bounded, jittered
    backoff; throttling is retried by botocore (O(retry_mode), O(max_attempts)).
  - A non-aggregated query without a C(limit) command that comes back with O(limit) rows while more
    records matched is split by time range and re-run, and the halves merged (O(on_truncation)).
  - With O(engine=local), the same engine runs in-process over events read with FilterLogEvents, or
    over local flow-log files (O(files)), for offline work.
  - Lookups do not see C(module_defaults); the connection options are read from keywords, from the
    same variables the roles pass to the modules (C(aws_region), C(assume_role_arn), C(aws_profile)...,
    which the aws_accounts inventory sets per host), or from the environment variables named below.
extends_documentation_fragment:
  - netobs.flowlogs.aws.plugins
options:
  _terms:
    description: Query texts or named-query names, one result set each.
    required: true
    type: list
    elements: str
  log_groups:
    description:
      - Log group names or ARNs (C(arn:aws:logs:REGION:ACCOUNT:log-group:NAME); a trailing C(:*) is dropped).
      - Required unless O(engine=local) with O(files).
    type: list
    elements: str
    aliases: [log_group, log_group_names]
  since:
    description:
      - The time range as a period back from now, a number and a unit (C(s), C(m), C(h), C(d), C(w)),
        for example V(15m), V(1h), V(1d) or V(7d). Defaults to V(1h) when neither O(start) nor O(since) is set.
      - Mutually exclusive with O(start).
    type: str
  start:
    description: Start of the time range (inclusive), ISO 8601 (naive times are UTC) or epoch seconds.
    type: raw
  end:
    description: End of the time range (inclusive), ISO 8601 or epoch seconds. Defaults to now.
    type: raw
  params:
    description: Parameters of a named query (see C(docs/named-queries.md)); an error for a query text.
    type: dict
    default: {}
  limit:
    description:
      - StartQuery's C(limit), the most rows one query returns (1-10000). A query's own C(limit) command wins.
    type: int
  poll_interval:
    description:
      - Seconds between GetQueryResults polls (jittered by +-20%); after five polls the interval grows
        (x1.5 each poll) up to O(max_poll_interval).
    type: float
    default: 1.0
  max_poll_interval:
    description: The longest wait between two polls, in seconds.
    type: float
    default: 10.0
  timeout:
    description: Seconds to wait for a query to finish; then StopQuery is called and the lookup fails saying so.
    type: float
    default: 900
  with_statistics:
    description:
      - Return one dict per term, C({rows, statistics, query, cost_usd}), instead of the rows.
      - C(statistics) holds recordsScanned, recordsMatched and bytesScanned (summed over split queries);
        C(cost_usd) is bytesScanned at O(price_per_gb) (1 GB = 2^30 bytes).
    type: bool
    default: false
  price_per_gb:
    description: Logs Insights price per GB scanned, for C(cost_usd). USD 0.005 is the us-east-1 price.
    type: float
    default: 0.005
  raw:
    description: Return values as the service does, all strings. By default numeric strings become numbers.
    type: bool
    default: false
  engine:
    description:
      - V(cloudwatch) runs the query in CloudWatch Logs Insights.
      - V(local) runs this collection's Insights engine in-process over events read with FilterLogEvents
        (from O(log_groups)) or over O(files); no Insights charges, the same answers for the supported language.
    type: str
    default: cloudwatch
    choices: [cloudwatch, local]
  files:
    description:
      - With O(engine=local), flow-log files to query instead of log groups, one record per line
        (plain or C(.gz), as delivered to S3; a header line of field names sets the format).
      - An event's timestamp is the record's C(start) field.
    type: list
    elements: path
    default: []
  log_format:
    description:
      - The flow log's C(LogFormat) (C(${version} ${vpc-id} ...)) for custom-format flow logs, which Insights
        does not discover; a C(parse @message "* * ..." as version, vpcId, ...) prefix is added to the query.
        Field names follow Insights discovery (camelCase, C(start)/C(end) as C(startTime)/C(endTime)).
    type: str
  lint:
    description: Lint the query before sending it; V(false) sends it unchecked.
    type: bool
    default: true
  allow_lint_errors:
    description: Show lint errors as warnings and send the query anyway.
    type: bool
    default: false
  on_truncation:
    description:
      - What to do when a non-aggregated query hits the row limit. V(split) re-runs it over halves of the
        time range and merges the rows; V(fail) fails with the numbers. Rows are never dropped silently.
    type: str
    default: split
    choices: [split, fail]
notes:
  - IAM permissions - C(logs:StartQuery), C(logs:GetQueryResults), C(logs:StopQuery); with O(engine=local)
    over log groups, C(logs:FilterLogEvents) instead.
  - Logs Insights bills the bytes it scans; O(since) and O(log_groups) bound that cost.
seealso:
  - name: Logs Insights query syntax
    description: The query language reference.
    link: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax.html
"""

EXAMPLES = r"""
- name: Top 10 byte transfers in the last day (a console sample, by name)
  ansible.builtin.debug:
    msg: "{{ query('netobs.flowlogs.insights', 'top_byte_transfers', log_groups=['/vpc/flow-logs'], since='1d') }}"

- name: Traffic from on-premises into the VPC, per minute
  ansible.builtin.set_fact:
    onprem_minutes: >-
      {{ query('netobs.flowlogs.insights', 'range_transfers_per_minute', log_groups=['/vpc/flow-logs'], since='6h',
               params={'src_cidr': '172.16.0.0/16', 'dst_cidr': '10.0.0.0/16'}) }}

- name: A query text with statistics and the cost estimate, in another account
  ansible.builtin.set_fact:
    rejected: >-
      {{ lookup('netobs.flowlogs.insights',
                'filter action = "REJECT" | stats count(*) as n by dstPort | sort n desc | limit 5',
                log_groups=['arn:aws:logs:eu-west-1:111122223333:log-group:/vpc/flow-logs'],
                start='2024-05-01T00:00:00Z', end='2024-05-02T00:00:00Z', with_statistics=true,
                region='eu-west-1', assume_role_arn='arn:aws:iam::111122223333:role/netobs-reader') }}

- name: A custom-format flow log (the parse prefix is generated)
  ansible.builtin.debug:
    msg: >-
      {{ query('netobs.flowlogs.insights', 'protocol_mix', log_groups=['/vpc/custom'], since='1h',
               log_format='${version} ${vpc-id} ${srcaddr} ${dstaddr} ${protocol} ${bytes} ${packets} ${log-status}') }}

- name: Offline, over flow-log files delivered to S3
  ansible.builtin.debug:
    msg: >-
      {{ query('netobs.flowlogs.insights', 'top_rejected_sources', engine='local', files=['flows.log.gz'],
               start=0) }}
"""

RETURN = r"""
_raw:
  description:
    - One dict per result row (field name to value), in the service's column order; non-aggregated rows
      carry C(@ptr). Values are numbers where the string is numeric, unless O(raw=true).
    - With O(with_statistics=true), one dict per term instead, with keys C(rows), C(statistics)
      (recordsScanned, recordsMatched, bytesScanned), C(query) (the text sent, with any parse prefix),
      C(query_ids) and C(cost_usd).
  type: list
  elements: dict
"""

import calendar
import datetime
import gzip
import re
import time

from ansible.errors import AnsibleLookupError
from ansible.module_utils.common.text.converters import to_native
from ansible.plugins.lookup import LookupBase
from ansible.utils.display import Display

from ansible_collections.netobs.flowlogs.plugins.module_utils import queries as named_queries
from ansible_collections.netobs.flowlogs.plugins.module_utils.aws import (
    AwsApiError,
)
from ansible_collections.netobs.flowlogs.plugins.module_utils.flowlog_fields import (
    DEFAULT_FIELDS, DEFAULT_LOG_FORMAT, FIELD_NAMES, fields_of_format, format_string,
)
from ansible_collections.netobs.flowlogs.plugins.module_utils.insights_client import (
    SERVICE_ROW_LIMIT, InsightsClient, InsightsQueryError, QueryShape, log_group_identifier,
)
from ansible_collections.netobs.flowlogs.plugins.module_utils.validation import ValidationError
from ansible_collections.netobs.flowlogs.plugins.plugin_utils.connection import connection_options, session_for_plugin

try:
    from ansible_collections.netobs.flowlogs.plugins.module_utils import insights as engine
    from ansible_collections.netobs.flowlogs.plugins.module_utils.insights import nodes as query_nodes
    from ansible_collections.netobs.flowlogs.plugins.module_utils.insights.values import natural_sort_key
except ImportError as import_error:  # the engine is part of this collection; this guards a broken install
    engine = None
    ENGINE_IMPORT_ERROR = import_error
else:
    ENGINE_IMPORT_ERROR = None

display = Display()

BYTES_PER_GB = float(2 ** 30)
_SESSIONS = {}
_SINCE = re.compile(r"\A\s*(\d+)\s*([smhdw])\s*\Z")
_UNIT_SECONDS = dict(s=1, m=60, h=3600, d=86400, w=604800)
_INTEGER = re.compile(r"\A-?(?:0|[1-9]\d*)\Z")
_DECIMAL = re.compile(r"\A-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?\Z")


def _epoch(option, value):
    if value is None:
        return None
    if isinstance(value, bool):
        raise AnsibleLookupError("{0}: {1!r} is not a time (ISO 8601 or epoch seconds)".format(option, value))
    if isinstance(value, (int, float)):
        return int(value)
    if isinstance(value, datetime.datetime):
        moment = value if value.tzinfo is None else value.astimezone(datetime.timezone.utc)
        return calendar.timegm(moment.timetuple())
    text = to_native(value).strip()
    if re.match(r"\A\d+(\.\d+)?\Z", text):
        return int(float(text))
    seconds = named_queries.parse_iso8601(text)
    if seconds is None:
        raise AnsibleLookupError("{0}: {1!r} is not a time; use ISO 8601 (2024-05-01T16:22:00Z) or epoch "
                                 "seconds".format(option, value))
    return seconds


def time_range(since, start, end, now=None):
    """(start, end) epoch seconds, both inclusive, from the since/start/end options."""
    now = int(time.time() if now is None else now)
    if since is not None and start is not None:
        raise AnsibleLookupError("since and start are mutually exclusive; give a period back from now or a start")
    end_seconds = _epoch("end", end) if end is not None else now
    if start is not None:
        start_seconds = _epoch("start", start)
    else:
        match = _SINCE.match(since or "1h")
        if not match or int(match.group(1)) <= 0:
            raise AnsibleLookupError("since: {0!r} is not a period such as 15m, 1h, 1d or 7d".format(since))
        start_seconds = end_seconds - int(match.group(1)) * _UNIT_SECONDS[match.group(2)]
    if start_seconds < 0 or end_seconds < 0:
        raise AnsibleLookupError("the time range must not start before 1970 (start {0}, end {1})".format(
            start_seconds, end_seconds))
    if start_seconds > end_seconds:
        raise AnsibleLookupError("the time range is empty: start {0} is after end {1}".format(
            _iso(start_seconds), _iso(end_seconds)))
    return start_seconds, end_seconds


def _iso(seconds):
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def convert_value(field, value):
    """A numeric string as a number; everything else (and every @ field, e.g. @ptr) as is."""
    if not isinstance(value, str) or field.startswith("@"):
        return value
    if _INTEGER.match(value):
        return int(value)
    if _DECIMAL.match(value):
        return float(value)
    return value


def query_shape(query_text):
    """The QueryShape of a query text (aggregated? own limit? sort keys?) from our parser."""
    parsed = engine.parse(query_text)
    commands = parsed.commands
    shape = QueryShape(
        aggregated=any(isinstance(c, query_nodes.Stats) for c in commands),
        has_limit_command=any(isinstance(c, query_nodes.Limit) for c in commands),
        has_dedup=any(isinstance(c, query_nodes.Dedup) for c in commands),
    )
    sorts = [c for c in commands if isinstance(c, query_nodes.Sort)]
    if sorts:
        keys = sorts[-1].keys  # the last sort decides the final order
        if all(isinstance(key.expr, query_nodes.FieldRef) for key in keys):
            shape.sort_fields = [(key.expr.name, bool(key.descending)) for key in keys]
        else:
            shape.sort_is_mergeable = False
    return shape


def _open_text(path):
    if path.endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8")
    return open(path, "r", encoding="utf-8")


def events_from_files(paths, log_format=None):
    """Events for the local engine from flow-log files; a header line of field names sets the format."""
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


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        if engine is None:
            raise AnsibleLookupError("the netobs.flowlogs Insights engine failed to import: {0}".format(
                ENGINE_IMPORT_ERROR))
        start, end = time_range(self.get_option("since"), self.get_option("start"), self.get_option("end"))
        limit = self.get_option("limit")
        if limit is not None and not 1 <= limit <= SERVICE_ROW_LIMIT:
            raise AnsibleLookupError("limit: must be between 1 and {0}, got {1}".format(SERVICE_ROW_LIMIT, limit))
        for name in ("poll_interval", "timeout", "max_poll_interval"):
            if self.get_option(name) <= 0:
                raise AnsibleLookupError("{0}: must be greater than 0".format(name))
        log_format = self.get_option("log_format")
        if log_format:
            try:
                engine.parse_prefix_for_log_format(log_format)
            except ValueError as exc:
                raise AnsibleLookupError("log_format: {0}".format(exc))
        groups = []
        for group in self.get_option("log_groups") or []:
            try:
                groups.append(log_group_identifier(group)[0])
            except ValueError as exc:
                raise AnsibleLookupError("log_groups: {0}".format(exc))
        using_files = self.get_option("engine") == "local" and self.get_option("files")
        if not groups and not using_files:
            raise AnsibleLookupError("log_groups: give at least one log group name or ARN")
        if self.get_option("files") and self.get_option("engine") != "local":
            raise AnsibleLookupError("files: only with engine=local")

        results = []
        for term in terms:
            text, term_range = self._query_text(to_native(term), log_format)
            low, high = term_range or (start, end)
            self._lint(text, log_format)
            if self.get_option("engine") == "local":
                rows, statistics, ids = self._run_local(text, groups, low, high, limit)
            else:
                rows, statistics, ids = self._run_service(text, groups, low, high, limit)
            rows = self._present(rows)
            if self.get_option("with_statistics"):
                statistics = dict((k, self._number(v)) for k, v in statistics.items())
                cost = statistics.get("bytesScanned", 0) / BYTES_PER_GB * self.get_option("price_per_gb")
                results.append(dict(rows=rows, statistics=statistics, query=text, query_ids=ids,
                                    start=low, end=high, cost_usd=cost))
            else:
                results.extend(rows)
        return results

    # -- the query text --------------------------------------------------------------------------------------

    def _query_text(self, term, log_format):
        params = self.get_option("params") or {}
        term = term.strip()
        time_override = None
        if named_queries.is_named(term):
            try:
                rendered = named_queries.render(term, params)
            except ValidationError as exc:
                raise AnsibleLookupError("named query {0}: {1}".format(term, exc))
            if log_format:
                available = set(engine.insights_field_name(f) for f in fields_of_format(log_format))
                missing = [f for f in named_queries.get(term).fields if f not in available]
                if missing:
                    raise AnsibleLookupError("named query {0} reads {1}, which log_format does not have".format(
                        term, ", ".join(missing)))
            text, time_override = rendered.text, rendered.time_range
        elif named_queries.looks_like_a_name(term):
            raise AnsibleLookupError("{0!r} is neither a named query nor a query text; named queries: {1}".format(
                term, ", ".join(sorted(named_queries.NAMED_QUERIES))))
        else:
            if params:
                raise AnsibleLookupError("params: only named queries take parameters; {0!r} is a query text".format(
                    term[:60]))
            text = term
        if log_format and format_string(fields_of_format(log_format)) != DEFAULT_LOG_FORMAT:
            text = engine.parse_prefix_for_log_format(log_format) + "\n| " + text
        return text, time_override

    def _lint(self, text, log_format):
        if not self.get_option("lint"):
            return
        try:
            diagnostics = engine.lint(text)
        except engine.QuerySyntaxError as exc:
            diagnostics = [exc]
        errors = [d for d in diagnostics if getattr(d, "severity", "error") == "error"]
        for diagnostic in diagnostics:
            if diagnostic not in errors:
                display.warning("insights lint: line {0}, column {1}: {2}".format(
                    diagnostic.line, diagnostic.column, diagnostic.message))
        if not errors:
            return
        described = "; ".join("line {0}, column {1}: {2}".format(d.line, d.column, d.message) for d in errors)
        if self.get_option("allow_lint_errors"):
            display.warning("insights lint errors (sent anyway, allow_lint_errors=true): " + described)
            return
        raise AnsibleLookupError("the query has lint errors, not sent (set allow_lint_errors=true or lint=false to "
                                 "send it anyway): {0}\nquery: {1}".format(described, text))

    # -- running it ----------------------------------------------------------------------------------------

    def _session(self):
        options = connection_options(self)
        # boto3 clients take ~0.1 s to build: reuse the session for identical options in this process
        # (a play's loop, or several lookups in one task). The key never leaves memory.
        key = tuple(sorted((name, repr(value)) for name, value in options.items()))
        if key not in _SESSIONS:
            _SESSIONS[key] = session_for_plugin(self, AnsibleLookupError)
        return _SESSIONS[key]

    def _run_service(self, text, groups, start, end, limit):
        try:
            shape = query_shape(text)
        except engine.QuerySyntaxError:
            shape = QueryShape(aggregated=False, has_limit_command=False)  # lint was off; the service decides
        client = InsightsClient(self._session(), poll_interval=self.get_option("poll_interval"),
                                max_poll_interval=self.get_option("max_poll_interval"),
                                timeout=self.get_option("timeout"))
        try:
            return client.run(text, groups, start, end, shape, limit=limit,
                              on_truncation=self.get_option("on_truncation"), natural_sort_key=natural_sort_key)
        except AwsApiError as exc:
            if exc.code == "MalformedQueryException":
                raise AnsibleLookupError("CloudWatch Logs rejected the query: {0}\n{1}\nquery: {2}".format(
                    exc.message, self._lint_hint(text), text))
            if exc.code == "ResourceNotFoundException":
                raise AnsibleLookupError("{0} (log groups: {1})".format(exc.message, ", ".join(groups)))
            raise AnsibleLookupError(exc.message)
        except InsightsQueryError as exc:
            raise AnsibleLookupError(to_native(exc))

    @staticmethod
    def _lint_hint(text):
        try:
            diagnostics = [d for d in engine.lint(text) if d.severity == "error"]
        except engine.QuerySyntaxError as exc:
            return "hint (netobs lint): {0}".format(exc)
        if diagnostics:
            return "hint (netobs lint): " + "; ".join(
                "line {0}, column {1}: {2}".format(d.line, d.column, d.message) for d in diagnostics)
        return "hint (netobs lint): no error found locally; the service may not support this construct"

    def _run_local(self, text, groups, start, end, limit):
        if self.get_option("files"):
            events = events_from_files(self.get_option("files"), self.get_option("log_format"))
        else:
            events = self._filter_log_events(groups, start, end)
        try:
            result = engine.run_query(text, events, start_time=start, end_time=end, limit=limit)
        except engine.QuerySyntaxError as exc:
            raise AnsibleLookupError("the query is malformed: {0}".format(exc))
        except (OSError, ValueError) as exc:
            raise AnsibleLookupError("reading flow-log files failed: {0}".format(exc))
        return result.rows, dict(result.statistics), []

    def _filter_log_events(self, groups, start, end):
        session = self._session()
        events = []
        for group in groups:
            name = log_group_identifier(group)[1]
            try:
                found = session.paginate("logs", "filter_log_events", "events", logGroupName=name,
                                         startTime=start * 1000, endTime=end * 1000 + 999)
            except AwsApiError as exc:
                raise AnsibleLookupError("{0} (log group {1})".format(exc.message, name))
            for event in found:
                events.append({"timestamp": event["timestamp"], "message": event["message"],
                               "logStream": event.get("logStreamName"), "logGroup": name,
                               "ingestionTime": event.get("ingestionTime")})
        return events

    # -- output ---------------------------------------------------------------------------------------------

    def _present(self, rows):
        if self.get_option("raw"):
            return rows
        return [dict((field, convert_value(field, value)) for field, value in row.items()) for row in rows]

    def _number(self, value):
        if self.get_option("raw"):
            return value
        return int(value) if isinstance(value, float) and value.is_integer() else value
