"""The local AWS is as strict as AWS: each rule of docs/local-aws.md, called over HTTP with boto3."""

import gzip
import io
import json

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from local_aws import traffic

ACCOUNT = "123456789012"
REGION = "us-east-1"
DELIVERY_ACTIONS = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"]


def _error(excinfo):
    return excinfo.value.response["Error"]["Code"], excinfo.value.response["Error"]["Message"]


def _unvalidated(aws, service):
    # botocore checks MaxResults' minimum itself; the server's own answer is what is under test.
    import boto3

    creds = aws.credentials()
    return boto3.session.Session().client(
        service, region_name=REGION, endpoint_url=aws.endpoint_url, aws_access_key_id=creds["access_key"],
        aws_secret_access_key=creds["secret_key"],
        config=Config(retries={"total_max_attempts": 1}, parameter_validation=False))


# -- EC2 Describe: filter values and MaxResults -------------------------------------------------
@pytest.mark.parametrize("operation, filter_name", [
    ("describe_vpcs", "vpc-id"), ("describe_subnets", "subnet-id"),
    ("describe_network_interfaces", "network-interface-id"), ("describe_flow_logs", "resource-id"),
    ("describe_transit_gateways", "transit-gateway-id"),
    ("describe_transit_gateway_attachments", "transit-gateway-attachment-id"),
])
def test_more_than_200_filter_values_is_filter_limit_exceeded(aws, operation, filter_name):
    ec2 = aws.client("ec2")
    values = ["vpc-{0:08x}".format(i) for i in range(201)]
    with pytest.raises(ClientError) as excinfo:
        getattr(ec2, operation)(Filters=[{"Name": filter_name, "Values": values}])
    assert _error(excinfo) == ("FilterLimitExceeded",
                               "The maximum number of filter values specified on a single call is 200")
    getattr(ec2, operation)(Filters=[{"Name": filter_name, "Values": values[:200]}])  # 200 is allowed


@pytest.mark.parametrize("max_results", [4, 1001])
def test_describe_vpcs_max_results_out_of_range(aws, max_results):
    with pytest.raises(ClientError) as excinfo:
        _unvalidated(aws, "ec2").describe_vpcs(MaxResults=max_results)
    code, message = _error(excinfo)
    assert code == "InvalidParameterValue" and "between 5 and 1000" in message


def test_describe_flow_logs_max_results_below_5_refused_above_1000_capped(aws):
    ec2 = _unvalidated(aws, "ec2")
    with pytest.raises(ClientError) as excinfo:
        ec2.describe_flow_logs(MaxResults=4)
    assert _error(excinfo)[0] == "InvalidParameterValue"
    assert ec2.describe_flow_logs(MaxResults=5000)["FlowLogs"] == []


def test_describe_vpcs_pages_with_next_token(aws):
    ec2 = aws.client("ec2")
    created = {ec2.create_vpc(CidrBlock="10.{0}.0.0/16".format(i))["Vpc"]["VpcId"] for i in range(12)}
    first = ec2.describe_vpcs(MaxResults=5)
    assert len(first["Vpcs"]) == 5 and first["NextToken"]
    seen = [v["VpcId"] for page in ec2.get_paginator("describe_vpcs").paginate(PaginationConfig={"PageSize": 5})
            for v in page["Vpcs"]]
    assert created <= set(seen) and len(seen) == len(set(seen)) == 13  # + the default VPC
    with pytest.raises(ClientError) as excinfo:
        ec2.describe_vpcs(MaxResults=5, NextToken="not-a-token")
    assert _error(excinfo)[0] == "InvalidParameterValue"


def test_describe_network_interfaces_max_results_with_ids_is_refused(aws):
    with pytest.raises(ClientError) as excinfo:
        aws.client("ec2").describe_network_interfaces(MaxResults=5, NetworkInterfaceIds=["eni-12345678"])
    assert _error(excinfo)[0] == "InvalidParameterCombination"


# -- EC2 DescribeRegions: the account's enabled Regions -----------------------------------------
# API_DescribeRegions ("Describes the Regions that are enabled for your account, or all Regions"),
# API_Region (OptInStatus), Account Management "Enable or disable AWS Regions in your account"
# (Regions launched before March 20, 2019 are enabled by default, later ones are opt-in).
OTHER_ACCOUNT = "210987654321"


