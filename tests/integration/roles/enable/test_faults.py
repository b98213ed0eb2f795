"""Fault injection against the enable playbook on a small fleet (2 accounts x 1 region x 2 VPCs).

Every fault is really injected into the local AWS (local_aws/faults.py) or done to it
(the HTTP server stopped mid-run), and every outcome is read back from the local AWS itself:
- 30 % throttling on every operation: the run succeeds and leaves the same state as a
  fault-free run (normalised snapshot: policies, roles, log groups with retention, flow logs
  per VPC with their configuration);
- the local AWS goes away mid-run: a clear error naming the endpoint; once it is back, the
  re-run converges with no duplicate;
- two runs against the same targets at once: no duplicate flow log;
- a role created in the run is not assumable by the flow-logs service for 20 s: the flow logs
  are still created, within the module's wait;
- AccessDenied on one target: the other completes, and the summary names the failing target
  and the denied action.
"""

import json
import os
import subprocess
import sys
import time
import urllib.parse

import pytest
from local_aws._collection import REPO_ROOT

from local_aws.ansible_run import playbook_env
from local_aws.server import DEFAULT_ACCOUNT, DEFAULT_REGION, TEST_ROLE_NAME

pytestmark = [pytest.mark.integration, pytest.mark.slow]

PLAYBOOK = os.path.join(REPO_ROOT, "playbooks", "enable_flowlogs.yml")
SECOND_ACCOUNT = "222222222222"
ACCOUNTS = (DEFAULT_ACCOUNT, SECOND_ACCOUNT)
VPCS_PER_TARGET = 2  # created by the test; moto's default VPC makes 3 per target
ROLE_NOT_ASSUMABLE = "Unable to assume given IAM role, Please check the policy and role."


# -- fleet helpers ---------------------------------------------------------------------------
def host_name(account, region=DEFAULT_REGION):
    return "acct{0}-{1}".format(account, region)


def make_fleet(aws, tmp_path, accounts=ACCOUNTS, vpcs=VPCS_PER_TARGET):
    """Create the VPCs (boto3, before the run) and write the fleet inventory: one host per account x region."""
    hosts, fleet = {}, []
    for index, account in enumerate(accounts):
        ec2 = aws.client("ec2", account=account, region=DEFAULT_REGION)
        for n in range(vpcs):
            ec2.create_vpc(CidrBlock="10.{0}.{1}.0/24".format(index, n))
        # The target is every VPC of the region (the playbook's default), moto's default VPC included.
        vpc_ids = sorted(v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"])
        assert len(vpc_ids) == vpcs + 1
        hosts[host_name(account)] = dict(aws_account_id=account, aws_region=DEFAULT_REGION,
                                         assume_role_arn=aws.role_arn(account),
                                         ansible_python_interpreter=sys.executable)
        fleet.append((account, DEFAULT_REGION, vpc_ids))
    inventory = tmp_path / "fleet-{0}.json".format(len(list(tmp_path.iterdir())))
    inventory.write_text(json.dumps({"all": {"hosts": hosts}}))
    return str(inventory), fleet


def summary_path(tmp_path, name):
    return str(tmp_path / "summary-{0}.json".format(name))


def read_summary(path):
    with open(path) as handle:
        return json.load(handle)


def start_playbook(aws, tmp_path, inventory, name, extra_vars=None):
    """Start ansible-playbook in the background (for what must happen while it runs)."""
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), PLAYBOOK, "-i", inventory,
               "-e", json.dumps(dict(extra_vars or {}, flowlogs_summary_path=summary_path(tmp_path, name)))]
    log = open(str(tmp_path / "{0}.log".format(name)), "w")
    process = subprocess.Popen(command, cwd=REPO_ROOT, env=playbook_env(aws), stdout=log,
                               stderr=subprocess.STDOUT, text=True)
    process.log_path = log.name
    process.log_handle = log
    return process


def finish(process, timeout=300):
    try:
        process.wait(timeout=timeout)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.log_handle.close()
    with open(process.log_path) as handle:
        return process.returncode, handle.read()


def run_enable(run_playbook, tmp_path, inventory, name):
    path = summary_path(tmp_path, name)
    result = run_playbook(PLAYBOOK, inventory=inventory, extra_vars={"flowlogs_summary_path": path})
    return result, (read_summary(path) if os.path.exists(path) else None)


