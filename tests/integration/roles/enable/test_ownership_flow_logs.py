"""The enable role and the flow logs it does not own, on the local AWS (real ansible-playbook runs).

- everything knowable is checked before the first mutating call (a missing VPC, 49 tags + Name +
  ManagedBy, a 257-character flow-log name, an aws-cn KMS key for us-east-1): zero mutating calls;
- a destination change (another log group, another traffic type) replaces the owned flow log,
  never another team's; flowlogs_on_change=fail stops before any change naming the differences;
- a VPC with its quota of 2 flow logs, one not ours: the replace stops before any change;
- enable -> disable -> enable -> disable -> enable converges every time (a new ClientToken per run);
- a flow log that does not deliver is reported and not counted as covered;
- 450 VPCs: enable, a no-change run and disable succeed within EC2's 200 filter values per call.
"""

import json

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]

GROUP = "/vpc/flow-logs"
OUTCOME = "netobs.flowlogs.enable : Record this target's outcome"
SHOW = "netobs.flowlogs.enable : Show this target's outcome"
MANAGED = {"Key": "ManagedBy", "Value": "netobs.flowlogs"}


def playbook(role, **variables):
    lines = ["- hosts: localhost", "  gather_facts: false", "  tasks:",
             "    - ansible.builtin.include_role:", "        name: netobs.flowlogs.{0}".format(role),
             "      vars:"]
    for name, value in variables.items():
        lines.append("        {0}: {1}".format(name, json.dumps(value)))
    return "\n".join(lines) + "\n"