def _regions(client, **kwargs):
    return dict((r["RegionName"], r["OptInStatus"]) for r in client.describe_regions(**kwargs)["Regions"])


def test_describe_regions_lists_enabled_regions_and_all_regions_adds_the_disabled(aws):
    ec2 = aws.client("ec2")
    enabled = _regions(ec2)
    assert len(enabled) == 17 and set(enabled.values()) == {"opt-in-not-required"}
    assert "af-south-1" not in enabled and "eu-south-1" not in enabled and "ap-southeast-3" not in enabled
    everything = _regions(ec2, AllRegions=True)
    assert everything["af-south-1"] == everything["me-south-1"] == "not-opted-in"
    # Only the caller's partition: "You can't describe or access the Regions of one type of account from another".
    assert not any(name.startswith(("cn-", "us-gov-")) for name in everything)


def test_describe_regions_opt_in_is_per_account(aws):
    aws.enable_region(ACCOUNT, "af-south-1")
    assert _regions(aws.client("ec2"))["af-south-1"] == "opted-in"
    assert "af-south-1" not in _regions(aws.client("ec2", account=OTHER_ACCOUNT))
    assert _regions(aws.client("ec2", account=OTHER_ACCOUNT), AllRegions=True)["af-south-1"] == "not-opted-in"
    aws.enable_region(ACCOUNT, "af-south-1", enabled=False)
    assert "af-south-1" not in _regions(aws.client("ec2"))
    with pytest.raises(ValueError):
        aws.enable_region(ACCOUNT, "us-east-1")  # default Regions cannot be enabled or disabled


def test_describe_regions_names_and_filters(aws):
    ec2 = aws.client("ec2")
    # "You can specify any Regions, whether they are enabled and disabled for your account."
    assert _regions(ec2, RegionNames=["me-south-1", "eu-west-1"]) == {
        "me-south-1": "not-opted-in", "eu-west-1": "opt-in-not-required"}
    opted_out = _regions(ec2, AllRegions=True, Filters=[{"Name": "opt-in-status", "Values": ["not-opted-in"]}])
    assert opted_out and set(opted_out.values()) == {"not-opted-in"}
    assert list(_regions(ec2, Filters=[{"Name": "region-name", "Values": ["eu-west-2"]}])) == ["eu-west-2"]


# -- CreateFlowLogs: per-resource quota and ClientToken -----------------------------------------
def _group_and_role(aws, group="/flow/a", actions=None, resource="*", trust_condition=None, effect="Allow"):
    logs, iam = aws.client("logs"), aws.client("iam")
    if group:
        logs.create_log_group(logGroupName=group)
    statement = {"Effect": "Allow", "Principal": {"Service": "vpc-flow-logs.amazonaws.com"}, "Action": "sts:AssumeRole"}
    if trust_condition is not None:
        statement["Condition"] = trust_condition
    role = iam.create_role(RoleName="delivery", AssumeRolePolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [statement]}))["Role"]["Arn"]
    iam.put_role_policy(RoleName="delivery", PolicyName="delivery", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": effect, "Action": actions or DELIVERY_ACTIONS,
                                                 "Resource": resource}]}))
    return role


def test_third_flow_log_on_one_resource_is_flow_logs_limit_exceeded(aws):
    ec2 = aws.client("ec2")
    role = _group_and_role(aws)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    for traffic_type in ("ACCEPT", "REJECT"):
        result = ec2.create_flow_logs(ResourceType="VPC", ResourceIds=[vpc], TrafficType=traffic_type,
                                      LogGroupName="/flow/a", DeliverLogsPermissionArn=role)
        assert result["Unsuccessful"] == []
    third = ec2.create_flow_logs(ResourceType="VPC", ResourceIds=[vpc], TrafficType="ALL", LogGroupName="/flow/a",
                                 DeliverLogsPermissionArn=role)
    assert third["FlowLogIds"] == []
    assert [(u["ResourceId"], u["Error"]["Code"]) for u in third["Unsuccessful"]] == [(vpc, "FlowLogsLimitExceeded")]
    # a duplicate is still reported as a duplicate first
    again = ec2.create_flow_logs(ResourceType="VPC", ResourceIds=[vpc], TrafficType="ACCEPT", LogGroupName="/flow/a",
                                 DeliverLogsPermissionArn=role)
    assert again["Unsuccessful"][0]["Error"]["Code"] == "FlowLogAlreadyExists"


