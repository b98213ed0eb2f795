#!/usr/bin/env python
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Rollout benchmark: enable VPC flow logs with this collection vs the amazon.aws + awscli anchor.

Usage: python bench/bench_rollout.py [--sizes 5,50] [--reps N] [--quick]   (prints Markdown)

The same job, in the same run, against the same local AWS (local_aws LocalAws, in this
process; its recorder counts every API call):
  (a) ``playbooks/enable_flowlogs.yml`` of this collection, one inventory host (account x region);
  (b) the anchor, bench/anchor/anchor_flowlogs.yml: amazon.aws
      iam_managed_policy + iam_role + cloudwatchlogs_log_group, then ``aws ec2 describe-flow-logs``
      and ``create-flow-logs`` per VPC (amazon.aws has no flow-log module).
Per size and repetition, for each side, on a fresh local AWS with the same N VPCs created by boto3
beforehand (not counted): run1 (first apply), run2 (identical re-run: must change nothing),
check_fresh (``--check`` on a fresh account). Figures: wall time of the ansible-playbook process,
API calls seen by the local AWS, module invocations (bench/callback_plugins/bench_invocations.py:
executed tasks, loop items one by one), changed invocations, and the state left behind.

The anchor's tools are bench-only and never a dependency of the collection: amazon.aws comes
from the ``ansible`` wheel on PyPI (only ansible_collections/amazon/aws is unpacked into
.tmp/bench/collections), awscli lives in its own venv .tmp/bench/awscli-venv (it pins its own
botocore). Both are prepared on first use by ``prepare_anchor()``.
"""

import argparse
import collections
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(HERE)
BENCH_TMP = os.path.join(REPO_ROOT, ".tmp", "bench")
ANCHOR_DIR = os.environ.get("NETOBS_ANCHOR_DIR", os.path.join(HERE, "anchor"))
ANCHOR_PLAYBOOK = os.path.join(ANCHOR_DIR, "anchor_flowlogs.yml")
OUR_PLAYBOOK = os.path.join(REPO_ROOT, "playbooks", "enable_flowlogs.yml")
CALLBACK_DIR = os.path.join(HERE, "callback_plugins")
ANSIBLE_WHEEL_VERSION = "14.5.0"  # bundles amazon.aws 11.4.0, which works with ansible-core 2.21
ANCHOR_COLLECTIONS = os.path.join(BENCH_TMP, "collections")
AWSCLI_VENV = os.path.join(BENCH_TMP, "awscli-venv")
AWSCLI_BIN = os.path.join(BENCH_TMP, "awscli-bin")  # holds only an `aws` link, put first on PATH
PHASES = ("run1", "run2", "check_fresh")
AWS_ACTIONS = ("netobs.flowlogs.", "amazon.aws.", "ansible.builtin.command", "command")
SIDES = ("collection", "anchor")


class Unavailable(Exception):
    """A side of the benchmark cannot run here; the message says why."""


# -- environment ------------------------------------------------------------------------------
def _log(message):
    sys.stderr.write("[bench_rollout] {0}\n".format(message))
    sys.stderr.flush()


def prepare_anchor():
    """Unpack amazon.aws from the ansible wheel and install awscli into its own venv (once)."""
    marker = os.path.join(ANCHOR_COLLECTIONS, "ansible_collections", "amazon", "aws", "MANIFEST.json")
    if not os.path.exists(marker):
        wheels = os.path.join(BENCH_TMP, "wheels")
        wheel = os.path.join(wheels, "ansible-{0}-py3-none-any.whl".format(ANSIBLE_WHEEL_VERSION))
        if not os.path.exists(wheel):
            _log("downloading ansible=={0} (for amazon.aws only)".format(ANSIBLE_WHEEL_VERSION))
            os.makedirs(wheels, exist_ok=True)
            done = subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps",
                                   "ansible=={0}".format(ANSIBLE_WHEEL_VERSION), "-d", wheels],
                                  capture_output=True, text=True, check=False)
            if done.returncode != 0 or not os.path.exists(wheel):
                raise Unavailable("pip download ansible=={0} failed: {1}".format(
                    ANSIBLE_WHEEL_VERSION, (done.stderr or done.stdout).strip()[-300:]))
        prefix = "ansible_collections/amazon/aws/"
        with zipfile.ZipFile(wheel) as archive:
            members = [name for name in archive.namelist() if name.startswith(prefix)]
            archive.extractall(ANCHOR_COLLECTIONS, members)
    aws = os.path.join(AWSCLI_VENV, "bin", "aws")
    if not os.path.exists(aws):
        _log("installing awscli into {0}".format(AWSCLI_VENV))
        subprocess.run([sys.executable, "-m", "venv", "--clear", AWSCLI_VENV], check=True)
        done = subprocess.run([os.path.join(AWSCLI_VENV, "bin", "python"), "-m", "pip", "install", "-q",
                               "--disable-pip-version-check", "awscli"], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise Unavailable("pip install awscli failed: {0}".format((done.stderr or done.stdout).strip()[-300:]))
    os.makedirs(AWSCLI_BIN, exist_ok=True)
    link = os.path.join(AWSCLI_BIN, "aws")
    if not os.path.lexists(link):
        os.symlink(aws, link)
    return anchor_versions()


def anchor_versions():
    manifest = os.path.join(ANCHOR_COLLECTIONS, "ansible_collections", "amazon", "aws", "MANIFEST.json")
    with open(manifest) as handle:
        amazon_aws = json.load(handle)["collection_info"]["version"]
    done = subprocess.run([os.path.join(AWSCLI_BIN, "aws"), "--version"], capture_output=True, text=True, check=False)
    awscli = (done.stdout or done.stderr).strip().split(" ")
    return {"ansible (wheel)": ANSIBLE_WHEEL_VERSION, "amazon.aws": amazon_aws,
            "awscli": awscli[0].split("/", 1)[-1] if awscli else "?",
            "awscli botocore": next((p.split("/", 1)[1] for p in awscli if p.startswith("botocore/")), "?")}


def _emulator():
    from local_aws._collection import collections_root, install_collection_finder

    install_collection_finder()
    from local_aws import server

    return server, collections_root()


# -- one playbook run ---------------------------------------------------------------------------
class Run(dict):
    """What one ansible-playbook run did: rc, wall_s, api_calls, mutating_calls, operations, invocations."""


def run_playbook(local_aws, side, workdir, name, vpc_ids, check=False, collections_path=None, extra_env=None,
                 account=None, region=None):
    """Run one side's playbook once against ``local_aws``; count its API calls with the recorder."""
    server = sys.modules["local_aws.server"]
    account = account or server.DEFAULT_ACCOUNT
    region = region or server.DEFAULT_REGION
    invocations_file = os.path.join(workdir, "{0}-{1}.invocations.json".format(side, name))
    env = dict(os.environ)
    for key in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_URL", "NETOBS_ASSUME_ROLE_ARN"):
        env.pop(key, None)
    env.update(local_aws.env(account=account, region=region))
    env.update({
        "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "ANSIBLE_COLLECTIONS_PATH": collections_path,
        "ANSIBLE_CALLBACK_PLUGINS": CALLBACK_DIR,
        "ANSIBLE_CALLBACKS_ENABLED": "bench_invocations",
        "BENCH_INVOCATIONS_FILE": invocations_file,
        "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
        "ANSIBLE_NOCOLOR": "1", "ANSIBLE_HOST_KEY_CHECKING": "False", "ANSIBLE_RETRY_FILES_ENABLED": "False",
        "ANSIBLE_LOCALHOST_WARNING": "False", "ANSIBLE_INVENTORY_UNPARSED_WARNING": "False",
    })
    env.update(extra_env or {})
    if side == "anchor":
        env["AWS_URL"] = local_aws.endpoint_url  # the anchor passes it to the CLI as --endpoint-url
        env["PATH"] = AWSCLI_BIN + os.pathsep + env.get("PATH", "")
        vars_file = os.path.join(workdir, "anchor-vars.json")
        with open(vars_file, "w") as handle:
            json.dump({"vpc_ids": vpc_ids, "aws_region": region}, handle)
        command = ["ansible-playbook", ANCHOR_PLAYBOOK, "-i", "localhost,", "-c", "local", "-e", "@" + vars_file]
    else:
        inventory = os.path.join(workdir, "fleet.json")
        host = "{0}-{1}".format(account, region)
        with open(inventory, "w") as handle:
            json.dump({"all": {"hosts": {host: {
                "ansible_connection": "local", "ansible_python_interpreter": sys.executable,
                "aws_account_id": account, "aws_region": region}}}}, handle)
        summary = os.path.join(workdir, "{0}-summary.json".format(name))
        command = ["ansible-playbook", OUR_PLAYBOOK, "-i", inventory,
                   "-e", json.dumps({"flowlogs_summary_path": summary})]
    if check:
        command.append("--check")
    command[0] = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")
    mark = local_aws.recorder.mark()
    started = time.monotonic()
    done = subprocess.run(command, cwd=workdir, env=env, capture_output=True, text=True, check=False)
    wall = time.monotonic() - started
    calls = local_aws.recorder.calls(since=mark)
    invocations = {}
    if os.path.exists(invocations_file):
        with open(invocations_file) as handle:
            invocations = json.load(handle)
    from local_aws.recorder import is_mutating

    with open(os.path.join(workdir, "{0}-{1}.out".format(side, name)), "w") as handle:
        handle.write(done.stdout + "\n--- stderr ---\n" + done.stderr)
    return Run(
        rc=done.returncode, wall_s=wall, api_calls=len(calls),
        api_errors=sum(1 for c in calls if c.status and c.status >= 400),
        mutating_calls=sum(1 for c in calls if is_mutating(c.operation)),
        operations=dict(sorted(collections.Counter("{0}:{1}".format(c.service, c.operation) for c in calls).items())),
        module_invocations=invocations.get("module_invocations"),
        changed_invocations=invocations.get("changed_invocations"),
        failed_invocations=invocations.get("failed_invocations"),
        failed_before_module=invocations.get("failed_before_module"),
        tasks=invocations.get("tasks", []),
        # the executed tasks that talk to AWS: our modules, amazon.aws modules, the anchor's `aws` commands
        aws_invocations=sum(t["executed"] for t in invocations.get("tasks", [])
                            if t["action"].startswith(AWS_ACTIONS)) if invocations else None,
        first_error=_first_error(done.stdout + done.stderr),
    )


