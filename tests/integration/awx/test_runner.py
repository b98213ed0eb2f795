"""The fleet playbooks run the way AWX runs them: through ansible-runner, against the local AWS.

Each run is an ansible-runner private data dir as AWX writes one: ``project/`` (the playbooks
and this repository's ansible.cfg, as an AWX project checkout holds them), ``inventory/hosts``,
``env/envvars`` (the credentials' environment, and no ANSIBLE_PYTHON_INTERPRETER: the
inventory sets no interpreter either) and ``env/extravars`` (with AWX's ``awx_job_id``). The
fleet: 3 accounts x 2 regions, 3 VPCs each (2 and the default VPC), and one target whose role cannot be assumed.
"""

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import ansible_runner
import pytest

from local_aws._collection import REPO_ROOT as REPO_DIR, collections_root

REPO_ROOT = Path(REPO_DIR)

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ACCOUNTS = ("111111111111", "222222222222", "333333333333")
REGIONS = ("us-east-1", "eu-west-1")
BAD_ACCOUNT = "444444444444"
BAD_CALLER_ACCOUNT = "999999999999"
BAD_HOST = BAD_ACCOUNT + "-us-east-1"
GOOD_HOSTS = ["{0}-{1}".format(a, r) for a in ACCOUNTS for r in REGIONS]
ALL_HOSTS = GOOD_HOSTS + [BAD_HOST]


def build_fleet(aws):
    """The VPCs of every target, the bad target's AssumeRole fault, and every host's variables."""
    hosts = {}
    for account in ACCOUNTS:
        for region in REGIONS:
            ec2 = aws.client("ec2", account=account, region=region)
            for i in range(2):
                ec2.create_vpc(CidrBlock="10.{0}.0.0/16".format(i))
            hosts["{0}-{1}".format(account, region)] = {
                "aws_account_id": account, "aws_region": region, "assume_role_arn": aws.role_arn(account)}
    bad_creds = aws.credentials(BAD_CALLER_ACCOUNT)
    hosts[BAD_HOST] = {
        "aws_account_id": BAD_ACCOUNT, "aws_region": "us-east-1", "assume_role_arn": aws.role_arn(BAD_ACCOUNT),
        "aws_access_key_id": bad_creds["access_key"], "aws_secret_access_key": bad_creds["secret_key"],
        "aws_session_token": bad_creds["session_token"]}
    aws.faults.add(kind="error", service="sts", operation="AssumeRole", account=BAD_CALLER_ACCOUNT,
                   code="AccessDenied", status=403, message="not authorized to perform: sts:AssumeRole")
    for variables in hosts.values():
        variables["ansible_connection"] = "local"
    return hosts


def runner_env(aws):
    """What an AWX credential and the execution environment put in the job's environment."""
    env = {key: value for key, value in aws.env().items() if value is not None}
    # Where the EE installed the collection (AWX: /usr/share/ansible/collections).
    env["ANSIBLE_COLLECTIONS_PATH"] = collections_root()
    env["ANSIBLE_NOCOLOR"] = "1"
    # ansible-playbook on PATH, as in an EE.
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
    return env


def private_data_dir(tmp_path, name, aws, hosts, job_id, extra_vars=None):
    pdd = tmp_path / name
    project = pdd / "project"
    (project / "playbooks").mkdir(parents=True)
    for playbook in ("enable_flowlogs.yml", "audit_flowlogs.yml", "disable_flowlogs.yml"):
        (project / "playbooks" / playbook).write_text((REPO_ROOT / "playbooks" / playbook).read_text())
    (project / "ansible.cfg").write_text((REPO_ROOT / "ansible.cfg").read_text())
    (pdd / "inventory").mkdir()
    (pdd / "inventory" / "hosts").write_text(json.dumps({"all": {"hosts": hosts}}))
    (pdd / "env").mkdir()
    (pdd / "env" / "envvars").write_text(json.dumps(runner_env(aws)))
    (pdd / "env" / "extravars").write_text(json.dumps(dict(extra_vars or {}, awx_job_id=job_id)))
    return pdd


def run_job(tmp_path, name, aws, hosts, job_id, playbook="enable_flowlogs.yml", limit=None, extra_vars=None):
    """One AWX-style job: ansible-runner's status and rc, its set_stats artifact, its summary file."""
    pdd = private_data_dir(tmp_path, name, aws, hosts, job_id, extra_vars)
    # Not in a shell whose $PWD could receive the summary: a directory nothing else writes to.
    cwd = tmp_path / (name + "-cwd")
    cwd.mkdir()
    previous = os.getcwd()
    os.chdir(cwd)
    try:
        run = ansible_runner.run(private_data_dir=str(pdd), playbook="playbooks/" + playbook, ident=name,
                                 limit=limit, quiet=True, forks=4)
    finally:
        os.chdir(previous)
    stats = [e for e in run.events if e["event"] == "playbook_on_stats"]
    artifacts = stats[-1]["event_data"].get("artifact_data", {}) if stats else {}
    job = playbook.rsplit(".", 1)[0]
    summary_file = pdd / "artifacts" / name / "{0}-{1}.json".format(job, job_id)
    stdout = run.stdout.read()
    assert list(cwd.iterdir()) == [], "nothing may be written to the launching directory"
    return dict(status=run.status, rc=run.rc, artifacts=artifacts, summary_file=summary_file, stdout=stdout)


