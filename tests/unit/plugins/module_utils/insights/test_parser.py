# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Parser: every AWS sample query parses; syntax errors carry line, column and a caret."""

import pytest

from ansible_collections.netobs.flowlogs.plugins.module_utils.insights import QuerySyntaxError, parse
from ansible_collections.netobs.flowlogs.plugins.module_utils.insights import nodes

AWS_SAMPLE_QUERIES = [
    "stats sum(packets) as packetsTransferred by srcAddr, dstAddr\n    | sort packetsTransferred  desc\n"
    "    | limit 15",
    'filter isIpv4InSubnet(srcAddr, "192.0.2.0/24")\n    | stats sum(bytes) as bytesTransferred by dstAddr\n'
    "    | sort bytesTransferred desc\n    | limit 15",
    "filter protocol=17 | stats count(*) by srcAddr",
    'filter logStatus="SKIPDATA"\n    | stats count(*) by bin(1h) as t\n    | sort t',
    "fields @timestamp, srcAddr, dstAddr, srcPort, dstPort, protocol, bytes\n"
    "| filter logStream = 'vpc-flow-logs' and interfaceId = 'eni-0123456789abcdef0'\n"
    "| sort @timestamp desc\n| dedup srcAddr, dstAddr, srcPort, dstPort, protocol\n| limit 20",
    "filter (dstAddr like 'x.x.x.x' and srcAddr like 'y.y.')\n"
    "| stats sum(bytes) as bytesTransferred by srcAddr, dstAddr\n| sort bytesTransferred desc\n| limit 10",
    "filter (dstAddr like 'x.x.x.x' and srcAddr like 'y.y.') or (srcAddr like 'xxx.xx.xx.xx' and dstAddr like 'y.y.')"
    "\n| stats sum(bytes) as bytesTransferred by srcAddr, dstAddr\n| sort bytesTransferred desc\n| limit 10",
    "filter (srcAddr like 'x.x.x.x' and dstAddr not like 'y.y.')\n"
    "| stats sum(bytes) as bytesTransferred by srcAddr, dstAddr\n| sort bytesTransferred desc\n| limit 10",
    "filter (dstAddr like 'x.x.x.x' and srcAddr not like 'y.y.')\n"
    "| stats sum(bytes) as bytesTransferred by srcAddr, dstAddr\n| sort bytesTransferred desc\n| limit 10",
    'filter srcAddr like "192.0.2."',
    "stats avg(bytes), min(bytes), max(bytes) by srcAddr, dstAddr",
    "stats sum(bytes) as bytesTransferred by srcAddr, dstAddr | sort bytesTransferred desc | limit 10",
    'filter action="REJECT" | stats count(*) as numRejections by srcAddr | sort numRejections desc | limit 20',
    "#Retrieve latest custom VPC Flow Logs\n"
    'parse @message "* * * * * * * * * * * * * * * * * * * * * * * * * * *" as account_id, vpc_id, subnet_id, '
    "interface_id,instance_id, srcaddr, srcport, dstaddr, dstport, protocol, packets, bytes, action, log_status, "
    "start, end, flow_direction, traffic_path, tcp_flags, pkt_srcaddr, pkt_src_aws_service, pkt_dstaddr, "
    "pkt_dst_aws_service, region, az_id, sublocation_type, sublocation_id\n| sort start desc\n| limit 2",
    'parse @message "* * * * * * * * * * * * * *" as a, b, c, d, e, f, g, h, i, j, k, l, m, n\n'
    "| stats sum(bytes) as Data_Transferred by srcaddr, dstaddr\n| sort by Data_Transferred desc\n| limit 2",
    'parse @message "* *" as action, protocol\n| filter action = "REJECT" and protocol = 6 and dstport = 22\n'
    "| stats sum(bytes) as SSH_Traffic_Volume by srcaddr\n| sort by SSH_Traffic_Volume desc\n| limit 2",
    # Other documented syntax: aliases in display, regex parse, =~, in lists, multi-stats, backticks.
    'DISPLAY loggingMessage, loggingType = "ERROR" as isError',
    "FIELDS @timestamp, @message | PARSE @message /(?<user>\\w+)@(?<host>\\S+)/ | FILTER user IN [\"a\", 'b', 1]",
    "filter @message =~ /^(?i)Exception$/ | fields `detail-type`, Type not in [\"foo\",\"bar\",1]",
    "STATS count_distinct(srcAddr) AS session_ips BY dstAddr | FILTER session_ips > 1 | STATS count(*) AS n",
    "stats max(@timestamp) as t by srcAddr | stats count(*) by dateceil(t, 5m)",
    "stats count(*) by bin(5m) | head 10",
    "fields toMillis(@timestamp) as ms, fromMillis(0) as epoch | order by ms asc | tail 3",
    "stats sum(x)/1024/1024 as mb, avg(@duration), pct(@duration, 95), stddev(y), earliest(z), latest(z), "
    "sortsFirst(z), sortsLast(z)",
    "limit any 50",
]


@pytest.mark.parametrize("query", AWS_SAMPLE_QUERIES)
def test_sample_query_parses(query):
    tree = parse(query)
    assert tree.commands


def _condition(query):
    return parse("filter " + query).commands[0].condition


