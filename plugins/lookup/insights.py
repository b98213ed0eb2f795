# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)


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
    description:
      - Query texts or named-query names, one result set each; or dicts C({query, params}) (a named query
        with its own parameters), so one call runs several named queries concurrently.
    required: true
    type: list
    elements: raw
  max_concurrent_queries:
    description:
      - How many of this call's queries run at once (StartQuery up to this many, then one GetQueryResults
        polling loop for all). Logs Insights allows 100 concurrent queries per account and region, shared
        by every user of the account; C(LimitExceededException) keeps a query queued until one finishes.
    type: int
    default: 10
  on_error:
    description:
      - V(fail) fails the lookup when a query cannot be answered. V(return) returns one dict
        C({error, failed_step}) instead of the results, so a report can list the failure and go on (the
        message is what AWS said; connection secrets are never in it).
    type: str
    default: fail
    choices: [fail, return]
  discover:
    description:
      - Read what the target has before querying - the flow logs delivering to O(log_groups) (DescribeFlowLogs)
        and their formats, and the CIDR blocks of the region's VPCs (DescribeVpcs).
      - Each log format is then queried with its own parse command; a log group holding several formats
        gets one query per format, each counting only records of its format, and the results are added up
        where the query allows it, else returned per format (a C(logFormat) column) with a note.
      - Named queries' C(vpc_cidr) defaults to the VPC CIDRs, and C(onprem_cidrs) loses them.
      - With O(with_statistics=true), each result has C(formats), C(vpc_cidrs) and C(notes).
    type: bool
    default: false
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
      - The flow log's format for custom-format flow logs, which Insights does not discover, in the forms the
        enable role takes - a version number (V(5)), a list of field names, or the C(LogFormat) string
        (C(${version} ${vpc-id} ...)); a C(parse @message "* * ..." as version, vpcId, ...) prefix is added
        to the query. Field names follow Insights discovery (camelCase, C(start)/C(end) as C(startTime)/C(endTime)).
    type: raw
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

import datetime

from ansible.errors import AnsibleLookupError
from ansible.module_utils.common.text.converters import to_native
from ansible.plugins.lookup import LookupBase
from ansible.utils.display import Display

from ansible_collections.netobs.flowlogs.plugins.module_utils import query_formats
from ansible_collections.netobs.flowlogs.plugins.module_utils.flowlog_fields import DEFAULT_LOG_FORMAT
from ansible_collections.netobs.flowlogs.plugins.module_utils.times import time_range
from ansible_collections.netobs.flowlogs.plugins.plugin_utils.connection import connection_options, session_for_plugin

try:
    from ansible_collections.netobs.flowlogs.plugins.module_utils import insights as engine
    from ansible_collections.netobs.flowlogs.plugins.module_utils.insights_client import (
        SERVICE_ROW_LIMIT, InsightsClient, InsightsQueryError, SessionCache, convert_value, describe_estate,
        job_for, log_group_identifier, run_service_queries,
    )
    from ansible_collections.netobs.flowlogs.plugins.module_utils.aws import AwsApiError
    from ansible_collections.netobs.flowlogs.plugins.module_utils.log_events import (
        filter_log_events, run_local_query, run_local_query_over_files,
    )
except ImportError as import_error:  # the engine is part of this collection; this guards a broken install
    engine = None
    ENGINE_IMPORT_ERROR = import_error
else:
    ENGINE_IMPORT_ERROR = None
    # One per process: a play's loop, or several lookups in one task, reuse a session.
    SESSIONS = SessionCache()

display = Display()

BYTES_PER_GB = float(2 ** 30)


