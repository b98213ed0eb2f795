"""netobs.flowlogs.iam_policy against the local AWS: versions, semantic compare, check/diff, validation, errors."""

import json

import pytest

from support.fixtures import execute_module

pytestmark = pytest.mark.integration

NAME = "flow-logs-delivery"
ARN = "arn:aws:iam::123456789012:policy/" + NAME
GROUP_ARN = "arn:aws:logs:us-east-1:123456789012:log-group:/vpc/flow-logs:*"
DOCUMENT = {
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
        "Resource": GROUP_ARN,
    }],
}
# The same grant spelled differently: key order, list order, a one-element list, JSON text.
EQUIVALENT = json.dumps({
    "Statement": {"Resource": [GROUP_ARN], "Action": ["logs:PutLogEvents", "logs:CreateLogStream"],
                  "Effect": "Allow"},
    "Version": "2012-10-17",
}, indent=4)


@pytest.fixture
def run_module(aws):
    """Like the shared run_module, whose first parameter ``name`` collides with this module's option."""

    def run(module, check_mode=False, diff=False, account="123456789012", **args):
        full_args = aws.module_args(account=account)
        full_args.update(args)
        return execute_module(module, full_args, check_mode=check_mode, diff=diff)

    return run


def document_with(action):
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": GROUP_ARN}]}


def default_document(aws, arn=ARN):
    iam = aws.client("iam")
    version = iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"]
    return iam.get_policy_version(PolicyArn=arn, VersionId=version)["PolicyVersion"]["Document"]


def test_create_returns_arn_version_document_and_tags(aws, run_module):
    result = run_module("iam_policy", name=NAME, policy=DOCUMENT, description="delivery", tags={"team": "net"})
    operations = aws.recorder.operations()

    assert result.changed and not result.failed, result
    policy = result["policy"]
    assert policy["arn"] == ARN and policy["default_version_id"] == "v1"
    assert policy["document"] == DOCUMENT and policy["tags"] == {"team": "net", "ManagedBy": "netobs.flowlogs"}
    assert policy["owned"] is True and policy["adopted"] is False
    assert policy["description"] == "delivery" and policy["policy_id"]
    stored = aws.client("iam").get_policy(PolicyArn=ARN)["Policy"]
    assert stored["Description"] == "delivery" and stored["Tags"] == [{"Key": "ManagedBy", "Value": "netobs.flowlogs"},
                                                                      {"Key": "team", "Value": "net"}]
    assert operations == {"GetCallerIdentity": 1, "GetPolicy": 1, "ListPolicies": 1, "CreatePolicy": 1}


def test_equivalent_document_is_no_change_in_three_calls(aws, run_module):
    run_module("iam_policy", name=NAME, policy=DOCUMENT, tags={"a": "1"})
    mark = aws.recorder.mark()

    again = run_module("iam_policy", name=NAME, policy=EQUIVALENT, tags={"a": "1"})

    assert not again.changed and again["actions"] == []
    assert [c.operation for c in aws.recorder.calls(since=mark)] == [
        "GetCallerIdentity", "GetPolicy", "GetPolicyVersion"]
    assert again["policy"]["default_version_id"] == "v1" and again["policy"]["document"] == DOCUMENT


def test_changed_document_becomes_the_new_default_version(aws, run_module):
    run_module("iam_policy", name=NAME, policy=DOCUMENT)

    result = run_module("iam_policy", name=NAME, policy=document_with("logs:*"), diff=True)

    assert result.changed and result["policy"]["default_version_id"] == "v2"
    assert default_document(aws)["Statement"][0]["Action"] == "logs:*"
    assert result["diff"]["before"]["document"] == DOCUMENT
    assert result["diff"]["after"]["document"] == document_with("logs:*")


def test_sixth_version_deletes_the_oldest_non_default_first(aws, run_module):
    run_module("iam_policy", name=NAME, policy=document_with("logs:Action0"))
    for index in range(1, 5):
        run_module("iam_policy", name=NAME, policy=document_with("logs:Action{0}".format(index)))
    iam = aws.client("iam")
    assert len(iam.list_policy_versions(PolicyArn=ARN)["Versions"]) == 5

    result = run_module("iam_policy", name=NAME, policy=document_with("logs:Action5"))

    assert result.changed, result
    assert result["actions"][0].startswith("delete the oldest non-default version v1")
    versions = sorted(v["VersionId"] for v in iam.list_policy_versions(PolicyArn=ARN)["Versions"])
    assert versions == ["v2", "v3", "v4", "v5", "v6"]
    assert result["policy"]["default_version_id"] == "v6"


