"""flow_log under faults: throttling, IAM role propagation, interrupted replace, partial failure."""

import time

import pytest

pytestmark = pytest.mark.integration

ROLE_ARN = "arn:aws:iam::123456789012:role/flow-role"
GROUP = "/vpc/flow-logs"
ROLE_MESSAGE = "Unable to assume given IAM role, Please check the policy and role."


def make_vpcs(aws, count):
    ec2 = aws.client("ec2")
    return [ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"] for _index in range(count)]


def flow_logs_of(aws, resource_ids):
    return aws.client("ec2").describe_flow_logs(
        Filters=[{"Name": "resource-id", "Values": list(resource_ids)}])["FlowLogs"]


@pytest.fixture
def vpcs(aws):
    aws.client("logs").create_log_group(logGroupName=GROUP)
    return make_vpcs(aws, 3)


def test_throttled_create_is_retried_and_succeeds(aws, run_module, vpcs):
    aws.faults.add(kind="throttle", service="ec2", operation="CreateFlowLogs", count=2)
    result = run_module("flow_log", resource_ids=vpcs, log_group=GROUP, role=ROLE_ARN)
    assert result.changed and not result.failed
    assert aws.recorder.operations()["CreateFlowLogs"] == 3  # 2 throttled + 1 through, same ClientToken
    assert len(flow_logs_of(aws, vpcs)) == 3


def test_role_not_yet_assumable_is_retried_until_it_propagates(aws, run_module, vpcs):
    aws.faults.add(kind="error", service="ec2", operation="CreateFlowLogs", code="InvalidParameter",
                   message=ROLE_MESSAGE, duration=3)
    started = time.monotonic()
    result = run_module("flow_log", resource_ids=vpcs, log_group=GROUP, role=ROLE_ARN, role_propagation_timeout=30)
    assert not result.failed, result
    assert result["summary"]["created"] == 3
    assert aws.recorder.operations()["CreateFlowLogs"] >= 2
    assert 3 <= time.monotonic() - started < 20
    assert len(flow_logs_of(aws, vpcs)) == 3


def test_role_propagation_gives_up_after_the_timeout(aws, run_module, vpcs):
    aws.faults.add(kind="error", service="ec2", operation="CreateFlowLogs", code="InvalidParameter",
                   message=ROLE_MESSAGE, duration=60)
    started = time.monotonic()
    result = run_module("flow_log", resource_ids=vpcs, log_group=GROUP, role=ROLE_ARN, role_propagation_timeout=2)
    assert result.failed
    assert time.monotonic() - started < 10
    assert "Unable to assume given IAM role" in result["msg"]
    assert set(result["resources"].values()) == {"failed"}
    assert aws.recorder.operations()["CreateFlowLogs"] >= 2
    assert flow_logs_of(aws, vpcs) == []


def test_other_invalid_parameter_errors_are_not_retried(aws, run_module, vpcs):
    aws.faults.add(kind="error", service="ec2", operation="CreateFlowLogs", code="InvalidParameter",
                   message="Some other problem", count=5)
    result = run_module("flow_log", resource_ids=vpcs, log_group=GROUP, role=ROLE_ARN, role_propagation_timeout=30)
    assert result.failed and "Some other problem" in result["msg"]
    assert aws.recorder.operations()["CreateFlowLogs"] == 1


def test_interrupted_replace_converges_on_the_next_run(aws, run_module, vpcs):
    first = run_module("flow_log", resource_ids=vpcs, log_group=GROUP, role=ROLE_ARN)
    old_ids = {fl["flow_log_id"] for fl in first["flow_logs"]}
    aws.faults.add(kind="server_error", service="ec2", operation="DeleteFlowLogs", count=10)
    broken = run_module("flow_log", resource_ids=vpcs, log_group=GROUP, role=ROLE_ARN, log_format=3)
    assert broken.failed and broken.changed
    assert "next run deletes it" in broken["msg"]
    new_ids = {fl["flow_log_id"] for fl in broken["flow_logs"]}
    assert len(new_ids) == 3 and not new_ids & old_ids  # the new flow logs exist and are returned
    assert len(flow_logs_of(aws, vpcs)) == 6  # old ones kept: no traffic went unlogged

    aws.faults.clear()
    healed = run_module("flow_log", resource_ids=vpcs, log_group=GROUP, role=ROLE_ARN, log_format=3)
    assert not healed.failed and healed["summary"]["replaced"] == 3
    assert aws.recorder.operations()["CreateFlowLogs"] == 2  # no third create: the new ones are kept
    remaining = flow_logs_of(aws, vpcs)
    assert {fl["FlowLogId"] for fl in remaining} == new_ids
    assert not run_module("flow_log", resource_ids=vpcs, log_group=GROUP, role=ROLE_ARN, log_format=3).changed


def test_two_identical_flow_logs_are_reduced_to_one(aws, run_module, vpcs):
    ec2 = aws.client("ec2")
    run_module("flow_log", resource_ids=vpcs[:1], log_group=GROUP, role=ROLE_ARN)
    # A twin with another role, then the desired one again by hand: keep the match, drop the other.
    ec2.create_flow_logs(ResourceType="VPC", ResourceIds=vpcs[:1], TrafficType="ALL", LogGroupName=GROUP,
                         DeliverLogsPermissionArn="arn:aws:iam::123456789012:role/old", MaxAggregationInterval=60)
    result = run_module("flow_log", resource_ids=vpcs[:1], log_group=GROUP, role=ROLE_ARN)
    assert result["resources"] == {vpcs[0]: "replaced"}
    remaining = flow_logs_of(aws, vpcs[:1])
    assert [fl["DeliverLogsPermissionArn"] for fl in remaining] == [ROLE_ARN]


ALREADY_EXISTS = "Error. There is an existing Flow Log with the same configuration and log destination."


def test_a_whole_call_error_fails_the_call_and_the_next_run_completes(aws, run_module, vpcs):
    # AWS reports FlowLogAlreadyExists per resource in Unsuccessful (test below); an error for the
    # whole call is a failure of every resource in it, not a reason to read again.
    aws.faults.add(kind="error", service="ec2", operation="CreateFlowLogs", code="FlowLogAlreadyExists",
                   message=ALREADY_EXISTS, count=1)
    result = run_module("flow_log", resource_ids=vpcs, log_group=GROUP, role=ROLE_ARN)
    assert result.failed and set(result["failures"]) == set(vpcs)
    assert aws.recorder.operations()["CreateFlowLogs"] == 1
    again = run_module("flow_log", resource_ids=vpcs, log_group=GROUP, role=ROLE_ARN)
    assert not again.failed and again["summary"]["created"] == 3
    assert len(flow_logs_of(aws, vpcs)) == 3


def test_persistent_flow_log_already_exists_fails_per_resource(aws, run_module, vpcs):
    aws.faults.add(kind="error", service="ec2", operation="CreateFlowLogs", code="FlowLogAlreadyExists",
                   message=ALREADY_EXISTS, count=2)
    result = run_module("flow_log", resource_ids=vpcs, log_group=GROUP, role=ROLE_ARN)
    assert result.failed
    assert set(result["failures"]) == set(vpcs)
    assert flow_logs_of(aws, vpcs) == []


def test_race_with_another_writer_counts_its_flow_log(aws, run_module, vpcs):
    # Another writer creates the same flow log for one VPC between the module's read and create:
    # AWS reports that VPC in Unsuccessful (FlowLogAlreadyExists); the module finds the flow log.
    import threading

    aws.faults.add(kind="latency", service="ec2", operation="CreateFlowLogs", latency=1.5, count=1)
    fmt = ("${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} "
           "${packets} ${bytes} ${start} ${end} ${action} ${log-status}")

    def other_writer():
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not any(
                c.operation == "CreateFlowLogs" for c in aws.recorder.calls()):
            if aws.faults.rules[0].fired:
                time.sleep(0.2)
                aws.client("ec2").create_flow_logs(
                    ResourceType="VPC", ResourceIds=vpcs[:1], TrafficType="ALL", LogGroupName=GROUP,
                    DeliverLogsPermissionArn=ROLE_ARN, MaxAggregationInterval=60, LogFormat=fmt)
                return
            time.sleep(0.02)

    writer = threading.Thread(target=other_writer)
    writer.start()
    result = run_module("flow_log", resource_ids=vpcs, log_group=GROUP, role=ROLE_ARN)
    writer.join()
    assert not result.failed, result
    assert result["summary"]["created"] == 3
    assert len(flow_logs_of(aws, vpcs)) == 3


def test_partial_failure_returns_what_was_created_and_the_next_run_finishes(aws, run_module):
    aws.client("logs").create_log_group(logGroupName=GROUP)
    ec2 = aws.client("ec2")
    gateways = [ec2.create_transit_gateway()["TransitGateway"]["TransitGatewayId"] for _index in range(30)]
    # 30 transit gateways are two CreateFlowLogs calls (25 + 5); the first one fails.
    aws.faults.add(kind="error", service="ec2", operation="CreateFlowLogs", code="InvalidParameter",
                   message="Injected failure of the first chunk", count=1)
    result = run_module("flow_log", resource_type="TransitGateway", resource_ids=gateways, log_group=GROUP,
                        role=ROLE_ARN)
    assert result.failed and result.changed
    assert result["summary"]["failed"] == 25 and result["summary"]["created"] == 5
    assert len(result["flow_logs"]) == 5
    assert all("Injected failure" in reason for reason in result["failures"].values())
    assert "25 of 30" in result["msg"]
    finish = run_module("flow_log", resource_type="TransitGateway", resource_ids=gateways, log_group=GROUP,
                        role=ROLE_ARN)
    assert finish["summary"]["created"] == 25 and finish["summary"]["unchanged"] == 5
    assert len(flow_logs_of(aws, gateways)) == 30
