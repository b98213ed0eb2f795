"""enable, audit and disable over subnets and transit gateways (flowlogs_resource_type, flowlogs_resource_ids,
flowlogs_exclude_ids), and flowlogs_vpc_ids still selecting VPCs (real ansible-playbook runs on the local AWS)."""


import pytest
from support.roles import flow_logs_by_resource, playbook, summary_of

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_subnets_with_a_vpc_excluded_in_enable_audit_and_disable(aws, run_playbook):
    ec2 = aws.client("ec2")
    vpcs = [ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"] for _vpc in range(2)]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=cidr)["Subnet"]["SubnetId"]
               for vpc in vpcs for cidr in ("10.0.1.0/24", "10.0.2.0/24")]
    ec2.create_tags(Resources=[subnets[1]], Tags=[{"Key": "flowlogs", "Value": "skip"}])
    # Subnets of every VPC but vpcs[1] (excluded by id, taking its subnets), not the tagged one, not the
    # default VPC's.
    scope = dict(flowlogs_resource_type="Subnet", flowlogs_exclude_ids=[vpcs[1]],
                 flowlogs_exclude_tags={"flowlogs": "skip"}, flowlogs_skip_default_vpc=True)
    enabled = summary_of(run_playbook(playbook("enable", **scope)), "enable")
    assert enabled["resource_type"] == "Subnet" and enabled["vpcs"] == 1
    assert enabled["resources"] == {subnets[0]: "created"}
    assert enabled["excluded"][subnets[1]] == "excluded by tag flowlogs"
    assert enabled["excluded"][subnets[2]] == "excluded by id {0}".format(vpcs[1])
    by_resource = flow_logs_by_resource(aws)
    assert sorted(by_resource) == [subnets[0]] and by_resource[subnets[0]][0]["TrafficType"] == "ALL"

    audited = summary_of(run_playbook(playbook("audit", flowlogs_audit_traffic_type="ALL", **scope)), "audit")
    assert audited["status"] == "ok" and audited["resource_type"] == "Subnet" and audited["vpcs"] == 1
    # Given ids: the listed subnets only, and a VPC flow log on vpcs[1] covers its subnets (their parent).
    enable_vpc = summary_of(run_playbook(playbook("enable", flowlogs_vpc_ids=[vpcs[1]])), "enable")
    assert enable_vpc["resources"] == {vpcs[1]: "created"}
    explicit = summary_of(run_playbook(playbook("audit", flowlogs_resource_type="Subnet",
                                                flowlogs_resource_ids=subnets[2:])), "audit")
    assert explicit["status"] == "ok" and explicit["counts"]["covered"] == 2

    disabled = summary_of(run_playbook(playbook("disable", **scope)), "disable")
    assert disabled["counts"]["deleted"] == 1
    assert sorted(flow_logs_by_resource(aws)) == [vpcs[1]]  # the VPC's flow log is not a subnet's


def test_transit_gateways_and_their_attachments(aws, run_playbook):
    ec2 = aws.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    gateways = [ec2.create_transit_gateway()["TransitGateway"]["TransitGatewayId"] for _index in range(2)]
    attachment = ec2.create_transit_gateway_vpc_attachment(TransitGatewayId=gateways[0], VpcId=vpc,
                                                           SubnetIds=[subnet])["TransitGatewayVpcAttachment"]
    ec2.create_tags(Resources=[gateways[1]], Tags=[{"Key": "flowlogs", "Value": "skip"}])
    tgw = dict(flowlogs_resource_type="TransitGateway", flowlogs_exclude_tags={"flowlogs": "skip"})
    enabled = summary_of(run_playbook(playbook("enable", **tgw)), "enable")
    assert enabled["resources"] == {gateways[0]: "created"}
    assert enabled["excluded"] == {gateways[1]: "excluded by tag flowlogs"}
    flow_log = flow_logs_by_resource(aws)[gateways[0]][0]
    # The transit gateway flow log: 60 s (the only interval it takes), no traffic type, the TGW default format.
    assert flow_log["MaxAggregationInterval"] == 60 and "${tgw-attachment-id}" in flow_log["LogFormat"]
    assert not flow_log.get("TrafficType")
    again = summary_of(run_playbook(playbook("enable", **tgw)), "enable")
    assert again["changed"] is False and again["resources"] == {gateways[0]: "unchanged"}

    # The attachment is covered through its gateway's flow log, REJECT requirement and all.
    audited = summary_of(run_playbook(playbook("audit", flowlogs_resource_type="TransitGatewayAttachment",
                                               flowlogs_audit_traffic_type="REJECT")), "audit")
    assert audited["status"] == "ok" and audited["counts"]["covered"] == 1
    assert audited["resources"] == {attachment["TransitGatewayAttachmentId"]: "covered"}

    disabled = summary_of(run_playbook(playbook("disable", flowlogs_resource_type="TransitGateway")), "disable")
    assert disabled["counts"]["deleted"] == 1 and flow_logs_by_resource(aws) == {}


@pytest.mark.parametrize("variables,message", [
    (dict(flowlogs_resource_type="TransitGateway", flowlogs_max_aggregation_interval=600),
     "flowlogs_max_aggregation_interval: must be 60 for TransitGateway flow logs"),
    (dict(flowlogs_resource_type="TransitGatewayAttachment", flowlogs_traffic_type="REJECT"),
     "flowlogs_traffic_type: TransitGatewayAttachment flow logs have no traffic type"),
    (dict(flowlogs_resource_type="Subnet", flowlogs_vpc_ids=["vpc-0123abcd"]),
     "flowlogs_vpc_ids: selects VPCs, but flowlogs_resource_type is Subnet"),
    (dict(flowlogs_resource_type="Subnet", flowlogs_resource_ids=["vpc-0123abcd"]),
     "flowlogs_resource_ids: malformed Subnet id(s) 'vpc-0123abcd'"),
    (dict(flowlogs_exclude_ids=["igw-0123abcd"]), "flowlogs_exclude_ids: not ids of a resource a flow log can watch"),
])
def test_transit_gateway_and_selection_rules_stop_enable_before_any_call(aws, run_playbook, variables, message):
    run = run_playbook(playbook("enable", **variables))
    assert run.returncode != 0
    assert message in run.stdout, run.stdout[-3000:]
    assert aws.recorder.calls() == []