def make_vpcs(aws, count):
    ec2 = aws.client("ec2")
    return [ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"] for _vpc in range(count)]


def flow_logs(aws, resource_ids=None):
    ec2 = aws.client("ec2")
    if not resource_ids:
        return [fl for page in ec2.get_paginator("describe_flow_logs").paginate() for fl in page["FlowLogs"]]
    found = []
    for start in range(0, len(resource_ids), 200):
        found += ec2.describe_flow_logs(Filters=[{"Name": "resource-id",
                                                  "Values": resource_ids[start:start + 200]}])["FlowLogs"]
    return found


def enable(run_playbook, check=False, **variables):
    variables.setdefault("aws_region", "us-east-1")
    return run_playbook(playbook("enable", **variables), check=check)


def outcome(run):
    assert run.returncode == 0, run.stdout[-4000:]
    return run.result(OUTCOME)["ansible_facts"]["flowlogs_target_summary"]


def failure(run):
    assert run.returncode != 0, run.stdout[-3000:]
    failed = [r["result"] for r in run.results if r["status"] == "failed"]
    assert failed, run.stdout[-3000:] + run.stderr[-3000:]
    return failed[-1]


@pytest.mark.parametrize("case, variables, needle", [
    ("missing VPC", dict(flowlogs_vpc_ids=["vpc-0123456789abcdef0"]), "flowlogs_vpc_ids: VPC id not found"),
    ("50 tags with Name and ManagedBy", dict(flowlogs_tags=dict(("k{0}".format(i), "v") for i in range(49))),
     "flowlogs_tags (with the Name tag flowlogs_flow_log_name): has 50 tags"),
    ("flow-log name over 256", dict(flowlogs_flow_log_name="n" * 257), "flowlogs_flow_log_name: is 257 characters"),
    ("aws-cn KMS key for us-east-1",
     dict(flowlogs_kms_key_id="arn:aws-cn:kms:us-east-1:123456789012:key/0a1b2c3d-0a1b-0a1b-0a1b-0a1b2c3d4e5f"),
     "flowlogs_kms_key_id: the key's ARN is in partition aws-cn"),
])
def test_everything_knowable_is_checked_before_the_first_change(aws, run_playbook, case, variables, needle):
    vpcs = make_vpcs(aws, 1)
    variables.setdefault("flowlogs_vpc_ids", vpcs)
    aws.recorder.clear()
    failed = failure(enable(run_playbook, **variables))
    assert needle in failed["msg"], failed["msg"]
    assert aws.recorder.mutating() == [], case
    assert aws.client("logs").describe_log_groups()["logGroups"] == []


def test_enable_disable_five_times_converges(aws, run_playbook):
    vpcs = make_vpcs(aws, 2)
    for round_ in range(3):
        summary = outcome(enable(run_playbook, flowlogs_vpc_ids=vpcs))
        assert summary["counts"]["created"] == 2 and summary["counts"]["covered"] == 2, round_
        owned = flow_logs(aws, vpcs)
        assert len(owned) == 2 and all(MANAGED in fl["Tags"] for fl in owned)
        if round_ < 2:
            gone = run_playbook(playbook("disable", aws_region="us-east-1", flowlogs_vpc_ids=vpcs))
            assert gone.returncode == 0, gone.stdout[-3000:]
            assert flow_logs(aws, vpcs) == [], gone.stdout[-5000:]


def test_a_new_log_group_replaces_the_owned_flow_log_and_keeps_the_other_teams(aws, run_playbook):
    vpcs = make_vpcs(aws, 2)
    outcome(enable(run_playbook, flowlogs_vpc_ids=vpcs))
    ec2 = aws.client("ec2")
    # Another team's REJECT flow log to a bucket on the first VPC (not tagged ManagedBy).
    aws.client("s3").create_bucket(Bucket="security-team")
    ec2.create_flow_logs(ResourceType="VPC", ResourceIds=vpcs[:1], TrafficType="REJECT", LogDestinationType="s3",
                         LogDestination="arn:aws:s3:::security-team",
                         TagSpecifications=[dict(ResourceType="vpc-flow-log", Tags=[dict(Key="Owner", Value="teamY")])])
    old = dict((fl["ResourceId"], fl["FlowLogId"]) for fl in flow_logs(aws, vpcs) if MANAGED in fl["Tags"])

    # flowlogs_on_change=fail: nothing changes, the message names the differences and the variable.
    aws.recorder.clear()
    failed = failure(enable(run_playbook, flowlogs_vpc_ids=vpcs, flowlogs_log_group_name="/vpc/new",
                            flowlogs_on_change="fail"))
    assert "set flowlogs_on_change=replace" in failed["msg"] and "log_group_name /vpc/flow-logs -> /vpc/new" \
        in failed["msg"], failed["msg"]
    assert aws.recorder.mutating() == []

    # The first VPC holds 2 flow logs (ours and teamY's): no room for the new one; nothing changes.
    aws.recorder.clear()
    failed = failure(enable(run_playbook, flowlogs_vpc_ids=vpcs, flowlogs_log_group_name="/vpc/new"))
    assert "no room for another flow log" in failed["msg"] and "not managed by netobs.flowlogs" in failed["msg"]
    assert vpcs[0] in failed["msg"] and vpcs[1] not in failed["quota_exceeded"]
    assert aws.recorder.mutating() == []

    # On the second VPC alone: new first, then the old one; teamY's is never touched.
    summary = outcome(enable(run_playbook, flowlogs_vpc_ids=vpcs[1:], flowlogs_log_group_name="/vpc/new"))
    assert summary["counts"]["replaced"] == 1 and summary["counts"]["covered"] == 1
    now = flow_logs(aws, vpcs)
    assert old[vpcs[1]] not in {fl["FlowLogId"] for fl in now}
    assert [fl["LogGroupName"] for fl in now if fl["ResourceId"] == vpcs[1]] == ["/vpc/new"]
    assert len([fl for fl in now if fl["ResourceId"] == vpcs[0]]) == 2
    # Another traffic type replaces too, and a second run changes nothing.
    summary = outcome(enable(run_playbook, flowlogs_vpc_ids=vpcs[1:], flowlogs_log_group_name="/vpc/new",
                             flowlogs_traffic_type="REJECT"))
    assert summary["counts"]["replaced"] == 1
    again = enable(run_playbook, flowlogs_vpc_ids=vpcs[1:], flowlogs_log_group_name="/vpc/new",
                   flowlogs_traffic_type="REJECT")
    assert not outcome(again)["changed"]


def test_check_mode_says_it_is_a_check_and_the_outcome_adds_up(aws, run_playbook):
    vpcs = make_vpcs(aws, 4)
    run = enable(run_playbook, check=True, flowlogs_vpc_ids=vpcs)
    summary = outcome(run)
    line = run.result(SHOW)["msg"]
    assert "would create 4" in line and "check mode" in line, line
    counts = summary["counts"]
    assert sum(counts[k] for k in ("created", "replaced", "retagged", "unchanged", "failed")) == 4
    outcome(enable(run_playbook, flowlogs_vpc_ids=vpcs))
    run = enable(run_playbook, flowlogs_vpc_ids=vpcs, flowlogs_tags=dict(ManagedBy="netobs.flowlogs", team="b"))
    line = run.result(SHOW)["msg"]
    assert "retag 4" in line, line


def test_a_flow_log_that_does_not_deliver_is_not_covered(aws, run_playbook):
    vpcs = make_vpcs(aws, 2)
    assert outcome(enable(run_playbook, flowlogs_vpc_ids=vpcs))["counts"]["covered"] == 2
    # Someone adds a Deny on the delivery role that the role does not manage: AWS stops delivering.
    aws.client("iam").put_role_policy(RoleName="vpcflowlog", PolicyName="deny-logs", PolicyDocument=json.dumps(
        dict(Version="2012-10-17", Statement=[dict(Effect="Deny", Action="logs:*", Resource="*")])))
    run = enable(run_playbook, flowlogs_vpc_ids=vpcs)
    summary = outcome(run)
    assert summary["counts"]["unchanged"] == 2 and summary["counts"]["covered"] == 0
    assert summary["counts"]["delivery_failing"] == 2
    assert summary["delivery_failures"] == dict((vpc, "Access error") for vpc in vpcs)
    assert "2 not delivering" in run.result(SHOW)["msg"]
    audit = run_playbook(playbook("audit", aws_region="us-east-1", flowlogs_vpc_ids=vpcs,
                                  flowlogs_audit_fail_on_uncovered=False))
    assert audit.returncode == 0, audit.stdout[-3000:]
    facts = audit.result("netobs.flowlogs.audit : Record this target's coverage")["ansible_facts"]
    reasons = facts["flowlogs_target_summary"]["resources"]
    assert all(reasons[vpc].endswith("delivery failing: Access error") for vpc in vpcs), reasons


def test_450_vpcs_enable_no_change_and_disable_within_the_filter_limit(aws, run_playbook):
    # The local AWS refuses more than 200 values in one filter (FilterLimitExceeded): every run
    # succeeding is the proof that every Describe stayed within it.
    vpcs = make_vpcs(aws, 450)
    assert outcome(enable(run_playbook, flowlogs_vpc_ids=vpcs))["counts"]["created"] == 450
    assert not outcome(enable(run_playbook, flowlogs_vpc_ids=vpcs))["changed"]
    gone = run_playbook(playbook("disable", aws_region="us-east-1", flowlogs_vpc_ids=vpcs))
    assert gone.returncode == 0, gone.stdout[-3000:]
    assert flow_logs(aws, vpcs) == []
    assert aws.recorder.calls(since=0) and not [c for c in aws.recorder.calls() if c.status == 400]