def comparable(record):
    """A target's record without what differs between two runs of the same work from a reset
    local AWS: the ids of new VPCs and flow logs (they depend on the order of earlier calls)."""
    return {key: record[key] for key in ("target", "account_id", "region", "status", "changed", "vpcs", "counts")}


def test_whole_fleet_limit_and_slices_the_way_awx_runs_them(aws, tmp_path):
    # The whole fleet, as one job.
    hosts = build_fleet(aws)
    whole = run_job(tmp_path, "whole", aws, hosts, job_id=101)
    assert whole["status"] == "failed" and whole["rc"] != 0, whole["stdout"][-3000:]
    summary = whole["artifacts"]["flowlogs_summary"]
    assert whole["artifacts"]["flowlogs_enable_flowlogs_101"] == summary
    assert summary["run_id"] == "101"
    assert sorted(summary["per_target"]) == sorted(ALL_HOSTS)
    assert summary["fleet"] == {"targets": 7, "ok": 6, "failed": 1, "changed": 6, "vpcs": 18}
    assert summary["failed_targets"] == [BAD_HOST]
    assert summary["per_target"][BAD_HOST]["error"]["aws_error_code"] == "AccessDenied"
    assert summary["totals"]["created"] == 18
    # The targets ran on the controller's Python: the interpreter discovery would have found one
    # without boto3 on a machine like AWX's default EE; every good target created its flow logs.
    for host in GOOD_HOSTS:
        assert summary["per_target"][host]["status"] == "ok"
        assert summary["per_target"][host]["counts"]["created"] == 3
    # One file per run beside the runner's artifacts, readable by its owner only.
    written = json.loads(whole["summary_file"].read_text())
    assert written["per_target"] == summary["per_target"] and written["totals"] == summary["totals"]
    assert stat.S_IMODE(whole["summary_file"].stat().st_mode) == 0o600

    # A limit (AWX's Limit field): the summary, the artifact and the failure follow it.
    limited = run_job(tmp_path, "limited", aws, hosts, job_id=102, limit="{0},{1}".format(BAD_HOST, GOOD_HOSTS[0]))
    assert limited["status"] == "failed" and limited["rc"] != 0, limited["stdout"][-3000:]
    assert sorted(limited["artifacts"]["flowlogs_summary"]["per_target"]) == sorted([BAD_HOST, GOOD_HOSTS[0]])
    assert limited["artifacts"]["flowlogs_summary"]["fleet"]["failed"] == 1
    assert limited["summary_file"].exists()
    healthy = run_job(tmp_path, "healthy", aws, hosts, job_id=103, limit="*-eu-west-1")
    assert healthy["status"] == "successful" and healthy["rc"] == 0, healthy["stdout"][-3000:]
    assert healthy["artifacts"]["flowlogs_summary"]["fleet"] == {
        "targets": 3, "ok": 3, "failed": 0, "changed": 0, "vpcs": 9}

    # The same work as three slices (AWX's job slicing: host i goes to slice i mod 3), from the
    # same starting state; AWX hands a later workflow node the slices' artifacts merged key by key.
    aws.reset()
    hosts = build_fleet(aws)
    merged = {}
    for index in range(3):
        names = ALL_HOSTS[index::3]
        job = run_job(tmp_path, "slice{0}".format(index), aws, {h: hosts[h] for h in names}, job_id=200 + index)
        assert job["rc"] == (0 if BAD_HOST not in names else 2), job["stdout"][-3000:]
        assert sorted(job["artifacts"]["flowlogs_summary"]["per_target"]) == sorted(names)
        merged.update(job["artifacts"])
    slices = [merged["flowlogs_enable_flowlogs_{0}".format(200 + index)] for index in range(3)]
    per_target = {}
    for part in slices:
        per_target.update(part["per_target"])
    assert {h: comparable(r) for h, r in per_target.items()} == \
        {h: comparable(r) for h, r in summary["per_target"].items()}
    for key in ("targets", "ok", "failed", "changed", "vpcs"):
        assert sum(part["fleet"][key] for part in slices) == summary["fleet"][key], key
    for key, total in summary["totals"].items():
        assert sum(part["totals"].get(key, 0) for part in slices) == total, key


def test_the_repository_config_leaves_collection_paths_alone(tmp_path):
    # ansible.cfg is the AWX project's config: it must not move where an EE's collections are found.
    env = {key: value for key, value in os.environ.items() if not key.startswith("ANSIBLE_")}
    env["ANSIBLE_CONFIG"] = str(REPO_ROOT / "ansible.cfg")
    dump = subprocess.run([os.path.join(os.path.dirname(sys.executable), "ansible-config"), "dump",
                           "--only-changed", "--format", "json"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    changed = {entry["name"] for entry in json.loads(dump.stdout) if isinstance(entry, dict) and "name" in entry}
    assert "DEFAULT_FORKS" in changed, changed  # the file was read
    assert "COLLECTIONS_PATHS" not in changed and "COLLECTIONS_SCAN_SYS_PATH" not in changed, changed
