"""Helpers for tests that run a role in a real ansible-playbook: the playbook text, the target summary a
role records, and the flow logs the local AWS then holds."""

import json


def playbook(role, **variables):
    """A one-task playbook including ``role`` on localhost (us-east-1) with ``variables``."""
    lines = ["- hosts: localhost", "  gather_facts: false", "  tasks:",
             "    - ansible.builtin.include_role:", "        name: netobs.flowlogs.{0}".format(role),
             "      vars:", "        aws_region: us-east-1"]
    lines += ["        {0}: {1}".format(name, json.dumps(value)) for name, value in variables.items()]
    return "\n".join(lines) + "\n"


def summary_of(run, role, ok=True):
    """The flowlogs_target_summary ``role`` recorded in ``run`` (asserting the run succeeded unless ``ok`` is false)."""
    if ok:
        assert run.returncode == 0, run.stdout[-4000:]
    task = "Record this target's coverage" if role == "audit" else "Record this target's outcome"
    return run.result("netobs.flowlogs.{0} : {1}".format(role, task))["ansible_facts"]["flowlogs_target_summary"]


def flow_logs_by_resource(aws):
    """{resource id: [its flow logs]} in the local AWS's default account and region."""
    found = {}
    for flow_log in aws.client("ec2").describe_flow_logs()["FlowLogs"]:
        found.setdefault(flow_log["ResourceId"], []).append(flow_log)
    return found