def test_tags_are_merged_or_purged(aws, run_module):
    run_module("iam_policy", name=NAME, policy=DOCUMENT, tags={"a": "1", "b": "2"})
    iam = aws.client("iam")

    assert run_module("iam_policy", name=NAME, policy=DOCUMENT, tags={"c": "3"}, purge_tags=False).changed
    assert {t["Key"] for t in iam.list_policy_tags(PolicyArn=ARN)["Tags"]} == {"a", "b", "c", "ManagedBy"}
    purged = run_module("iam_policy", name=NAME, policy=DOCUMENT, tags={"c": "3"})
    # purge_tags keeps the ownership tag.
    assert purged.changed and {t["Key"]: t["Value"] for t in iam.list_policy_tags(PolicyArn=ARN)["Tags"]} == {
        "c": "3", "ManagedBy": "netobs.flowlogs"}
    assert not run_module("iam_policy", name=NAME, policy=DOCUMENT).changed  # tags left out: kept


def test_check_mode_predicts_and_makes_no_mutating_call(aws, run_module):
    create = run_module("iam_policy", check_mode=True, diff=True, name=NAME, policy=DOCUMENT)
    assert create.changed and create["policy"]["arn"] == ARN
    assert create["diff"]["after"]["document"] == DOCUMENT and create["diff"]["before"] == {}
    assert aws.recorder.mutating() == []

    run_module("iam_policy", name=NAME, policy=DOCUMENT)
    aws.recorder.clear()
    update = run_module("iam_policy", check_mode=True, name=NAME, policy=document_with("logs:*"), tags={"x": "y"})
    assert update.changed and len(update["actions"]) == 2
    assert default_document(aws) == DOCUMENT
    delete = run_module("iam_policy", check_mode=True, name=NAME, state="absent")
    assert delete.changed
    assert aws.recorder.mutating() == []
    assert not run_module("iam_policy", check_mode=True, name=NAME, policy=EQUIVALENT).changed


def test_absent_detaches_deletes_versions_then_the_policy(aws, run_module):
    run_module("iam_policy", name=NAME, policy=DOCUMENT)
    run_module("iam_policy", name=NAME, policy=document_with("logs:*"))
    iam = aws.client("iam")
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                     "Principal": {"Service": "vpc-flow-logs.amazonaws.com"}}]}
    iam.create_role(RoleName="r1", AssumeRolePolicyDocument=json.dumps(trust))
    iam.attach_role_policy(RoleName="r1", PolicyArn=ARN)
    iam.create_user(UserName="u1")
    iam.attach_user_policy(UserName="u1", PolicyArn=ARN)
    iam.create_group(GroupName="g1")
    iam.attach_group_policy(GroupName="g1", PolicyArn=ARN)

    result = run_module("iam_policy", name=NAME, state="absent")

    assert result.changed and not result.failed, result
    assert result["actions"] == ["detach from role r1", "detach from user u1", "detach from group g1",
                                 "delete version v1", "delete policy " + ARN]
    assert iam.list_attached_role_policies(RoleName="r1")["AttachedPolicies"] == []
    iam.delete_role(RoleName="r1")  # would be DeleteConflict forever if the attachment were left behind
    assert not run_module("iam_policy", name=NAME, state="absent").changed


def test_emulated_delete_policy_refuses_an_attached_policy(aws, run_module):
    # The emulator patch this module's absent path relies on: AWS's DeleteConflict.
    run_module("iam_policy", name=NAME, policy=DOCUMENT)
    iam = aws.client("iam")
    iam.create_user(UserName="u1")
    iam.attach_user_policy(UserName="u1", PolicyArn=ARN)
    with pytest.raises(iam.exceptions.DeleteConflictException):
        iam.delete_policy(PolicyArn=ARN)


