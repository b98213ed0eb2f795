"""enable/disable_flowlogs.yml over a fleet on the local AWS: real ansible-playbook runs, many accounts.

The fleet: an organization with 3 member accounts (read by the aws_accounts inventory plugin) x 2
regions, 5 VPCs each (plus the default VPC moto gives every region), and one more target whose
role cannot be assumed (its base credentials belong to an account whose AssumeRole calls fail).
"""

import json

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]

REGIONS = ("us-east-1", "eu-west-1")
VPCS_PER_TARGET = 5
BAD_ACCOUNT = "444444444444"
BAD_CALLER_ACCOUNT = "999999999999"  # the base credentials of the bad target act here
BAD_HOST = "{0}-us-east-1".format(BAD_ACCOUNT)
LOG_GROUP = "/vpc/flow-logs"
TARGET_TASK = ("netobs.flowlogs.enable : Converge the log group, delivery policy and role, and the flow logs of "
               "every chosen resource")


def make_vpcs(aws, account, region, count):
    ec2 = aws.client("ec2", account=account, region=region)
    return [ec2.create_vpc(CidrBlock="10.{0}.0.0/16".format(i))["Vpc"]["VpcId"] for i in range(count)]


def vpc_ids(aws, account, region):
    return sorted(v["VpcId"] for v in aws.client("ec2", account=account, region=region).describe_vpcs()["Vpcs"])


def flow_logs(aws, account, region):
    return aws.client("ec2", account=account, region=region).describe_flow_logs()["FlowLogs"]


@pytest.fixture
def fleet(aws, tmp_path):
    """The organization's accounts, their VPCs, the inventory sources and the bad target's fault."""
    org = aws.client("organizations")
    org.create_organization(FeatureSet="ALL")
    management = org.describe_organization()["Organization"]["MasterAccountId"]
    accounts = []
    for name in ("alpha", "bravo", "charlie"):
        status = org.create_account(Email=name + "@example.com", AccountName=name)["CreateAccountStatus"]
        accounts.append(status["AccountId"])
    for account in accounts:
        for region in REGIONS:
            make_vpcs(aws, account, region, VPCS_PER_TARGET)
    make_vpcs(aws, BAD_ACCOUNT, "us-east-1", 2)

    plugin_source = tmp_path / "fleet.aws_accounts.yml"
    plugin_source.write_text(
        "plugin: netobs.flowlogs.aws_accounts\nregions: [{0}]\nexclude_account_ids: ['{1}']\n".format(
            ", ".join(REGIONS), management))
    bad_creds = aws.credentials(BAD_CALLER_ACCOUNT)
    static_source = tmp_path / "unassumable.yml"
    static_source.write_text(json.dumps({"all": {"hosts": {BAD_HOST: {
        "aws_account_id": BAD_ACCOUNT, "aws_region": "us-east-1", "ansible_connection": "local",
        "assume_role_arn": aws.role_arn(BAD_ACCOUNT),
        "aws_access_key_id": bad_creds["access_key"], "aws_secret_access_key": bad_creds["secret_key"],
        "aws_session_token": bad_creds["session_token"],
    }}}}))
    fault = aws.faults.add(kind="error", service="sts", operation="AssumeRole", account=BAD_CALLER_ACCOUNT,
                           code="AccessDenied", status=403,
                           message="User is not authorized to perform: sts:AssumeRole on {0}".format(
                               aws.role_arn(BAD_ACCOUNT)))
    targets = [(account, region) for account in accounts for region in REGIONS]
    return dict(accounts=accounts, targets=targets, fault=fault,
                inventory=["-i", str(plugin_source), "-i", str(static_source)])


def run_fleet(run_playbook, fleet, tmp_path, playbook="playbooks/enable_flowlogs.yml", name="summary",
              extra_vars=None, check=False):
    summary_path = tmp_path / (name + ".json")
    variables = dict(flowlogs_summary_path=str(summary_path))
    variables.update(extra_vars or {})
    run = run_playbook(playbook, inventory=fleet["inventory"][1], args=fleet["inventory"][2:] + ["-f", "4"],
                       extra_vars=variables, check=check)
    summary = json.loads(summary_path.read_text()) if summary_path.exists() else None
    assert summary is not None, run.stdout[-3000:] + run.stderr[-3000:]
    return run, summary