def _time_option(value):
    # A time option as the time parser takes it (Ansible may hand over other text types).
    if value is None or isinstance(value, (bool, int, float, str, datetime.datetime)):
        return value
    return to_native(value)


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        self._step = "options"
        try:
            return self._run_terms(terms)
        except AnsibleLookupError as exc:
            if self.get_option("on_error") != "return":
                raise
            return [dict(error=to_native(exc.message if hasattr(exc, "message") else exc), failed_step=self._step)]

    def _run_terms(self, terms):
        if engine is None:
            raise AnsibleLookupError("the netobs.flowlogs Insights engine failed to import: {0}".format(
                ENGINE_IMPORT_ERROR))
        try:
            start, end = time_range(self.get_option("since"), _time_option(self.get_option("start")),
                                    _time_option(self.get_option("end")))
        except ValueError as exc:
            raise AnsibleLookupError(to_native(exc))
        limit = self.get_option("limit")
        if limit is not None and not 1 <= limit <= SERVICE_ROW_LIMIT:
            raise AnsibleLookupError("limit: must be between 1 and {0}, got {1}".format(SERVICE_ROW_LIMIT, limit))
        for name in ("poll_interval", "timeout", "max_poll_interval"):
            if self.get_option(name) <= 0:
                raise AnsibleLookupError("{0}: must be greater than 0".format(name))
        log_format = self.get_option("log_format")
        if log_format not in (None, ""):
            try:
                log_format = query_formats.canonical_log_format(log_format)
                engine.parse_prefix_for_log_format(log_format)
            except ValueError as exc:
                raise AnsibleLookupError("log_format: {0}".format(exc))
        else:
            log_format = None
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
        if self.get_option("max_concurrent_queries") < 1:
            raise AnsibleLookupError("max_concurrent_queries: must be at least 1")

        estate = None
        self._step = "DescribeFlowLogs and DescribeVpcs"
        if self.get_option("discover") and not using_files:
            try:
                estate = describe_estate(self._session(), groups)
            except AwsApiError as exc:
                raise AnsibleLookupError("discover: {0}".format(to_native(exc.message)))
        formats = self._formats(groups, log_format, estate)

        self._step = "query texts"
        plans = [self._plan(term, formats, log_format, estate, start, end) for term in terms]
        self._step = "Logs Insights queries"
        jobs = [variant for plan in plans for variant in plan["variants"]]
        answers = self._run(jobs, limit, using_files)
        results = []
        for plan in plans:
            labelled, statistics, ids = [], {}, []
            for variant in plan["variants"]:
                rows, variant_statistics, variant_ids = answers[id(variant)]
                labelled.append((variant["label"], rows))
                ids.extend(variant_ids)
                for key, value in variant_statistics.items():
                    value = self._as_number(value)
                    statistics[key] = statistics.get(key, 0) + value if isinstance(value, (int, float)) else value
            rows, note = query_formats.combine_format_results(plan["text"], labelled)
            notes = plan["notes"] + ([note] if note else [])
            rows = self._present(rows)
            if self.get_option("with_statistics"):
                statistics = dict((k, self._number(v)) for k, v in statistics.items())
                for key in ("recordsScanned", "recordsMatched", "bytesScanned"):
                    statistics.setdefault(key, 0)
                cost = statistics.get("bytesScanned", 0) / BYTES_PER_GB * self.get_option("price_per_gb")
                text = "\n\n".join(variant["text"] for variant in plan["variants"]) or plan["text"]
                result = dict(rows=rows, statistics=statistics, query=text, query_ids=ids, start=plan["start"],
                              end=plan["end"], cost_usd=cost)
                if estate is not None:
                    result.update(formats=[query_formats.format_label(f) for f in formats], notes=notes,
                                  vpc_cidrs=list(estate["vpc_cidrs"]))
                results.append(result)
            else:
                for note in notes:
                    display.warning("insights: {0}".format(note))
                results.extend(rows)
        return results

    # -- formats and plans ----------------------------------------------------------------------------------

    @staticmethod
    def _formats(groups, log_format, estate):
        """{format or None: [groups]}, in a stable order: the option's format for every group, else the
        discovered ones (a group no flow log delivers to is read as the default format), else None."""
        if log_format is not None or estate is None:
            return {log_format: list(groups)}
        by_format = {}
        for group in groups:
            found = estate["formats"].get(log_group_identifier(group)[1]) or [None]
            for fmt in found:
                fmt = None if fmt in (None, DEFAULT_LOG_FORMAT) else fmt
                by_format.setdefault(fmt, []).append(group)
        return dict(sorted(by_format.items(), key=lambda item: (item[0] is not None, item[0] or "")))

    def _plan(self, term, formats, log_format, estate, start, end):
        """The variants (one query per log format) of one term, and the notes about formats left out."""
        if isinstance(term, dict):
            name = to_native(term.get("query") or "")
            params = term.get("params") or {}
        else:
            name = to_native(term)
            params = self.get_option("params")
        if estate is not None:
            try:
                params = query_formats.params_for_estate(name.strip(), params, estate["vpc_cidrs"])
            except ValueError as exc:
                raise AnsibleLookupError("{0}: {1}".format(name, to_native(exc)))
        mixed = len(formats) > 1
        counts = {}
        for fmt in formats:
            counts.setdefault(query_formats.field_count(fmt), []).append(fmt)
        notes, variants = [], []
        plain_text, term_range = self._query_text(name, params, None if estate is not None else log_format)
        for fmt, fmt_groups in formats.items():
            label = query_formats.format_label(fmt)
            twins = counts[query_formats.field_count(fmt)]
            if mixed and len(twins) > 1:
                notes.append("records in {0} are not counted: formats {1} have the same number of fields and "
                             "cannot be told apart in one log group".format(
                                 label, ", ".join(query_formats.format_label(t) for t in twins)))
                continue
            if estate is not None:
                missing = query_formats.missing_fields(name.strip(), fmt)
                if missing:
                    notes.append("records in {0} are not counted: the query reads {1}, which that format does "
                                 "not have".format(label, ", ".join(missing)))
                    continue
            text, term_range = self._query_text(name, params, fmt, only_format=mixed)
            self._lint(text, fmt)
            low, high = term_range or (start, end)
            variants.append(dict(text=text, groups=fmt_groups, start=low, end=high, label=label, log_format=fmt))
        low, high = term_range or (start, end)
        return dict(text=plain_text, variants=variants, notes=notes, start=low, end=high)

    def _run(self, variants, limit, using_files):
        """{id(variant): (rows, statistics, query ids)} for every variant."""
        answers = {}
        if self.get_option("engine") == "local":
            for variant in variants:
                answers[id(variant)] = self._run_local(variant["text"], variant["groups"], variant["start"],
                                                       variant["end"], limit, variant["log_format"])
            return answers
        if not variants:
            return answers
        client = InsightsClient(self._session(), poll_interval=self.get_option("poll_interval"),
                                max_poll_interval=self.get_option("max_poll_interval"),
                                timeout=self.get_option("timeout"))
        jobs = [job_for(v["text"], v["groups"], v["start"], v["end"], limit=limit,
                        on_truncation=self.get_option("on_truncation")) for v in variants]
        try:
            done = run_service_queries(client, jobs, self.get_option("max_concurrent_queries"))
        except InsightsQueryError as exc:
            raise AnsibleLookupError(to_native(exc))
        for variant, answer in zip(variants, done):
            answers[id(variant)] = answer
        return answers

    # -- the query text --------------------------------------------------------------------------------------

    def _query_text(self, term, params, log_format, only_format=False):
        try:
            return query_formats.query_text(term, params, log_format, only_format=only_format)
        except ValueError as exc:
            raise AnsibleLookupError(to_native(exc))

    def _lint(self, text, log_format):
        if not self.get_option("lint"):
            return
        try:
            # a flow log's format (the option's or the discovered one) makes every field it lacks an error
            diagnostics = engine.lint(text, log_format=log_format) if log_format is not None else engine.lint(text)
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
        # built once per process for identical options (session_for_plugin checks botocore and the options)
        return SESSIONS.get(connection_options(self), lambda _options: session_for_plugin(self, AnsibleLookupError))

    def _run_local(self, text, groups, start, end, limit, log_format):
        try:
            if self.get_option("files"):
                rows, statistics = run_local_query_over_files(text, self.get_option("files"), start, end, limit,
                                                              log_format)
            else:
                events = filter_log_events(self._session(), groups, start, end)
                rows, statistics = run_local_query(text, events, start, end, limit)
        except InsightsQueryError as exc:
            raise AnsibleLookupError(to_native(exc))
        return rows, statistics, []

    # -- output ---------------------------------------------------------------------------------------------

    def _present(self, rows):
        if self.get_option("raw"):
            return rows
        return [dict((field, convert_value(field, value)) for field, value in row.items()) for row in rows]

    @staticmethod
    def _as_number(value):
        return convert_value("statistic", value) if isinstance(value, str) else value

    def _number(self, value):
        if self.get_option("raw"):
            return value
        return int(value) if isinstance(value, float) and value.is_integer() else value