def _document(value):
    if isinstance(value, str):
        value = json.loads(urllib.parse.unquote(value))
    return value


def fleet_state(aws, fleet):
    """A normalised snapshot of what the fleet holds: ids and dates left out, VPCs by position."""
    state = {}
    for account, region, vpc_ids in fleet:
        iam = aws.client("iam", account=account, region=region)
        logs = aws.client("logs", account=account, region=region)
        ec2 = aws.client("ec2", account=account, region=region)
        policies = {}
        for policy in iam.list_policies(Scope="Local")["Policies"]:
            version = iam.get_policy_version(PolicyArn=policy["Arn"], VersionId=policy["DefaultVersionId"])
            policies[policy["PolicyName"]] = dict(
                path=policy["Path"], document=_document(version["PolicyVersion"]["Document"]),
                versions=len(iam.list_policy_versions(PolicyArn=policy["Arn"])["Versions"]),
                tags=sorted((t["Key"], t["Value"]) for t in iam.list_policy_tags(PolicyArn=policy["Arn"])["Tags"]))
        roles, role_names = {}, {}
        for role in iam.list_roles()["Roles"]:
            if role["RoleName"] == TEST_ROLE_NAME:
                continue
            role_names[role["Arn"]] = role["RoleName"]
            roles[role["RoleName"]] = dict(
                path=role["Path"], trust=_document(role["AssumeRolePolicyDocument"]),
                attached=sorted(p["PolicyName"] for p in
                                iam.list_attached_role_policies(RoleName=role["RoleName"])["AttachedPolicies"]),
                inline=sorted(iam.list_role_policies(RoleName=role["RoleName"])["PolicyNames"]),
                tags=sorted((t["Key"], t["Value"]) for t in iam.list_role_tags(RoleName=role["RoleName"])["Tags"]))
        groups = {}
        for group in logs.describe_log_groups()["logGroups"]:
            tags = logs.list_tags_log_group(logGroupName=group["logGroupName"]).get("tags", {})
            groups[group["logGroupName"]] = dict(retention=group.get("retentionInDays"), tags=sorted(tags.items()))
        per_vpc = {index: [] for index in range(len(vpc_ids))}
        others = []
        for flow_log in ec2.describe_flow_logs()["FlowLogs"]:
            config = dict(
                destination_type=flow_log.get("LogDestinationType"), log_group=flow_log.get("LogGroupName"),
                traffic_type=flow_log.get("TrafficType"), interval=flow_log.get("MaxAggregationInterval"),
                log_format=flow_log.get("LogFormat"),
                role=role_names.get(flow_log.get("DeliverLogsPermissionArn"), flow_log.get("DeliverLogsPermissionArn")),
                tags=sorted((t["Key"], t["Value"]) for t in flow_log.get("Tags", [])))
            if flow_log["ResourceId"] in vpc_ids:
                per_vpc[vpc_ids.index(flow_log["ResourceId"])].append(config)
            else:
                others.append(config)
        state[host_name(account, region)] = dict(policies=policies, roles=roles, log_groups=groups,
                                                 flow_logs_per_vpc=per_vpc, other_flow_logs=others)
    return state


def assert_converged(state, fleet):
    """Every VPC has exactly one flow log to the log group, through the role the run created."""
    for account, region, vpc_ids in fleet:
        target = state[host_name(account, region)]
        assert len(target["roles"]) == 1 and len(target["policies"]) == 1, target
        assert [g["retention"] for g in target["log_groups"].values()] == [7], target["log_groups"]
        (role_name,) = target["roles"]
        (group_name,) = target["log_groups"]
        for index in range(len(vpc_ids)):
            flow_logs = target["flow_logs_per_vpc"][index]
            assert len(flow_logs) == 1, "VPC #{0} of {1}: {2}".format(index, account, flow_logs)
            assert flow_logs[0]["log_group"] == group_name and flow_logs[0]["role"] == role_name
            assert flow_logs[0]["traffic_type"] == "ALL" and flow_logs[0]["interval"] == 60
        assert target["other_flow_logs"] == []


def no_duplicates(state):
    return {target: {index: len(fls) for index, fls in data["flow_logs_per_vpc"].items() if len(fls) > 1}
            for target, data in state.items() if any(len(fls) > 1 for fls in data["flow_logs_per_vpc"].values())}