def by_target(summary):
    return dict((t["target"], t) for t in summary["targets"])


def test_fleet_enable_converges_reports_the_bad_target_and_disables_cleanly(aws, run_playbook, fleet, tmp_path):
    # -- first run: everything is created, the unassumable target is reported, the rest carry on
    start = aws.recorder.mark()
    first, summary = run_fleet(run_playbook, fleet, tmp_path, name="first")
    assert first.returncode != 0, "a failed target fails the run, after the summary"
    assert "1 of 7 target(s) failed: " + BAD_HOST in first.stdout
    targets = by_target(summary)
    assert summary["fleet"] == dict(targets=7, ok=6, failed=1, changed=6,
                                    vpcs=6 * (VPCS_PER_TARGET + 1))
    assert summary["failed_targets"] == [BAD_HOST]
    bad = targets[BAD_HOST]
    assert bad["status"] == "failed" and bad["account_id"] == BAD_ACCOUNT
    assert bad["error"]["aws_error_code"] == "AccessDenied"
    assert bad["error"]["aws_operation"] == "AssumeRole"
    assert bad["error"]["action"] == "netobs.flowlogs.flow_logs_target"
    assert "sts:AssumeRole" in bad["error"]["message"]
    for account, region in fleet["targets"]:
        target = targets["{0}-{1}".format(account, region)]
        vpcs = vpc_ids(aws, account, region)
        assert len(vpcs) == VPCS_PER_TARGET + 1  # with the region's default VPC
        assert target["status"] == "ok" and target["account_id"] == account and target["region"] == region
        assert target["counts"]["created"] == len(vpcs) == target["counts"]["covered"]
        logs = flow_logs(aws, account, region)
        assert sorted(fl["ResourceId"] for fl in logs) == vpcs  # exactly one per VPC
        assert {(fl["LogGroupName"], fl["TrafficType"], fl["MaxAggregationInterval"]) for fl in logs} == {
            (LOG_GROUP, "ALL", 60)}
        groups = aws.client("logs", account=account, region=region).describe_log_groups()["logGroups"]
        assert [(g["logGroupName"], g.get("retentionInDays")) for g in groups] == [(LOG_GROUP, 7)]
    # The bad account's AssumeRole failed every time; nothing was done there.
    assert aws.recorder.mutating(account=BAD_ACCOUNT, since=start) == []
    assert [c.status for c in aws.recorder.calls(since=start) if c.operation == "AssumeRole"
            and c.account == BAD_CALLER_ACCOUNT] == [403]
    assert flow_logs(aws, BAD_ACCOUNT, "us-east-1") == []
    # IAM is per account, shared by its two regions: one policy and one role each, least privilege.
    for account in fleet["accounts"]:
        iam = aws.client("iam", account=account)
        policy = iam.list_policies(Scope="Local")["Policies"]
        assert [p["PolicyName"] for p in policy] == ["flowlog"]
        document = iam.get_policy_version(PolicyArn=policy[0]["Arn"],
                                          VersionId=policy[0]["DefaultVersionId"])["PolicyVersion"]["Document"]
        assert document["Statement"][1]["Resource"] == [
            "arn:aws:logs:*:{0}:log-group:{1}:*".format(account, LOG_GROUP)]
        role = iam.get_role(RoleName="vpcflowlog")["Role"]
        condition = role["AssumeRolePolicyDocument"]["Statement"][0]["Condition"]
        assert condition["StringEquals"]["aws:SourceAccount"] == account
        assert [p["PolicyName"] for p in iam.list_attached_role_policies(RoleName="vpcflowlog")[
            "AttachedPolicies"]] == ["flowlog"]
    # One module run per target converges it whole (log group, policy, role, flow logs).
    good_host = "{0}-{1}".format(*fleet["targets"][0])
    ran = [r["task"] for r in first.tasks(host=good_host)]
    assert ran.count(TARGET_TASK) == 1, ran
    assert not [task for task in ran if " : Create the " in task or " before any change" in task], ran

    # -- second run: nothing to do (the bad target still fails, and still says why)
    mark = aws.recorder.mark()
    second, summary = run_fleet(run_playbook, fleet, tmp_path, name="second")
    assert second.returncode != 0
    assert summary["fleet"]["changed"] == 0 and summary["fleet"]["failed"] == 1
    assert summary["totals"]["created"] == 0 and summary["totals"]["unchanged"] == 6 * (VPCS_PER_TARGET + 1)
    assert aws.recorder.mutating(since=mark) == []
    assert "changed=0" in second.stdout.split("PLAY RECAP")[-1]

    # -- check mode with the bad target reachable again: it would create, and nothing is changed
    aws.faults.clear()
    mark = aws.recorder.mark()
    checked, summary = run_fleet(run_playbook, fleet, tmp_path, name="check", check=True)
    assert checked.returncode == 0, checked.stdout[-3000:]
    assert summary["check_mode"] is True and summary["fleet"]["failed"] == 0
    assert by_target(summary)[BAD_HOST]["counts"]["created"] == 3  # 2 VPCs and the default one
    assert aws.recorder.mutating(since=mark) == []
    assert flow_logs(aws, BAD_ACCOUNT, "us-east-1") == []

    # -- disable, removing IAM and log groups too: nothing is left behind
    disabled, summary = run_fleet(run_playbook, fleet, tmp_path, playbook="playbooks/disable_flowlogs.yml",
                                  name="disable", extra_vars=dict(flowlogs_remove_iam=True,
                                                                  flowlogs_remove_log_group=True))
    assert disabled.returncode == 0, disabled.stdout[-3000:]
    assert summary["totals"]["deleted"] == 6 * (VPCS_PER_TARGET + 1)
    for account, region in fleet["targets"]:
        assert flow_logs(aws, account, region) == []
        assert aws.client("logs", account=account, region=region).describe_log_groups()["logGroups"] == []
    for account in fleet["accounts"]:
        iam = aws.client("iam", account=account)
        assert iam.list_policies(Scope="Local")["Policies"] == []
        assert [r["RoleName"] for r in iam.list_roles()["Roles"] if r["RoleName"] == "vpcflowlog"] == []