def test_precedence_and_binds_tighter_than_or():
    condition = _condition("a = 1 or b = 2 and c = 3")
    assert condition.op == "or" and condition.right.op == "and"


def test_precedence_not_is_looser_than_comparison_and_tighter_than_and():
    condition = _condition("not a = 1 and b = 2")
    assert condition.op == "and"
    assert isinstance(condition.left, nodes.Unary) and condition.left.operand.op == "="


def test_precedence_power_is_right_associative_and_beats_unary_minus():
    condition = _condition("-2 ^ 3 ^ 2 = x")
    power = condition.left
    assert isinstance(power, nodes.Unary) and power.op == "-"
    assert power.operand.op == "^" and power.operand.right.op == "^"


def test_precedence_multiplication_before_addition():
    expr = _condition("1 + 2 * 3 = 7").left
    assert expr.op == "+" and expr.right.op == "*"


def test_keywords_are_case_insensitive():
    assert parse("FILTER a = 1 | STATS count(*) BY b | SORT b DESC | LIMIT 5") == parse(
        "filter a = 1 | stats count(*) by b | sort b desc | limit 5")


def test_comment_lines_and_trailing_comments_are_ignored():
    assert parse("# header\nfilter a = 1 # why\n| limit 2") == parse("filter a = 1 | limit 2")


def test_slash_after_operand_divides_and_after_like_opens_regex():
    stats = parse("stats sum(bytes)/1000 as kb").commands[0]
    assert stats.aggregates[0].expr.op == "/"
    like = _condition("x like /a\\/b/")
    assert isinstance(like.pattern, nodes.Regex) and like.pattern.pattern == "a/b"


def test_parse_with_source_field_and_regex():
    command = parse("parse url /(?<version>v\\d)\\/(?<rest>.*)/").commands[0]
    assert command.source.name == "url" and command.is_regex
    assert [name for name, _start, _end in command.names] == ["version", "rest"]


def test_parse_modes_by_word_and_a_field_named_like_one():
    # CWL_QuerySyntax-Parse: "parse fieldName logfmt as alias", fieldName optional; "logfmt"/"csv" followed by
    # a pattern instead of 'as' is a field of that name.
    omitted, named, field = (parse(q).commands[0] for q in (
        "parse logfmt as lf", "parse `x` csv as a, b", 'parse logfmt "k=*" as k'))
    assert (omitted.mode, omitted.source.name, omitted.names[0][0]) == ("logfmt", "@message", "lf")
    assert (named.mode, named.source.name, [n for n, _s, _e in named.names]) == ("csv", "x", ["a", "b"])
    assert (field.mode, field.source.name) == ("glob", "logfmt")
    multi = parse("parse @message /(\\d+)/ as n multi").commands[0]
    assert multi.multi and multi.captures == [1] and multi.end == len("parse @message /(\\d+)/ as n multi")


def test_backticked_field_names_and_durations():
    command = parse("stats count(*) by `foo-bar`, bin(2hrs)").commands[0]
    assert command.groups[0].expr.name == "foo-bar"
    duration = command.groups[1].expr.args[0]
    assert (duration.amount, duration.unit) == (2, "h")


def test_unaliased_column_names_are_the_expression_text():
    command = parse("stats sum(bytes), count( * ), avg(bytes) / 2 by bin(5m)").commands[0]
    assert [item.name for item in command.aggregates] == ["sum(bytes)", "count( * )", "avg(bytes) / 2"]
    assert command.groups[0].name == "bin(5m)"


def test_string_escapes():
    assert _condition('x = "a\\"b"').right.value == 'a"b'


SYNTAX_ERRORS = [
    ("filter a = ", 1, 12, "expected an expression"),
    ("fields a\n| filter (b = 1\n| limit 3", 3, 1, "expected ')'"),
    ("stats count(*) by a\n  | sortt a", 2, 5, "unknown command 'sortt'"),
    ("filter a = 'open", 1, 12, "unterminated string"),
    ("limit 0", 1, 7, "limit must be between"),
    ("stats count(*) by bin(5x)", 1, 24, "unknown time unit"),
    ('parse @message "* *" as a', 1, 16, "2 '*' but 1 field names"),
    ("parse @message /(\\d+)/", 1, 16, "no named groups"),
    ("filter a = 1 b", 1, 14, "expected '|' or end of query"),
    ("pattern @message", 1, 1, "not supported"),
    ("filter a ! 1", 1, 10, "unexpected '!'"),
    ("", 1, 1, "empty query"),
    ("filter x not 3", 1, 14, "expected 'like' or 'in' after 'not'"),
]


@pytest.mark.parametrize("query, line, column, fragment", SYNTAX_ERRORS)
def test_syntax_error_position(query, line, column, fragment):
    with pytest.raises(QuerySyntaxError) as caught:
        parse(query)
    error = caught.value
    assert (error.line, error.column) == (line, column)
    assert fragment in error.message


def test_syntax_error_message_has_caret_under_the_offending_token():
    with pytest.raises(QuerySyntaxError) as caught:
        parse("fields a\n| filter b = = 2")
    text = str(caught.value)
    assert "line 2, column 14" in text
    assert text.endswith("| filter b = = 2\n             ^")


def test_query_longer_than_10000_characters_is_rejected():
    with pytest.raises(QuerySyntaxError, match="limit is 10000"):
        parse("filter a = 1 " + "#" * 10000)
