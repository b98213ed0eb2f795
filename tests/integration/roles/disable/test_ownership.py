"""The disable role deletes only what the collection owns, and never a role, policy or log group
that a flow log staying behind still uses (real ansible-playbook runs on the local AWS)."""

import json

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ACCOUNT = "123456789012"
GROUP = "/vpc/flow-logs"
ROLE_ARN = "arn:aws:iam::{0}:role/vpcflowlog".format(ACCOUNT)
OUTCOME = "netobs.flowlogs.disable : Record this target's outcome"


def playbook(role, **variables):
    lines = ["- hosts: localhost", "  gather_facts: false", "  tasks:",
             "    - ansible.builtin.include_role:", "        name: netobs.flowlogs.{0}".format(role),
             "      vars:", "        aws_region: us-east-1"]
    lines += ["        {0}: {1}".format(name, json.dumps(value)) for name, value in variables.items()]
    return "\n".join(lines) + "\n"


def summary_of(run, name=OUTCOME):
    assert run.returncode == 0, run.stdout[-4000:]
    return run.result(name)["ansible_facts"]["flowlogs_target_summary"]


def all_flow_logs(aws):
    return aws.client("ec2").describe_flow_logs()["FlowLogs"]


@pytest.fixture
def estate(aws, run_playbook):
    """3 VPCs enabled by the role; a subnet and an ENI flow log through the same role and group; and
    another team's REJECT flow log to the same log group on the first VPC (another role, Owner: teamY)."""
    ec2 = aws.client("ec2")
    vpcs = [ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"] for _vpc in range(3)]
    summary_of(run_playbook(playbook("enable", flowlogs_vpc_ids=vpcs)),
               "netobs.flowlogs.enable : Record this target's outcome")
    subnet = ec2.create_subnet(VpcId=vpcs[2], CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    eni = ec2.create_network_interface(SubnetId=subnet)["NetworkInterface"]["NetworkInterfaceId"]
    for resource_type, resource_id in (("Subnet", subnet), ("NetworkInterface", eni)):
        ec2.create_flow_logs(ResourceType=resource_type, ResourceIds=[resource_id], TrafficType="ALL",
                             LogGroupName=GROUP, DeliverLogsPermissionArn=ROLE_ARN)
    team = ec2.create_flow_logs(
        ResourceType="VPC", ResourceIds=vpcs[:1], TrafficType="REJECT", LogGroupName=GROUP,
        DeliverLogsPermissionArn="arn:aws:iam::{0}:role/teamy".format(ACCOUNT),
        TagSpecifications=[dict(ResourceType="vpc-flow-log", Tags=[dict(Key="Owner", Value="teamY")])])
    return dict(vpcs=vpcs, subnet=subnet, eni=eni, team=team["FlowLogIds"][0])


def test_disable_keeps_other_teams_flow_logs_and_shared_iam_and_log_group(aws, run_playbook, estate):
    vpcs = estate["vpcs"]
    # Check mode first: it predicts the same and changes nothing.
    aws.recorder.clear()
    predicted = summary_of(run_playbook(playbook("disable", flowlogs_vpc_ids=vpcs[:1], flowlogs_remove_iam=True,
                                                 flowlogs_remove_log_group=True), check=True))
    assert aws.recorder.mutating() == []
    run = run_playbook(playbook("disable", flowlogs_vpc_ids=vpcs[:1], flowlogs_remove_iam=True,
                                flowlogs_remove_log_group=True))
    summary = summary_of(run)
    assert summary["counts"]["deleted"] == 1 and predicted["counts"]["deleted"] == 1
    left = all_flow_logs(aws)
    # teamY's flow log to the same log group stays; so do the other VPCs', the subnet's and the ENI's.
    assert estate["team"] in {fl["FlowLogId"] for fl in left}
    assert not [fl for fl in left if fl["ResourceId"] == vpcs[0] and fl["FlowLogId"] != estate["team"]]
    assert len(left) == 5
    # The role, the policy and the log group are still used: kept, and the summary says why.
    aws.client("iam").get_role(RoleName="vpcflowlog")
    aws.client("iam").get_policy(PolicyArn="arn:aws:iam::{0}:policy/flowlog".format(ACCOUNT))
    assert aws.client("logs").describe_log_groups(logGroupNamePrefix=GROUP)["logGroups"]
    kept = dict((k["resource"], k["reason"]) for k in summary["kept"])
    assert "still used by 4 flow log(s)" in kept["role vpcflowlog and policy flowlog"]
    assert estate["eni"] in kept["role vpcflowlog and policy flowlog"]
    assert "still used by 5 flow log(s)" in kept["log group " + GROUP]
    assert "flow log {0} on {1}".format(estate["team"], vpcs[0]) in kept
    assert summary["counts"]["iam_removed"] == 0 and summary["counts"]["log_groups_removed"] == 0
    assert [k["resource"] for k in predicted["kept"]] == [k["resource"] for k in summary["kept"]]


def test_disable_removes_shared_iam_once_nothing_uses_it(aws, run_playbook, estate):
    ec2 = aws.client("ec2")
    ec2.delete_flow_logs(FlowLogIds=[fl["FlowLogId"] for fl in all_flow_logs(aws)
                                     if fl["ResourceId"] in (estate["subnet"], estate["eni"])
                                     or fl["FlowLogId"] == estate["team"]])
    summary = summary_of(run_playbook(playbook("disable", flowlogs_remove_iam=True, flowlogs_remove_log_group=True)))
    assert summary["counts"]["deleted"] == 3 and summary["counts"]["iam_removed"] == 1
    assert summary["counts"]["log_groups_removed"] == 1 and summary["kept"] == []
    assert all_flow_logs(aws) == []
