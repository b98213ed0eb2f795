"""The flow-log plan, matching and coverage rules, without AWS."""

import datetime

import pytest

from ansible_collections.netobs.flowlogs.plugins.module_utils import ec2_resources
from ansible_collections.netobs.flowlogs.plugins.module_utils.flow_logs import api, coverage, planning
from ansible_collections.netobs.flowlogs.plugins.module_utils.flow_logs import config as flow_config
from ansible_collections.netobs.flowlogs.plugins.module_utils.flowlog_fields import (
    DEFAULT_LOG_FORMAT,
    TGW_DEFAULT_LOG_FORMAT,
)
from ansible_collections.netobs.flowlogs.plugins.module_utils.rules import ValidationError

ROLE = "arn:aws:iam::123456789012:role/flow-role"
VPC_A = "vpc-0a1b2c3d4e5f67890"
VPC_B = "vpc-0123456789abcdef0"


def desired(**overrides):
    params = dict(resource_type="VPC", log_group="/vpc/flow-logs", role=ROLE)
    params.update(overrides)
    return flow_config.build_desired(params, "us-east-1")


def described(resource_id=VPC_A, flow_log_id="fl-0000000000000000a", tags=None, **overrides):
    entry = dict(FlowLogId=flow_log_id, ResourceId=resource_id, TrafficType="ALL",
                 LogDestinationType="cloud-watch-logs", LogGroupName="/vpc/flow-logs",
                 DeliverLogsPermissionArn=ROLE, MaxAggregationInterval=60, LogFormat=DEFAULT_LOG_FORMAT,
                 FlowLogStatus="ACTIVE", DeliverLogsStatus="SUCCESS", CreationTime=datetime.datetime(2026, 1, 1),
                 Tags=[dict(Key=k, Value=v) for k, v in (tags or {}).items()])
    entry.update(overrides)
    return dict((k, v) for k, v in entry.items() if v is not None)


# -- desired configuration -----------------------------------------------------------------------
def test_defaults_are_all_traffic_60_seconds_v2_format():
    config = desired()
    assert config["traffic_type"] == "ALL" and config["max_aggregation_interval"] == 60
    assert config["log_format"] == DEFAULT_LOG_FORMAT and config["destination_options"] is None


def test_transit_gateway_has_no_traffic_type_and_its_own_default_format():
    config = desired(resource_type="TransitGateway")
    assert config["traffic_type"] is None and config["log_format"] == TGW_DEFAULT_LOG_FORMAT
    request = api.create_request(config, ["tgw-0123456789abcdef0"], {}, "t")
    assert "TrafficType" not in request


def test_a_log_group_arn_becomes_a_name_and_the_request_sends_the_name():
    config = desired(log_group=None, destination_arn="arn:aws:logs:us-east-1:123456789012:log-group:/x/y:*")
    assert config["log_group_name"] == "/x/y"
    assert config["destination_arn"] == "arn:aws:logs:us-east-1:123456789012:log-group:/x/y"
    request = api.create_request(config, [VPC_A], {"a": "1"}, "tok")
    assert request["LogGroupName"] == "/x/y" and "LogDestination" not in request
    assert request["TagSpecifications"] == [{"ResourceType": "vpc-flow-log", "Tags": [{"Key": "a", "Value": "1"}]}]


def test_s3_options_get_aws_defaults_so_unset_equals_default():
    base = dict(log_group=None, role=None, destination_type="s3", destination_arn="arn:aws:s3:::b")
    assert desired(**base)["destination_options"] == desired(
        destination_options=dict(file_format="plain-text"), **base)["destination_options"]
    request = api.create_request(desired(destination_options=dict(file_format="parquet"), **base), [VPC_A], {}, "t")
    assert request["DestinationOptions"] == dict(FileFormat="parquet", HiveCompatiblePartitions=False,
                                                 PerHourPartition=False)


