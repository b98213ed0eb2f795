"""VPCs excluded by id, by tag or as the default VPC are out of scope in enable, audit and disable alike:
never given a flow log, never replaced or deleted, neither covered nor uncovered (real ansible-playbook
runs on the local AWS)."""

import json

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]

EXCLUSIONS = dict(flowlogs_exclude_tags={"flowlogs": "skip"}, flowlogs_skip_default_vpc=True)


def playbook(role, **variables):
    lines = ["- hosts: localhost", "  gather_facts: false", "  tasks:",
             "    - ansible.builtin.include_role:", "        name: netobs.flowlogs.{0}".format(role),
             "      vars:", "        aws_region: us-east-1"]
    lines += ["        {0}: {1}".format(name, json.dumps(value)) for name, value in variables.items()]
    return "\n".join(lines) + "\n"


def summary_of(run, role, ok=True):
    if ok:
        assert run.returncode == 0, run.stdout[-4000:]
    task = "Record this target's coverage" if role == "audit" else "Record this target's outcome"
    return run.result("netobs.flowlogs.{0} : {1}".format(role, task))["ansible_facts"]["flowlogs_target_summary"]


def flow_logs_by_vpc(aws):
    found = {}
    for flow_log in aws.client("ec2").describe_flow_logs()["FlowLogs"]:
        found.setdefault(flow_log["ResourceId"], []).append(flow_log)
    return found


def test_excluded_vpcs_are_out_of_scope_in_enable_audit_and_disable(aws, run_playbook):
    ec2 = aws.client("ec2")
    vpcs = [ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"] for _vpc in range(4)]
    default_vpc = [v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"] if v.get("IsDefault")]
    assert len(default_vpc) == 1
    ec2.create_tags(Resources=[vpcs[1]], Tags=[{"Key": "flowlogs", "Value": "skip"}])
    # Our own REJECT flow log on vpcs[2], which the next runs exclude by id: it is neither replaced by an
    # ALL flow log nor deleted.
    summary_of(run_playbook(playbook("enable", flowlogs_vpc_ids=[vpcs[2]], flowlogs_traffic_type="REJECT")), "enable")
    kept = flow_logs_by_vpc(aws)[vpcs[2]][0]["FlowLogId"]

    expected_excluded = {vpcs[1]: "excluded by tag flowlogs", vpcs[2]: "excluded by id {0}".format(vpcs[2]),
                         default_vpc[0]: "in the default VPC"}
    aws.recorder.clear()
    enabled = summary_of(run_playbook(playbook("enable", flowlogs_exclude_vpc_ids=[vpcs[2]], **EXCLUSIONS)), "enable")
    assert enabled["excluded"] == expected_excluded
    assert enabled["vpcs"] == 2 and enabled["counts"]["created"] == 2 and enabled["counts"]["replaced"] == 0
    # One read of the VPCs (and one filtered DescribeVpcs for the default VPC) then flow_log's own check.
    assert aws.recorder.operations().get("DeleteFlowLogs") is None
    by_vpc = flow_logs_by_vpc(aws)
    assert sorted(by_vpc) == sorted([vpcs[0], vpcs[2], vpcs[3]])
    assert [fl["FlowLogId"] for fl in by_vpc[vpcs[2]]] == [kept]

    # An explicit list minus the exclusions: vpcs[1] is excluded by its tag.
    explicit = summary_of(run_playbook(playbook("enable", flowlogs_vpc_ids=vpcs[:2], **EXCLUSIONS), check=True),
                          "enable")
    assert explicit["vpcs"] == 1 and list(explicit["excluded"]) == [vpcs[1]]

    audited = summary_of(run_playbook(playbook("audit", flowlogs_audit_traffic_type="ALL",
                                               flowlogs_exclude_vpc_ids=[vpcs[2]], **EXCLUSIONS)), "audit")
    assert audited["status"] == "ok" and audited["vpcs"] == 2 and audited["excluded"] == expected_excluded
    # Without the exclusions the same audit fails on vpcs[1], vpcs[2] (REJECT only) and the default VPC.
    strict = summary_of(run_playbook(playbook("audit", flowlogs_audit_traffic_type="ALL")), "audit", ok=False)
    assert strict["status"] == "uncovered" and strict["counts"]["uncovered"] == 3 and strict["excluded"] == {}

    disabled = summary_of(run_playbook(playbook("disable", flowlogs_exclude_vpc_ids=[vpcs[2]], **EXCLUSIONS)),
                          "disable")
    assert disabled["counts"]["deleted"] == 2 and vpcs[2] in disabled["excluded"]
    assert [fl["FlowLogId"] for fls in flow_logs_by_vpc(aws).values() for fl in fls] == [kept]