def test_client_token_returns_the_original_answer_even_after_delete(aws):
    ec2 = aws.client("ec2")
    role = _group_and_role(aws)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    args = dict(ResourceType="VPC", ResourceIds=[vpc], TrafficType="ALL", LogGroupName="/flow/a",
                DeliverLogsPermissionArn=role, ClientToken="token-1")
    first = ec2.create_flow_logs(**args)["FlowLogIds"]
    ec2.delete_flow_logs(FlowLogIds=first)
    assert ec2.create_flow_logs(**args)["FlowLogIds"] == first
    assert ec2.describe_flow_logs()["FlowLogs"] == []  # nothing was created again
    with pytest.raises(ClientError) as excinfo:
        ec2.create_flow_logs(**dict(args, TrafficType="REJECT"))
    assert _error(excinfo)[0] == "IdempotentParameterMismatch"
    aws.reset()
    vpc = aws.client("ec2").create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    role = _group_and_role(aws)
    assert aws.client("ec2").create_flow_logs(**dict(args, ResourceIds=[vpc], DeliverLogsPermissionArn=role))[
        "Unsuccessful"] == []  # a reset forgets tokens


# -- Delivery status ---------------------------------------------------------------------------
def _status(aws, role, group="/flow/a"):
    ec2 = aws.client("ec2")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    flow_log_id = ec2.create_flow_logs(ResourceType="VPC", ResourceIds=[vpc], TrafficType="ALL", LogGroupName=group,
                                       DeliverLogsPermissionArn=role)["FlowLogIds"][0]
    described = ec2.describe_flow_logs(FlowLogIds=[flow_log_id])["FlowLogs"][0]
    return described["DeliverLogsStatus"], described.get("DeliverLogsErrorMessage")


def test_delivery_succeeds_with_the_documented_role(aws):
    role = _group_and_role(aws, resource="arn:aws:logs:us-east-1:123456789012:log-group:/flow/a:*",
                           trust_condition={"StringEquals": {"aws:SourceAccount": ACCOUNT},
                                            "ArnLike": {"aws:SourceArn": "arn:aws:ec2:us-east-1:*:vpc-flow-log/*"}})
    assert _status(aws, role) == ("SUCCESS", None)


def test_delivery_fails_for_a_missing_role(aws):
    aws.client("logs").create_log_group(logGroupName="/flow/a")
    assert _status(aws, "arn:aws:iam::123456789012:role/nope") == ("FAILED", "Access error")


@pytest.mark.parametrize("condition", [
    {"StringEquals": {"aws:SourceAccount": "111122223333"}},
    {"ArnLike": {"aws:SourceArn": "arn:aws:ec2:eu-west-1:123456789012:vpc-flow-log/*"}},
    {"StringLike": {"aws:SourceArn": "arn:aws:ec2:*:111122223333:*"}},
])
def test_delivery_fails_when_the_trust_conditions_do_not_hold(aws, condition):
    assert _status(aws, _group_and_role(aws, trust_condition=condition)) == ("FAILED", "Access error")


def test_delivery_fails_when_the_policy_misses_the_group_or_an_action(aws):
    # Scoped to the group without ":*": CreateLogStream on its streams is not allowed.
    role = _group_and_role(aws, resource="arn:aws:logs:us-east-1:123456789012:log-group:/flow/a")
    assert _status(aws, role) == ("FAILED", "Access error")


def test_delivery_fails_without_put_log_events_and_with_a_deny(aws):
    role = _group_and_role(aws, actions=["logs:CreateLogStream", "logs:Describe*"])
    assert _status(aws, role)[0] == "FAILED"
    aws.client("iam").put_role_policy(RoleName="delivery", PolicyName="all", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "logs:*", "Resource": "*"}]}))
    assert _status(aws, role)[0] == "SUCCESS"  # re-evaluated at read time
    aws.client("iam").put_role_policy(RoleName="delivery", PolicyName="deny", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "logs:PutLogEvents", "Resource": "*"}]}))
    assert _status(aws, role)[0] == "FAILED"


