"""flow_log and flow_log_info through a real ansible-playbook run (module_defaults group, check mode)."""

import pytest

from local_aws import traffic

pytestmark = [pytest.mark.integration, pytest.mark.slow]

PLAYBOOK = """
- hosts: localhost
  gather_facts: false
  module_defaults:
    group/netobs.flowlogs.flowlogs:
      region: us-east-1
  tasks:
    - name: enable
      netobs.flowlogs.flow_log:
        resource_ids: "{{ vpc_ids }}"
        log_group: /vpc/flow-logs
        role: "{{ role }}"
        log_format: 5
        tags: {owner: network-team}
    - name: again
      netobs.flowlogs.flow_log:
        resource_ids: "{{ vpc_ids }}"
        log_group: /vpc/flow-logs
        role: "{{ role }}"
        log_format: 5
        tags: {owner: network-team}
    - name: audit
      netobs.flowlogs.flow_log_info:
        coverage:
          resource_ids: "{{ vpc_ids }}"
          traffic_type: REJECT
          min_format_version: 5
"""


def test_playbook_enables_then_is_idempotent_and_audits(aws, run_playbook):
    aws.client("logs").create_log_group(logGroupName="/vpc/flow-logs")
    ec2 = aws.client("ec2")
    vpc_ids = [ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"] for _index in range(5)]
    role = traffic.delivery_role(aws)  # a role the flow logs can deliver through: audit needs delivery
    aws.recorder.clear()

    checked = run_playbook(PLAYBOOK, extra_vars=dict(vpc_ids=vpc_ids, role=role), check=True, diff=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.result("enable")["changed"] is True
    assert aws.recorder.mutating() == []

    run = run_playbook(PLAYBOOK, extra_vars=dict(vpc_ids=vpc_ids, role=role))
    assert run.returncode == 0, run.stdout + run.stderr
    enable = run.result("enable")
    assert enable["changed"] is True and enable["summary"]["created"] == 5
    assert run.result("again")["changed"] is False
    audit = run.result("audit")["coverage"]
    assert audit["compliant"] is True and len(audit["covered"]) == 5
    described = ec2.describe_flow_logs(Filters=[{"Name": "resource-id", "Values": vpc_ids}])["FlowLogs"]
    assert len(described) == 5 and all("${traffic-path}" in fl["LogFormat"] for fl in described)