@pytest.mark.parametrize("overrides,param", [
    (dict(max_aggregation_interval=300), "max_aggregation_interval"),
    (dict(resource_type="TransitGatewayAttachment", max_aggregation_interval=600), "max_aggregation_interval"),
    (dict(resource_type="TransitGateway", traffic_type="REJECT"), "traffic_type"),
    (dict(traffic_type="SOME"), "traffic_type"),
    (dict(role=None), "role"),
    (dict(role="not a role name!"), "role"),
    (dict(log_group=None), "log_group"),
    (dict(log_group="arn:aws:logs:us-east-1:123456789012:log-group:x"), "log_group"),
    (dict(log_group=None, destination_arn="arn:aws:logs:eu-west-1:123456789012:log-group:x"), "destination_arn"),
    (dict(destination_options=dict(per_hour_partition=True)), "destination_options"),
    (dict(log_group=None, role=None, destination_type="kinesis-data-firehose",
          destination_arn="arn:aws:s3:::b"), "destination_arn"),
    (dict(log_format=["version", "nope"]), "log_format"),
])
def test_invalid_settings_name_the_parameter(overrides, param):
    with pytest.raises(ValidationError) as error:
        desired(**overrides)
    assert error.value.param == param


def test_role_name_needs_the_caller_identity():
    assert flow_config.role_arn_from("flow-role") is None
    identity = dict(account="111122223333", partition="aws-cn")
    assert flow_config.role_arn_from("flow-role", identity) == "arn:aws-cn:iam::111122223333:role/flow-role"
    assert flow_config.role_arn_from(ROLE, identity) == ROLE


def test_client_token_is_deterministic_and_64_characters():
    config = desired()
    token = api.client_token(config, [VPC_B, VPC_A], {"a": "1"}, [])
    assert token == api.client_token(config, [VPC_A, VPC_B], {"a": "1"}, [])
    assert len(token) == 64
    assert token != api.client_token(config, [VPC_A, VPC_B], {"a": "2"}, [])
    assert token != api.client_token(config, [VPC_A, VPC_B], {"a": "1"}, ["fl-1"])
    assert token != api.client_token(config, [VPC_A, VPC_B], {"a": "1"}, [], salt="retry")


# -- matching ------------------------------------------------------------------------------------
def test_log_group_matches_by_name_or_by_arn_with_or_without_suffix():
    config = desired()
    by_arn = flow_config.existing_config(described(LogGroupName=None,
                                                   LogDestination="arn:aws:logs:us-east-1:123456789012:log-group:/vpc/flow-logs:*"))
    assert flow_config.same_destination(config, by_arn)
    assert flow_config.same_destination(config, flow_config.existing_config(described()))
    assert not flow_config.same_destination(config, flow_config.existing_config(described(LogGroupName="/other")))
    s3 = described(LogDestinationType="s3", LogGroupName=None, LogDestination="arn:aws:s3:::b")
    assert not flow_config.same_destination(config, flow_config.existing_config(s3))


def test_identity_includes_traffic_type_except_for_transit_gateways():
    assert not flow_config.same_identity(desired(), flow_config.existing_config(described(TrafficType="REJECT")))
    tgw = desired(resource_type="TransitGateway")
    assert flow_config.same_identity(tgw, flow_config.existing_config(described(resource_id="tgw-0123456789abcdef0",
                                                                                TrafficType=None)))


def test_formats_compare_by_fields_not_spacing():
    spaced = described(LogFormat="${version}   ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} "
                                 "${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}")
    assert flow_config.differences(desired(), flow_config.existing_config(spaced)) == {}


def test_differences_name_each_immutable_setting():
    current = flow_config.existing_config(described(MaxAggregationInterval=600, DeliverLogsPermissionArn=ROLE + "2"))
    changed = flow_config.differences(desired(), current)
    assert set(changed) == {"max_aggregation_interval", "role_arn"}
    assert changed["max_aggregation_interval"] == dict(before=600, after=60)


