# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Conformance of the documented commands and discovered fields; each expected answer comes from the docs.

Pages (CloudWatch Logs User Guide, https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/<page>.html):
CWL_QuerySyntax-Filter (where), CWL_QuerySyntax-FilterIndex, CWL_QuerySyntax-Source, CWL_QuerySyntax-Unnest,
CWL_QuerySyntax-Stats ("Use multiple stats commands"), CWL_QuerySyntax-operations-functions ("Structure types"),
CWL_AnalyzeLogData-discoverable-fields ("Supported logs and discovered fields").
"""

import json

import pytest

from ansible_collections.netobs.flowlogs.plugins.module_utils.insights import (
    QuerySyntaxError, query_source, run_query,
)

T0 = 1700000000000
# The CloudTrail sample from CWL_AnalyzeLogData-discoverable-fields, trimmed.
CLOUDTRAIL = {
    "eventVersion": "1.0",
    "userIdentity": {"type": "IAMUser", "principalId": "EX_PRINCIPAL_ID", "userName": "Alice"},
    "eventTime": "2014-03-06T21:22:54Z",
    "eventSource": "iam.amazonaws.com",
    "eventName": "CreateUser",
    "requestParameters": {"userName": "Bob"},
    "responseElements": {"user": {"userName": "Bob", "path": "/"}},
    "resources": [{"ARN": "arn:aws:iam::111122223333:user/Bob"}],
}


def event(message, offset=0, group="/app", **extra):
    record = {"timestamp": T0 + offset, "message": message, "logStream": "s", "logGroup": group}
    record.update(extra)
    return record


def rows(query, events, **kwargs):
    return [{k: v for k, v in row.items() if k != "@ptr"} for row in run_query(query, events, **kwargs).rows]


def test_json_event_fields_are_discovered_with_dots():
    # discoverable-fields: JSON events are flattened, e.g. requestParameters.userName.
    events = [event(json.dumps(CLOUDTRAIL))]
    assert rows("filter eventName = 'CreateUser' | fields requestParameters.userName, userIdentity.userName, "
                "resources.0.ARN", events) == [{
                    "requestParameters.userName": "Bob", "userIdentity.userName": "Alice",
                    "resources.0.ARN": "arn:aws:iam::111122223333:user/Bob"}]


def test_json_discovery_stops_at_200_fields():
    # discoverable-fields: at most 200 fields are extracted from a JSON event.
    document = dict(("k%03d" % i, i) for i in range(250))
    result = rows("fields k199, k200", [event(json.dumps(document))])
    assert result == [{"k199": "199"}]


def test_log_is_account_and_log_group():
    # discoverable-fields: @log is account-id:log-group-name.
    assert rows("fields @log", [event("x", accountId="111122223333")]) == [{"@log": "111122223333:/app"}]
    assert rows("fields @log", [event("x")]) == [{"@log": "/app"}]


def test_where_is_filter():
    events = [event("a"), event("b", 1)]
    assert rows("where @message = 'a' | fields @message", events) == [{"@message": "a"}]


def test_filter_index_is_a_filter_offline():
    events = [event('{"action": "REJECT"}'), event('{"action": "ACCEPT"}', 1)]
    assert rows("filterIndex action = 'REJECT' | fields action", events) == [{"action": "REJECT"}]
    assert rows("filterIndex action in ['REJECT', 'ACCEPT'] | stats count(*) as n", events) == [{"n": "2"}]


def test_source_selects_the_given_log_groups():
    events = [event("a", group="/vpc/a"), event("b", 1, group="/vpc/b"), event("c", 2, group="/app/c")]
    query = "SOURCE logGroups(namePrefix: ['/vpc/']) | stats count(*) as n by @log | sort n asc"
    assert rows(query, events) == [{"@log": "/vpc/a", "n": "1"}, {"@log": "/vpc/b", "n": "1"}]


def test_source_with_a_log_group_selector_callback():
    seen = []

    def select(source):
        seen.append(source.selectors)
        return [event("picked", group="/vpc/a")]
    assert rows("SOURCE logGroups(namePrefix: ['/vpc'], class: ['STANDARD']) | fields @message", [],
                select_log_groups=select) == [{"@message": "picked"}]
    assert seen == [{"namePrefix": ["/vpc"], "class": ["STANDARD"]}]


@pytest.mark.parametrize("query, message", [
    ("SOURCE logGroups(namePrefix: ['a', 'b', 'c', 'd', 'e', 'f']) | fields @message",
     "namePrefix takes at most 5 values, got 6"),
    ("fields @message | SOURCE logGroups(namePrefix: ['a'])", "SOURCE must be the first command of the query"),
    ("SOURCE logGroups(prefix: ['a'])", "unknown logGroups key 'prefix'"),
])
def test_source_limits(query, message):
    with pytest.raises(QuerySyntaxError) as error:
        run_query(query, [])
    assert error.value.message.startswith(message)


def test_query_source_helper():
    assert query_source("SOURCE logGroups(namePrefix: ['/vpc']) | fields @message").matches("/vpc/x")
    assert query_source("fields @message") is None


def test_unnest_gives_one_row_per_element():
    # Unnest: a list from jsonParse gives one row per element; any other value is a one-element list.
    events = [event('{"ids": [1, 2, 3]}'), event('{"ids": "solo"}', 1)]
    result = rows("fields jsonParse(@message) as j | unnest j.ids into id | display id", events)
    assert sorted(r["id"] for r in result) == ["1", "2", "3", "solo"]


def test_map_and_list_access_with_backquoted_names():
    # Structure types: map.attribute, list[index], and backquotes around keys with special characters.
    message = json.dumps({"status_code": 200, "items": [{"a": "x"}, {"a": "y"}], "attributes": {"special.char": "z"}})
    result = rows("fields jsonParse(@message) as m | fields m.status_code as s, m.items[1].a as a, "
                  "m.attributes.`special.char` as c", [event(message)])
    assert result == [{"m": json.dumps(json.loads(message), separators=(",", ":")), "s": "200", "a": "y", "c": "z"}]


def test_comparing_a_map_is_false():
    # Structure types: comparing a map or list with anything gives false.
    assert rows("fields jsonParse(@message) as m | filter m != 'x' | fields @message", [event("{}")]) == []


@pytest.mark.parametrize("command", ["pattern @message", "anomaly", "unmask(@message)"])
def test_model_dependent_commands_are_refused_offline(command):
    with pytest.raises(QuerySyntaxError) as error:
        run_query("fields @message | %s" % command, [])
    assert error.value.message == "not supported offline: %s" % command.split(" ")[0].split("(")[0]


def test_second_stats_over_a_dropped_field_is_invalid():
    # Stats, "Use multiple stats commands": this exact query is given as invalid.
    query = "FIELDS @message | STATS SUM(Fault) by Operation | STATS MAX(strlen(@message))"
    with pytest.raises(QuerySyntaxError) as error:
        run_query(query, [])
    assert "the second stats can use only fields the first stats produced" in error.value.message
    assert error.value.column == query.rindex("@message") + 1


def test_bin_in_second_stats_without_a_carried_timestamp_is_invalid():
    with pytest.raises(QuerySyntaxError) as error:
        run_query("stats count(*) as n by srcAddr | stats sum(n) by bin(5m)", [])
    assert error.value.message.startswith("bin() floors @timestamp")


def test_second_stats_with_a_carried_timestamp():
    # Stats: carry the timestamp forward (max(@timestamp) as t) and use dateceil/datefloor on it.
    events = [event("x", i * 60000) for i in range(6)]
    result = rows("stats count(*) as n, max(@timestamp) as t by bin(1m) | stats sum(n) as total by "
                  "datefloor(t, 5m) as window | sort total desc", events)
    # Events at 22:13:20 + i minutes: two fall in the 22:10 window, four in the 22:15 one.
    assert result == [{"window": "2023-11-14 22:15:00.000", "total": "4"},
                      {"window": "2023-11-14 22:10:00.000", "total": "2"}]