def test_path_is_immutable_with_a_clear_error_and_a_description_only_warns(aws, run_module):
    run_module("iam_policy", name=NAME, path="/flowlogs/", description="one", policy=DOCUMENT)
    aws.recorder.clear()

    moved = run_module("iam_policy", name=NAME, path="/other/", policy=DOCUMENT)
    assert moved.failed and moved["invalid_parameter"] == "path" and "'/flowlogs/'" in moved["msg"]
    described = run_module("iam_policy", name=NAME, path="/flowlogs/", description="two", policy=DOCUMENT)
    # A description grants nothing and IAM cannot change it: a warning, never a run failing for good.
    assert not described.failed and not described.changed, described
    assert described["policy"]["description"] == "one"
    assert any("cannot change a policy's description" in str(w) and "'one'" in str(w)
               for w in described["warnings"]), described
    assert aws.recorder.mutating() == []
    assert not run_module("iam_policy", name=NAME, path="/flowlogs/", policy=DOCUMENT).changed


BIG_DOCUMENT = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "logs:PutLogEvents",
     "Resource": ["arn:aws:logs:us-east-1:123456789012:log-group:/g{0:04d}:*".format(i) for i in range(120)]}]}


@pytest.mark.parametrize("args,param,fragment", [
    (dict(policy='{"Version": "2012-10-17", "Statement": ['), "policy", "not valid JSON"),
    (dict(policy=BIG_DOCUMENT), "policy", "AWS allows at most 6144"),
    (dict(policy={"Version": "2012-10-17"}), "policy", "must have a Statement"),
    (dict(policy=document_with("logs:*") | {"Statement": [{"Effect": "Permit", "Action": "x", "Resource": "*"}]}),
     "policy", "allowed: Allow, Deny"),
    (dict(policy={"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Principal": "*"}]}),
     "policy", "must not have a Principal"),
    (dict(policy={"Version": "2020-01-01", "Statement": [{"Effect": "Allow", "Action": "x", "Resource": "*"}]}),
     "policy", "Version"),
    (dict(policy="[1, 2]"), "policy", "JSON object"),
    (dict(policy=None), "policy", "required when state is present"),
    (dict(name="bad name!"), "name", "may contain only"),
    (dict(name="p" * 129), "name", "1 to 128"),
    (dict(path="no-slashes"), "path", "must start and end with /"),
    (dict(path="/has space/"), "path", "must start and end with /"),
    (dict(description="d" * 1001), "description", "at most 1000"),
    (dict(tags={"aws:x": "y"}), "tags", "reserved prefix"),
])
def test_bad_input_fails_before_any_change(aws, run_module, args, param, fragment):
    full = dict(name=NAME, policy=DOCUMENT)
    full.update(args)

    result = run_module("iam_policy", **full)

    assert result.failed and result["invalid_parameter"] == param, result
    assert fragment in result["msg"]
    assert aws.recorder.mutating() == []


def test_throttling_is_retried_and_the_run_succeeds(aws, run_module):
    aws.faults.add(kind="throttle", service="iam", operation="GetPolicy", count=2)
    aws.faults.add(kind="throttle", service="iam", operation="CreatePolicy", count=1)

    result = run_module("iam_policy", name=NAME, policy=DOCUMENT)

    assert result.changed and not result.failed, result
    assert aws.recorder.operations()["CreatePolicy"] == 2
    assert default_document(aws) == DOCUMENT


def test_access_denied_names_the_denied_action(aws, run_module):
    run_module("iam_policy", name=NAME, policy=DOCUMENT)
    aws.faults.add(kind="error", service="iam", operation="CreatePolicyVersion", code="AccessDenied",
                   message="User: arn:aws:iam::123456789012:user/ci is not authorized to perform: "
                           "iam:CreatePolicyVersion on resource: " + ARN, status=403)

    result = run_module("iam_policy", name=NAME, policy=document_with("logs:*"))

    assert result.failed and result["aws_error_code"] == "AccessDenied"
    assert result["aws_operation"] == "CreatePolicyVersion" and "iam:CreatePolicyVersion" in result["msg"]
    assert default_document(aws) == DOCUMENT


def test_policy_deleted_between_read_and_write_is_reported(aws, run_module):
    run_module("iam_policy", name=NAME, policy=DOCUMENT)
    aws.faults.add(kind="error", service="iam", operation="CreatePolicyVersion", code="NoSuchEntity",
                   message="Policy {0} does not exist.".format(ARN), status=404)

    result = run_module("iam_policy", name=NAME, policy=document_with("logs:*"))

    assert result.failed and result["aws_error_code"] == "NoSuchEntity"
    assert "deleted by someone else" in result["msg"] and "re-run" in result["msg"]


