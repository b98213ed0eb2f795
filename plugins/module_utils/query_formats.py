# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Named queries over an estate's own flow-log formats: the query text for each format, the
parameters its VPCs imply, and the rows of one query run per format combined into one answer.

The library itself (what each query is, its parameters and template) is ``queries.py``.
"""

import ipaddress

from ansible_collections.netobs.flowlogs.plugins.module_utils.flowlog_fields import (
    DEFAULT_LOG_FORMAT,
    VPC_VERSIONS,
    fields_of_format,
    fields_up_to_version,
    format_string,
    normalise_log_format,
)
from ansible_collections.netobs.flowlogs.plugins.module_utils.insights.flowlogs import (
    insights_field_name,
    parse_prefix_for_log_format,
)
from ansible_collections.netobs.flowlogs.plugins.module_utils.rules import ValidationError
from ansible_collections.netobs.flowlogs.plugins.module_utils.queries import (
    NAMED_QUERIES,
    get,
    is_named,
    looks_like_a_name,
    render,
)


def canonical_log_format(log_format, param="log_format"):
    """The ``${...}`` string of a log format given as the enable role takes it (a version number, a
    list of fields or the ``${...}`` string; None stays None). Raises ValueError naming ``param``."""
    if log_format is None or log_format == "":
        return None
    try:
        return normalise_log_format(log_format, param=param)
    except ValidationError as exc:
        raise ValueError(str(exc))


def format_label(log_format):
    """A short name for a log format in reports: ``default``, ``version 5`` or ``custom (N fields)``."""
    if log_format is None or log_format == DEFAULT_LOG_FORMAT:
        return "default"
    fields = fields_of_format(log_format)
    for version in VPC_VERSIONS:
        if format_string(fields_up_to_version(version)) == log_format:
            return "version {0}".format(version)
    return "custom ({0} fields)".format(len(fields))


def field_count(log_format):
    """How many fields a record of ``log_format`` (None: the default format) has."""
    return len(fields_of_format(log_format or DEFAULT_LOG_FORMAT))


def only_format_filter(log_format):
    """A filter that keeps only records with as many fields as ``log_format`` has: how one format's
    records are told apart in a log group that holds several (a parse glob would otherwise read a
    longer record's tail into its last field). RE2 syntax, which Logs Insights uses for regexes."""
    count = field_count(log_format)
    return "filter @message like /^[^ ]+( [^ ]+){{{0}}}$/".format(count - 1)


def missing_fields(term, log_format):
    """The fields the named query ``term`` reads that records of ``log_format`` do not have."""
    if not is_named(term):
        return []
    available = set(insights_field_name(f) for f in fields_of_format(log_format or DEFAULT_LOG_FORMAT))
    return [f for f in get(term).fields if f not in available]


def query_text(term, params=None, log_format=None, only_format=False):
    """(text, time range or None) of what the insights lookup sends for ``term``: a named query
    rendered with ``params``, or a query text as is; a non-default ``log_format`` (a version, a field
    list or a ``${...}`` string) puts the parse command that names its fields in front; with
    ``only_format``, a filter for that format's records goes first (a log group of several formats).
    Raises ValueError (ValidationError naming the param)."""
    params = params or {}
    term = term.strip()
    log_format = canonical_log_format(log_format)
    time_override = None
    if is_named(term):
        try:
            rendered = render(term, params)
        except ValidationError as exc:
            raise ValueError("named query {0}: {1}".format(term, exc))
        missing = missing_fields(term, log_format) if log_format else []
        if missing:
            raise ValueError("named query {0} reads {1}, which log_format does not have".format(
                term, ", ".join(missing)))
        text, time_override = rendered.text, rendered.time_range
    elif looks_like_a_name(term):
        raise ValueError("{0!r} is neither a named query nor a query text; named queries: {1}".format(
            term, ", ".join(sorted(NAMED_QUERIES))))
    else:
        if params:
            raise ValidationError("params", "only named queries take parameters; {0!r} is a query text".format(
                term[:60]))
        text = term
    if log_format and log_format != DEFAULT_LOG_FORMAT:
        text = parse_prefix_for_log_format(log_format) + "\n| " + text
    if only_format:
        text = only_format_filter(log_format) + "\n| " + text
    return text, time_override


def ranges_minus(ranges, excluded):
    """The CIDRs of ``ranges`` with every ``excluded`` CIDR taken out (172.16.0.0/12 minus the
    default VPC's 172.31.0.0/16 is 172.16.0.0/13, 172.24.0.0/14, 172.28.0.0/15, 172.30.0.0/16)."""
    remaining = [ipaddress.ip_network(str(r).strip(), strict=False) for r in ranges]
    for cut in [ipaddress.ip_network(str(e).strip(), strict=False) for e in excluded]:
        kept = []
        for network in remaining:
            if network.version != cut.version or not network.overlaps(cut):
                kept.append(network)
            elif network.subnet_of(cut):
                continue
            else:
                kept.extend(network.address_exclude(cut))
        remaining = kept
    collapsed = []
    for version in (4, 6):  # collapse_addresses takes one IP version at a time
        collapsed.extend(ipaddress.collapse_addresses([n for n in remaining if n.version == version]))
    return [str(network) for network in collapsed]


def params_for_estate(term, params, vpc_cidrs):
    """A named query's params completed from what the target has: ``vpc_cidr`` (when not given)
    is every VPC CIDR of the target, and ``onprem_cidrs`` loses the VPC CIDRs (a VPC is never
    on-premises). Query texts and queries without these parameters are left alone."""
    if not is_named(term) or not vpc_cidrs:
        return params
    query = get(term)
    completed = dict(params or {})
    if query.param("vpc_cidr") is not None and not completed.get("vpc_cidr"):
        completed["vpc_cidr"] = list(vpc_cidrs)
    if query.param("onprem_cidrs") is not None and completed.get("onprem_cidrs"):
        onprem = completed["onprem_cidrs"]
        onprem = [onprem] if isinstance(onprem, str) else onprem
        completed["onprem_cidrs"] = ranges_minus(onprem, vpc_cidrs)
    return completed


_ADDITIVE_FUNCTIONS = frozenset(("sum", "count"))


def additive_columns(text):
    """(group columns, summed columns, sort keys) when ``text``'s results over disjoint record sets add up
    row by row: one ``stats`` whose aggregates are sums and counts (scaled or not), no ``limit``, no
    ``dedup``. None otherwise (a top-N, a distinct count or an average cannot be added)."""
    from ansible_collections.netobs.flowlogs.plugins.module_utils.insights import nodes, parse

    try:
        commands = parse(text).commands
    except Exception:  # a query our parser does not take: the service decides, we do not add
        return None
    stats = [c for c in commands if isinstance(c, nodes.Stats)]
    if len(stats) != 1 or any(isinstance(c, (nodes.Limit, nodes.Dedup)) for c in commands):
        return None
    if commands.index(stats[0]) < len(commands) - 1 and any(
            not isinstance(c, nodes.Sort) for c in commands[commands.index(stats[0]) + 1:]):
        return None
    for aggregate in stats[0].aggregates:
        calls = [n.name.lower() for n in nodes.walk(aggregate.expr) if isinstance(n, nodes.Call)]
        if not calls or any(name not in _ADDITIVE_FUNCTIONS for name in calls):
            return None
    sorts = [c for c in commands if isinstance(c, nodes.Sort)]
    keys = []
    if sorts:
        for key in sorts[-1].keys:
            if not isinstance(key.expr, nodes.FieldRef):
                return None
            keys.append((key.expr.name, bool(key.descending)))
    return ([g.name for g in stats[0].groups], [a.name for a in stats[0].aggregates], keys)


def combine_format_results(text, labelled_rows, sort_key=None):
    """Rows of one query run once per log format, as one answer: ``labelled_rows`` is
    [(format label, rows)]. Returns (rows, note): added up when the query is additive
    (``additive_columns``), else every row keeps its format in a ``logFormat`` column and the note
    says why they were not added. One format: its rows as they are, no note."""
    if len(labelled_rows) <= 1:
        return (labelled_rows[0][1] if labelled_rows else []), None
    columns = additive_columns(text)
    if columns is None:
        rows = []
        for label, found in labelled_rows:
            rows.extend(dict([("logFormat", label)] + list(row.items())) for row in found)
        return rows, ("the log groups hold {0} log formats ({1}) and this query's results (a top N, a distinct "
                      "count or an average) cannot be added across them: rows are per format".format(
                          len(labelled_rows), ", ".join(label for label, _rows in labelled_rows)))
    groups, summed, keys = columns
    merged, order = {}, []
    for _label, found in labelled_rows:
        for row in found:
            key = tuple(str(row.get(column)) for column in groups)
            if key not in merged:
                merged[key] = dict(row)
                order.append(key)
                continue
            for column in summed:
                merged[key][column] = _add(merged[key].get(column), row.get(column))
    rows = [merged[key] for key in order]
    for field, descending in reversed(keys):
        rows.sort(key=lambda row, field=field: (sort_key or _plain_key)(row.get(field)), reverse=descending)
    return rows, None


def _add(left, right):
    numbers = []
    for value in (left, right):
        if value is None or value == "":
            value = 0
        numbers.append(float(value) if not isinstance(value, (int, float)) else value)
    total = numbers[0] + numbers[1]
    if isinstance(left, str) or isinstance(right, str):
        return str(int(total)) if float(total).is_integer() else repr(float(total))
    return total


def _plain_key(value):
    try:
        return (0, float(value), "")
    except (TypeError, ValueError):
        return (1, 0.0, str(value))
