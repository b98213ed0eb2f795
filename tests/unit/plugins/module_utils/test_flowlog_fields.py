"""The flow-log field catalogue and normalise_log_format, the one validator of ``log_format``."""

import pytest

from ansible_collections.netobs.flowlogs.plugins.module_utils import flowlog_fields as ff
from ansible_collections.netobs.flowlogs.plugins.module_utils.rules import ValidationError

V2 = ("${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} "
      "${packets} ${bytes} ${start} ${end} ${action} ${log-status}")


@pytest.mark.parametrize("value", [None, "default", " Default ", 2, "2"])
def test_default_and_version_2_are_the_aws_default_string(value):
    assert ff.normalise_log_format(value) == V2


def test_default_for_transit_gateways_is_the_tgw_format():
    assert ff.normalise_log_format("default", "TransitGateway") == ff.TGW_DEFAULT_LOG_FORMAT
    assert ff.normalise_log_format(6, "TransitGatewayAttachment") == ff.TGW_DEFAULT_LOG_FORMAT
    assert "${tgw-id}" in ff.TGW_DEFAULT_LOG_FORMAT and "${action}" not in ff.TGW_DEFAULT_LOG_FORMAT


@pytest.mark.parametrize("version,last_field", [(3, "pkt-dstaddr"), (4, "sublocation-id"), (5, "traffic-path"),
                                                (7, "ecs-task-id"), (8, "reject-reason"), (9, "resource-id"),
                                                (10, "encryption-status"), (11, "next-hop-interface-type")])
def test_a_version_means_every_vpc_field_up_to_it(version, last_field):
    fields = ff.fields_of_format(ff.normalise_log_format(version))
    assert fields[:14] == ff.fields_of_format(V2)
    assert fields[-1] == last_field
    assert not [f for f in fields if ff.FIELD_SCOPE[f] == "tgw"]
    assert ff.record_version(fields) == version


def test_lists_and_raw_strings_normalise_to_aws_spacing():
    expected = "${version} ${srcaddr} ${dstaddr}"
    assert ff.normalise_log_format(["version", "srcaddr", "dstaddr"]) == expected
    assert ff.normalise_log_format(["${version}", " srcaddr ", "${dstaddr}"]) == expected
    assert ff.normalise_log_format("  ${version}   ${srcaddr}\t${dstaddr} ") == expected
    assert ff.normalise_log_format("${version}${srcaddr}${dstaddr}") == expected


@pytest.mark.parametrize("value,resource_type,message", [
    (["version", "bogus"], "VPC", "unknown field"),
    ("${version} srcaddr", "VPC", "unexpected text"),
    ("", "VPC", "at least one field"),
    ([], "VPC", "at least one field"),
    (["version", "version"], "VPC", "more than once"),
    (["version", "tgw-id"], "VPC", "not available for VPC"),
    (["version", "action"], "TransitGateway", "not available for TransitGateway"),
    (6, "VPC", "not a VPC flow-log format version"),
    (12, "VPC", "not a VPC flow-log format version"),
    (5, "TransitGateway", "not a transit gateway"),
    (True, "VPC", "must be"),
    (5.0, "VPC", "must be"),
    ({"a": 1}, "VPC", "must be"),
])
def test_bad_formats_name_the_parameter(value, resource_type, message):
    with pytest.raises(ValidationError) as error:
        ff.normalise_log_format(value, resource_type)
    assert error.value.param == "log_format"
    assert message in str(error.value)


def test_catalogue_is_consistent():
    assert len(ff.FIELD_NAMES) == len(set(ff.FIELD_NAMES))
    assert ff.MAX_VERSION == 11
    assert set(ff.TGW_DEFAULT_FIELDS) <= set(ff.FIELD_NAMES)
    assert all(ff.FIELD_SCOPE[f] in ("tgw", "both") for f in ff.TGW_DEFAULT_FIELDS)
    assert ff.VPC_VERSIONS == (2, 3, 4, 5, 7, 8, 9, 10, 11)


def test_insights_names_are_the_discovered_camel_case_names():
    assert ff.insights_name("srcaddr") == "srcAddr" and ff.insights_name("log-status") == "logStatus"
    assert ff.insights_name("start") == "startTime" and ff.insights_name("pkt-src-aws-service") == "pktSrcAwsService"
