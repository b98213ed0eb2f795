"""An enable_flowlogs.yml run killed midway, then run again: it converges, with no duplicate flow log.

The kill lands while one target's CreateFlowLogs is in flight (held by a latency fault): AWS still
creates those flow logs, but the killed run never hears of it - the worst moment to be interrupted.
"""

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from local_aws._collection import REPO_ROOT
from local_aws.ansible_run import playbook_env

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ACCOUNTS = ("111111111111", "222222222222", "333333333333")
REGION = "us-east-1"


def flow_logs(aws, account):
    return aws.client("ec2", account=account, region=REGION).describe_flow_logs()["FlowLogs"]


def vpc_ids(aws, account):
    return sorted(v["VpcId"] for v in aws.client("ec2", account=account, region=REGION).describe_vpcs()["Vpcs"])


def test_killed_run_then_rerun_converges_without_duplicates(aws, run_playbook, tmp_path):
    for account in ACCOUNTS:
        ec2 = aws.client("ec2", account=account, region=REGION)
        for i in range(3):
            ec2.create_vpc(CidrBlock="10.{0}.0.0/16".format(i))
    hosts = dict(("{0}-{1}".format(a, REGION), dict(aws_account_id=a, aws_region=REGION, ansible_connection="local",
                                                    assume_role_arn=aws.role_arn(a))) for a in ACCOUNTS)
    inventory = tmp_path / "fleet.yml"
    inventory.write_text(json.dumps({"all": {"hosts": hosts}}))
    # The second target's CreateFlowLogs is held for 4 s before AWS carries it out.
    held = aws.faults.add(kind="latency", service="ec2", operation="CreateFlowLogs", account=ACCOUNTS[1], latency=4)

    command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "playbooks/enable_flowlogs.yml",
               "-i", str(inventory), "-f", "1", "-e", json.dumps(dict(flowlogs_summary_path=str(tmp_path / "k.json")))]
    process = subprocess.Popen(command, cwd=REPO_ROOT, env=playbook_env(aws), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.time() + 300
        while held.fired == 0 and process.poll() is None and time.time() < deadline:
            time.sleep(0.05)
        assert held.fired == 1, "the run never reached the second target's CreateFlowLogs"
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    time.sleep(5)  # the held call completes inside the local AWS after the client is gone

    first, second, third = (flow_logs(aws, a) for a in ACCOUNTS)
    assert len(first) == len(vpc_ids(aws, ACCOUNTS[0])), "the first target was done before the kill"
    assert len(second) == len(vpc_ids(aws, ACCOUNTS[1])), "AWS created the held flow logs anyway"
    assert third == [], "the run was killed before the third target's flow logs"
    assert not (tmp_path / "k.json").exists(), "the killed run never reached its summary"

    aws.faults.clear()
    summary_path = tmp_path / "rerun.json"
    rerun = run_playbook("playbooks/enable_flowlogs.yml", inventory=str(inventory), args=["-f", "3"],
                         extra_vars=dict(flowlogs_summary_path=str(summary_path)))
    assert rerun.returncode == 0, rerun.stdout[-3000:]
    counts = dict((t["target"].split("-")[0], t["counts"]) for t in json.loads(summary_path.read_text())["targets"])
    assert counts[ACCOUNTS[0]]["unchanged"] == len(first) and counts[ACCOUNTS[0]]["created"] == 0
    assert counts[ACCOUNTS[1]]["unchanged"] == len(second) and counts[ACCOUNTS[1]]["created"] == 0
    assert counts[ACCOUNTS[2]]["created"] == len(vpc_ids(aws, ACCOUNTS[2]))
    for account in ACCOUNTS:
        watched = sorted(fl["ResourceId"] for fl in flow_logs(aws, account))
        assert watched == vpc_ids(aws, account), "exactly one flow log per VPC in {0}".format(account)
