# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Lint rules, including the broken queries of the seed article (vpc-flowlog-cloudwatch.zh.txt)."""

import pytest

from ansible_collections.netobs.flowlogs.plugins.module_utils.insights import FLOW_LOG_V2_FIELDS, lint

SEED_MB_QUERY = """stats sum(bytes)/1000/1000 as MBTransferred by srcAddr, dstAddr
| sort bytesTransferred desc
| limit 10"""

SEED_PER_MINUTE_QUERY = """fields @timestamp, srcAddr, srcPort, dstAddr, dstPort, protocol, action
| stats sum(bytes)/1000/1000 as MBtransferred by bin(1m)
| filter srcAddr like "172.16."
| filter dstAddr like "172.31."
| sort MBtransferred desc
| limit 100"""

SEED_NAT_QUERY = """fields @timestamp, srcAddr, srcPort, dstAddr, dstPort, protocol, action
| stats sum(bytes)/1000/1000 as MBtransferred by srcAddr, srcPort, dstAddr, dstPort, protocol, action, bin(1m)
| filter srcAddr like "172.31."
| filter dstAddr not like "172.31."
| sort MBtransferred desc
| limit 100"""


def by_rule(diagnostics, rule):
    return [d for d in diagnostics if d.rule == rule]


def test_seed_sort_on_field_that_stats_did_not_produce():
    found = by_rule(lint(SEED_MB_QUERY), "unknown-field")
    assert len(found) == 1
    diagnostic = found[0]
    assert diagnostic.severity == "error"
    assert (diagnostic.line, diagnostic.column) == (2, 8)
    assert "bytesTransferred" in diagnostic.message and "MBTransferred" in diagnostic.message


def test_seed_per_minute_filter_after_stats_on_dropped_fields():
    diagnostics = lint(SEED_PER_MINUTE_QUERY)
    dropped = by_rule(diagnostics, "field-dropped-by-stats")
    assert [(d.line, d.column, d.severity) for d in dropped] == [(3, 10, "error"), (4, 10, "error")]
    assert "move this filter before stats" in dropped[0].message
    prefixes = by_rule(diagnostics, "like-address-prefix")
    assert [(d.line, d.severity) for d in prefixes] == [(3, "warning"), (4, "warning")]
    assert 'isIpv4InSubnet(srcAddr, "172.16.0.0/16")' in prefixes[0].message
    assert "10.172.16.5" in prefixes[0].message


def test_seed_nat_query_filters_survive_stats_but_like_is_still_a_prefix_trap():
    diagnostics = lint(SEED_NAT_QUERY)
    assert not by_rule(diagnostics, "field-dropped-by-stats")
    advice = [d.message for d in by_rule(diagnostics, "like-address-prefix")]
    assert len(advice) == 2
    assert 'not isIpv4InSubnet(dstAddr, "172.31.0.0/16")' in advice[1]


def test_like_on_full_address_suggests_equality():
    (diagnostic,) = by_rule(lint("filter dstAddr like '10.0.0.1'"), "like-address-prefix")
    assert "dstAddr = '10.0.0.1'" in diagnostic.message


def test_like_on_non_address_field_or_regex_is_fine():
    assert lint("filter action like 'REJ' | filter srcAddr like /^10\\./") == []


def test_more_than_two_stats():
    (diagnostic,) = lint("stats count(*) as a by srcAddr\n| stats count(*) as b by a\n| stats count(*)")
    assert diagnostic.rule == "too-many-stats" and diagnostic.fatal
    assert (diagnostic.line, diagnostic.column) == (3, 3)


@pytest.mark.parametrize("command, rule", [("sort", "sort-before-stats"), ("limit", "limit-before-stats")])
def test_sort_or_limit_before_second_stats(command, rule):
    clause = "sort n desc" if command == "sort" else "limit 5"
    query = "stats count(*) as n by srcAddr | %s | stats sum(n) as total" % clause
    (diagnostic,) = lint(query)
    assert diagnostic.rule == rule and diagnostic.severity == "error"
    assert diagnostic.column == query.index(command) + 1


def test_sort_after_second_stats_is_fine():
    assert lint("stats count(*) as n by srcAddr | stats sum(n) as total | sort total | limit 1") == []


def test_unknown_function_with_suggestion():
    (diagnostic,) = lint("filter isIpv4InSubnt(srcAddr, '10.0.0.0/8')")
    assert diagnostic.rule == "unknown-function"
    assert "isIpv4InSubnet" in diagnostic.message and diagnostic.column == 8


def test_wrong_arity():
    (diagnostic,) = lint("stats pct(bytes) by srcAddr")
    assert diagnostic.rule == "arity" and "pct() takes 2 arguments, got 1" in diagnostic.message


def test_syntax_error_is_one_diagnostic_not_an_exception():
    diagnostics = lint("filter srcAddr = \n| stats count(*)")
    assert len(diagnostics) == 1
    assert diagnostics[0].rule == "syntax" and diagnostics[0].severity == "error"
    assert (diagnostics[0].line, diagnostics[0].column) == (2, 1)


def test_known_fields_flag_case_mistakes_before_stats():
    (diagnostic,) = lint("filter srcaddr = '10.0.0.1'", known_fields=FLOW_LOG_V2_FIELDS)
    assert diagnostic.severity == "warning" and "did you mean 'srcAddr'" in diagnostic.message


def test_without_known_fields_pre_stats_fields_are_not_checked():
    assert lint("filter somethingCustom = 1 | stats count(*) by somethingCustom") == []


def test_second_stats_bin_needs_timestamp():
    (diagnostic,) = lint("stats count(*) as n by srcAddr | stats sum(n) by bin(5m)")
    assert diagnostic.rule == "bin-needs-timestamp"


def test_bin_cap_warning():
    (diagnostic,) = lint("stats count(*) by bin(300s)")
    assert diagnostic.rule == "bin-period-capped" and diagnostic.severity == "warning"


def test_dedup_followed_by_sort():
    (diagnostic,) = lint("fields srcAddr | dedup srcAddr | sort srcAddr")
    assert diagnostic.rule == "dedup-not-last"


def test_redefinition_warning():
    (diagnostic,) = lint("fields bytes * 2 as x | fields bytes * 3 as x")
    assert diagnostic.rule == "redefined-field" and diagnostic.severity == "warning"


def test_clean_aws_samples_have_no_findings():
    assert lint("filter isIpv4InSubnet(srcAddr, \"192.0.2.0/24\") | stats sum(bytes) as bytesTransferred "
                "by dstAddr | sort bytesTransferred desc | limit 15", known_fields=FLOW_LOG_V2_FIELDS) == []


def test_diagnostic_str_mentions_position_and_rule():
    text = str(lint(SEED_MB_QUERY)[0])
    assert text.startswith("2:8: error:") and text.endswith("[unknown-field]")
