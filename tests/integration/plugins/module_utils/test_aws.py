"""The shared AWS plumbing against the local AWS: accounts, isolation, errors, retries, secrets."""

import socket

import pytest

from ansible_collections.netobs.flowlogs.plugins.module_utils.aws import AwsApiError, AwsSession, USER_AGENT

pytestmark = pytest.mark.integration


def session(aws, **overrides):
    options = aws.module_args()
    options.update(overrides)
    return AwsSession.from_options(options)


def test_two_accounts_are_isolated_through_assume_role(aws):
    account_a = session(aws)
    account_b = session(aws, assume_role_arn="arn:aws:iam::222222222222:role/OrganizationAccountAccessRole")
    vpc_a = account_a.call("ec2", "create_vpc", CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    vpc_b = account_b.call("ec2", "create_vpc", CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]

    assert account_a.caller_identity()["account"] == "123456789012"
    assert account_b.caller_identity()["account"] == "222222222222"
    ids_a = {v["VpcId"] for v in account_a.call("ec2", "describe_vpcs")["Vpcs"]}
    ids_b = {v["VpcId"]: v["OwnerId"] for v in account_b.call("ec2", "describe_vpcs")["Vpcs"]}
    assert vpc_a in ids_a and vpc_b not in ids_a
    assert vpc_b in ids_b and vpc_a not in ids_b
    assert ids_b[vpc_b] == "222222222222"
    # One STS AssumeRole for the whole session, however many clients it built.
    assert aws.recorder.operations(service="sts")["AssumeRole"] == 1


def test_calls_carry_the_collection_user_agent_and_are_recorded(aws):
    s = session(aws)
    agents = []

    def capture(request, **_kwargs):
        agents.append(request.headers["User-Agent"])

    client = s.client("ec2")
    client.meta.events.register("before-send", capture)
    client.describe_vpcs()
    agent = agents[0].decode() if isinstance(agents[0], bytes) else agents[0]
    assert USER_AGENT in agent
    assert aws.recorder.operations(service="ec2") == {"DescribeVpcs": 1}
    assert aws.recorder.mutating() == []


def test_closed_port_names_the_endpoint():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    endpoint = "http://127.0.0.1:{0}".format(port)
    s = AwsSession(region="us-east-1", access_key="AKIAEXAMPLE", secret_key="s3cr3t-value",
                   endpoint_url=endpoint, max_attempts=1)
    with pytest.raises(AwsApiError) as error:
        s.call("ec2", "describe_vpcs")
    assert endpoint in str(error.value)
    assert "DescribeVpcs" in str(error.value)
    assert "s3cr3t-value" not in str(error.value)


def test_bad_credentials_with_auth_on_give_code_and_request_id(aws):
    aws.enable_auth(free_calls=0)
    try:
        s = AwsSession(region="us-east-1", access_key="AKIAUNKNOWNKEY000000", secret_key="wrong-secret-value",
                       endpoint_url=aws.endpoint_url, max_attempts=1)
        with pytest.raises(AwsApiError) as error:
            s.call("ec2", "describe_vpcs")
    finally:
        aws.disable_auth()
    assert error.value.code == "AuthFailure"  # what EC2 itself answers for an unknown key
    assert error.value.operation == "DescribeVpcs"
    assert "wrong-secret-value" not in str(error.value)


@pytest.mark.parametrize("service,operation,call,kwargs", [
    ("ec2", "DescribeVpcs", "describe_vpcs", {}),
    ("iam", "ListRoles", "list_roles", {}),
    ("logs", "DescribeLogGroups", "describe_log_groups", {}),
])
def test_throttling_is_retried_by_botocore(aws, service, operation, call, kwargs):
    aws.faults.add(kind="throttle", service=service, operation=operation, count=3)
    s = session(aws, max_attempts=5)
    s.call(service, call, **kwargs)
    assert aws.recorder.operations(service=service)[operation] == 4  # 3 throttled + 1 success


def test_throttling_beyond_max_attempts_reports_the_code(aws):
    aws.faults.add(kind="throttle", service="ec2", operation="DescribeVpcs")
    s = session(aws, max_attempts=2)
    with pytest.raises(AwsApiError) as error:
        s.call("ec2", "describe_vpcs")
    assert error.value.code == "RequestLimitExceeded"
    assert aws.recorder.operations()["DescribeVpcs"] == 2


def test_assume_role_failure_is_reported_without_secrets(aws):
    aws.faults.add(kind="error", service="sts", operation="AssumeRole", code="AccessDenied",
                   message="User is not authorized to perform: sts:AssumeRole", status=403)
    s = session(aws, assume_role_arn="arn:aws:iam::333333333333:role/x", assume_role_external_id="ext-id-secret")
    with pytest.raises(AwsApiError) as error:
        s.call("ec2", "describe_vpcs")
    assert error.value.code == "AccessDenied" and error.value.operation == "AssumeRole"
    assert "ext-id-secret" not in str(error.value)
    assert error.value.request_id and error.value.request_id in str(error.value)


def test_bad_retry_settings_are_rejected():
    with pytest.raises(ValueError, match="retry_mode"):
        AwsSession(region="us-east-1", retry_mode="legacy")
    with pytest.raises(ValueError, match="max_attempts"):
        AwsSession(region="us-east-1", max_attempts=0)


@pytest.mark.parametrize("option", ["access_key", "secret_key", "session_token", "profile"])
def test_credentials_with_control_characters_are_refused_before_any_call(aws, run_module, option):
    """A YAML `|` block's newline in a credential is refused, naming the option, without echoing it."""
    value = "TOKENVALUE1234\n"
    args = dict(aws.module_args(), **{option: value})
    if option == "profile":
        args.pop("access_key"), args.pop("secret_key")
    result = run_module("log_group", name="/vpc/flow-logs", **args)
    assert result.get("failed"), result
    assert result["msg"].startswith(option + ": contains a control character"), result["msg"]
    assert "TOKENVALUE1234" not in repr(result)
    assert aws.recorder.calls() == []


def test_the_scrubber_masks_the_forms_botocore_prints():
    from ansible_collections.netobs.flowlogs.plugins.module_utils.aws import _scrub

    secret = "s3cr3t/Token+Value\n"
    text = ("Invalid header value b's3cr3t/Token+Value\\n' ; repr 's3cr3t/Token+Value\\n'; "
            "headers {'Authorization': 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/ec2/aws4_request, "
            "SignedHeaders=host, Signature=abcdef'}")
    scrubbed = _scrub(text, [secret])
    assert "s3cr3t" not in scrubbed
    assert "AKIDEXAMPLE" not in scrubbed and "Signature=abcdef" not in scrubbed
    assert "Invalid header value" in scrubbed
