"""The enable role and what it does not own: the shared delivery policy, foreign IAM and log groups.

Real ansible-playbook runs against the local AWS, whose DescribeFlowLogs computes DeliverLogsStatus
from the role's trust and policies at every read: a flow log whose role lost permission to deliver
into its log group reads FAILED. Issue 14's cases 1, 3, 5, 6 and 7 (case 8 is a unit test,
tests/unit/plugins/module_utils/test_policy.py).
"""

import json

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ACCOUNT = "123456789012"
OWNED = {"ManagedBy": "netobs.flowlogs"}
TARGETS = {"use1": ("us-east-1", "/vpc/flow-logs-use1"), "euw1": ("eu-west-1", "/vpc/flow-logs-euw1")}
ENABLE = "playbooks/enable_flowlogs.yml"


def flow_logs(aws, region):
    return aws.client("ec2", region=region).describe_flow_logs()["FlowLogs"]


def delivery_document(aws, name="flowlog"):
    iam = aws.client("iam")
    arn = "arn:aws:iam::{0}:policy/{1}".format(ACCOUNT, name)
    version = iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"]
    return iam.get_policy_version(PolicyArn=arn, VersionId=version)["PolicyVersion"]["Document"]


def inventory(tmp_path, hosts):
    path = tmp_path / "targets.yml"
    path.write_text(json.dumps({"all": {"hosts": dict(
        (host, dict(aws_region=TARGETS[host][0], flowlogs_log_group_name=TARGETS[host][1],
                    ansible_connection="local")) for host in hosts)}}))
    return str(path)


def run_enable(run_playbook, tmp_path, name, inventory_path=None, **extra_vars):
    summary_path = tmp_path / (name + ".json")
    variables = dict(flowlogs_summary_path=str(summary_path), flowlogs_vpc_ids="all")
    variables.update(extra_vars)
    run = run_playbook(ENABLE, inventory=inventory_path, extra_vars=variables)
    assert summary_path.exists(), run.stdout[-3000:] + run.stderr[-3000:]
    summary = json.loads(summary_path.read_text())
    return run, dict((t["target"], t) for t in summary["targets"])


def test_two_regions_with_their_own_log_groups_both_keep_delivering(aws, run_playbook, tmp_path):
    """Case 1: the shared `flowlog` policy names every region's group, and a re-run changes nothing."""
    hosts = inventory(tmp_path, ["use1", "euw1"])
    first, targets = run_enable(run_playbook, tmp_path, "first", hosts)  # both targets at once (forks)
    assert first.returncode == 0, first.stdout[-3000:]
    resources = delivery_document(aws)["Statement"]
    assert {s["Sid"]: s["Resource"] for s in resources} == {
        "FlowLogsDescribeLogGroups": "*",
        "FlowLogsDelivery": sorted("arn:aws:logs:*:{0}:log-group:{1}:*".format(ACCOUNT, group)
                                   for _region, group in TARGETS.values())}
    for region, group in TARGETS.values():
        logs = flow_logs(aws, region)
        assert logs and {(fl["LogGroupName"], fl["DeliverLogsStatus"]) for fl in logs} == {(group, "SUCCESS")}

    mark = aws.recorder.mark()
    second, targets = run_enable(run_playbook, tmp_path, "second", hosts)
    assert second.returncode == 0, second.stdout[-3000:]
    assert aws.recorder.mutating(since=mark) == []
    assert [t["changed"] for t in targets.values()] == [False, False]
    assert "changed=0" in second.stdout.split("PLAY RECAP")[-1]

    # One target run again with another group: the other region's flow logs still deliver.
    other = "/vpc/flow-logs-other"
    third, targets = run_enable(run_playbook, tmp_path, "third", inventory(tmp_path, ["use1"]),
                                flowlogs_log_group_name=other)
    assert third.returncode == 0, third.stdout[-3000:]
    assert "arn:aws:logs:*:{0}:log-group:{1}:*".format(ACCOUNT, other) in delivery_document(aws)["Statement"][1][
        "Resource"]
    assert {fl["DeliverLogsStatus"] for fl in flow_logs(aws, "eu-west-1")} == {"SUCCESS"}
    assert {fl["DeliverLogsStatus"] for fl in flow_logs(aws, "us-east-1")} == {"SUCCESS"}


