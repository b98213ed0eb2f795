"""netobs.flowlogs.flow_log_info: listing with filters and the coverage audit."""

import pytest

from local_aws import traffic

from ansible_collections.netobs.flowlogs.plugins.module_utils.flowlog_fields import fields_up_to_version

pytestmark = pytest.mark.integration

ROLE_ARN = "arn:aws:iam::123456789012:role/flow-role"
GROUP = "/vpc/flow-logs"


@pytest.fixture
def estate(aws):
    """Four VPCs: ALL/60 s/v5, REJECT/600 s/v2, ACCEPT, none; a subnet and an ENI in the first and last."""
    aws.client("logs").create_log_group(logGroupName=GROUP)
    aws.client("logs").create_log_group(logGroupName="other")
    ec2 = aws.client("ec2")
    vpcs = [ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"] for _index in range(4)]
    subnets = [ec2.create_subnet(VpcId=vpcs[i], CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"] for i in (0, 3)]
    enis = [ec2.create_network_interface(SubnetId=s)["NetworkInterface"]["NetworkInterfaceId"] for s in subnets]
    v5 = " ".join("${%s}" % f for f in fields_up_to_version(5))
    working_role = traffic.delivery_role(aws)  # the estate's flow logs deliver (DeliverLogsStatus SUCCESS)

    def create(vpc, group, traffic, interval, log_format=None, tags=None):
        kwargs = dict(ResourceType="VPC", ResourceIds=[vpc], TrafficType=traffic, LogGroupName=group,
                      DeliverLogsPermissionArn=working_role, MaxAggregationInterval=interval)
        if log_format:
            kwargs["LogFormat"] = log_format
        if tags:
            kwargs["TagSpecifications"] = [{"ResourceType": "vpc-flow-log", "Tags": tags}]
        ec2.create_flow_logs(**kwargs)

    create(vpcs[0], GROUP, "ALL", 60, v5, [{"Key": "env", "Value": "prod"}])
    create(vpcs[1], GROUP, "REJECT", 600)
    create(vpcs[2], "other", "ACCEPT", 60)
    default_vpc = [v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"] if v.get("IsDefault")]
    aws.recorder.clear()
    return dict(vpcs=vpcs, subnets=subnets, enis=enis, default_vpc=default_vpc)


def test_lists_with_filters_in_one_call(aws, run_module, estate):
    vpcs = estate["vpcs"]
    everything = run_module("flow_log_info")
    assert sorted(fl["resource_id"] for fl in everything["flow_logs"]) == sorted(vpcs[:3])
    assert not everything.changed
    by_group = run_module("flow_log_info", log_group=GROUP)
    assert sorted(fl["resource_id"] for fl in by_group["flow_logs"]) == sorted(vpcs[:2])
    tagged = run_module("flow_log_info", tags={"env": "prod"})
    assert [fl["resource_id"] for fl in tagged["flow_logs"]] == [vpcs[0]]
    assert tagged["flow_logs"][0]["format_version"] == 5
    by_resource = run_module("flow_log_info", resource_ids=vpcs[1:3], traffic_type="REJECT")
    assert [fl["resource_id"] for fl in by_resource["flow_logs"]] == [vpcs[1]]
    assert aws.recorder.operations() == {"DescribeFlowLogs": 4}


def test_coverage_like_security_hub_ec2_6(aws, run_module, estate):
    vpcs = estate["vpcs"]
    result = run_module("flow_log_info", coverage=dict(traffic_type="REJECT"))
    audit = result["coverage"]
    assert sorted(c["resource_id"] for c in audit["covered"]) == sorted(vpcs[:2])  # ALL and REJECT
    reasons = dict((u["resource_id"], u["reason"]) for u in audit["uncovered"])
    assert set(reasons) == set(vpcs[2:] + estate["default_vpc"])
    assert "traffic type ACCEPT does not capture REJECT traffic" in reasons[vpcs[2]]
    assert reasons[vpcs[3]] == "no flow log on {0}".format(vpcs[3])
    assert audit["compliant"] is False
    assert audit["summary"] == dict(total=len(vpcs) + len(estate["default_vpc"]), covered=2,
                                    uncovered=2 + len(estate["default_vpc"]))
    assert sorted(aws.recorder.operations()) == ["DescribeFlowLogs", "DescribeVpcs"]


def test_coverage_requirements_on_interval_format_and_destination(run_module, estate):
    vpcs = estate["vpcs"]
    result = run_module("flow_log_info", coverage=dict(resource_ids=vpcs[:3], max_aggregation_interval=60,
                                                       min_format_version=3, log_group=GROUP))
    audit = result["coverage"]
    assert [c["resource_id"] for c in audit["covered"]] == [vpcs[0]]
    reasons = dict((u["resource_id"], u["reason"]) for u in audit["uncovered"])
    assert "aggregation interval 600 s is over 60 s" in reasons[vpcs[1]]
    assert "format version 2 is below 3" in reasons[vpcs[1]]
    assert "not '/vpc/flow-logs'" in reasons[vpcs[2]]
    assert audit["requirements"] == dict(max_aggregation_interval=60, min_format_version=3, log_group=GROUP,
                                         require_delivery=True)


def test_subnets_and_enis_are_covered_through_their_vpc(run_module, estate):
    result = run_module("flow_log_info", coverage=dict(resource_types=["Subnet", "NetworkInterface"],
                                                       resource_ids=estate["subnets"] + estate["enis"]))
    audit = result["coverage"]
    covered = dict((c["resource_id"], c["via"]) for c in audit["covered"])
    assert covered == {estate["subnets"][0]: [estate["vpcs"][0]], estate["enis"][0]: [estate["vpcs"][0]]}
    uncovered = dict((u["resource_id"], u["reason"]) for u in audit["uncovered"])
    assert set(uncovered) == {estate["subnets"][1], estate["enis"][1]}
    assert estate["vpcs"][3] in uncovered[estate["enis"][1]] and estate["subnets"][1] in uncovered[estate["enis"][1]]


def test_a_fully_covered_selection_is_compliant(run_module, estate):
    audit = run_module("flow_log_info", coverage=dict(resource_ids=estate["vpcs"][:2]))["coverage"]
    assert audit["compliant"] is True and audit["uncovered"] == []


def test_unknown_coverage_id_is_uncovered_not_ignored(run_module, estate):
    audit = run_module("flow_log_info", coverage=dict(resource_ids=["vpc-0123456789abcdef0"]))["coverage"]
    assert audit["uncovered"][0]["reason"].startswith("not found")
    assert audit["compliant"] is False


def test_failed_delivery_is_not_coverage_unless_told_otherwise(aws, run_module, estate):
    ec2 = aws.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    # The role does not exist: the local AWS's IAM evaluation says FAILED, "Access error".
    created = run_module("flow_log", resource_ids=[vpc], log_group="missing-group", role=ROLE_ARN)
    assert created["delivery_failures"] == {vpc: "Access error"}
    assert any("does not deliver: Access error" in w for w in created["warnings"]), created["warnings"]
    strict = run_module("flow_log_info", coverage=dict(resource_ids=[vpc]))["coverage"]
    lenient = run_module("flow_log_info", coverage=dict(resource_ids=[vpc], require_delivery=False))["coverage"]
    assert lenient["compliant"] is True
    assert strict["compliant"] is False
    assert strict["uncovered"][0]["reason"].endswith("delivery failing: Access error")
    failed = run_module("flow_log_info", resource_ids=[vpc])["flow_logs"]
    assert failed[0]["deliver_logs_status"] == "FAILED"


def test_bad_ids_are_refused_before_any_call(aws, run_module):
    result = run_module("flow_log_info", resource_ids=["vpc-nothex"])
    assert result.failed and result["invalid_parameter"] == "resource_ids"
    result = run_module("flow_log_info", coverage=dict(resource_ids=["tgw-0123456789abcdef0"]))
    assert result.failed and result["invalid_parameter"] == "coverage.resource_ids"
    result = run_module("flow_log_info", coverage=dict(min_format_version=1))
    assert result.failed and "coverage.min_format_version" in result["msg"]
    assert aws.recorder.calls() == []


def test_exclusions_take_resources_and_their_children_out_of_scope(aws, run_module, estate):
    vpcs, subnets, enis = estate["vpcs"], estate["subnets"], estate["enis"]
    ec2 = aws.client("ec2")
    ec2.create_tags(Resources=[vpcs[1]], Tags=[{"Key": "flowlogs", "Value": "skip"}])
    ec2.create_tags(Resources=[vpcs[2]], Tags=[{"Key": "Team", "Value": "blue"}])
    default_subnets = [s["SubnetId"] for s in ec2.describe_subnets(
        Filters=[{"Name": "vpc-id", "Values": estate["default_vpc"]}])["Subnets"]]
    assert default_subnets  # the default VPC's subnets go with it
    aws.recorder.clear()
    audit = run_module("flow_log_info", coverage=dict(
        resource_types=["VPC", "Subnet", "NetworkInterface"], exclude_ids=[vpcs[3]],
        exclude_tags={"flowlogs": "skip", "Team": None}, skip_default_vpc=True))["coverage"]
    # vpcs[3] takes its subnet and ENI with it; a tag value must match, null matches any value.
    assert audit["excluded"] == {
        vpcs[3]: "excluded by id {0}".format(vpcs[3]), subnets[1]: "excluded by id {0}".format(vpcs[3]),
        enis[1]: "excluded by id {0}".format(vpcs[3]), vpcs[1]: "excluded by tag flowlogs",
        vpcs[2]: "excluded by tag Team", estate["default_vpc"][0]: "in the default VPC",
        **dict((subnet, "in the default VPC") for subnet in default_subnets)}
    in_scope = sorted(r["resource_id"] for r in audit["covered"] + audit["uncovered"])
    assert in_scope == sorted([vpcs[0], subnets[0], enis[0]])
    assert audit["compliant"] is True
    # One filtered DescribeVpcs finds the default VPC.
    assert aws.recorder.operations()["DescribeVpcs"] == 2
    # A tag of another value does not exclude; an excluded id given explicitly is not "not found".
    other = run_module("flow_log_info", coverage=dict(resource_ids=vpcs[1:3], exclude_ids=[vpcs[2]],
                                                      exclude_tags={"flowlogs": "keep"}))["coverage"]
    assert [r["resource_id"] for r in other["covered"] + other["uncovered"]] == [vpcs[1]]
    assert list(other["excluded"]) == [vpcs[2]]


def test_bad_exclusions_are_refused_before_any_call(aws, run_module):
    result = run_module("flow_log_info", coverage=dict(exclude_ids=["igw-0123456789abcdef0"]))
    assert result.failed and result["invalid_parameter"] == "coverage.exclude_ids"
    result = run_module("flow_log_info", coverage=dict(exclude_tags={"Team": ["a", "b"]}))
    assert result.failed and result["invalid_parameter"] == "coverage.exclude_tags"
    assert aws.recorder.calls() == []


def test_transit_gateway_coverage_counts_the_gateways_flow_log_for_its_attachments(aws, run_module):
    aws.client("logs").create_log_group(logGroupName=GROUP)
    ec2 = aws.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    gateways = [ec2.create_transit_gateway()["TransitGateway"]["TransitGatewayId"] for _index in range(3)]
    attachments = [ec2.create_transit_gateway_vpc_attachment(TransitGatewayId=tgw, VpcId=vpc, SubnetIds=[subnet])[
        "TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"] for tgw in gateways[:2]]
    ec2.create_tags(Resources=[gateways[2]], Tags=[{"Key": "flowlogs", "Value": "skip"}])
    # A transit gateway flow log has no traffic type and a 60 s interval (the only one TGW flow logs take).
    ec2.create_flow_logs(ResourceType="TransitGateway", ResourceIds=[gateways[0]], LogGroupName=GROUP,
                         DeliverLogsPermissionArn=traffic.delivery_role(aws), MaxAggregationInterval=60)
    coverage = run_module("flow_log_info", coverage=dict(
        resource_types=["TransitGateway", "TransitGatewayAttachment"], traffic_type="REJECT",
        exclude_tags={"flowlogs": "skip"}))["coverage"]
    covered = dict((r["resource_id"], r["via"]) for r in coverage["covered"])
    # The gateway's flow log covers it and its attachment, meeting a REJECT requirement (it captures everything).
    assert covered == {gateways[0]: [gateways[0]], attachments[0]: [gateways[0]]}
    assert sorted(r["resource_id"] for r in coverage["uncovered"]) == sorted([gateways[1], attachments[1]])
    assert coverage["excluded"] == {gateways[2]: "excluded by tag flowlogs"}
    # Excluding a transit gateway takes its attachments out with it.
    narrowed = run_module("flow_log_info", coverage=dict(resource_types=["TransitGatewayAttachment"],
                                                         exclude_ids=[gateways[1]]))["coverage"]
    assert narrowed["excluded"] == {attachments[1]: "excluded by id {0}".format(gateways[1])}
