"""The roles and the modules refuse the same bad values with the same rule (module_utils/rules.py).

Each case is a role variable and the module option it feeds: the role's check (the role_problems
lookup's table, plugin_utils/role_checks.py) and the module must both refuse the value, with the
same problem text, each naming its own parameter, and the module before any AWS call.
"""

import pytest

from ansible_collections.netobs.flowlogs.plugins.plugin_utils.role_checks import role_problems

pytestmark = pytest.mark.integration

ROLE_ARN = "arn:aws:iam::123456789012:role/vpcflowlog"
CASES = [
    # role variable, bad value, module, module option, the module's other options
    ("flowlogs_log_group_name", "/vpc/flöw-logs", "log_group", "name", {}),
    ("flowlogs_log_group_name", "/vpc/flow logs", "log_group", "name", {}),
    ("flowlogs_kms_key_id", "alias/flowlogs", "log_group", "kms_key_id", {"name": "/vpc/flow-logs"}),
    ("flowlogs_role_name", "rôle", "iam_role", "name", {}),
    ("flowlogs_role_name", "r" * 65, "iam_role", "name", {}),
    ("flowlogs_policy_name", "pólicy", "iam_policy", "name", {"policy": {}}),
    ("flowlogs_policy_name", "p" * 129, "iam_policy", "name", {"policy": {}}),
    ("flowlogs_iam_path", "flowlogs/", "iam_role", "path", {"name": "vpcflowlog"}),
    ("flowlogs_log_format", "${srcaddr} ${nope}", "flow_log", "log_format",
     {"resource_ids": ["vpc-0123abcd"], "log_group": "/vpc/flow-logs", "role": ROLE_ARN}),
    ("aws_region", "Europe", "log_group", "region", {"name": "/vpc/flow-logs"}),
    ("assume_role_arn", "arn:aws:iam::123456789012:user/alice", "log_group", "assume_role_arn",
     {"name": "/vpc/flow-logs"}),
]


@pytest.mark.parametrize("variable,value,module,option,others", CASES,
                         ids=["{0}={1}".format(c[0], c[1][:20]) for c in CASES])
def test_role_and_module_refuse_the_same_value_with_the_same_rule(aws, run_module, variable, value, module,
                                                                  option, others):
    problems = role_problems({variable: value}, "enable")
    mine = [p for p in problems if p.startswith(variable + ": ")]
    assert len(mine) == 1, problems
    role_problem = mine[0][len(variable) + 2:]

    result = run_module(module, **dict(others, **{option: value}))
    assert result.get("failed"), result
    assert result["msg"].startswith(option + ": "), result["msg"]
    assert result["msg"][len(option) + 2:] == role_problem
    assert aws.recorder.mutating() == []


def test_the_roles_accept_what_the_modules_accept():
    good = {
        "flowlogs_vpc_ids": ["vpc-0123abcd", "vpc-0123456789abcdef0"],
        "flowlogs_log_format": ["srcaddr", "dstaddr"],
        "flowlogs_log_group_name": "/vpc/flow-logs#1",
        "flowlogs_role_name": "Flow+Logs=Role,1.2@x_y-z",
        "flowlogs_policy_name": "p" * 128,
        "flowlogs_iam_path": "/netobs/flowlogs/",
        # a log group's key is in its own region and partition (CloudWatch Logs, AssociateKmsKey)
        "flowlogs_kms_key_id": "arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "flowlogs_destination_type": "s3",
        "flowlogs_s3_bucket_arn": "arn:aws:s3:::my-flow-logs/prefix/",
        "aws_region": "us-gov-west-1",
        "assume_role_arn": "arn:aws-cn:iam::123456789012:role/path/Deployer",
    }
    assert role_problems(good, "enable") == []
    assert role_problems(dict(good, flowlogs_vpc_ids="all"), "disable") == []


@pytest.mark.parametrize("variable,value,option,others", [
    # Transit gateway flow logs take 60 s only (rules.require_aggregation_interval).
    ("flowlogs_max_aggregation_interval", 600, "max_aggregation_interval",
     {"resource_type": "TransitGateway", "resource_ids": ["tgw-0123456789abcdef0"]}),
    # The ids of flowlogs_resource_type, by flow_log's own id rule (ec2_resources).
    ("flowlogs_resource_ids", ["vpc-0123abcd"], "resource_ids", {"resource_type": "Subnet"}),
    ("flowlogs_log_format", 5, "log_format",
     {"resource_type": "TransitGatewayAttachment", "resource_ids": ["tgw-attach-0123456789abcdef0"]}),
])
def test_role_and_flow_log_agree_for_each_resource_type(aws, run_module, variable, value, option, others):
    problems = role_problems({variable: value, "flowlogs_resource_type": others["resource_type"]}, "enable")
    mine = [p for p in problems if p.startswith(variable + ": ")]
    assert len(mine) == 1, problems
    module_args = dict(resource_ids=["subnet-0123abcd"], log_group="/vpc/flow-logs", role=ROLE_ARN)
    module_args.update(others)
    module_args[option] = value
    result = run_module("flow_log", **module_args)
    assert result.get("failed"), result
    assert result["msg"] == option + ": " + mine[0][len(variable) + 2:]
    assert aws.recorder.mutating() == []