# -- throttling ------------------------------------------------------------------------------
def test_thirty_percent_throttling_everywhere_converges_to_the_fault_free_state(aws, run_playbook, tmp_path):
    inventory, fleet = make_fleet(aws, tmp_path)
    clean, clean_summary = run_enable(run_playbook, tmp_path, inventory, "clean")
    assert clean.returncode == 0, clean.stdout[-3000:]
    expected = fleet_state(aws, fleet)
    assert_converged(expected, fleet)
    # operations that answer 400 even without faults (an expected "not found") are not retried
    answered_400_when_clean = {c.operation for c in aws.recorder.calls() if c.status in (400, 503)}

    aws.reset()
    inventory, fleet_again = make_fleet(aws, tmp_path)
    rule = aws.faults.add(kind="throttle", rate=0.3)
    throttled, summary = run_enable(run_playbook, tmp_path, inventory, "throttled")
    aws.faults.clear()

    throttled_calls = aws.recorder.calls()
    assert rule.fired > 0
    answered_429ish = [c for c in throttled_calls if c.status in (400, 503)]
    assert len(answered_429ish) >= rule.fired  # every injected throttle was seen by a client
    assert throttled.returncode == 0, throttled.stdout[-3000:]
    # The retries are real calls: every throttled call was answered later by an unthrottled one
    # (a success, or an expected "not found") of the same operation and account (a total-count
    # comparison with the clean run is not stable: the clean run may itself retry).
    for index, call in enumerate(throttled_calls):
        if call.status in (400, 503) and call.operation not in answered_400_when_clean:
            assert any(later.operation == call.operation and later.account == call.account
                       and later.status not in (400, 503) for later in throttled_calls[index + 1:]), call
    assert fleet_state(aws, fleet_again) == expected
    assert summary["fleet"]["failed"] == 0 and summary["failed_targets"] == []
    assert summary["totals"] == clean_summary["totals"]


# -- the local AWS goes away mid-run ------------------------------------------------------------
def test_local_aws_gone_mid_run_fails_clearly_and_the_rerun_converges(aws, run_playbook, tmp_path):
    inventory, fleet = make_fleet(aws, tmp_path)
    endpoint = aws.endpoint_url
    # Slow the IAM calls a little so the run is surely still going when the endpoint goes away.
    aws.faults.add(kind="latency", service="iam", latency=0.3)
    process = start_playbook(aws, tmp_path, inventory, "interrupted")
    deadline = time.time() + 120
    try:
        # Stop once the run has created something but before it has finished: after the first log group.
        while time.time() < deadline and process.poll() is None:
            if aws.recorder.operations()["CreateLogGroup"] >= 1:
                break
            time.sleep(0.05)
        assert process.poll() is None, "the run ended before the endpoint could be stopped"
        calls_before_stop = len(aws.recorder.calls())
        aws.stop()
        returncode, output = finish(process)
    finally:
        if aws._server is None:
            aws.start(keep_state=True)  # the same port, moto's state kept
    aws.faults.clear()
    assert aws.endpoint_url == endpoint

    assert returncode != 0
    summary = read_summary(summary_path(tmp_path, "interrupted"))
    assert sorted(summary["failed_targets"]) == sorted(host_name(a) for a in ACCOUNTS)
    messages = [t["error"]["message"] for t in summary["targets"]]
    for message in messages:
        assert "could not connect to the AWS endpoint" in message and endpoint in message, message
    assert "could not connect to the AWS endpoint {0}".format(endpoint) in output
    partial = fleet_state(aws, fleet)
    assert any(data["log_groups"] for data in partial.values())  # the stop really came mid-run
    assert calls_before_stop > 0

    rerun, rerun_summary = run_enable(run_playbook, tmp_path, inventory, "rerun")
    assert rerun.returncode == 0, rerun.stdout[-3000:]
    state = fleet_state(aws, fleet)
    assert_converged(state, fleet)
    assert no_duplicates(state) == {}
    assert rerun_summary["fleet"]["failed"] == 0

    third, third_summary = run_enable(run_playbook, tmp_path, inventory, "third")
    assert third.returncode == 0
    assert third_summary["fleet"]["changed"] == 0
    assert fleet_state(aws, fleet) == state