def _first_error(output):
    for line in output.splitlines():
        if line.startswith(("fatal:", "ERROR!", "[ERROR]")) or "FAILED!" in line:
            return line.strip()[:300]
    return None


# -- state -------------------------------------------------------------------------------------
def create_vpcs(local_aws, count, account=None, region=None):
    """Exactly ``count`` VPCs in the region: moto's default VPC goes, so `all` VPCs = the anchor's list."""
    ec2 = local_aws.client("ec2", account=account or sys.modules["local_aws.server"].DEFAULT_ACCOUNT,
                           region=region or sys.modules["local_aws.server"].DEFAULT_REGION)
    for vpc in ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"]:
        vpc_filter = [{"Name": "vpc-id", "Values": [vpc["VpcId"]]}]
        for subnet in ec2.describe_subnets(Filters=vpc_filter)["Subnets"]:
            ec2.delete_subnet(SubnetId=subnet["SubnetId"])
        gateways = ec2.describe_internet_gateways(Filters=[{"Name": "attachment.vpc-id", "Values": [vpc["VpcId"]]}])
        for gateway in gateways["InternetGateways"]:
            ec2.detach_internet_gateway(InternetGatewayId=gateway["InternetGatewayId"], VpcId=vpc["VpcId"])
            ec2.delete_internet_gateway(InternetGatewayId=gateway["InternetGatewayId"])
        ec2.delete_vpc(VpcId=vpc["VpcId"])
    ids = [ec2.create_vpc(CidrBlock="10.{0}.{1}.0/24".format(i // 256, i % 256))["Vpc"]["VpcId"] for i in range(count)]
    # warm the IAM and Logs backends so their lazy set-up is not timed as playbook work
    local_aws.client("iam").list_roles()
    local_aws.client("logs").describe_log_groups()
    return ids


def snapshot(local_aws, vpc_ids, account=None, region=None):
    """What exists: customer policies, roles, log groups (retention) and flow logs per VPC (config)."""
    server = sys.modules["local_aws.server"]
    account = account or server.DEFAULT_ACCOUNT
    region = region or server.DEFAULT_REGION
    iam = local_aws.client("iam", account=account, region=region)
    logs = local_aws.client("logs", account=account, region=region)
    ec2 = local_aws.client("ec2", account=account, region=region)
    policies = [p["PolicyName"] for p in iam.list_policies(Scope="Local")["Policies"]]
    roles = {r["RoleName"]: r["Arn"] for r in iam.list_roles()["Roles"] if r["RoleName"] != server.TEST_ROLE_NAME}
    groups = {g["logGroupName"]: g.get("retentionInDays") for g in logs.describe_log_groups()["logGroups"]}
    flow_logs = []
    for page in ec2.get_paginator("describe_flow_logs").paginate():
        flow_logs += page["FlowLogs"]
    per_vpc = collections.Counter(f["ResourceId"] for f in flow_logs)
    well_formed = [f for f in flow_logs
                   if f.get("LogGroupName") in groups and f.get("TrafficType") == "ALL"
                   and f.get("DeliverLogsPermissionArn") in roles.values() and f.get("MaxAggregationInterval") == 60]
    return dict(policies=len(policies), roles=len(roles), log_groups=len(groups),
                retention=sorted(set(v for v in groups.values() if v is not None)),
                flow_logs=len(flow_logs), vpcs_covered=sum(1 for v in vpc_ids if per_vpc[v] >= 1),
                vpcs_duplicated=sum(1 for v in vpc_ids if per_vpc[v] > 1), flow_logs_well_formed=len(well_formed),
                vpcs=len(vpc_ids))


def _state_text(state):
    if state is None:
        return "-"
    if not (state["policies"] or state["roles"] or state["log_groups"] or state["flow_logs"]):
        return "nothing created"
    text = "{p} policy, {r} role, {g} log group (retention {ret}), {c}/{n} VPCs with a flow log{d}, {w} well-formed"
    return text.format(
        p=state["policies"], r=state["roles"], g=state["log_groups"],
        ret="/".join(map(str, state["retention"])) or "none",
        c=state["vpcs_covered"], n=state["vpcs"], w=state["flow_logs_well_formed"],
        d=", {0} duplicated".format(state["vpcs_duplicated"]) if state["vpcs_duplicated"] else "")


# -- the benchmark -------------------------------------------------------------------------------
def _one_side(local_aws, side, size, workdir, collections_path, with_check=True):
    phases = {}
    local_aws.reset()
    vpc_ids = create_vpcs(local_aws, size)
    phases["run1"] = run_playbook(local_aws, side, workdir, "run1", vpc_ids, collections_path=collections_path)
    phases["run1"]["state"] = snapshot(local_aws, vpc_ids)
    phases["run2"] = run_playbook(local_aws, side, workdir, "run2", vpc_ids, collections_path=collections_path)
    phases["run2"]["state"] = snapshot(local_aws, vpc_ids)
    if not with_check:
        return phases
    local_aws.reset()
    vpc_ids = create_vpcs(local_aws, size)
    phases["check_fresh"] = run_playbook(local_aws, side, workdir, "check_fresh", vpc_ids, check=True,
                                         collections_path=collections_path)
    phases["check_fresh"]["state"] = snapshot(local_aws, vpc_ids)
    return phases


def _warm_up(local_aws, unavailable):
    """Untimed: the first start of awscli and ansible-playbook compiles their .pyc files."""
    env = dict(os.environ, **local_aws.env())
    env.update(AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull)
    if "anchor" not in unavailable:
        subprocess.run([os.path.join(AWSCLI_BIN, "aws"), "ec2", "describe-flow-logs", "--endpoint-url",
                        local_aws.endpoint_url], env=env, capture_output=True, check=False)
    subprocess.run([os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "--version"],
                   env=env, capture_output=True, check=False)
    local_aws.reset()


def run(sizes=(5, 50), reps=None, quick=False, workdir=None):
    """Measure both sides; returns a dict (``to_markdown`` renders it)."""
    if quick:
        sizes, reps = (5,), {5: 1}
    if reps is None:
        reps = {size: (3 if size <= 10 else 1) for size in sizes}
    elif isinstance(reps, int):
        reps = {size: reps for size in sizes}
    result = {"sizes": list(sizes), "reps": {str(k): v for k, v in reps.items()}, "unavailable": {}, "runs": {}}
    server, our_collections = _emulator()
    if not os.path.exists(OUR_PLAYBOOK):
        result["unavailable"]["collection"] = "playbooks/enable_flowlogs.yml does not exist yet"
    if not os.path.exists(ANCHOR_PLAYBOOK):
        result["unavailable"]["anchor"] = "{0} not found".format(ANCHOR_PLAYBOOK)
    else:
        try:
            result["anchor_versions"] = prepare_anchor()
        except (Unavailable, OSError, subprocess.CalledProcessError) as error:
            result["unavailable"]["anchor"] = str(error)
    collections_paths = {"collection": our_collections, "anchor": ANCHOR_COLLECTIONS}
    own_workdir = workdir is None
    workdir = workdir or tempfile.mkdtemp(prefix="bench-rollout-", dir=BENCH_TMP if os.path.isdir(BENCH_TMP) else None)
    local_aws = server.LocalAws().start()
    try:
        _warm_up(local_aws, result["unavailable"])
        for size in sizes:
            for rep in range(reps[size]):
                for side in SIDES:
                    if side in result["unavailable"]:
                        continue
                    _log("N={0} rep {1}/{2}: {3}".format(size, rep + 1, reps[size], side))
                    side_dir = os.path.join(workdir, "n{0}".format(size), "rep{0}".format(rep + 1), side)
                    os.makedirs(side_dir, exist_ok=True)
                    # check_fresh is a correctness probe: once per size is enough
                    phases = _one_side(local_aws, side, size, side_dir, collections_paths[side], with_check=rep == 0)
                    result["runs"].setdefault(str(size), {}).setdefault(side, []).append(phases)
    finally:
        local_aws.stop()
        if own_workdir and not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(workdir, ignore_errors=True)
    result["summary"] = summarize(result)
    return result


def _median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def summarize(result):
    """Median per size, side and phase, and the ratios anchor/collection."""
    summary = {}
    for size, sides in result["runs"].items():
        row = summary.setdefault(size, {})
        for side, reps in sides.items():
            for phase in PHASES:
                runs = [rep[phase] for rep in reps if phase in rep]
                if not runs:
                    continue
                walls = [r["wall_s"] for r in runs]
                row.setdefault(side, {})[phase] = dict(
                    reps=len(runs), rc="/".join(str(r["rc"]) for r in runs),
                    wall_s=_median(walls), wall_min=min(walls), wall_max=max(walls),
                    api_calls=_median([r["api_calls"] for r in runs]),
                    mutating_calls=_median([r["mutating_calls"] for r in runs]),
                    module_invocations=_median([r["module_invocations"] for r in runs]),
                    aws_invocations=_median([r["aws_invocations"] for r in runs]),
                    changed_invocations=_median([r["changed_invocations"] for r in runs]),
                    first_error=next((r["first_error"] for r in runs if r["rc"] != 0 and r["first_error"]), None),
                    state=runs[-1].get("state"), operations=runs[-1]["operations"])
        if "collection" in row and "anchor" in row:
            ours, anchor = row["collection"], row["anchor"]
            row["ratios"] = dict(
                wall_run1=_ratio(anchor["run1"]["wall_s"], ours["run1"]["wall_s"]),
                wall_run2=_ratio(anchor["run2"]["wall_s"], ours["run2"]["wall_s"]),
                api_run1=_ratio(ours["run1"]["api_calls"], anchor["run1"]["api_calls"]),
                api_run2=_ratio(ours["run2"]["api_calls"], anchor["run2"]["api_calls"]),
                # paired per repetition: the two sides ran back to back on the same machine state
                wall_run1_paired=[_ratio(a["run1"]["wall_s"], o["run1"]["wall_s"])
                                  for o, a in zip(result["runs"][size]["collection"], result["runs"][size]["anchor"])],
            )
    return summary


def _ratio(numerator, denominator):
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def _fmt(value, digits=2):
    if value is None:
        return "-"
    if isinstance(value, float) and not value.is_integer():
        return "{0:.{1}f}".format(value, digits)
    return "{0:g}".format(value)


def to_markdown(result):
    lines = []
    for side, reason in sorted(result["unavailable"].items()):
        lines.append("- **{0}: not available**: {1}".format(side, reason))
    if result["unavailable"]:
        lines.append("")
    summary = result.get("summary") or {}
    if not summary:
        return "\n".join(lines + ["(no rollout measurements)"])
    if result.get("anchor_versions"):
        lines += ["Anchor tools (bench-only): " + ", ".join(
            "{0} {1}".format(k, v) for k, v in result["anchor_versions"].items()) + ".", ""]
    lines += ["Medians over the repetitions (reps per size: {0}). run1 = first apply on a fresh account; "
              "run2 = identical re-run; check_fresh = `--check` on a fresh account. "
              "Wall = the ansible-playbook process. API calls = requests the local AWS served "
              "(including retried and failed ones).".format(
                  ", ".join("N={0}: {1}".format(k, v) for k, v in result["reps"].items())), "",
              "| VPCs | side | phase | rc | wall s (min-max) | API calls | mutating | module invocations "
              "(of them AWS) | changed | state after |", "|---:|---|---|---|---:|---:|---:|---:|---:|---|"]
    for size in sorted(summary, key=int):
        for side in SIDES:
            for phase in PHASES:
                cell = summary[size].get(side, {}).get(phase)
                if not cell:
                    continue
                row = "| {n} | {side} | {phase} | {rc} | {w} ({lo}-{hi}) | {api} | {mut} | {inv} | {ch} | {st} |"
                lines.append(row.format(
                    n=size, side=side, phase=phase, rc=cell["rc"], w=_fmt(cell["wall_s"]),
                    lo=_fmt(cell["wall_min"]), hi=_fmt(cell["wall_max"]), api=_fmt(cell["api_calls"]),
                    mut=_fmt(cell["mutating_calls"]),
                    inv="{0} ({1})".format(_fmt(cell["module_invocations"]), _fmt(cell["aws_invocations"])),
                    ch=_fmt(cell["changed_invocations"]), st=_state_text(cell["state"])))
    ratio_rows = [(size, summary[size]["ratios"]) for size in sorted(summary, key=int) if "ratios" in summary[size]]
    if ratio_rows:
        lines += ["", "Ratios measured in this run (goal at 50 VPCs: wall anchor/collection >= 5, "
                  "no-change API calls collection/anchor <= 0.10):", "",
                  "| VPCs | wall run1 anchor/collection | paired per rep | wall run2 anchor/collection | "
                  "API calls run1 collection/anchor | API calls run2 (no change) collection/anchor |",
                  "|---:|---:|---|---:|---:|---:|"]
        for size, ratios in ratio_rows:
            lines.append("| {0} | {1}× | {2} | {3}× | {4} | {5} |".format(
                size, _fmt(ratios["wall_run1"], 1), ", ".join(_fmt(r, 1) + "×" for r in ratios["wall_run1_paired"]),
                _fmt(ratios["wall_run2"], 1), _fmt(ratios["api_run1"], 3), _fmt(ratios["api_run2"], 3)))
    errors = []
    for size in sorted(summary, key=int):
        for side in SIDES:
            for phase in PHASES:
                cell = summary[size].get(side, {}).get(phase)
                if cell and cell["first_error"]:
                    errors.append("- N={0}, {1}, {2} (rc {3}): `{4}`".format(
                        size, side, phase, cell["rc"], cell["first_error"].replace("`", "'")[:240]))
    if errors:
        lines += ["", "First error of each failing phase:", ""] + errors
    largest = max(summary, key=int)
    lines += ["", "API calls by operation, N={0}, last repetition:".format(largest), "",
              "| side | phase | calls by service:Operation |", "|---|---|---|"]
    for side in SIDES:
        for phase in PHASES:
            cell = summary[largest].get(side, {}).get(phase)
            if cell:
                lines.append("| {0} | {1} | {2} |".format(side, phase, ", ".join(
                    "{0} {1}".format(op, count) for op, count in cell["operations"].items()) or "none"))
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5,50", help="comma-separated VPC counts (default 5,50)")
    parser.add_argument("--reps", type=int, default=None, help="repetitions per size (default 3 for <=10 VPCs, else 1)")
    parser.add_argument("--quick", action="store_true", help="5 VPCs, 1 repetition")
    parser.add_argument("--json", help="also write the raw result here")
    options = parser.parse_args(argv)
    result = run(sizes=tuple(int(s) for s in options.sizes.split(",") if s), reps=options.reps, quick=options.quick)
    if options.json:
        with open(options.json, "w") as handle:
            json.dump(result, handle, indent=1, default=str)
    sys.stdout.write(to_markdown(result) + "\n")


if __name__ == "__main__":
    main()
