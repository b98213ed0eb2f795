"""netobs.flowlogs.flow_log against the local AWS: batching, idempotence, replace, retag, check/diff,
bad input, and the API-call budget (docs/api-calls-flow-log.md)."""

import time

import pytest
from local_aws.recorder import is_mutating

pytestmark = pytest.mark.integration

ACCOUNT = "123456789012"
ROLE_ARN = "arn:aws:iam::{0}:role/flow-role".format(ACCOUNT)
GROUP = "/vpc/flow-logs"
MUTATING_FLOW_LOG_CALLS = ("CreateFlowLogs", "DeleteFlowLogs", "CreateTags", "DeleteTags")


def make_vpcs(aws, count):
    ec2 = aws.client("ec2")
    return [ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"] for _index in range(count)]


def flow_logs_of(aws, resource_ids):
    resource_ids = list(resource_ids)
    found = []
    for start in range(0, len(resource_ids), 200):  # EC2: at most 200 values per filter
        found += aws.client("ec2").describe_flow_logs(
            Filters=[{"Name": "resource-id", "Values": resource_ids[start:start + 200]}])["FlowLogs"]
    return found


def calls_since(aws, mark):
    return [c.operation for c in aws.recorder.calls(since=mark)]


@pytest.fixture
def group(aws):
    aws.client("logs").create_log_group(logGroupName=GROUP)
    return GROUP


def test_fifty_vpcs_created_in_one_run_then_nothing_to_do(aws, run_module, group):
    vpcs = make_vpcs(aws, 50)
    mark = aws.recorder.mark()
    result = run_module("flow_log", resource_ids=vpcs, log_group=group, role="flow-role", tags={"team": "net"})
    calls = calls_since(aws, mark)

    assert result.changed and not result.failed
    assert result["summary"]["created"] == 50 and set(result["resources"].values()) == {"created"}
    assert calls.count("CreateFlowLogs") == 1
    assert len(calls) <= 5, calls  # Describe*, GetCallerIdentity, DescribeFlowLogs, Create, DescribeFlowLogs
    existing = flow_logs_of(aws, vpcs)
    assert sorted(fl["ResourceId"] for fl in existing) == sorted(vpcs)
    assert {fl["DeliverLogsPermissionArn"] for fl in existing} == {ROLE_ARN}
    assert {fl["MaxAggregationInterval"] for fl in existing} == {60}
    assert all({"Key": "team", "Value": "net"} in fl["Tags"] for fl in existing)
    assert {fl["flow_log_id"] for fl in result["flow_logs"]} == {fl["FlowLogId"] for fl in existing}

    mark = aws.recorder.mark()
    again = run_module("flow_log", resource_ids=vpcs, log_group=group, role="flow-role", tags={"team": "net"})
    calls = calls_since(aws, mark)
    assert not again.changed
    assert again["summary"]["unchanged"] == 50
    assert sorted(calls) == ["DescribeFlowLogs", "DescribeVpcs", "GetCallerIdentity"]
    # With the role as an ARN, no STS call at all.
    mark = aws.recorder.mark()
    run_module("flow_log", resource_ids=vpcs, log_group=group, role=ROLE_ARN, tags={"team": "net"})
    assert sorted(calls_since(aws, mark)) == ["DescribeFlowLogs", "DescribeVpcs"]


@pytest.mark.slow
def test_call_count_does_not_grow_up_to_1000_vpcs(aws, run_module, group):
    vpcs = make_vpcs(aws, 1000)
    mark = aws.recorder.mark()
    started = time.monotonic()
    created = run_module("flow_log", resource_ids=vpcs, log_group=group, role=ROLE_ARN)
    create_seconds = time.monotonic() - started
    create_calls = calls_since(aws, mark)
    mark = aws.recorder.mark()
    started = time.monotonic()
    unchanged = run_module("flow_log", resource_ids=vpcs, log_group=group, role=ROLE_ARN)
    noop_seconds = time.monotonic() - started
    noop_calls = calls_since(aws, mark)

    assert created["summary"]["created"] == 1000 and not unchanged.changed
    # EC2 takes at most 200 values per filter (FilterLimitExceeded): 1000 ids are 5 Describe calls
    # per read; CreateFlowLogs takes all 1000 resources at once.
    assert sorted(create_calls) == ["CreateFlowLogs"] + ["DescribeFlowLogs"] * 10 + ["DescribeVpcs"] * 5
    assert sorted(noop_calls) == ["DescribeFlowLogs"] * 5 + ["DescribeVpcs"] * 5
    assert len(flow_logs_of(aws, vpcs)) == 1000
    print("1000 VPCs: create {0:.1f} s, no-change {1:.1f} s".format(create_seconds, noop_seconds))


def test_check_mode_changes_nothing_and_diff_shows_each_resource(aws, run_module, group):
    vpcs = make_vpcs(aws, 3)
    run_module("flow_log", resource_ids=vpcs[:1], log_group=group, role=ROLE_ARN)
    mark = aws.recorder.mark()
    result = run_module("flow_log", check_mode=True, diff=True, resource_ids=vpcs, log_group=group, role=ROLE_ARN,
                        log_format=5)
    assert result.changed
    assert [c for c in aws.recorder.calls(since=mark) if is_mutating(c.operation)] == []
    assert result["resources"] == {vpcs[0]: "replaced", vpcs[1]: "created", vpcs[2]: "created"}
    before, after = result["diff"]["before"], result["diff"]["after"]
    assert before[vpcs[1]] == [] and "${pkt-src-aws-service}" in after[vpcs[1]]["log_format"]
    assert before[vpcs[0]][0]["log_format"].endswith("${log-status}")
    assert after[vpcs[0]]["log_format"].endswith("${traffic-path}")
    # Predicted flow logs: the new ones (the replacement too) have no id yet.
    assert [fl["flow_log_id"] for fl in result["flow_logs"]] == [None, None, None]
    assert result["deleted_flow_log_ids"] == [flow_logs_of(aws, vpcs)[0]["FlowLogId"]]
    assert len(flow_logs_of(aws, vpcs)) == 1


def test_check_mode_fresh_account_makes_no_mutating_call(aws, run_module, group):
    vpcs = make_vpcs(aws, 2)
    aws.recorder.clear()
    result = run_module("flow_log", check_mode=True, resource_ids=vpcs, log_group=group, role="flow-role")
    assert result.changed and result["summary"]["created"] == 2
    assert aws.recorder.mutating() == []


def test_tag_change_retags_in_place_in_batched_calls(aws, run_module, group):
    vpcs = make_vpcs(aws, 20)
    first = run_module("flow_log", resource_ids=vpcs, log_group=group, role=ROLE_ARN, tags={"a": "1", "old": "x"})
    ids = sorted(fl["flow_log_id"] for fl in first["flow_logs"])
    mark = aws.recorder.mark()
    result = run_module("flow_log", resource_ids=vpcs, log_group=group, role=ROLE_ARN, tags={"a": "2"}, diff=True)
    calls = calls_since(aws, mark)
    assert result.changed and result["summary"]["retagged"] == 20
    assert calls.count("CreateTags") == 1 and calls.count("DeleteTags") == 1 and "CreateFlowLogs" not in calls
    assert sorted(fl["flow_log_id"] for fl in result["flow_logs"]) == ids
    # purge_tags removes the tags not named, never ManagedBy.
    assert all(fl["tags"] == {"a": "2", "ManagedBy": "netobs.flowlogs"} for fl in result["flow_logs"])
    assert all(fl["Tags"] == [{"Key": "ManagedBy", "Value": "netobs.flowlogs"}, {"Key": "a", "Value": "2"}]
               for fl in flow_logs_of(aws, vpcs))
    # purge_tags=false keeps tags that are not named.
    run_module("flow_log", resource_ids=vpcs, log_group=group, role=ROLE_ARN, tags={"b": "3"}, purge_tags=False)
    assert all(len(fl["Tags"]) == 3 for fl in flow_logs_of(aws, vpcs))


def test_immutable_change_creates_the_new_flow_log_before_deleting_the_old(aws, run_module, group):
    vpcs = make_vpcs(aws, 4)
    first = run_module("flow_log", resource_ids=vpcs, log_group=group, role=ROLE_ARN, tags={"keep": "me"})
    old_ids = {fl["flow_log_id"] for fl in first["flow_logs"]}
    mark = aws.recorder.mark()
    result = run_module("flow_log", resource_ids=vpcs, log_group=group, role=ROLE_ARN, max_aggregation_interval=600,
                        log_format=["version", "srcaddr", "dstaddr", "action"])
    calls = [c for c in calls_since(aws, mark) if c in MUTATING_FLOW_LOG_CALLS]
    assert calls == ["CreateFlowLogs", "DeleteFlowLogs"]  # one batched call each, create first
    assert result["summary"]["replaced"] == 4
    assert sorted(result["deleted_flow_log_ids"]) == sorted(old_ids)
    now = flow_logs_of(aws, vpcs)
    assert len(now) == 4 and not old_ids & {fl["FlowLogId"] for fl in now}
    assert {fl["LogFormat"] for fl in now} == {"${version} ${srcaddr} ${dstaddr} ${action}"}
    assert {fl["MaxAggregationInterval"] for fl in now} == {600}
    assert all(fl["Tags"] == [{"Key": "ManagedBy", "Value": "netobs.flowlogs"}, {"Key": "keep", "Value": "me"}]
               for fl in now)  # carried over
    assert not run_module("flow_log", resource_ids=vpcs, log_group=group, role=ROLE_ARN,
                          max_aggregation_interval=600, log_format="${version} ${srcaddr} ${dstaddr} ${action}").changed


def test_on_change_fail_stops_before_any_change_and_shows_the_differences(aws, run_module, group):
    vpcs = make_vpcs(aws, 2)
    run_module("flow_log", resource_ids=vpcs, log_group=group, role=ROLE_ARN)
    mark = aws.recorder.mark()
    result = run_module("flow_log", resource_ids=vpcs, log_group=group, role="arn:aws:iam::123456789012:role/other",
                        on_change="fail")
    assert result.failed and "on_change=fail" in result["msg"]
    assert [c for c in calls_since(aws, mark) if c in MUTATING_FLOW_LOG_CALLS] == []
    change = list(result["differences"][vpcs[0]].values())[0]
    assert change["role_arn"] == {"before": ROLE_ARN, "after": "arn:aws:iam::123456789012:role/other"}
    assert result["diff"]["after"][vpcs[0]]["role_arn"].endswith("role/other")


def test_log_group_arn_and_name_name_the_same_destination(aws, run_module, group):
    vpcs = make_vpcs(aws, 2)
    arn = "arn:aws:logs:us-east-1:{0}:log-group:{1}:*".format(ACCOUNT, group)
    created = run_module("flow_log", resource_ids=vpcs, destination_arn=arn, role=ROLE_ARN)
    assert created.changed
    assert {fl["LogGroupName"] for fl in flow_logs_of(aws, vpcs)} == {group}
    assert not run_module("flow_log", resource_ids=vpcs, log_group=group, role=ROLE_ARN).changed
    assert not run_module("flow_log", resource_ids=vpcs, destination_arn=arn[:-2], role=ROLE_ARN).changed


def test_flow_log_made_elsewhere_with_a_log_group_arn_is_recognised(aws, run_module, group):
    vpc = make_vpcs(aws, 1)[0]
    aws.client("ec2").create_flow_logs(
        ResourceType="VPC", ResourceIds=[vpc], TrafficType="ALL", MaxAggregationInterval=60,
        LogDestination="arn:aws:logs:us-east-1:{0}:log-group:{1}".format(ACCOUNT, group),
        DeliverLogsPermissionArn=ROLE_ARN)
    assert not run_module("flow_log", resource_ids=[vpc], log_group=group, role=ROLE_ARN).changed


def test_s3_destination_options_are_compared(aws, run_module):
    aws.client("s3").create_bucket(Bucket="flow-bucket")
    vpcs = make_vpcs(aws, 2)
    args = dict(resource_ids=vpcs, destination_type="s3", destination_arn="arn:aws:s3:::flow-bucket",
                destination_options=dict(file_format="parquet", per_hour_partition=True))
    created = run_module("flow_log", **args)
    assert created.changed, created
    assert created["flow_logs"][0]["destination_options"] == dict(
        file_format="parquet", hive_compatible_partitions=False, per_hour_partition=True)
    assert not run_module("flow_log", **args).changed
    args["destination_options"] = dict(file_format="parquet", per_hour_partition=False)
    changed = run_module("flow_log", **args)
    assert changed["summary"]["replaced"] == 2
    assert {fl["DestinationOptions"]["PerHourPartition"] for fl in flow_logs_of(aws, vpcs)} == {False}


def test_subnets_enis_and_transit_gateways(aws, run_module, group):
    ec2 = aws.client("ec2")
    vpc = make_vpcs(aws, 1)[0]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    eni = ec2.create_network_interface(SubnetId=subnet)["NetworkInterface"]["NetworkInterfaceId"]
    tgw = ec2.create_transit_gateway()["TransitGateway"]["TransitGatewayId"]
    for resource_type, rid in (("Subnet", subnet), ("NetworkInterface", eni)):
        result = run_module("flow_log", resource_type=resource_type, resource_ids=[rid], log_group=group,
                            role=ROLE_ARN, traffic_type="REJECT")
        assert result["resources"] == {rid: "created"}
        assert result["flow_logs"][0]["traffic_type"] == "REJECT"
    mark = aws.recorder.mark()
    result = run_module("flow_log", resource_type="TransitGateway", resource_ids=[tgw], log_group=group,
                        role=ROLE_ARN)
    assert result["resources"] == {tgw: "created"}
    assert calls_since(aws, mark)[0] == "DescribeTransitGateways"
    described = flow_logs_of(aws, [tgw])[0]
    assert "${tgw-id}" in described["LogFormat"] and described["MaxAggregationInterval"] == 60
    assert not run_module("flow_log", resource_type="TransitGateway", resource_ids=[tgw], log_group=group,
                          role=ROLE_ARN).changed


def test_state_absent_deletes_only_the_matching_destination(aws, run_module, group):
    aws.client("logs").create_log_group(logGroupName="other")
    vpcs = make_vpcs(aws, 3)
    run_module("flow_log", resource_ids=vpcs, log_group=group, role=ROLE_ARN)
    run_module("flow_log", resource_ids=vpcs, log_group="other", role=ROLE_ARN)
    mark = aws.recorder.mark()
    result = run_module("flow_log", resource_ids=vpcs, log_group=group, state="absent")
    assert calls_since(aws, mark).count("DeleteFlowLogs") == 1
    assert result["summary"]["deleted"] == 3 and result["flow_logs"] == []
    assert {fl["LogGroupName"] for fl in flow_logs_of(aws, vpcs)} == {"other"}
    assert not run_module("flow_log", resource_ids=vpcs, log_group=group, state="absent").changed
    gone = run_module("flow_log", resource_ids=vpcs, state="absent")
    assert gone["summary"]["deleted"] == 3 and flow_logs_of(aws, vpcs) == []


def test_create_delete_five_times_converges_with_a_new_client_token_each_run(aws, run_module, group):
    # EC2 answers a known ClientToken with the original (possibly deleted) flow logs: each run's
    # tokens are new, so every enable after a disable creates at once (one CreateFlowLogs).
    # (A reused token would show as a second CreateFlowLogs or a failure.)
    vpcs = make_vpcs(aws, 2)
    for _round in range(3):
        mark = aws.recorder.mark()
        created = run_module("flow_log", resource_ids=vpcs, log_group=group, role=ROLE_ARN)
        creates = [c for c in aws.recorder.calls(since=mark) if c.operation == "CreateFlowLogs"]
        assert not created.failed and created["summary"]["created"] == 2, created.get("msg")
        assert len(creates) == 1 and len(flow_logs_of(aws, vpcs)) == 2
        if _round < 2:
            deleted = run_module("flow_log", resource_ids=vpcs, log_group=group, state="absent")
            assert deleted["summary"]["deleted"] == 2 and flow_logs_of(aws, vpcs) == []


def test_unsuccessful_items_fail_the_task_with_a_reason_per_resource(aws, run_module):
    vpcs = make_vpcs(aws, 2)
    result = run_module("flow_log", resource_ids=vpcs, destination_type="s3",
                        destination_arn="arn:aws:s3:::no-such-bucket")
    assert result.failed
    assert set(result["failures"]) == set(vpcs)
    assert "does not exist" in result["failures"][vpcs[0]]
    assert result["summary"]["failed"] == 2 and result["flow_logs"] == []


BAD_INPUTS = [
    ("unknown format field", dict(log_format=["version", "srcaddr", "bogus-field"]), "log_format"),
    ("format text outside ${}", dict(log_format="${version} srcaddr"), "log_format"),
    ("format version 12", dict(log_format=12), "log_format"),
    ("tgw field on a VPC", dict(log_format=["version", "tgw-id"]), "log_format"),
    ("interval 300", dict(max_aggregation_interval=300), "max_aggregation_interval"),
    ("tgw with 600", dict(resource_type="TransitGateway", resource_ids=["tgw-0123456789abcdef0"],
                          max_aggregation_interval=600), "max_aggregation_interval"),
    ("tgw with traffic type", dict(resource_type="TransitGateway", resource_ids=["tgw-0123456789abcdef0"],
                                   traffic_type="ALL"), "traffic_type"),
    ("s3 options with cloudwatch", dict(destination_options=dict(file_format="parquet")), "destination_options"),
    ("nonexistent vpc", dict(), "resource_ids"),
    ("malformed id", dict(resource_ids=["vpc-xyz"]), "resource_ids"),
    ("subnet id as a VPC", dict(resource_ids=["subnet-0123456789abcdef0"]), "resource_ids"),
    ("log group from another region", dict(log_group=None,
                                           destination_arn="arn:aws:logs:eu-west-1:123456789012:log-group:g"),
     "destination_arn"),
    ("missing role for cloudwatch", dict(role=None), "role"),
    ("no destination", dict(log_group=None), "log_group"),
    ("role that is not a role", dict(role="arn:aws:iam::123456789012:user/bob"), "role"),
    ("s3 with a logs ARN", dict(log_group=None, role=None, destination_type="s3",
                                destination_arn="arn:aws:logs:us-east-1:123456789012:log-group:g"),
     "destination_arn"),
    ("role with s3", dict(log_group=None, destination_type="s3", destination_arn="arn:aws:s3:::b"), "role"),
    ("cross-account role with cloudwatch", dict(cross_account_role="arn:aws:iam::111122223333:role/x"),
     "cross_account_role"),
    ("bad tag key", dict(tags={"aws:reserved": "x"}), "tags"),
    ("both log group and ARN", dict(destination_arn="arn:aws:logs:us-east-1:123456789012:log-group:g"),
     "destination_arn"),
    ("empty resource list", dict(resource_ids=[]), "resource_ids"),
]


@pytest.mark.parametrize("case,override,param", BAD_INPUTS, ids=[case[0] for case in BAD_INPUTS])
def test_bad_input_fails_naming_the_parameter_and_changes_nothing(aws, run_module, case, override, param):
    # A well-formed id that does not exist: every case but "nonexistent vpc" must fail before asking.
    args = dict(resource_ids=["vpc-0123456789abcdef1"], log_group=GROUP, role=ROLE_ARN)
    args.update(override)
    args = dict((k, v) for k, v in args.items() if v is not None)
    result = run_module("flow_log", **args)
    assert result.failed, result
    assert param in result["msg"], result["msg"]
    assert aws.recorder.mutating() == []
    if case == "nonexistent vpc":
        assert [c.operation for c in aws.recorder.calls()] == ["DescribeVpcs"]
        assert "vpc-0123456789abcdef1" in result["msg"] and result["invalid_parameter"] == "resource_ids"
    else:
        assert aws.recorder.calls() == []  # refused before any AWS call
