# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Custom flow-log formats: the parse prefix for a LogFormat and running queries through it."""

import pytest

from ansible_collections.netobs.flowlogs.plugins.module_utils.insights import (
    INSIGHTS_FIELD_NAMES, insights_field_name, parse_prefix_for_log_format, run_query,
)

KC_FORMAT = (
    "${account-id} ${vpc-id} ${subnet-id} ${interface-id} ${instance-id} ${srcaddr} ${srcport} ${dstaddr} "
    "${dstport} ${protocol} ${packets} ${bytes} ${action} ${log-status} ${start} ${end} ${flow-direction} "
    "${traffic-path} ${tcp-flags} ${pkt-srcaddr} ${pkt-src-aws-service} ${pkt-dstaddr} ${pkt-dst-aws-service} "
    "${region} ${az-id} ${sublocation-type} ${sublocation-id}")


def test_prefix_for_knowledge_center_format():
    prefix = parse_prefix_for_log_format(KC_FORMAT)
    assert prefix == (
        'parse @message "%s" as accountId, vpcId, subnetId, interfaceId, instanceId, srcAddr, srcPort, dstAddr, '
        "dstPort, protocol, packets, bytes, action, logStatus, startTime, endTime, flowDirection, trafficPath, "
        "tcpFlags, pktSrcAddr, pktSrcAwsService, pktDstAddr, pktDstAwsService, region, azId, sublocationType, "
        "sublocationId" % " ".join(["*"] * 27))


@pytest.mark.parametrize("field, name", [
    ("version", "version"), ("start", "startTime"), ("log-status", "logStatus"), ("ecs-task-id", "ecsTaskId"),
    ("reject-reason", "rejectReason"), ("type", "type"), ("some-future-field", "someFutureField"),
])
def test_field_names(field, name):
    assert insights_field_name(field) == name


def test_every_mapping_value_is_the_camel_case_rule_or_a_v2_exception():
    exceptions = {"srcaddr", "dstaddr", "srcport", "dstport", "start", "end", "pkt-srcaddr", "pkt-dstaddr"}
    for field, name in INSIGHTS_FIELD_NAMES.items():
        if field not in exceptions:
            head, *rest = field.split("-")
            assert name == head + "".join(p[:1].upper() + p[1:] for p in rest)


@pytest.mark.parametrize("bad", ["", "${version},${srcaddr}", "version srcaddr"])
def test_rejects_non_log_formats(bad):
    with pytest.raises(ValueError):
        parse_prefix_for_log_format(bad)


def test_custom_format_query_through_prefix():
    log_format = "${version} ${vpc-id} ${srcaddr} ${dstaddr} ${bytes} ${flow-direction} ${tcp-flags}"
    events = [
        {"timestamp": 1700000000000 + i, "message": "5 vpc-1 10.0.0.%d 10.0.1.1 %d %s 2" % (
            i % 2, 100 * (i + 1), "egress" if i % 2 else "ingress"), "logStream": "s", "logGroup": "g"}
        for i in range(4)]
    query = parse_prefix_for_log_format(log_format) + (
        " | filter flowDirection = 'egress' | stats sum(bytes) as b by srcAddr, vpcId, tcpFlags")
    assert run_query(query, events).rows == [{"srcAddr": "10.0.0.1", "vpcId": "vpc-1", "tcpFlags": "2", "b": "600"}]