def test_missing_group_needs_create_log_group(aws):
    role = _group_and_role(aws, group=None)
    assert _status(aws, role, group="/flow/missing") == ("FAILED", "Access error")
    aws.client("iam").put_role_policy(RoleName="delivery", PolicyName="create", PolicyDocument=json.dumps(
        {"Version": "2012-10-17",
         "Statement": [{"Effect": "Allow", "Action": "logs:CreateLogGroup", "Resource": "*"}]}))
    ec2 = aws.client("ec2")
    assert {fl["DeliverLogsStatus"] for fl in ec2.describe_flow_logs()["FlowLogs"]} == {"SUCCESS"}
    # the synthesizer delivers through it, creating the group as the service does
    records = traffic.synthesize(aws, minutes=10)
    assert records and aws.client("logs").describe_log_groups(logGroupNamePrefix="/flow/missing")["logGroups"]


def test_synthesizer_skips_failing_flow_logs(aws):
    aws.client("logs").create_log_group(logGroupName="/flow/a")
    _status(aws, "arn:aws:iam::123456789012:role/nope")
    assert traffic.synthesize(aws, minutes=10) == []
    filtered = aws.client("ec2").describe_flow_logs(Filters=[{"Name": "deliver-log-status", "Values": ["FAILED"]}])
    assert len(filtered["FlowLogs"]) == 1


# -- IAM names and sizes -----------------------------------------------------------------------
@pytest.mark.parametrize("name", ["rôle", "bad name!", "x" * 65])
def test_role_names_outside_iams_character_set_are_refused(aws, name):
    with pytest.raises(ClientError) as excinfo:
        aws.client("iam").create_role(RoleName=name, AssumeRolePolicyDocument="{}")
    code, message = _error(excinfo)
    assert code == "ValidationError" and message.startswith("1 validation error detected: Value '{0}' at 'roleName'"
                                                            .format(name))


def test_policy_name_path_and_size(aws):
    iam = aws.client("iam")
    doc = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
                                                              "Resource": "arn:aws:s3:::b/" + "x" * 6100}]})
    with pytest.raises(ClientError) as excinfo:
        iam.create_policy(PolicyName="big", PolicyDocument=doc)
    assert _error(excinfo) == ("LimitExceeded", "Cannot exceed quota for PolicySize: 6144")
    with pytest.raises(ClientError) as excinfo:
        iam.create_policy(PolicyName="pölicy", PolicyDocument="{}")
    assert _error(excinfo)[0] == "ValidationError"
    with pytest.raises(ClientError) as excinfo:
        iam.create_policy(PolicyName="ok", Path="no-slashes", PolicyDocument="{}")
    assert _error(excinfo)[0] == "ValidationError" and "'path'" in _error(excinfo)[1]


