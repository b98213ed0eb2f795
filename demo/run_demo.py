"""``make demo``: the whole product on the local AWS, step by step.

1. start the local AWS (the moto server plus our emulator layer) in a background process;
2. create a demo estate: 2 accounts x 2 regions, VPCs with subnets and ENIs;
3. run ``playbooks/enable_flowlogs.yml`` against it as a fleet (one host per account x region);
4. synthesize one hour of flow-log traffic into the flow logs' log groups;
5. run ``playbooks/flowlog_report.yml`` for the fleet;
6. print a short summary (top talkers, rejected scans, where the HTML report is);
7. stop the local AWS.

Each step prints what it does and how long it took; a failure names the step and why.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import time

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

DEMO_ACCOUNTS = ("111111111111", "222222222222")
DEMO_REGIONS = ("us-east-1", "eu-west-1")
VPCS_PER_TARGET = 2
SUBNETS_PER_VPC = 2
ENIS_PER_SUBNET = 2
ROLE_NAME = "OrganizationAccountAccessRole"


class StepFailed(Exception):
    pass


class Demo:
    def __init__(self, output_dir, setup_seconds=None):
        self.output_dir = output_dir
        self.setup_seconds = setup_seconds
        self.work_dir = os.path.join(REPO_ROOT, ".tmp", "demo")
        self.server = None
        self.env = None
        self.timings = []

    # -- plumbing -----------------------------------------------------------------------------
    def step(self, number, title, func):
        print("[{0}/7] {1} ...".format(number, title), flush=True)
        started = time.time()
        try:
            result = func()
        except StepFailed as exc:
            raise StepFailed("step {0} ({1}) failed: {2}".format(number, title, exc))
        except Exception as exc:  # any other error still names the step
            raise StepFailed("step {0} ({1}) failed: {2}: {3}".format(number, title, type(exc).__name__, exc))
        elapsed = time.time() - started
        self.timings.append((title, elapsed))
        print("      done in {0:.1f} s".format(elapsed), flush=True)
        return result

    def ansible_env(self):
        env = dict(os.environ)
        env.update(self.env)
        env.update({
            "ANSIBLE_COLLECTIONS_PATH": os.path.join(REPO_ROOT, ".tmp", "collections"),
            "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
            "ANSIBLE_LOCALHOST_WARNING": "False",
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_DISPLAY_SKIPPED_HOSTS": "False",
            "ANSIBLE_STDOUT_CALLBACK": "ansible.builtin.default",
            "ANSIBLE_CALLBACK_RESULT_FORMAT": "yaml",
        })
        return env

    def run_playbook(self, playbook, extra_vars, log_name):
        command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), playbook,
                   "-i", self.inventory_path, "-f", "4", "-e", json.dumps(extra_vars)]
        log_path = os.path.join(self.work_dir, log_name)
        with open(log_path, "w") as log:
            process = subprocess.run(command, cwd=REPO_ROOT, env=self.ansible_env(), stdout=log,
                                     stderr=subprocess.STDOUT, check=False)
        if process.returncode != 0:
            with open(log_path) as log:
                tail = "".join(log.readlines()[-25:])
            raise StepFailed("ansible-playbook {0} exited {1}; log: {2}\n{3}".format(
                os.path.basename(playbook), process.returncode, log_path, tail))
        return log_path

    # -- steps ----------------------------------------------------------------------------------
    def start_local_aws(self):
        os.makedirs(self.work_dir, exist_ok=True)
        env_file = os.path.join(self.work_dir, "local-aws.env")
        if os.path.exists(env_file):
            os.remove(env_file)
        env = dict(os.environ)
        self.server = subprocess.Popen(
            [sys.executable, "-m", "local_aws", "--env-file", env_file, "--query-running-seconds", "0.3"],
            cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(os.path.join(self.work_dir, "local-aws.log"),
                                                                           "w"))
        deadline = time.time() + 60
        while not os.path.exists(env_file) or not open(env_file).read().strip():
            if self.server.poll() is not None:
                raise StepFailed("the local AWS exited with {0}; see {1}".format(
                    self.server.returncode, os.path.join(self.work_dir, "local-aws.log")))
            if time.time() > deadline:
                raise StepFailed("the local AWS did not start within 60 s")
            time.sleep(0.1)
        self.env = {}
        with open(env_file) as handle:
            for line in handle:
                key, _sep, value = line.replace("export ", "", 1).strip().partition("=")
                self.env[key] = value
        print("      local AWS at {0}".format(self.env["AWS_ENDPOINT_URL"]))

    def session(self, account, region):
        import boto3

        base = boto3.session.Session(aws_access_key_id=self.env["AWS_ACCESS_KEY_ID"],
                                     aws_secret_access_key=self.env["AWS_SECRET_ACCESS_KEY"], region_name=region)
        sts = base.client("sts", endpoint_url=self.env["AWS_ENDPOINT_URL"])
        creds = sts.assume_role(RoleArn="arn:aws:iam::{0}:role/{1}".format(account, ROLE_NAME),
                                RoleSessionName="netobs-demo")["Credentials"]
        return boto3.session.Session(aws_access_key_id=creds["AccessKeyId"],
                                     aws_secret_access_key=creds["SecretAccessKey"],
                                     aws_session_token=creds["SessionToken"], region_name=region)

    def create_estate(self):
        hosts = {}
        counts = dict(vpcs=0, subnets=0, enis=0)
        for a_index, account in enumerate(DEMO_ACCOUNTS):
            for r_index, region in enumerate(DEMO_REGIONS):
                ec2 = self.session(account, region).client("ec2", endpoint_url=self.env["AWS_ENDPOINT_URL"])
                for v_index in range(VPCS_PER_TARGET):
                    cidr = "10.{0}.0.0/16".format(a_index * 40 + r_index * 10 + v_index)
                    name = "demo-{0}-{1}".format(("prod", "shared")[v_index % 2], v_index)
                    vpc = ec2.create_vpc(CidrBlock=cidr, TagSpecifications=[{
                        "ResourceType": "vpc", "Tags": [{"Key": "Name", "Value": name}]}])["Vpc"]["VpcId"]
                    counts["vpcs"] += 1
                    for s_index in range(SUBNETS_PER_VPC):
                        subnet_cidr = "{0}.{1}.0/24".format(cidr.rsplit(".", 2)[0], s_index)
                        subnet = ec2.create_subnet(VpcId=vpc, CidrBlock=subnet_cidr)["Subnet"]["SubnetId"]
                        counts["subnets"] += 1
                        for eni_index in range(ENIS_PER_SUBNET):
                            # AWS reserves a subnet's first four addresses and its last; workloads start at .10.
                            address = "{0}.{1}".format(subnet_cidr.rsplit(".", 1)[0], 10 + eni_index)
                            ec2.create_network_interface(SubnetId=subnet, PrivateIpAddress=address,
                                                         Description="demo workload")
                            counts["enis"] += 1
                host = "acct{0}-{1}".format(account[:4], region)
                hosts[host] = dict(aws_account_id=account, aws_region=region,
                                   assume_role_arn="arn:aws:iam::{0}:role/{1}".format(account, ROLE_NAME))
        self.inventory_path = os.path.join(self.work_dir, "demo-fleet.yml")
        inventory = {"all": {"children": {"flowlogs_fleet": {"hosts": hosts}},
                             "vars": {"ansible_connection": "local", "ansible_python_interpreter": sys.executable}}}
        with open(self.inventory_path, "w") as handle:
            json.dump(inventory, handle, indent=2)  # JSON is YAML
        self.hosts = hosts
        print("      {0} targets, {vpcs} VPCs, {subnets} subnets, {enis} ENIs (plus each region's default VPC)".format(
            len(hosts), **counts))

    def enable(self):
        summary_path = os.path.join(self.output_dir, "enable-summary.json")
        self.run_playbook(os.path.join(REPO_ROOT, "playbooks", "enable_flowlogs.yml"),
                          {"flowlogs_summary_path": summary_path}, "enable.log")
        with open(summary_path) as handle:
            summary = json.load(handle)
        fleet = summary.get("fleet", summary)
        print("      fleet summary: {0}".format(json.dumps(fleet, sort_keys=True)))
        self.enable_summary = summary

    def synthesize(self):
        from local_aws import traffic

        os.environ.update(self.env)  # the synthesizer reads the local AWS credentials from the environment
        accounts = sorted({h["aws_account_id"] for h in self.hosts.values()})
        regions = sorted({h["aws_region"] for h in self.hosts.values()})
        records = traffic.synthesize(self.env["AWS_ENDPOINT_URL"], accounts, regions,
                                     start=int(time.time()) - 3600, minutes=60, seed=7)
        streams = len({(r["log_group"], r["log_stream"]) for r in records})
        print("      wrote {0:,} flow-log records to {1} log streams".format(len(records), streams))

    def report(self):
        self.report_dir = os.path.join(self.output_dir, "report")
        self.run_playbook(os.path.join(REPO_ROOT, "playbooks", "flowlog_report.yml"),
                          {"flowlogs_report_dir": self.report_dir, "flowlogs_report_since": "2h",
                           "flowlogs_report_poll_interval": 0.2}, "report.log")

    def summarize(self):
        fleet_dir = os.path.join(self.report_dir, "fleet")
        talkers = _read_json(os.path.join(fleet_dir, "json", "top_talkers.json"))
        scans = _read_json(os.path.join(fleet_dir, "json", "rejected_by_port.json"))
        egress = _read_json(os.path.join(fleet_dir, "json", "egress.json"))
        print("")
        print("Top talkers across the fleet (last hour):")
        for row in talkers[:5]:
            print("  {0:<24} {1:>15} -> {2:<15} {3}".format(row.get("target"), row.get("srcAddr"), row.get("dstAddr"),
                                                            _human(row.get("bytesTransferred"))))
        print("Rejected scans by destination port:")
        for row in scans[:5]:
            # The fleet report adds up each target's distinct sources (a scanner seen by two targets counts twice).
            print("  port {0:<6} {1:>6} rejected records from {2} sources (summed over the targets)".format(
                row.get("dstPort"), row.get("rejections"), row.get("sourcesPerTargetSum")))
        print("Top egress to the internet (NAT):")
        for row in egress[:3]:
            print("  {0:<24} {1:>15} -> {2:<15} {3:.2f} MB".format(
                row.get("target"), row.get("srcAddr"), row.get("dstAddr"), float(row.get("MBTransferred") or 0)))
        print("")
        print("HTML report: {0}".format(os.path.join(fleet_dir, "report.html")))
        print("Markdown:    {0}".format(os.path.join(fleet_dir, "report.md")))

    def stop(self):
        if self.server is not None and self.server.poll() is None:
            self.server.send_signal(signal.SIGTERM)
            try:
                self.server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.server.kill()

    def run(self):
        started = time.time()
        if self.setup_seconds is not None:
            print("set-up (environment and dependencies) took {0:.1f} s".format(self.setup_seconds))
        try:
            self.step(1, "start the local AWS", self.start_local_aws)
            self.step(2, "create the demo estate (2 accounts x 2 regions)", self.create_estate)
            self.step(3, "enable flow logs on the fleet (playbooks/enable_flowlogs.yml)", self.enable)
            self.step(4, "synthesize one hour of traffic", self.synthesize)
            self.step(5, "run the report (playbooks/flowlog_report.yml)", self.report)
            self.step(6, "summarize", self.summarize)
        finally:
            self.step(7, "stop the local AWS", self.stop)
        print("demo finished in {0:.1f} s".format(time.time() - started))


def _read_json(path):
    if not os.path.exists(path):
        raise StepFailed("the report did not write {0}".format(path))
    with open(path) as handle:
        return json.load(handle)


def _human(value):
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if number < 1000:
            return "{0:.1f} {1}".format(number, unit)
        number /= 1000.0
    return "{0:.1f} PB".format(number)


def main(argv=None):
    parser = argparse.ArgumentParser(description="the netobs.flowlogs demo on the local AWS")
    parser.add_argument("--output-dir", default=os.path.join(REPO_ROOT, "demo-output"))
    parser.add_argument("--setup-started", type=float, default=None,
                        help="epoch seconds when set-up (venv, dependencies) began, to report its duration")
    args = parser.parse_args(argv)
    os.makedirs(args.output_dir, exist_ok=True)
    setup_seconds = time.time() - args.setup_started if args.setup_started else None
    demo = Demo(os.path.abspath(args.output_dir), setup_seconds)
    try:
        demo.run()
    except StepFailed as exc:
        print("demo failed: {0}".format(exc), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