def test_absent_when_someone_else_deleted_the_policy_first_succeeds(aws, run_module):
    run_module("iam_policy", name=NAME, policy=DOCUMENT)
    aws.faults.add(kind="error", service="iam", operation="DeletePolicy", code="NoSuchEntity",
                   message="Policy {0} was not found.".format(ARN), status=404)

    result = run_module("iam_policy", name=NAME, state="absent")

    assert result.changed and not result.failed, result


OWNED = {"ManagedBy": "netobs.flowlogs"}


def delivery(*groups):
    from ansible_collections.netobs.flowlogs.plugins.module_utils.policy import flow_logs_delivery_policy

    return flow_logs_delivery_policy(["arn:aws:logs:*:123456789012:log-group:" + g for g in groups])


def delivery_resources(aws):
    return [s for s in default_document(aws)["Statement"] if s["Sid"] == "FlowLogsDelivery"][0]["Resource"]


def test_merge_resources_keeps_every_runs_log_group_and_converges(aws, run_module):
    """Issue 14 case 1 for the module: each run adds its group to the owned policy, never replaces."""
    assert run_module("iam_policy", name=NAME, policy=delivery("/a"), merge_resources=True).changed
    second = run_module("iam_policy", name=NAME, policy=delivery("/b"), merge_resources=True)
    assert second.changed and second["policy"]["merged_resources"] == {
        "FlowLogsDelivery": ["arn:aws:logs:*:123456789012:log-group:/a:*"]}
    assert delivery_resources(aws) == ["arn:aws:logs:*:123456789012:log-group:/a:*",
                                       "arn:aws:logs:*:123456789012:log-group:/b:*"]
    mark = aws.recorder.mark()
    for group in ("/a", "/b"):
        assert not run_module("iam_policy", name=NAME, policy=delivery(group), merge_resources=True).changed
    assert aws.recorder.mutating(since=mark) == []


def test_merge_resources_writes_again_when_a_concurrent_run_lost_its_group(aws):
    """Two regions at once: both read v1 {/a}; the other run writes {/a, /c} between our read and
    our write. After writing, the versions listed show it, and the lost /c is merged back."""
    from ansible_collections.netobs.flowlogs.plugins.module_utils.aws import AwsSession
    from ansible_collections.netobs.flowlogs.plugins.module_utils.iam_policies import IamPolicyResource

    iam = aws.client("iam")
    iam.create_policy(PolicyName=NAME, PolicyDocument=json.dumps(delivery("/a")),
                      Tags=[{"Key": "ManagedBy", "Value": "netobs.flowlogs"}])
    args = aws.module_args(account="123456789012")
    session = AwsSession(**args)
    params = dict(name=NAME, path="/", description=None, policy=delivery("/b"), merge_resources=True, tags=None,
                  purge_tags=True, adopt=False, state="present")
    resource = IamPolicyResource(session, params)
    resource.validate()
    plan = resource.plan(resource.read())
    iam.create_policy_version(PolicyArn=ARN, PolicyDocument=json.dumps(delivery("/a", "/c")), SetAsDefault=True)
    result = resource.result(plan, resource.apply(plan))

    expected = ["arn:aws:logs:*:123456789012:log-group:" + g + ":*" for g in ("/a", "/b", "/c")]
    assert delivery_resources(aws) == expected
    assert result["policy"]["default_version_id"] == "v4"  # v3 lacked /c, v4 has all three


def test_a_foreign_policy_is_refused_then_adopted_and_replaced(aws, run_module):
    aws.client("iam").create_policy(PolicyName=NAME, PolicyDocument=json.dumps(delivery("/theirs")))
    aws.recorder.clear()
    refused = run_module("iam_policy", name=NAME, policy=delivery("/ours"), merge_resources=True)
    assert refused.failed and refused["invalid_parameter"] == "adopt" and "/theirs" in refused["msg"], refused
    assert aws.recorder.mutating() == []
    adopted = run_module("iam_policy", name=NAME, policy=delivery("/ours"), merge_resources=True, adopt=True)
    assert adopted.changed and adopted["policy"]["adopted"] is True and adopted["policy"]["tags"] == OWNED
    assert delivery_resources(aws) == ["arn:aws:logs:*:123456789012:log-group:/ours:*"]  # replaced, not merged