# -- two runs at once ----------------------------------------------------------------------------
def test_two_simultaneous_runs_create_no_duplicate_flow_log(aws, tmp_path):
    inventory, fleet = make_fleet(aws, tmp_path)
    first = start_playbook(aws, tmp_path, inventory, "first")
    second = start_playbook(aws, tmp_path, inventory, "second")
    (rc_first, out_first), (rc_second, out_second) = finish(first), finish(second)
    state = fleet_state(aws, fleet)
    assert no_duplicates(state) == {}
    assert_converged(state, fleet)
    assert rc_first == 0, out_first[-3000:]
    assert rc_second == 0, out_second[-3000:]
    # Both really raced: each run created or found every VPC's flow log itself.
    for name in ("first", "second"):
        summary = read_summary(summary_path(tmp_path, name))
        assert summary["fleet"]["failed"] == 0
        assert summary["totals"]["covered"] == len(ACCOUNTS) * (VPCS_PER_TARGET + 1)


# -- IAM propagation --------------------------------------------------------------------------
def test_role_not_yet_assumable_for_20_seconds_still_gets_the_flow_logs(aws, run_playbook, tmp_path):
    inventory, fleet = make_fleet(aws, tmp_path)
    rule = aws.faults.add(kind="error", service="ec2", operation="CreateFlowLogs", code="InvalidParameter",
                          message=ROLE_NOT_ASSUMABLE, duration=20)
    started = time.time()
    result, summary = run_enable(run_playbook, tmp_path, inventory, "propagation")
    elapsed = time.time() - started
    assert result.returncode == 0, result.stdout[-3000:]
    assert rule.fired >= 2  # both targets were refused at first
    creates = [c for c in aws.recorder.calls() if c.operation == "CreateFlowLogs"]
    refused = [c for c in creates if c.status == 400]
    assert len(refused) == rule.fired and len(creates) > len(refused)
    # The successful creates came after the 20 s window, and well within the module's default
    # role_propagation_timeout (120 s).
    accepted = [c for c in creates if c.status == 200]
    assert accepted
    waited = max(c.at for c in accepted) - rule.first_seen
    assert min(c.at for c in accepted) - rule.first_seen >= 20
    assert waited < 120, "the flow logs came {0:.0f} s after the first refusal".format(waited)
    assert elapsed > 20
    assert_converged(fleet_state(aws, fleet), fleet)
    assert summary["totals"]["created"] == len(ACCOUNTS) * (VPCS_PER_TARGET + 1)


# -- one target denied -------------------------------------------------------------------------
def test_access_denied_on_one_target_leaves_the_others_done_and_named_in_the_summary(aws, run_playbook, tmp_path):
    inventory, fleet = make_fleet(aws, tmp_path)
    denied = "User: arn:aws:sts::{0}:assumed-role/{1}/netobs-flowlogs is not authorized to perform: " \
             "iam:CreateRole on resource: arn:aws:iam::{0}:role/vpcflowlog".format(SECOND_ACCOUNT, TEST_ROLE_NAME)
    aws.faults.add(kind="error", service="iam", operation="CreateRole", account=SECOND_ACCOUNT,
                   code="AccessDenied", message=denied, status=403)
    result, summary = run_enable(run_playbook, tmp_path, inventory, "denied")

    assert result.returncode != 0  # the job fails, at the end, naming the failed target
    assert host_name(SECOND_ACCOUNT) in result.stdout
    assert summary["failed_targets"] == [host_name(SECOND_ACCOUNT)]
    assert summary["fleet"] == dict(summary["fleet"], targets=2, ok=1, failed=1)
    failed = next(t for t in summary["targets"] if t["target"] == host_name(SECOND_ACCOUNT))
    assert failed["status"] == "failed"
    assert failed["error"]["aws_error_code"] == "AccessDenied"
    assert failed["error"]["aws_operation"] == "CreateRole"
    assert "iam:CreateRole" in failed["error"]["message"]

    state = fleet_state(aws, fleet)
    assert_converged({host_name(DEFAULT_ACCOUNT): state[host_name(DEFAULT_ACCOUNT)]}, fleet[:1])
    second = state[host_name(SECOND_ACCOUNT)]
    assert second["roles"] == {}
    assert all(fls == [] for fls in second["flow_logs_per_vpc"].values())
    # Nothing was attempted in the denied account after the denial.
    assert [c.operation for c in aws.recorder.calls(account=SECOND_ACCOUNT, service="ec2")
            if c.operation == "CreateFlowLogs"] == []