# -- plans ---------------------------------------------------------------------------------------
def outcomes(plans):
    return dict((p.resource_id, p.outcome) for p in plans)


def test_plan_creates_missing_keeps_identical_and_retags_tag_only_changes():
    existing = {VPC_A: [described(tags={"a": "1"})]}
    plans = planning.plan_present(desired(), {"a": "1"}, True, [VPC_A, VPC_B], existing)
    assert outcomes(plans) == {VPC_A: "unchanged", VPC_B: "created"}
    assert plans[1].create and plans[1].create_tags == {"a": "1", "ManagedBy": "netobs.flowlogs"}
    plans = planning.plan_present(desired(), {"a": "2"}, True, [VPC_A], {VPC_A: [described(tags={"a": "1", "b": "x"})]})
    assert outcomes(plans) == {VPC_A: "retagged"}
    assert plans[0].tags_to_set == {"a": "2"} and plans[0].tags_to_remove == ["b"] and not plans[0].create


def test_tags_none_leaves_tags_alone():
    plans = planning.plan_present(desired(), None, True, [VPC_A], {VPC_A: [described(tags={"a": "1"})]})
    assert outcomes(plans) == {VPC_A: "unchanged"}


def test_plan_replaces_on_immutable_change_carrying_unpurged_tags():
    old = described(tags={"keep": "1"}, LogFormat="${version} ${srcaddr}")
    plans = planning.plan_present(desired(), {"new": "2"}, False, [VPC_A], {VPC_A: [old]})
    plan = plans[0]
    assert plan.outcome == "replaced" and plan.create and plan.delete == [old]
    assert plan.create_tags == {"keep": "1", "new": "2", "ManagedBy": "netobs.flowlogs"}
    assert plan.changes[old["FlowLogId"]]["log_format"]["before"] == "${version} ${srcaddr}"


def test_other_destinations_and_traffic_types_are_left_alone():
    other = [described(LogGroupName="/elsewhere"), described(flow_log_id="fl-b", TrafficType="REJECT")]
    plans = planning.plan_present(desired(), None, True, [VPC_A], {VPC_A: other})
    assert outcomes(plans) == {VPC_A: "created"} and plans[0].delete == []


def test_an_interrupted_replace_keeps_the_match_and_deletes_the_rest():
    new = described(flow_log_id="fl-new", CreationTime=datetime.datetime(2026, 2, 1))
    old = described(flow_log_id="fl-old", MaxAggregationInterval=600)
    twin = described(flow_log_id="fl-twin", CreationTime=datetime.datetime(2026, 3, 1))
    plans = planning.plan_present(desired(), None, True, [VPC_A], {VPC_A: [old, twin, new]})
    plan = plans[0]
    assert plan.outcome == "replaced" and not plan.create
    assert plan.keep["FlowLogId"] == "fl-new"  # the oldest exact match
    assert sorted(f["FlowLogId"] for f in plan.delete) == ["fl-old", "fl-twin"]


def test_the_exact_match_needing_fewest_tag_changes_is_kept():
    retag = described(flow_log_id="fl-a", tags={"x": "1"})
    fits = described(flow_log_id="fl-b", tags={"x": "2"}, CreationTime=datetime.datetime(2026, 5, 1))
    plan = planning.plan_present(desired(), {"x": "2"}, True, [VPC_A], {VPC_A: [retag, fits]})[0]
    assert plan.keep["FlowLogId"] == "fl-b" and not plan.tags_to_set


def test_absent_matches_only_the_criteria_given():
    flows = [described(flow_log_id="fl-a"), described(flow_log_id="fl-b", LogGroupName="/other"),
             described(flow_log_id="fl-c", TrafficType="REJECT")]
    criteria = dict(resource_type="VPC", destination_type="cloud-watch-logs", log_group_name="/vpc/flow-logs",
                    destination_arn=None, traffic_type="ALL")
    plan = planning.plan_absent(criteria, [VPC_A, VPC_B], {VPC_A: flows})
    assert outcomes(plan) == {VPC_A: "deleted", VPC_B: "unchanged"}
    assert [f["FlowLogId"] for f in plan[0].delete] == ["fl-a"]
    everything = planning.plan_absent(dict(resource_type="VPC"), [VPC_A], {VPC_A: flows})
    assert len(everything[0].delete) == 3


