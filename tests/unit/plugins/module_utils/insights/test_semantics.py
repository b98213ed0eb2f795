# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Conformance table: one case per evaluation rule (docs/insights-engine.md cites these ids)."""

import pytest

from ansible_collections.netobs.flowlogs.plugins.module_utils.insights import (
    FLOW_LOG_V2_FIELDS, QuerySyntaxError, run_query,
)

T0 = 1700000000000  # 2023-11-14 22:13:20.000 UTC


def flow(offset_s, src, dst, src_port, dst_port, protocol, packets, size, action="ACCEPT", status="OK"):
    start = (T0 // 1000) + offset_s
    message = "2 123456789012 eni-0abc %s %s %s %s %s %s %s %d %d %s %s" % (
        src, dst, src_port, dst_port, protocol, packets, size, start, start + 60, action, status)
    return {"timestamp": T0 + offset_s * 1000, "message": message, "logStream": "eni-0abc-all",
            "logGroup": "/vpc/flow"}


EVENTS = [
    flow(0, "10.0.1.5", "172.31.0.9", 40000, 443, 6, 10, 1500),
    flow(30, "10.0.1.5", "172.31.0.9", 40001, 443, 6, 5, 500),
    flow(61, "10.172.16.5", "10.0.1.5", 53, 53000, 17, 1, 90, "REJECT"),
    flow(62, "172.16.0.7", "10.0.1.5", 22, 50000, 6, 3, 300, "REJECT"),
    flow(125, "10.0.2.9", "8.8.8.8", 50001, 53, 17, 2, 120),
    {"timestamp": T0 + 126000, "message": "2 123456789012 eni-0abc - - - - - - - %d %d - NODATA" % (
        T0 // 1000 + 126, T0 // 1000 + 186), "logStream": "eni-0abc-all", "logGroup": "/vpc/flow"},
    {"timestamp": T0 + 127000, "message": "user=alice action=login latency=12ms", "logStream": "app",
     "logGroup": "/app", "ingestionTime": T0 + 128000},
]


def rows(query, events=None, **kwargs):
    events = EVENTS if events is None else events
    return [{k: v for k, v in row.items() if k != "@ptr"} for row in run_query(query, events, **kwargs).rows]


CASES = [
    # (id, query, expected rows)
    ("like-string-is-case-sensitive-substring", "filter srcAddr like '172.16.' | fields srcAddr",
     [{"srcAddr": "172.16.0.7"}, {"srcAddr": "10.172.16.5"}]),
    ("like-string-case-sensitive", "filter action like 'reject' | fields action", []),
    ("like-regex-is-search", "filter srcAddr like /^172\\.16\\./ | fields srcAddr", [{"srcAddr": "172.16.0.7"}]),
    ("like-regex-inline-flag-hoisted", "filter action like /^(?i)reject$/ | stats count(*) as n", [{"n": "2"}]),
    ("match-operator", "filter action =~ /^REJ/ | stats count(*) as n", [{"n": "2"}]),
    ("not-like", "filter srcAddr not like '10.' | fields srcAddr", [{"srcAddr": "172.16.0.7"}]),
    ("in-list-numeric-and-string", "filter dstPort in [443, '22'] | stats count(*) as n", [{"n": "2"}]),
    ("in-complete-strings-only", "filter action in ['REJ'] | fields action", []),
    ("stats-over-no-rows-gives-no-rows", "filter action = 'nothing' | stats count(*) as n", []),
    ("not-in", "filter protocol not in [6] | stats count(*) as n", [{"n": "2"}]),
    ("numeric-comparison-when-both-numbers", "filter bytes > 300 | stats count(*) as n", [{"n": "2"}]),
    ("string-comparison-otherwise", "filter action > 'B' | stats count(*) as n", [{"n": "2"}]),
    ("number-equals-discovered-string", "filter protocol=17 | stats count(*) by srcAddr",
     [{"srcAddr": "10.172.16.5", "count(*)": "1"}, {"srcAddr": "10.0.2.9", "count(*)": "1"}]),
    ("missing-field-comparison-false-even-for-ne", "filter srcAddr != 'x' | stats count(*) as n", [{"n": "5"}]),
    ("not-of-missing-comparison-is-true", "filter not (srcAddr = 'x') | stats count(*) as n", [{"n": "7"}]),
    ("nodata-dash-is-absent", "filter logStatus = 'NODATA' | fields ispresent(srcAddr) as p, interfaceId",
     [{"p": "0", "interfaceId": "eni-0abc"}]),
    ("non-flow-events-get-no-flow-fields", "filter ispresent(version) | stats count(*) as n", [{"n": "6"}]),
    ("default-projection-newest-first", "filter action = 'REJECT'",
     [{"@timestamp": "2023-11-14 22:14:22.000", "@message": EVENTS[3]["message"]},
      {"@timestamp": "2023-11-14 22:14:21.000", "@message": EVENTS[2]["message"]}]),
    ("fields-union-in-order", "fields srcAddr | fields action, srcAddr | filter action = 'REJECT'",
     [{"srcAddr": "172.16.0.7", "action": "REJECT"}, {"srcAddr": "10.172.16.5", "action": "REJECT"}]),
    ("last-display-wins", "display srcAddr | display dstPort | filter action = 'REJECT'",
     [{"dstPort": "50000"}, {"dstPort": "53000"}]),
    ("boolean-projected-as-1-0", "filter action = 'REJECT' | display protocol = 6 as isTcp",
     [{"isTcp": "1"}, {"isTcp": "0"}]),
    ("stats-columns-keys-then-aggregates", "filter ispresent(action) | stats sum(bytes), count(*) by action",
     [{"action": "ACCEPT", "sum(bytes)": "2120", "count(*)": "3"},
      {"action": "REJECT", "sum(bytes)": "390", "count(*)": "2"}]),
    ("stats-rows-first-seen-order", "stats count(*) as n by logStatus",
     [{"logStatus": "OK", "n": "5"}, {"logStatus": "NODATA", "n": "1"}, {"n": "1"}]),
    ("stats-arithmetic-whole-number-no-decimal", "stats sum(bytes)/10 as a, sum(bytes)/1000 as b",
     [{"a": "251", "b": "2.51"}]),
    ("stats-later-item-uses-earlier-alias", "stats sum(bytes) as total, count(*) as n, total / n as mean "
     "by action | filter ispresent(action)",
     [{"action": "ACCEPT", "total": "2120", "n": "3", "mean": "706.6666666666666"},
      {"action": "REJECT", "total": "390", "n": "2", "mean": "195"}]),
    ("count-field-skips-missing", "stats count(*) as all, count(srcAddr) as flows, count() as all2",
     [{"all": "7", "flows": "5", "all2": "7"}]),
    ("count-distinct-exact", "stats count_distinct(srcAddr) as n", [{"n": "4"}]),
    ("min-max-numeric", "stats min(bytes) as lo, max(bytes) as hi, avg(packets) as p",
     [{"lo": "90", "hi": "1500", "p": "4.2"}]),
    ("pct-nearest-rank", "stats pct(bytes, 50) as p50, pct(bytes, 90) as p90, pct(bytes, 0) as p0",
     [{"p50": "300", "p90": "1500", "p0": "90"}]),
    ("stddev-sample", "filter srcAddr = '10.0.1.5' | stats stddev(bytes) as s", [{"s": "707.1067811865476"}]),
    ("earliest-latest-by-timestamp", "stats earliest(srcAddr) as e, latest(srcAddr) as l",
     [{"e": "10.0.1.5", "l": "10.0.2.9"}]),
    ("sortsfirst-sortslast-natural", "stats sortsFirst(dstPort) as f, sortsLast(dstPort) as l",
     [{"f": "53", "l": "53000"}]),
    ("bin-1m-label-and-name", "filter ispresent(bytes) | stats sum(bytes) by bin(1m) | sort bin(1m) asc",
     [{"bin(1m)": "2023-11-14 22:13:00.000", "sum(bytes)": "2000"},
      {"bin(1m)": "2023-11-14 22:14:00.000", "sum(bytes)": "390"},
      {"bin(1m)": "2023-11-14 22:15:00.000", "sum(bytes)": "120"}]),
    ("bin-cap-300s-is-60s", "stats count(*) as n by bin(300s) as t | sort t asc | limit 1",
     [{"t": "2023-11-14 22:13:00.000", "n": "2"}]),
    ("bin-week-starts-monday", "stats count(*) as n by bin(1w) as t", [{"t": "2023-11-13 00:00:00.000", "n": "7"}]),
    ("bin-month-calendar", "stats count(*) as n by bin(1mo) as t", [{"t": "2023-11-01 00:00:00.000", "n": "7"}]),
    ("datefloor-dateceil", "filter logStatus = 'NODATA' | fields datefloor(@timestamp, 1h) as f, "
     "dateceil(@timestamp, 1h) as c",
     [{"f": "2023-11-14 22:00:00.000", "c": "2023-11-14 23:00:00.000"}]),
    ("frommillis-tomillis", "filter logStatus = 'NODATA' | fields toMillis(@timestamp) as ms, fromMillis(0) as z",
     [{"ms": str(T0 + 126000), "z": "1970-01-01 00:00:00.000"}]),
    ("sort-natural-asc-numbers-after-strings", "fields dstPort | filter ispresent(dstPort) | sort dstPort asc",
     [{"dstPort": "53"}, {"dstPort": "443"}, {"dstPort": "443"}, {"dstPort": "50000"}, {"dstPort": "53000"}]),
    ("sort-bare-is-descending", "stats count(*) as n by protocol | filter ispresent(protocol) | sort protocol",
     [{"protocol": "17", "n": "2"}, {"protocol": "6", "n": "3"}]),
    ("sort-multi-key-stable", "filter ispresent(bytes) | fields protocol, bytes | sort protocol asc, bytes desc",
     [{"protocol": "6", "bytes": "1500"}, {"protocol": "6", "bytes": "500"}, {"protocol": "6", "bytes": "300"},
      {"protocol": "17", "bytes": "120"}, {"protocol": "17", "bytes": "90"}]),
    ("sort-by-keyword", "stats sum(bytes) as b by action | sort by b desc | limit 1",
     [{"action": "ACCEPT", "b": "2120"}]),
    ("sort-missing-lowest", "fields srcAddr | sort srcAddr asc | limit 2", [{}, {}]),
    ("dedup-keeps-first-in-order-and-null-rows", "fields srcAddr | sort @timestamp asc | dedup srcAddr",
     [{"srcAddr": "10.0.1.5"}, {"srcAddr": "10.172.16.5"}, {"srcAddr": "172.16.0.7"}, {"srcAddr": "10.0.2.9"},
      {}, {}]),
    ("limit-then-head-tail-aliases", "fields srcAddr | head 1", [{}]),
    ("tail-is-limit", "filter ispresent(srcAddr) | fields srcAddr | tail 1", [{"srcAddr": "10.0.2.9"}]),
    ("parse-glob-split", "filter @logStream = 'app' | parse 'user=* action=* latency=*ms' as u, a, l "
     "| display u, a, l", [{"u": "alice", "a": "login", "l": "12"}]),
    ("parse-glob-lazy-search", "parse @message 'action=* ' as a | filter ispresent(a) | display a",
     [{"a": "login"}]),
    ("parse-regex-named-groups", "parse @message /user=(?<who>\\w+)/ | filter ispresent(who) | display who",
     [{"who": "alice"}]),
    ("parse-no-match-keeps-event", "parse @message 'user=* ' as u | stats count(*) as n, count(u) as parsed",
     [{"n": "7", "parsed": "1"}]),
    ("parse-default-projection-shows-parsed", "filter @logStream = 'app' | parse 'latency=*ms' as l",
     [{"@timestamp": "2023-11-14 22:15:27.000", "@message": EVENTS[6]["message"], "l": "12"}]),
    ("system-fields", "filter @logStream = 'app' | display @log, @logStream, @ingestionTime",
     [{"@log": "/app", "@logStream": "app", "@ingestionTime": "2023-11-14 22:15:28.000"}]),
    ("function-names-case-insensitive", "filter ISPRESENT(srcAddr) and isipv4insubnet(srcAddr, '10.0.0.0/16') "
     "| stats COUNT(*) as n", [{"n": "3"}]),
    ("ip-functions", "filter logStatus = 'OK' | sort @timestamp asc | limit 1 | display isValidIp(srcAddr) as a, "
     "isValidIpV6(srcAddr) as b, isIpInSubnet(dstAddr, '172.31.0.0/16') as c, isIpv6InSubnet(srcAddr, '::/0') as d",
     [{"a": "1", "b": "0", "c": "1", "d": "0"}]),
    ("string-functions", "filter logStatus = 'NODATA' | display concat(logStatus, '-', 1) as c, strlen(logStatus) "
     "as l, tolower(logStatus) as lo, toupper('x') as up, substr('xyZfooxyZ', 3, 3) as s, "
     "trim('xyZxyfooxyxyZ', 'xyZ') as t, ltrim('  a ') as lt, rtrim(' a  ') as rt, replace('a.b.c', '.', '/') as r, "
     "strcontains('Hello', 'hell', 1) as sc, isempty(srcAddr) as e, isblank(' ') as b",
     [{"c": "NODATA-1", "l": "6", "lo": "nodata", "up": "X", "s": "foo", "t": "foo", "lt": "a ", "rt": " a",
       "r": "a/b/c", "sc": "1", "e": "1", "b": "1"}]),
    ("numeric-functions", "filter logStatus = 'NODATA' | display abs(-2) as a, ceil(1.2) as c, floor(1.8) as f, "
     "greatest(1, 5, 3) as g, least(4, 2) as le, round(2.5) as r, round(1.2345, 2) as r2, sqrt(16) as s, "
     "log(1) as lg, 2 ^ 10 as p, 10 % 3 as m, 7 / 2 as d, 1 / 0 as z",
     [{"a": "2", "c": "2", "f": "1", "g": "5", "le": "2", "r": "3", "r2": "1.23", "s": "4", "lg": "0", "p": "1024",
       "m": "1", "d": "3.5"}]),
    ("coalesce", "filter logStatus = 'NODATA' | display coalesce(srcAddr, interfaceId) as c",
     [{"c": "eni-0abc"}]),
    ("filter-after-stats-on-stats-output", "stats count(*) as n by action | filter n > 2", [
        {"action": "ACCEPT", "n": "3"}]),
    ("filter-after-stats-on-dropped-field-matches-nothing",
     "stats count(*) as n by action | filter srcAddr like '10.'", []),
    ("second-stats-sees-first-output", "stats sum(bytes) as b by srcAddr | filter ispresent(srcAddr) "
     "| stats count(*) as hosts, max(b) as top", [{"hosts": "4", "top": "2000"}]),
    ("second-stats-datefloor-of-carried-timestamp", "stats max(@timestamp) as t by action "
     "| stats count(*) as n by datefloor(t, 1h) as h", [{"h": "2023-11-14 22:00:00.000", "n": "3"}]),
    ("sum-ignores-non-numbers-max-ranks-strings", "stats sum(action) as s, max(action) as m, max(bytes) as b",
     [{"m": "REJECT", "b": "1500"}]),
    ("fields-after-stats-add-columns", "stats count(*) as n by action | filter ispresent(action) "
     "| fields n * 2 as double", [{"action": "ACCEPT", "n": "3", "double": "6"},
                                  {"action": "REJECT", "n": "2", "double": "4"}]),
    ("bare-value-truthiness", "filter dstPort % 2 | stats count(*) as n", [{"n": "3"}]),
    ("redefinition-later-wins", "fields 1 as x | fields 2 as x | filter logStatus = 'NODATA' | display x",
     [{"x": "2"}]),
    ("group-with-missing-key-has-field-absent", "stats count(*) as n by action | filter not ispresent(action)",
     [{"n": "2"}]),
]


@pytest.mark.parametrize("query, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_conformance(query, expected):
    assert rows(query) == expected


def test_time_range_is_inclusive_of_whole_end_second():
    start = T0 // 1000
    result = run_query("stats count(*) as n", EVENTS, start_time=start + 30, end_time=start + 61)
    # Events at +30 s, +61 s included; +62 s excluded.
    assert result.rows == [{"n": "2"}]
    assert result.statistics["recordsScanned"] == 2


def test_statistics():
    result = run_query("filter action = 'REJECT' | stats count(*) as n | filter n > 5", EVENTS)
    expected_bytes = sum(len(e["message"].encode("utf-8")) for e in EVENTS)
    assert result.statistics == {"recordsScanned": 7.0, "recordsMatched": 2.0, "bytesScanned": float(expected_bytes)}
    assert result.rows == []


def test_default_limit_is_10000_and_query_limit_wins_over_parameter():
    events = [dict(EVENTS[0], timestamp=T0 + i) for i in range(10005)]
    assert len(run_query("fields bytes", events).rows) == 10000
    assert len(run_query("fields bytes", events, limit=3).rows) == 3
    assert len(run_query("fields bytes | limit 5", events, limit=3).rows) == 5


def test_ptr_is_unique_on_plain_rows_and_absent_on_stats_rows():
    plain = run_query("fields srcAddr", EVENTS).rows
    assert len({row["@ptr"] for row in plain}) == len(EVENTS)
    assert all("@ptr" not in row for row in run_query("stats count(*) by srcAddr", EVENTS).rows)


def test_discovery_can_be_switched_off():
    assert rows("stats count(srcAddr) as n", discover_flow_logs=False) == [{"n": "0"}]


def test_flow_log_v2_fields_order():
    assert FLOW_LOG_V2_FIELDS == ("version", "accountId", "interfaceId", "srcAddr", "dstAddr", "srcPort",
                                  "dstPort", "protocol", "packets", "bytes", "startTime", "endTime", "action",
                                  "logStatus")


def test_events_are_consumed_as_a_stream():
    consumed = []

    def stream():
        for event in EVENTS:
            consumed.append(event)
            yield event
    assert rows("stats count(*) as n", stream()) == [{"n": "7"}]
    assert len(consumed) == len(EVENTS)


def test_as_results_wire_shape():
    result = run_query("stats count(*) as n", EVENTS)
    assert result.as_results() == [[{"field": "n", "value": "7"}]]
    assert result.status == "Complete"


REJECTED = [
    ("stats count(*) | stats count(*) | stats count(*)", "at most 2 stats"),
    ("stats count(*) as n by a | sort n | stats count(*)", "after the second stats"),
    ("fields a | dedup a | sort a", "only limit may follow dedup"),
    ("filter nosuch(a)", "unknown function"),
    ("filter strlen(a, b)", "takes 1 argument"),
    ("filter sum(bytes) > 1", "can only be used in stats"),
    ("stats bytes by srcAddr", "has no aggregate function"),
    ("stats sum(bytes) + packets", "must be inside an aggregate"),
    ("stats sum(sum(bytes))", "cannot be nested"),
    ("stats count(*) by bin('5m')", "time period"),
    ("filter a like /(/", "invalid regular expression"),
    ("filter a = 5m", "time period can be used only"),
]


@pytest.mark.parametrize("query, fragment", REJECTED)
def test_service_rejections_raise_query_syntax_error(query, fragment):
    with pytest.raises(QuerySyntaxError, match=fragment):
        run_query(query, EVENTS)
