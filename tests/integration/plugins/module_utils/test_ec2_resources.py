"""ec2_resources against the strict local AWS: Describe filters stay within EC2's 200 values."""

import pytest

from ansible_collections.netobs.flowlogs.plugins.module_utils import ec2_resources
from ansible_collections.netobs.flowlogs.plugins.module_utils.aws import AwsSession
from ansible_collections.netobs.flowlogs.plugins.module_utils.rules import ValidationError

pytestmark = pytest.mark.integration


def test_450_vpcs_are_described_in_calls_of_at_most_200_filter_values(aws):
    session = AwsSession.from_options(aws.module_args())
    ec2 = aws.client("ec2")
    vpc_ids = [ec2.create_vpc(CidrBlock="10.{0}.{1}.0/24".format(i // 256, i % 256))["Vpc"]["VpcId"]
               for i in range(450)]
    mark = aws.recorder.mark()
    found = ec2_resources.require_existing(session, "VPC", vpc_ids)
    assert set(found) == set(vpc_ids)
    # 200 + 200 + 50: a single filter of 450 values is FilterLimitExceeded on EC2 (and here).
    calls = [c for c in aws.recorder.calls(since=mark) if c.operation == "DescribeVpcs"]
    assert len(calls) == 3 and all(c.status == 200 for c in calls)


def test_missing_ids_among_many_are_all_named(aws):
    session = AwsSession.from_options(aws.module_args())
    vpc_id = aws.client("ec2").create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    missing = ["vpc-{0:017x}".format(i) for i in range(1, 250)]
    with pytest.raises(ValidationError) as excinfo:
        ec2_resources.require_existing(session, "VPC", [vpc_id] + missing)
    assert "and 229 more" in str(excinfo.value)