def test_group_by_keeps_first_seen_order():
    assert planning.group_by([3, 1, 4, 1, 5], lambda n: n % 2) == [(1, [3, 1, 1, 5]), (0, [4])]


def test_role_propagation_is_recognised_only_by_code_and_message():
    assert api.is_role_propagation("InvalidParameter", "Unable to assume given IAM role, Please check the policy")
    assert not api.is_role_propagation("InvalidParameter", "Invalid Flow Log Max Aggregation Interval")
    assert not api.is_role_propagation("AccessDenied", "Unable to assume given IAM role")


# -- resource ids --------------------------------------------------------------------------------
def test_resource_ids_are_checked_by_shape_and_deduplicated():
    assert ec2_resources.validate_resource_ids("VPC", [VPC_A, VPC_A, "vpc-1234abcd"]) == [VPC_A, "vpc-1234abcd"]
    with pytest.raises(ValidationError, match="malformed VPC"):
        ec2_resources.validate_resource_ids("VPC", ["vpc-XYZ"])
    with pytest.raises(ValidationError):
        ec2_resources.validate_resource_ids("TransitGateway", ["tgw-attach-0123456789abcdef0"])
    assert ec2_resources.resource_type_of_id("tgw-attach-0123456789abcdef0") == "TransitGatewayAttachment"
    assert ec2_resources.resource_type_of_id("eni-0123456789abcdef0") == "NetworkInterface"
    assert ec2_resources.kind_of("TransitGateway").create_chunk == 25


# -- coverage ------------------------------------------------------------------------------------
def summary(resource_id, **overrides):
    return flow_config.flow_log_summary(described(resource_id=resource_id, flow_log_id="fl-" + resource_id[-8:],
                                                  **overrides))


def test_reject_requirement_is_met_by_all_or_reject():
    resources = [dict(resource_id=r, resource_type="VPC", parents=[]) for r in ("vpc-00000001", "vpc-00000002",
                                                                                "vpc-00000003", "vpc-00000004")]
    flows = [summary("vpc-00000001"), summary("vpc-00000002", TrafficType="REJECT"),
             summary("vpc-00000003", TrafficType="ACCEPT")]
    audit = coverage.evaluate_coverage(resources, flows, dict(traffic_type="REJECT"))
    assert [c["resource_id"] for c in audit["covered"]] == ["vpc-00000001", "vpc-00000002"]
    assert [u["resource_id"] for u in audit["uncovered"]] == ["vpc-00000003", "vpc-00000004"]
    assert audit["compliant"] is False


def test_inactive_flow_logs_do_not_cover():
    resources = [dict(resource_id="vpc-00000001", resource_type="VPC", parents=[])]
    audit = coverage.evaluate_coverage(resources, [summary("vpc-00000001", FlowLogStatus="INACTIVE")], {})
    assert "status is INACTIVE" in audit["uncovered"][0]["reason"]


def test_a_subnet_is_covered_by_its_vpc_flow_log():
    resources = [dict(resource_id="subnet-00000001", resource_type="Subnet", parents=["vpc-00000001"])]
    audit = coverage.evaluate_coverage(resources, [summary("vpc-00000001")], dict(max_aggregation_interval=60))
    assert audit["covered"][0]["via"] == ["vpc-00000001"] and audit["compliant"]


def test_format_version_is_the_highest_field_version():
    assert flow_config.format_version("${version} ${srcaddr} ${reject-reason}") == 8
    assert flow_config.format_version(DEFAULT_LOG_FORMAT) == 2
    assert flow_config.format_version("") is None
