"""VPCs excluded by id, by tag or as the default VPC are out of scope in enable, audit and disable alike:
never given a flow log, never replaced or deleted, neither covered nor uncovered (real ansible-playbook
runs on the local AWS)."""


import pytest
from support.roles import flow_logs_by_resource, playbook, summary_of

pytestmark = [pytest.mark.integration, pytest.mark.slow]

EXCLUSIONS = dict(flowlogs_exclude_tags={"flowlogs": "skip"}, flowlogs_skip_default_vpc=True)


def test_excluded_vpcs_are_out_of_scope_in_enable_audit_and_disable(aws, run_playbook):
    ec2 = aws.client("ec2")
    vpcs = [ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"] for _vpc in range(4)]
    default_vpc = [v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"] if v.get("IsDefault")]
    assert len(default_vpc) == 1
    ec2.create_tags(Resources=[vpcs[1]], Tags=[{"Key": "flowlogs", "Value": "skip"}])
    # Our own REJECT flow log on vpcs[2], which the next runs exclude by id: it is neither replaced by an
    # ALL flow log nor deleted.
    summary_of(run_playbook(playbook("enable", flowlogs_vpc_ids=[vpcs[2]], flowlogs_traffic_type="REJECT")), "enable")
    kept = flow_logs_by_resource(aws)[vpcs[2]][0]["FlowLogId"]

    expected_excluded = {vpcs[1]: "excluded by tag flowlogs", vpcs[2]: "excluded by id {0}".format(vpcs[2]),
                         default_vpc[0]: "in the default VPC"}
    aws.recorder.clear()
    enabled = summary_of(run_playbook(playbook("enable", flowlogs_exclude_vpc_ids=[vpcs[2]], **EXCLUSIONS)), "enable")
    assert enabled["excluded"] == expected_excluded
    assert enabled["vpcs"] == 2 and enabled["counts"]["created"] == 2 and enabled["counts"]["replaced"] == 0
    # One read of the VPCs (and one filtered DescribeVpcs for the default VPC) then flow_log's own check.
    assert aws.recorder.operations().get("DeleteFlowLogs") is None
    by_vpc = flow_logs_by_resource(aws)
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
    assert [fl["FlowLogId"] for fls in flow_logs_by_resource(aws).values() for fl in fls] == [kept]
