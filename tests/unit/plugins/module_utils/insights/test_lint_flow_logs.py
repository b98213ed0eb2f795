# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Lint for flow-log queries when the fields are known: the default format's discovered fields
(CloudWatch Logs User Guide, "Supported logs and discovered fields": VPC flow logs' srcAddr, dstPort, bytes, ...)
or the names a LogFormat's ${field} tokens get. The mistakes are the ones the issue lists: they all run
on the service and answer nothing, without a word.
"""

import pytest

from ansible_collections.netobs.flowlogs.plugins.module_utils.insights import (
    FLOW_LOG_V2_FIELDS, analyze, fields_for_format, lint, parse,
)

CUSTOM = "${version} ${vpc-id} ${srcaddr} ${dstaddr} ${bytes} ${flow-direction}"


def errors(query, **kwargs):
    return [d for d in lint(query, **kwargs) if d.severity == "error"]


def test_fields_for_format():
    assert fields_for_format() == FLOW_LOG_V2_FIELDS
    assert fields_for_format("default") == FLOW_LOG_V2_FIELDS
    assert fields_for_format(CUSTOM) == ("version", "vpcId", "srcAddr", "dstAddr", "bytes", "flowDirection")
    with pytest.raises(ValueError):
        fields_for_format("srcaddr dstaddr")


def test_lowercase_fields_are_errors_with_a_suggestion():
    found = errors("fields srcaddr, dstaddr", log_format="default")
    assert [d.message.split(" (")[0] for d in found] == ["srcaddr: did you mean srcAddr?",
                                                         "dstaddr: did you mean dstAddr?"]
    assert [(d.line, d.column, d.rule) for d in found] == [(1, 8, "unknown-flow-log-field"),
                                                           (1, 17, "unknown-flow-log-field")]
    assert not any(d.fatal for d in found)  # the service runs it; lint is what catches it


def test_comparison_on_a_missing_field_can_never_be_true():
    found = errors("filter dstport = 22", log_format="default")
    assert {d.rule for d in found} == {"unknown-flow-log-field", "never-true"}
    never = [d for d in found if d.rule == "never-true"][0]
    assert never.message.startswith("dstport = 22 can never be true")
    assert "did you mean dstPort?" in [d for d in found if d.rule == "unknown-flow-log-field"][0].message


def test_aggregate_over_a_missing_field():
    (found,) = errors("stats sum(byte) by srcAddr", log_format="default")
    assert found.message.startswith("byte: did you mean bytes?") and "empty in every group" in found.message


def test_custom_format_fields_and_parsed_or_assigned_names_are_known():
    prefix = "parse @message '* * * * * *' as version, vpcId, srcAddr, dstAddr, bytes, flowDirection"
    assert errors(prefix + " | filter flowDirection = 'ingress' | stats sum(bytes) by vpcId", log_format=CUSTOM) == []
    assert errors("fields bytes * 8 as bits | filter bits > 0", log_format="default") == []
    (found,) = errors(prefix + " | filter flow_direction = 'ingress'", log_format=CUSTOM)[:1]
    assert found.message.startswith("flow_direction: did you mean flowDirection?")


def test_a_field_of_another_format_is_an_error():
    found = errors("filter pktSrcAddr = '10.0.0.1'", log_format="default")
    assert {d.rule for d in found} == {"unknown-flow-log-field", "never-true"}


def test_analyze_takes_a_parsed_query_and_a_log_format():
    assert [d.rule for d in analyze(parse("filter srcaddr = '1'"), log_format="default")] == [
        "unknown-flow-log-field", "never-true"]


def test_without_a_log_format_nothing_changes():
    assert lint("fields srcaddr") == []


def test_a_custom_format_field_is_known_only_with_that_format():
    with_pkt = "${version} ${srcaddr} ${pkt-srcaddr} ${bytes}"
    query = "filter pktSrcAddr = '10.0.0.1' | stats sum(bytes) by srcAddr"
    assert errors(query, log_format=with_pkt) == []
    (found,) = [d for d in errors(query, log_format="default") if d.rule == "unknown-flow-log-field"]
    assert found.message.startswith("pktSrcAddr")
    (lower,) = [d for d in errors("filter pkt_srcaddr = '10.0.0.1'", log_format=with_pkt)
                if d.rule == "unknown-flow-log-field"]
    assert lower.message.startswith("pkt_srcaddr: did you mean pktSrcAddr?")