def make_foreign_role(aws):
    """Case 3's role: another team's `vpcflowlog`, trusted by them too, with their grants."""
    iam = aws.client("iam")
    trust = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "vpc-flow-logs.amazonaws.com"}, "Action": "sts:AssumeRole"},
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999999999999:root"}, "Action": "sts:AssumeRole"}]}
    iam.create_role(RoleName="vpcflowlog", AssumeRolePolicyDocument=json.dumps(trust), Description="team x",
                    Tags=[{"Key": "Owner", "Value": "teamx"}])
    admin = iam.create_policy(PolicyName="teamx-admin", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}]}))
    iam.attach_role_policy(RoleName="vpcflowlog", PolicyArn=admin["Policy"]["Arn"])
    iam.put_role_policy(RoleName="vpcflowlog", PolicyName="everything", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
    aws.client("ec2").create_vpc(CidrBlock="10.1.0.0/16")
    return admin["Policy"]["Arn"]


def test_a_foreign_role_is_refused_before_any_change_then_adopted_only_on_request(aws, run_playbook, tmp_path):
    """Case 3: without flowlogs_adopt_existing nothing changes; with it the role is cleaned and listed."""
    admin = make_foreign_role(aws)
    mark = aws.recorder.mark()
    refused, targets = run_enable(run_playbook, tmp_path, "refused")
    assert refused.returncode != 0
    target = targets["localhost"]
    message = target["error"]["message"]
    assert target["status"] == "failed" and target["changed"] is False, target
    for fragment in ("role vpcflowlog exists", "flowlogs_adopt_existing", "AWS:arn:aws:iam::999999999999:root",
                     "delete inline policy everything", "detach " + admin, "'team x' would become"):
        assert fragment in message, message
    assert aws.recorder.mutating(since=mark) == []  # not even the log group or the policy
    assert aws.client("logs").describe_log_groups()["logGroups"] == []

    adopted, targets = run_enable(run_playbook, tmp_path, "adopted", flowlogs_adopt_existing=True)
    assert adopted.returncode == 0, adopted.stdout[-3000:]
    role = adopted.result("netobs.flowlogs.enable : Converge the log group, delivery policy and role, and the flow "
                          "logs of every chosen resource", host="localhost")["role"]
    assert role["adopted"] is True and role["owned"] is True
    assert role["removed_trust_principals"] == ["AWS:arn:aws:iam::999999999999:root"]
    assert role["removed_inline_policies"] == ["everything"]
    iam = aws.client("iam")
    assert iam.list_role_policies(RoleName="vpcflowlog")["PolicyNames"] == []
    assert [p["PolicyName"] for p in iam.list_attached_role_policies(RoleName="vpcflowlog")["AttachedPolicies"]] == [
        "flowlog"]
    tags = dict((t["Key"], t["Value"]) for t in iam.get_role(RoleName="vpcflowlog")["Role"]["Tags"])
    assert tags == dict(OWNED, Owner="teamx")
    assert {fl["DeliverLogsStatus"] for fl in flow_logs(aws, "us-east-1")} == {"SUCCESS"}


def test_a_foreign_log_group_is_refused_naming_its_retention(aws, run_playbook):
    """Case 3 for the log group: another team's /vpc/flow-logs with 30 days is not changed to 7."""
    aws.client("logs").create_log_group(logGroupName="/vpc/flow-logs", tags={"Owner": "teamy"})
    aws.client("logs").put_retention_policy(logGroupName="/vpc/flow-logs", retentionInDays=30)
    mark = aws.recorder.mark()
    run = run_playbook(ENABLE, extra_vars=dict(flowlogs_write_summary=False))
    assert run.returncode != 0
    assert "log group /vpc/flow-logs exists" in run.stdout and "set retention to 7 days" in run.stdout
    assert aws.recorder.mutating(since=mark) == []


def test_an_owned_policy_with_another_description_only_warns(aws, run_playbook, tmp_path):
    """Case 6: IAM cannot change a description; the run warns and converges instead of failing for good."""
    iam = aws.client("iam")
    iam.create_policy(PolicyName="flowlog", Description="made by hand", Tags=[dict(Key="ManagedBy",
                                                                                   Value="netobs.flowlogs")],
                      PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
                          {"Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": "*"}]}))
    aws.client("ec2").create_vpc(CidrBlock="10.1.0.0/16")
    run, targets = run_enable(run_playbook, tmp_path, "described")
    assert run.returncode == 0, run.stdout[-3000:]
    assert "IAM cannot change a policy's description" in run.stdout + run.stderr
    assert {fl["DeliverLogsStatus"] for fl in flow_logs(aws, "us-east-1")} == {"SUCCESS"}
    mark = aws.recorder.mark()
    again, targets = run_enable(run_playbook, tmp_path, "again")
    assert again.returncode == 0 and aws.recorder.mutating(since=mark) == []


def test_an_empty_kms_key_removes_the_key_of_an_owned_group(aws, run_playbook, tmp_path):
    """Case 7: flowlogs_kms_key_id "" ("empty for none") disassociates the key; a re-run changes nothing."""
    kms = aws.client("kms")
    key = kms.create_key()["KeyMetadata"]["Arn"]
    aws.client("ec2").create_vpc(CidrBlock="10.1.0.0/16")
    run, _targets = run_enable(run_playbook, tmp_path, "keyed", flowlogs_kms_key_id=key)
    assert run.returncode == 0, run.stdout[-3000:]
    assert aws.client("logs").describe_log_groups()["logGroups"][0]["kmsKeyId"] == key

    run, _targets = run_enable(run_playbook, tmp_path, "unkeyed", flowlogs_kms_key_id="")
    assert run.returncode == 0, run.stdout[-3000:]
    assert "kmsKeyId" not in aws.client("logs").describe_log_groups()["logGroups"][0]
    assert aws.recorder.operations(service="logs")["DisassociateKmsKey"] == 1
    mark = aws.recorder.mark()
    run, targets = run_enable(run_playbook, tmp_path, "again")
    assert run.returncode == 0 and aws.recorder.mutating(since=mark) == []
    assert targets["localhost"]["changed"] is False
