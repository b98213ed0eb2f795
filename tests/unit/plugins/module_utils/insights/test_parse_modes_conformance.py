# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Conformance of every ``parse`` mode, ``json field=`` and ``diff``; each expected answer comes from the docs' words.

Pages (CloudWatch Logs User Guide, https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/<page>.html):
CWL_QuerySyntax-Parse ("Glob mode", "Regex mode" with "Multi-match mode", "Logfmt mode", "CSV mode", "JSON field
extraction"),
CWL_QuerySyntax-Diff and CWL_AnalyzeLogData_Compare ("Compare (diff) with previous time ranges").
Where the Parse page is silent (logfmt quoting, CSV quoting, CSV rows shorter or longer than the aliases) the test
says so and checks the reading docs/insights-engine.md documents.
"""

import pytest

from ansible_collections.netobs.flowlogs.plugins.module_utils.insights import QuerySyntaxError, lint, run_query

T0 = 1700000000000
LOGFMT_LINES = [
    'level=error msg="connection failed" duration=42 host=web-1',
    "level=info msg=started duration=7 host=web-2",
    "level=error msg=timeout duration=1500 host=web-1",
]


def event(message, offset=0, stream="s"):
    return {"timestamp": T0 + offset, "message": message, "logStream": stream, "logGroup": "/app"}


def events_of(*messages):
    return [event(message, index) for index, message in enumerate(messages)]


def rows(query, events):
    return [{k: v for k, v in row.items() if k != "@ptr"} for row in run_query(query, events).rows]


def refusal(query):
    with pytest.raises(QuerySyntaxError) as error:
        run_query(query, [])
    return error.value


# -- Parse page, introduction ---------------------------------------------------------------------------------------


def test_an_event_that_does_not_match_is_kept_without_the_extracted_fields():
    # Parse: "If a log event doesn't match the specified pattern, you still see it in the results, but without
    # the extracted fields." - in every mode.
    events = events_of("level=error", "no pairs here", "a,b")
    for query in ("parse @message logfmt as lf | stats count(*) as n, count(lf.level) as parsed",
                  "parse @message /(?<digit>\\d)/ multi | stats count(*) as n, count(digit) as parsed"):
        assert rows(query, events) == [{"n": "3", "parsed": "1" if "logfmt" in query else "0"}]
    assert rows("parse @message csv as x, y | filter ispresent(y) | display x, y", events) == [{"x": "a", "y": "b"}]


# -- Glob mode ------------------------------------------------------------------------------------------------------


def test_glob_examples_of_the_page():
    # Glob mode: parse @logStream "*/*/*/*" as env, service, instance, shard | stats count(*) by env, service.
    events = [event("x", 0, "prod/api/i-1/0"), event("x", 1, "prod/api/i-2/1"), event("x", 2, "dev/web/i-3/0")]
    assert rows('parse @logStream "*/*/*/*" as env, service, instance, shard | stats count(*) as n by env, service'
                " | sort n desc", events) == [{"env": "prod", "service": "api", "n": "2"},
                                              {"env": "dev", "service": "web", "n": "1"}]
    # Chained parse: "Extract a field, then parse the extracted field further."
    assert rows('parse @message "url=*" as url | parse url "/api/*/users/*" as apiVersion, userId '
                "| display apiVersion, userId", events_of("url=/api/v2/users/42")) == [
                    {"apiVersion": "v2", "userId": "42"}]


def test_glob_wildcards_must_equal_the_aliases():
    # Glob mode: "The number of * wildcards must equal the number of aliases."
    error = refusal('parse @message "*/*" as a')
    assert "2 '*' but 1 field names" in error.message and error.column == len('parse @message "')


# -- Regex mode and its multi-match mode ----------------------------------------------------------------------------


def test_regex_named_groups_example():
    # Regex mode: parse @message /(?<NetworkInterface>eni-.*?) / | display NetworkInterface, @message
    message = "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 " \
              "1418530070 ACCEPT OK"
    assert rows("parse @message /(?<NetworkInterface>eni-.*?) / | display NetworkInterface",
                events_of(message)) == [{"NetworkInterface": "eni-1235b8ca123456789"}]


def test_multi_match_example_gives_one_row_per_match():
    # Multi-match mode: "extract all matches of a regular expression from a field, producing multiple rows per
    # log event"; the page's example names the unnamed group with "as ip_addr" before "multi".
    events = events_of("from 10.0.0.1 to 10.0.0.2", "from 10.0.0.1 to 192.168.1.1", "no address")
    query = "parse @message /(\\d+\\.\\d+\\.\\d+\\.\\d+)/ as ip_addr multi | stats count(*) as n by ip_addr"
    result = sorted(rows(query, events), key=lambda row: row.get("ip_addr", ""))
    # The event without an address is kept without ip_addr (the introduction's rule), so it has its own group.
    assert result == [{"n": "1"}, {"ip_addr": "10.0.0.1", "n": "2"}, {"ip_addr": "10.0.0.2", "n": "1"},
                      {"ip_addr": "192.168.1.1", "n": "1"}]


def test_multi_match_with_the_documented_syntax_and_named_groups():
    # Multi-match mode syntax: parse fieldName /regex/ multi (named groups define the fields, as in regex mode).
    result = rows("parse @message /(?<key>\\w+)=(?<value>\\w+)/ multi | display key, value",
                  events_of("a=1 b=2 c=3"))
    assert result == [{"key": "a", "value": "1"}, {"key": "b", "value": "2"}, {"key": "c", "value": "3"}]


def test_multi_match_rows_keep_the_rest_of_the_event():
    result = rows("parse @message /(?<n>\\d)/ multi | filter n > 1 | display n, @message", events_of("1 2 3"))
    assert result == [{"n": "2", "@message": "1 2 3"}, {"n": "3", "@message": "1 2 3"}]


@pytest.mark.parametrize("query, message, column", [
    ('parse @message "x=*" as x multi', "multi applies only to a /regex/ pattern", 27),
    ("parse @message logfmt as lf multi", "multi applies only to a /regex/ pattern", 29),
    ("parse @message /(\\d+)(\\w)/ as a multi", "2 capture groups but 1 field names", 16),
    ("parse @message /(\\d+)/ multi", "no named groups", 16),
])
def test_multi_and_regex_aliases_errors(query, message, column):
    error = refusal(query)
    assert message in error.message and (error.line, error.column) == (1, column)


# -- Logfmt mode ----------------------------------------------------------------------------------------------------


def test_logfmt_first_example():
    # Logfmt mode: "The result is a map that you access with dot notation (for example, lf.level, lf.msg)";
    # parse @message logfmt as lf | filter lf.level = "error" | display lf.msg, lf.duration
    result = rows('parse @message logfmt as lf | filter lf.level = "error" | display lf.msg, lf.duration '
                  "| sort lf.duration asc", events_of(*LOGFMT_LINES))
    assert result == [{"lf.msg": "connection failed", "lf.duration": "42"},
                      {"lf.msg": "timeout", "lf.duration": "1500"}]


def test_logfmt_second_example():
    # parse @message logfmt as lf | stats count(*) by lf.host
    result = rows("parse @message logfmt as lf | stats count(*) by lf.host | sort lf.host asc",
                  events_of(*LOGFMT_LINES))
    assert result == [{"lf.host": "web-1", "count(*)": "2"}, {"lf.host": "web-2", "count(*)": "1"}]


def test_logfmt_field_defaults_to_message_and_may_be_any_field():
    # Parse: "If fieldName is omitted, @message is used by default. You can parse from any named field".
    events = events_of("[app] user=alice action=login")
    assert rows("parse logfmt as lf | display lf.user", events) == [{"lf.user": "alice"}]
    assert rows('parse @message "[*] *" as app, pairs | parse pairs logfmt as kv | display app, kv.action',
                events) == [{"app": "app", "kv.action": "login"}]


def test_logfmt_values_are_numbers_where_they_read_as_numbers():
    assert rows("parse @message logfmt as lf | stats sum(lf.duration) as total", events_of(*LOGFMT_LINES)) == [
        {"total": "1549"}]


def test_logfmt_quoting_and_bare_words():
    # The page does not define quoting: the common logfmt reading (double quotes; \" and \\ escapes, any other
    # backslash kept as in the query's strings); a word without "=" is not a key=value pair, so it gives no key.
    result = rows('parse @message logfmt as lf | display lf.msg, lf.empty, lf.flag, lf.n, lf.path',
                  events_of('msg="say \\"hi\\" now" empty= flag n=1 path="C:\\temp"'))
    assert result == [{"lf.msg": 'say "hi" now', "lf.empty": "", "lf.n": "1", "lf.path": "C:\\temp"}]


def test_logfmt_takes_one_alias():
    # Logfmt syntax: parse fieldName logfmt as alias (one alias: the map).
    error = refusal("parse @message logfmt as a, b")
    assert error.message.startswith("parse logfmt takes one field name") and error.column == 29


# -- CSV mode -------------------------------------------------------------------------------------------------------


def test_csv_first_example():
    # CSV mode: "Each comma-separated value is assigned to the corresponding alias."
    # parse @message csv as timestamp, level, message | filter level = "ERROR" | display timestamp, message
    events = events_of("2024-05-01T10:00:00Z,ERROR,disk full", "2024-05-01T10:00:01Z,INFO,ok")
    assert rows('parse @message csv as timestamp, level, message | filter level = "ERROR" '
                "| display timestamp, message", events) == [
                    {"timestamp": "2024-05-01T10:00:00Z", "message": "disk full"}]


def test_csv_second_example():
    # parse @message csv as host, method, path, status, duration | stats avg(duration) by method
    events = events_of("h1,GET,/a,200,10", "h2,GET,/b,200,30", "h1,POST,/c,201,5")
    query = ("parse @message csv as host, method, path, status, duration | stats avg(duration) by method "
             "| sort method asc")
    assert rows(query, events) == [{"method": "GET", "avg(duration)": "20"}, {"method": "POST", "avg(duration)": "5"}]


def test_csv_quoting_and_row_length():
    # The page does not define quoting: RFC 4180 double quotes. Values are assigned to "the corresponding alias":
    # an alias with no value is absent, a value with no alias is dropped.
    events = events_of('a,"b, c","say ""hi"""', "one", "x,y,z,extra")
    result = rows("parse @message csv as first, second, third | display first, second, third", events)
    assert result == [{"first": "x", "second": "y", "third": "z"}, {"first": "one"},
                      {"first": "a", "second": "b, c", "third": 'say "hi"'}]


# -- lint: fields the new modes create are assigned ----------------------------------------------------------------


@pytest.mark.parametrize("query", [
    'parse @message logfmt as lf | filter lf.level = "error" | display lf.msg, lf.duration',
    "parse logfmt as lf | stats count(*) by lf.host | sort lf.host",
    'parse @message csv as timestamp, level, message | filter level = "ERROR" | display timestamp, message',
    "parse @message /(\\d+\\.\\d+\\.\\d+\\.\\d+)/ as ip_addr multi | stats count(*) by ip_addr",
    "fields jsonParse(@message) as j | filter j.status = 'ok' | display j.items[0]",
])
def test_lint_counts_parsed_fields_as_assigned(query):
    # With the flow-log fields known, a field "neither discovered, parsed nor assigned" is an error; these are
    # parsed (or keys of a parsed map), so there is nothing to report.
    assert lint(query, log_format="default") == []


def test_lint_still_reports_a_name_that_is_not_the_map():
    diagnostics = lint("parse @message logfmt as lf | filter lv.level = 'error'", log_format="default")
    assert {d.rule for d in diagnostics} == {"unknown-flow-log-field", "never-true"}


# -- diff -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("modifier", ["", " previousDay", " previousWeek", " previousMonth"])
def test_diff_is_refused_offline_with_its_reason(modifier):
    # Diff: diff [previousDay|previousWeek|previousMonth] compares with "a previous time period of equal length";
    # Compare (diff): "Comparison queries return only patterns in the results, not raw log events", and patterns
    # come from the service's pattern analysis (the pattern command is refused offline for the same reason).
    query = "fields @message | diff" + modifier
    error = refusal(query)
    assert error.message.startswith("not supported offline: diff (a comparison query answers with log patterns")
    assert (error.column, error.end) == (len("fields @message | ") + 1, len(query))


def test_diff_with_an_undocumented_modifier_is_a_syntax_error():
    error = refusal("fields @message | diff previousYear")
    assert error.message.startswith("unknown diff modifier 'previousYear'; expected previousDay, previousWeek, "
                                    "previousMonth") and error.column == 24


def test_json_field_extraction_first_example():
    # Parse, "JSON field extraction": "json field=fieldName for explicit chained JSON extraction from a previously
    # parsed object field"; parse @message /(?<payload>\{.*\})/ as payload | json field=payload "user.name" as
    # username | display username
    events = events_of('request {"user": {"name": "alice", "id": 7}} done', "no json")
    query = ('parse @message /(?<payload>\\{.*\\})/ as payload | json field=payload "user.name" as username '
             "| display username")
    assert rows(query, events) == [{}, {"username": "alice"}]


def test_json_field_extraction_second_example_on_a_json_event():
    # json field=requestContext "identity.sourceIp" as caller_ip | stats count(*) by caller_ip: requestContext is
    # an object of the JSON event (its keys are discovered flattened, requestContext.identity.sourceIp).
    events = events_of('{"requestContext": {"identity": {"sourceIp": "198.51.100.7"}}}',
                       '{"requestContext": {"identity": {"sourceIp": "198.51.100.7"}}}',
                       '{"requestContext": {"identity": {"sourceIp": "203.0.113.9"}}}')
    assert rows('json field=requestContext "identity.sourceIp" as caller_ip | stats count(*) as n by caller_ip '
                "| sort n desc", events) == [{"caller_ip": "198.51.100.7", "n": "2"},
                                             {"caller_ip": "203.0.113.9", "n": "1"}]


def test_json_field_extraction_from_a_map_and_its_errors():
    assert rows('parse logfmt as lf | json field=lf "level" as lvl | display lvl', events_of("level=warn")) == [
        {"lvl": "warn"}]
    for query, message, column in (("json payload", "expected field=<field name> after json", 6),
                                   ("json field=payload as x", 'expected the key to extract as a string', 20),
                                   ('json field=payload "a.b"', "expected 'as' and a field name", 25)):
        error = refusal(query)
        assert error.message.startswith(message) and error.column == column, (query, error)
