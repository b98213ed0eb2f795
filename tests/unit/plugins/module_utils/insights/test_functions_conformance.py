# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Conformance of the documented functions: each expected answer comes from the docs' words.

Pages (CloudWatch Logs User Guide):
- OPS = "Boolean, comparison, numeric, datetime, and other functions"
  https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax-operations-functions.html
  (sections: Numeric operators, Datetime functions, General functions, JSON functions,
  IP address string functions, String functions, Structure types)
- HASH = "Hashing functions" https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax-hash-functions.html
- TS = "Time-series functions"
  https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/CWL_QuerySyntax-timeseries-functions.html
"""

import hashlib

import pytest

from ansible_collections.netobs.flowlogs.plugins.module_utils.insights import QuerySyntaxError, lint, run_query

T0 = 1642195111000  # OPS, Datetime functions: toMillis(@timestamp) of 2022-01-14T13:18:31.000-08:00
EVENT = {"timestamp": T0, "message": "hello world", "logStream": "s", "logGroup": "/app"}


def value(expression, events=None, **kwargs):
    result = run_query("fields %s as v" % expression, [EVENT] if events is None else events, **kwargs)
    return result.rows[0].get("v")


CASES = [
    # (page/section, expression, expected string or None for absent)
    ("OPS String: strcontains with caseInsensitive true", 'strcontains("Hello", "ELL", true)', "1"),
    ("OPS String: strcontains is case sensitive by default", 'strcontains("Hello", "ELL")', "0"),
    ("OPS String: strcontains with false", 'strcontains("Hello", "ELL", false)', "0"),
    ("OPS String: trim with a set of characters", 'trim("xyZxyfooxyxyZ", "xyZ")', "foo"),
    ("OPS String: substr is 0-based", 'substr("xyZfooxyZ", 3, 3)', "foo"),
    ("OPS String: regexReplace with a regex", 'regexReplace("a1b22c", /[0-9]+/, "#")', "a#b#c"),
    ("OPS String: regexReplace with a string", 'regexReplace("a.b.c", ".", "-")', "a-b-c"),
    ("OPS String: startsWith", 'startsWith("vpc-123", "vpc-")', "1"),
    ("OPS String: endsWith", 'endsWith("vpc-123", "12")', "0"),
    ("OPS String: urlencode", 'urlencode("a b&c")', "a%20b%26c"),
    ("OPS String: urldecode", 'urldecode("a%20b%26c")', "a b&c"),
    ("OPS String: base64encode", 'base64encode("hello")', "aGVsbG8="),
    ("OPS String: base64decode", 'base64decode("aGVsbG8=")', "hello"),
    ("OPS String: base64decode of non-base64 is null", 'base64decode("%%%")', None),
    ("OPS String: split gives a list", 'jsonStringify(split("a,b,c", ","))', '["a","b","c"]'),
    ("OPS String: hexToAscii", 'hexToAscii("68656c6c6f")', "hello"),
    ("OPS String: hexToDec", 'hexToDec("ff")', "255"),
    ("OPS String: decToHex", "decToHex(255)", "ff"),
    ("OPS Numeric: toInt", 'toInt("42")', "42"),
    ("OPS Numeric: toInt is 32-bit", 'toInt("3000000000")', None),
    ("OPS Numeric: toLong is 64-bit", 'toLong("3000000000")', "3000000000"),
    ("OPS Numeric: toDouble", 'toDouble("2")', "2"),
    ("OPS Numeric: haversine in km (1 degree of latitude)", "round(haversine(0, 0, 1, 0), 1)", "111.2"),
    ("OPS Arithmetic: 2 ^ 3 returns 8", "2 ^ 3", "8"),
    ("OPS Arithmetic: 10 % 3 returns 1", "10 % 3", "1"),
    ("OPS Datetime: toMillis(@timestamp)", "toMillis(@timestamp)", "1642195111000"),
    ("OPS Datetime: parseDate gives epoch ms", 'parseDate("2022-01-14 21:18:31", "yyyy-MM-dd HH:mm:ss")',
     "1642195111000"),
    ("OPS Datetime: parseDate in a zone",
     'parseDate("2022-01-14 13:18:31", "yyyy-MM-dd HH:mm:ss", "America/Los_Angeles")', "1642195111000"),
    ("OPS Datetime: formatDate", 'formatDate(@timestamp, "%Y-%m-%d %H:%M")', "2022-01-14 21:18"),
    ("OPS Datetime: strftime is formatDate", 'strftime(@timestamp, "%H:%M", "America/Los_Angeles")', "13:18"),
    ("OPS General: if", 'if(1 > 0, "yes", "no")', "yes"),
    ("OPS General: if false branch", 'if(false, "yes", "no")', "no"),
    ("OPS General: case first true branch", 'case(1 > 2, "a", 2 > 1, "b", "c")', "b"),
    ("OPS General: case default", 'case(1 > 2, "a", "c")', "c"),
    ("OPS General: case without default and no match is null", 'case(1 > 2, "a")', None),
    ("OPS General: isNumeric", 'isNumeric("12.5")', "1"),
    ("OPS General: isNumeric of text", 'isNumeric("abc")', "0"),
    ("OPS General: messageSize in bytes", "messageSize(@message)", "11"),
    ("OPS General: ispresent", "ispresent(@message)", "1"),
    ("OPS General: coalesce", "coalesce(nothingHere, @logStream)", "s"),
    ("OPS JSON: jsonParse then map access", 'jsonStringify(jsonParse("{\\"a\\": {\\"b\\": 1}}"))', '{"a":{"b":1}}'),
    ("OPS JSON: jsonArraySize", 'jsonArraySize(jsonParse("[1, 2, 3]"))', "3"),
    ("OPS JSON: jsonArrayContains", 'jsonArrayContains(jsonParse("[1, \\"x\\"]"), "x")', "1"),
    ("OPS JSON: jsonArrayContains missing", 'jsonArrayContains(jsonParse("[1, 2]"), 3)', "0"),
    ("OPS Structure types: a map counts as null for string functions", 'strlen(jsonParse("{}"))', None),
    ("OPS IP: isPrivateIP (RFC 1918)", 'isPrivateIP("172.16.4.1")', "1"),
    ("OPS IP: isPrivateIP of a public address", 'isPrivateIP("8.8.8.8")', "0"),
    ("OPS IP: isPublicIP", 'isPublicIP("8.8.8.8")', "1"),
    ("OPS IP: documentation range is not public", 'isPublicIP("192.0.2.1")', "0"),
    ("OPS IP: isReservedIP loopback", 'isReservedIP("127.0.0.1")', "1"),
    ("OPS IP: isReservedIP of a private address", 'isReservedIP("10.0.0.1")', "0"),
    ("OPS IP: ipv4ToNumber", 'ipv4ToNumber("192.0.2.1")', str(192 * 2 ** 24 + 2 * 256 + 1)),
    ("OPS IP: isIpv4InSubnet", 'isIpv4InSubnet("192.0.2.7", "192.0.2.0/24")', "1"),
    ("HASH: md5 of the string", 'md5("hello")', hashlib.md5(b"hello").hexdigest()),
    ("HASH: sha256 of the string", 'sha256("hello")', hashlib.sha256(b"hello").hexdigest()),
]


@pytest.mark.parametrize("expression, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_function(expression, expected):
    assert value(expression) == expected


def test_query_time_functions_read_the_query_range():
    # OPS General: queryStartTime/queryEndTime are the query's range, queryTimeRange its length in ms.
    row = run_query("fields queryStartTime() as s, queryEndTime() as e, queryTimeRange() as r",
                    [EVENT], start_time=T0 // 1000 - 60, end_time=T0 // 1000 + 60).rows[0]
    assert row["s"] == "2022-01-14 21:17:31.000" and row["e"] == "2022-01-14 21:19:31.000" and row["r"] == "120000"


def test_now_is_epoch_seconds_at_query_start():
    assert value("now()", now=1700000000) == "1700000000"


def test_time_series_aggregates_per_bin():
    # TS: count_over_time counts the events and sum_over_time sums the field per bin(interval).
    events = [dict(EVENT, timestamp=T0 + i * 20000, message="n=%d" % i) for i in range(6)]
    rows = run_query("parse @message 'n=*' as n | stats count_over_time(n) as c, sum_over_time(n) as s by bin(1m)"
                     " | sort s asc", events).rows
    # T0 is 31 s into its minute: bins hold events 0-1, 2-4 and 5.
    assert [(r["c"], r["s"]) for r in rows] == [("2", "1"), ("1", "5"), ("3", "9")]


@pytest.mark.parametrize("call", ["rate(bytes, 5m)", "histogram(bytes, 10)"])
def test_undocumented_details_are_refused_offline(call):
    with pytest.raises(QuerySyntaxError) as error:
        run_query("stats %s by bin(5m)" % call, [EVENT])
    assert error.value.message == "not supported offline: %s()" % call.split("(")[0]


def test_regex_argument_is_checked_by_lint():
    (diagnostic,) = lint('fields regexReplace(@message, /(/, "x")')
    assert diagnostic.rule == "regex" and diagnostic.fatal
