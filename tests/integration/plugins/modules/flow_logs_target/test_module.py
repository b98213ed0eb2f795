"""netobs.flowlogs.flow_logs_target against the local AWS: a whole target (log group, delivery policy,
role, flow logs of every VPC) in one module run - first run, a second run with no change, check mode
with zero mutating calls, diff mode, checks before the first change, and the API-call budget."""

import json

import pytest
from local_aws.recorder import is_mutating

pytestmark = pytest.mark.integration

ACCOUNT = "123456789012"


def vpcs_of(aws):
    return sorted(v["VpcId"] for v in aws.client("ec2").describe_vpcs()["Vpcs"])


def calls_since(aws, mark):
    return [c.operation for c in aws.recorder.calls(since=mark)]


def make_vpcs(aws, count):
    ec2 = aws.client("ec2")
    return [ec2.create_vpc(CidrBlock="10.{0}.0.0/16".format(i))["Vpc"]["VpcId"] for i in range(count)]


def test_first_run_converges_the_target_then_a_second_run_changes_nothing(aws, run_module):
    make_vpcs(aws, 3)
    vpcs = vpcs_of(aws)  # with the region's default VPC
    mark = aws.recorder.mark()
    first = run_module("flow_logs_target", retention_days=7, tags={"team": "net"}, flow_log_name="vpc-flowlog")
    calls = calls_since(aws, mark)
    assert first.changed and not first.failed, first
    assert first["resource_ids"] == vpcs
    assert first["summary"]["created"] == len(vpcs)
    assert first["log_group"]["name"] == "/vpc/flow-logs" and first["log_group"]["retention_days"] == 7
    assert first["role"]["arn"] == "arn:aws:iam::{0}:role/vpcflowlog".format(ACCOUNT)
    assert first["policy"]["arn"] == "arn:aws:iam::{0}:policy/flowlog".format(ACCOUNT)
    print("first run", len(calls), calls)
    assert len(calls) <= 14, calls
    flow_logs = aws.client("ec2").describe_flow_logs()["FlowLogs"]
    assert sorted(fl["ResourceId"] for fl in flow_logs) == vpcs
    assert {fl["DeliverLogsPermissionArn"] for fl in flow_logs} == {first["role"]["arn"]}
    assert {fl["DeliverLogsStatus"] for fl in flow_logs} == {"SUCCESS"}
    assert all({"Key": "Name", "Value": "vpc-flowlog"} in fl["Tags"] for fl in flow_logs)
    attached = aws.client("iam").list_attached_role_policies(RoleName="vpcflowlog")["AttachedPolicies"]
    assert [p["PolicyArn"] for p in attached] == [first["policy"]["arn"]]

    mark = aws.recorder.mark()
    second = run_module("flow_logs_target", retention_days=7, tags={"team": "net"}, flow_log_name="vpc-flowlog")
    calls = calls_since(aws, mark)
    assert not second.changed and not second.failed, second
    assert second["summary"]["unchanged"] == len(vpcs)
    assert [c for c in calls if is_mutating(c)] == []
    print("no-change run", len(calls), calls)
    assert len(calls) <= 9, calls


def test_check_mode_plans_the_whole_target_with_zero_mutating_calls(aws, run_module):
    make_vpcs(aws, 2)
    vpcs = vpcs_of(aws)
    mark = aws.recorder.mark()
    result = run_module("flow_logs_target", check_mode=True, diff=True)
    calls = calls_since(aws, mark)
    assert result.changed and not result.failed, result
    assert [c for c in calls if is_mutating(c)] == []
    assert result["summary"]["created"] == len(vpcs)
    assert set(result["diff"]["after"]) == {"log_group", "policy", "role", "flow_logs"}
    assert result["diff"]["before"]["log_group"] == {}
    assert result["diff"]["after"]["log_group"]["name"] == "/vpc/flow-logs"
    assert aws.client("ec2").describe_flow_logs()["FlowLogs"] == []
    assert aws.client("logs").describe_log_groups()["logGroups"] == []


def test_the_policy_keeps_the_log_groups_other_regions_added(aws, run_module):
    make_vpcs(aws, 1)
    run_module("flow_logs_target", log_group_name="/vpc/use1")
    run_module("flow_logs_target", log_group_name="/vpc/euw1", region="eu-west-1")
    version = aws.client("iam").get_policy(PolicyArn="arn:aws:iam::{0}:policy/flowlog".format(ACCOUNT))["Policy"]
    document = aws.client("iam").get_policy_version(PolicyArn=version["Arn"], VersionId=version["DefaultVersionId"])
    text = json.dumps(document["PolicyVersion"]["Document"])
    assert "log-group:/vpc/use1:*" in text and "log-group:/vpc/euw1:*" in text


def test_a_missing_vpc_fails_before_any_change_naming_it(aws, run_module):
    mark = aws.recorder.mark()
    result = run_module("flow_logs_target", resource_ids=["vpc-0123456789abcdef0"],
                        option_names={"resource_ids": "flowlogs_vpc_ids"})
    assert result.failed
    assert "flowlogs_vpc_ids" in result["msg"] and "vpc-0123456789abcdef0" in result["msg"]
    assert [c for c in calls_since(aws, mark) if is_mutating(c)] == []


def test_a_foreign_role_stops_the_target_before_the_log_group_is_made(aws, run_module):
    make_vpcs(aws, 1)
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                     "Principal": {"Service": "vpc-flow-logs.amazonaws.com"}}]}
    aws.client("iam").create_role(RoleName="vpcflowlog", AssumeRolePolicyDocument=json.dumps(trust))
    mark = aws.recorder.mark()
    result = run_module("flow_logs_target", option_names={"adopt": "flowlogs_adopt_existing"})
    assert result.failed, result
    assert "vpcflowlog" in result["msg"]
    assert [c for c in calls_since(aws, mark) if is_mutating(c)] == []
    assert aws.client("logs").describe_log_groups()["logGroups"] == []


def test_bad_values_name_the_role_variable(aws, run_module):
    result = run_module("flow_logs_target", retention_days=8,
                        option_names={"retention_days": "flowlogs_retention_days"})
    assert result.failed and "flowlogs_retention_days" in result["msg"], result
    result = run_module("flow_logs_target", log_group_name="bad name!",
                        option_names={"log_group_name": "flowlogs_log_group_name"})
    assert result.failed and "flowlogs_log_group_name" in result["msg"], result
