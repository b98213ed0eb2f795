#!/usr/bin/env python
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fleet benchmark: playbooks/enable_flowlogs.yml over 1..N targets (account x region) and forks.

Usage: python bench/bench_fleet.py [--quick]   (prints Markdown)

Against a local AWS in this process (local_aws LocalAws; its recorder counts every API call):
  1. per-target cost for 1, 10 and 100 VPCs in one target: module invocations (counted by
     bench/callback_plugins/bench_invocations.py) and API calls, for a fresh run and for a
     no-change re-run - the module calls must not grow with the VPCs;
  2. fleet wall time of the ansible-playbook process for 1, 10 and 50 targets (one account each)
     with forks 1, 5 and 10, as a ratio to the 1-target, 1-fork run.
--quick uses 1 and 10 VPCs, 1 and 5 targets, forks 1 and 5 (a smoke run, not reference figures).
"""

import argparse
import collections
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(HERE)

from local_aws._collection import install_collection_finder  # noqa: E402

install_collection_finder()
from local_aws.ansible_run import playbook_env  # noqa: E402
from local_aws.recorder import is_mutating  # noqa: E402
from local_aws.server import LocalAws  # noqa: E402

PLAYBOOK = os.path.join(REPO_ROOT, "playbooks", "enable_flowlogs.yml")
CALLBACK_DIR = os.path.join(HERE, "callback_plugins")
REGION = "us-east-1"
FULL = dict(vpc_counts=(1, 10, 100), target_counts=(1, 10, 50), forks=(1, 5, 10))
QUICK = dict(vpc_counts=(1, 10), target_counts=(1, 5), forks=(1, 5))


def _log(message):
    sys.stderr.write("[bench_fleet] {0}\n".format(message))
    sys.stderr.flush()


def account_of(index):
    return "2000000{0:05d}".format(index)


def prepare(aws, targets, vpcs_per_target):
    """A fresh local AWS with ``targets`` accounts of ``vpcs_per_target`` VPCs (plus the default VPC)."""
    aws.reset()
    for index in range(targets):
        ec2 = aws.client("ec2", account=account_of(index), region=REGION)
        for n in range(vpcs_per_target):
            ec2.create_vpc(CidrBlock="10.{0}.{1}.0/24".format(n // 256, n % 256))
    hosts = dict(("{0}-{1}".format(account_of(i), REGION),
                  dict(aws_account_id=account_of(i), aws_region=REGION, ansible_connection="local",
                       assume_role_arn=aws.role_arn(account_of(i)))) for i in range(targets))
    return {"all": {"hosts": hosts}}


def run_playbook(aws, inventory, forks, workdir, label):
    inventory_path = os.path.join(workdir, label + "-inventory.json")
    with open(inventory_path, "w") as handle:
        json.dump(inventory, handle)
    invocations_path = os.path.join(workdir, label + "-invocations.json")
    env = playbook_env(aws)
    env.update(ANSIBLE_CALLBACK_PLUGINS=CALLBACK_DIR, ANSIBLE_CALLBACKS_ENABLED="bench_invocations",
               BENCH_INVOCATIONS_FILE=invocations_path)
    command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), PLAYBOOK, "-i", inventory_path,
               "-f", str(forks), "-e", json.dumps(dict(flowlogs_summary_path=os.path.join(workdir, label + ".json")))]
    mark = aws.recorder.mark()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    process = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=False)
    seconds = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # The ansible-playbook process tree's user+sys (the local AWS runs in this process, not counted).
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if process.returncode != 0:
        raise RuntimeError("{0} failed (rc {1}): {2}".format(label, process.returncode, process.stdout[-2000:]))
    with open(invocations_path) as handle:
        invocations = json.load(handle)
    aws_modules = sum(t["executed"] for t in invocations["tasks"] if t["action"].startswith("netobs.flowlogs."))
    # Tasks the targets' play ran (the fleet summary play's run_once tasks are not per target).
    target_tasks = sum(t["executed"] for t in invocations["tasks"] if not t.get("play", "").startswith("Summarise"))
    calls = aws.recorder.calls(since=mark)
    return dict(seconds=round(seconds, 2), cpu_s=round(cpu, 2), module_calls=aws_modules, api_calls=len(calls),
                tasks=target_tasks,
                mutating_calls=sum(1 for c in calls if is_mutating(c.operation)),
                operations=dict(collections.Counter(c.operation for c in calls)))


def per_target_cost(aws, workdir, vpc_counts):
    rows = []
    for vpcs in vpc_counts:
        _log("per-target cost, {0} VPC(s)".format(vpcs))
        inventory = prepare(aws, 1, vpcs)
        fresh = run_playbook(aws, inventory, 1, workdir, "cost-{0}-fresh".format(vpcs))
        again = run_playbook(aws, inventory, 1, workdir, "cost-{0}-again".format(vpcs))
        rows.append(dict(vpcs=vpcs + 1, fresh=fresh, no_change=again))  # + the region's default VPC
    return rows


def fleet_times(aws, workdir, target_counts, forks_list):
    rows = []
    for targets in target_counts:
        for forks in forks_list:
            if forks > targets and forks != forks_list[0]:
                continue  # more forks than targets measures nothing new
            _log("fleet: {0} target(s), forks {1}".format(targets, forks))
            inventory = prepare(aws, targets, 2)
            result = run_playbook(aws, inventory, forks, workdir, "fleet-{0}-{1}".format(targets, forks))
            rows.append(dict(targets=targets, forks=forks, seconds=result["seconds"], cpu_s=result["cpu_s"],
                             module_calls=result["module_calls"], api_calls=result["api_calls"]))
    base = next(r["seconds"] for r in rows if r["targets"] == target_counts[0] and r["forks"] == forks_list[0])
    for row in rows:
        row["ratio"] = round(row["seconds"] / base, 2)
    return rows


def run(quick=False):
    sizes = QUICK if quick else FULL
    with LocalAws() as aws, tempfile.TemporaryDirectory(prefix="bench-fleet-") as workdir:
        cost = per_target_cost(aws, workdir, sizes["vpc_counts"])
        fleet = fleet_times(aws, workdir, sizes["target_counts"], sizes["forks"])
    return dict(quick=quick, cpus=os.cpu_count(), load=os.getloadavg()[0], per_target=cost, fleet=fleet)


def to_markdown(result):
    lines = ["Per target (one account x region, reached by AssumeRole), `playbooks/enable_flowlogs.yml`, forks 1; "
             "CPU is the ansible-playbook process tree's user+sys, the summary play included:", "",
             "| VPCs | module runs (fresh / no change) | tasks executed | API calls (fresh) | mutating | "
             "API calls (no change) | mutating | wall s (fresh / no change) | CPU s (fresh / no change) |",
             "|---|---|---|---|---|---|---|---|---|"]
    for row in result["per_target"]:
        fresh, again = row["fresh"], row["no_change"]
        lines.append("| {0} | {1} / {2} | {3} / {4} | {5} | {6} | {7} | {8} | {9} / {10} | {11} / {12} |".format(
            row["vpcs"], fresh["module_calls"], again["module_calls"], fresh["tasks"], again["tasks"],
            fresh["api_calls"], fresh["mutating_calls"], again["api_calls"], again["mutating_calls"],
            fresh["seconds"], again["seconds"], fresh["cpu_s"], again["cpu_s"]))
    lines += ["", "Fleet wall time (fresh run, 3 VPCs per target), ratio to 1 target with forks {0}, on {1} CPU(s), "
              "load {2:.1f} at the end:".format(result["fleet"][0]["forks"], result["cpus"], result["load"]), "",
              "| targets | forks | wall s | ratio | CPU s | CPU s per target | module runs | API calls |",
              "|---|---|---|---|---|---|---|---|"]
    for row in result["fleet"]:
        lines.append("| {targets} | {forks} | {seconds} | {ratio} | {cpu_s} | {0:.2f} | {module_calls} | "
                     "{api_calls} |".format(row["cpu_s"] / row["targets"], **row))
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer sizes: a smoke run")
    parser.add_argument("--json", action="store_true", help="print the raw result as JSON too")
    args = parser.parse_args(argv)
    result = run(quick=args.quick)
    print(to_markdown(result))
    if args.json:
        print("\n```json\n{0}\n```".format(json.dumps(result, indent=1)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