def test_no_inventory_acts_on_the_current_account_and_s3_round_trip(aws, run_playbook, tmp_path):
    """An empty inventory falls back to localhost (the environment's account and region); S3 delivery."""
    vpcs = make_vpcs(aws, "123456789012", "us-east-1", 2)
    aws.client("s3").create_bucket(Bucket="flowlogs-archive")
    empty = tmp_path / "empty.yml"
    empty.write_text("all: {}\n")
    bucket = dict(flowlogs_destination_type="s3", flowlogs_s3_bucket_arn="arn:aws:s3:::flowlogs-archive")
    summary_path = tmp_path / "s3.json"
    run = run_playbook("playbooks/enable_flowlogs.yml", inventory=str(empty),
                       extra_vars=dict(bucket, flowlogs_summary_path=str(summary_path)))
    assert run.returncode == 0, run.stdout[-3000:]
    target = json.loads(summary_path.read_text())["targets"][0]
    assert target["target"] == "localhost" and target["account_id"] is None
    assert target["counts"]["created"] == len(vpcs) + 1  # and the default VPC
    logs = flow_logs(aws, "123456789012", "us-east-1")
    assert {fl["LogDestinationType"] for fl in logs} == {"s3"} and len(logs) == len(vpcs) + 1
    # No IAM and no log group for S3 delivery: the bucket policy authorises the service.
    assert aws.recorder.operations(service="iam") == {} and aws.recorder.operations(service="logs") == {}

    run = run_playbook("playbooks/disable_flowlogs.yml", inventory=str(empty),
                       extra_vars=dict(bucket, flowlogs_summary_path=str(summary_path)))
    assert run.returncode == 0, run.stdout[-3000:]
    assert flow_logs(aws, "123456789012", "us-east-1") == []