# -- S3 destinations ---------------------------------------------------------------------------
@pytest.mark.parametrize("options, expected_dir, extension", [
    (None, "logs/AWSLogs/123456789012/vpcflowlogs/us-east-1/2026/12/01/", ".log.gz"),
    ({"FileFormat": "parquet", "HiveCompatiblePartitions": True, "PerHourPartition": True},
     "logs/AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/year=2026/month=12/"
     "day=01/hour=10/", ".log.parquet"),
])
def test_s3_destination_with_prefix_gets_aws_shaped_objects(aws, options, expected_dir, extension):
    ec2, s3 = aws.client("ec2"), aws.client("s3")
    s3.create_bucket(Bucket="flow-bucket")
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    kwargs = dict(ResourceType="VPC", ResourceIds=[vpc], TrafficType="ALL", LogDestinationType="s3",
                  LogDestination="arn:aws:s3:::flow-bucket/logs/")
    if options:
        kwargs["DestinationOptions"] = options
    result = ec2.create_flow_logs(**kwargs)
    assert result["Unsuccessful"] == []
    missing = ec2.create_flow_logs(**dict(kwargs, LogDestination="arn:aws:s3:::no-such-bucket/logs/"))
    assert missing["FlowLogIds"] == []
    flow_log_id = result["FlowLogIds"][0]
    assert ec2.describe_flow_logs()["FlowLogs"][0]["LogDestination"] == "arn:aws:s3:::flow-bucket/logs/"
    start = 1796119200  # 2026-12-01T10:00:00Z
    records = traffic.synthesize(aws, start=start, minutes=10)
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket="flow-bucket")["Contents"])
    assert keys and records  # one file per 5 minutes of record start times
    name = "123456789012_vpcflowlogs_us-east-1_{0}_20261201T1000Z_".format(flow_log_id)
    assert keys[0].startswith(expected_dir + name) and keys[0].endswith(extension)
    body = s3.get_object(Bucket="flow-bucket", Key=keys[0])["Body"].read()
    if extension == ".log.gz":
        lines = gzip.decompress(body).decode().splitlines()
        assert lines[0].startswith("version account-id interface-id srcaddr")
        assert len(lines) > 1
    else:
        import pyarrow.parquet

        table = pyarrow.parquet.read_table(io.BytesIO(body))
        assert "account_id" in table.column_names and table.num_rows > 0


# -- CloudWatch Logs: KMS and Insights ---------------------------------------------------------
def test_log_group_kms_key_must_exist_in_the_groups_region(aws):
    logs = aws.client("logs")
    key = aws.client("kms").create_key()["KeyMetadata"]["Arn"]
    other = aws.client("kms", region="eu-west-1").create_key()["KeyMetadata"]["Arn"]
    logs.create_log_group(logGroupName="/ok", kmsKeyId=key)
    for bad in (other, key.replace(key.rsplit("/", 1)[1], "00000000-0000-0000-0000-000000000000"), "not-an-arn"):
        with pytest.raises(ClientError) as excinfo:
            logs.create_log_group(logGroupName="/bad", kmsKeyId=bad)
        assert _error(excinfo)[0] == "InvalidParameterException"
        with pytest.raises(ClientError) as excinfo:
            logs.associate_kms_key(logGroupName="/ok", kmsKeyId=bad)
        assert _error(excinfo)[0] == "InvalidParameterException"
    logs.associate_kms_key(logGroupName="/ok", kmsKeyId=key)


def test_insights_concurrent_query_quota_is_settable(aws):
    logs = aws.client("logs")
    logs.create_log_group(logGroupName="/q")
    aws.query_running_seconds, aws.max_concurrent_queries = 60.0, 2
    try:
        for _query in range(2):
            logs.start_query(logGroupName="/q", startTime=0, endTime=10, queryString="fields @message")
        with pytest.raises(ClientError) as excinfo:
            logs.start_query(logGroupName="/q", startTime=0, endTime=10, queryString="fields @message")
        assert _error(excinfo)[0] == "LimitExceededException"
    finally:
        aws.query_running_seconds, aws.max_concurrent_queries = 0.0, None


@pytest.mark.parametrize("extra", [dict(MaxAggregationInterval=600), dict(TrafficType="ALL")])
def test_transit_gateway_flow_logs_refuse_a_traffic_type_and_600_seconds(aws, extra):
    # "Create and manage AWS Transit Gateway Flow Logs using APIs or the CLI": an error for a traffic type,
    # 60 the only accepted interval.
    ec2 = aws.client("ec2")
    aws.client("logs").create_log_group(logGroupName="tgw")
    tgw = ec2.create_transit_gateway()["TransitGateway"]["TransitGatewayId"]
    arguments = dict(ResourceType="TransitGateway", ResourceIds=[tgw], LogGroupName="tgw",
                     DeliverLogsPermissionArn=traffic.delivery_role(aws))
    with pytest.raises(ClientError) as excinfo:
        ec2.create_flow_logs(**dict(arguments, **extra))
    assert _error(excinfo)[0] == "InvalidParameter"
    assert ec2.describe_flow_logs()["FlowLogs"] == []
    ec2.create_flow_logs(**arguments)
    assert ec2.describe_flow_logs()["FlowLogs"][0]["MaxAggregationInterval"] == 60
