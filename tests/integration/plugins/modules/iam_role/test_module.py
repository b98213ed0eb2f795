"""netobs.flowlogs.iam_role against the local AWS: trust, policies, wait, check/diff, validation, errors."""

import json

import pytest

from ansible_collections.netobs.flowlogs.plugins.module_utils import iam_roles as iam_utils
from support.fixtures import execute_module

pytestmark = pytest.mark.integration

ROLE = "flow-logs-delivery"
ACCOUNT = "123456789012"
ROLE_ARN = "arn:aws:iam::{0}:role/{1}".format(ACCOUNT, ROLE)
POLICY_DOCUMENT = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": "*"}]}


@pytest.fixture
def run_module(aws, monkeypatch):
    """Like the shared run_module (whose first parameter ``name`` collides with this module's option).

    The role wait polls once a second against AWS; the local AWS is consistent, so poll fast.
    """
    monkeypatch.setattr(iam_utils, "WAIT_INTERVAL_SECONDS", 0.01)

    def run(module, check_mode=False, diff=False, account=ACCOUNT, **args):
        full_args = aws.module_args(account=account)
        full_args.update(args)
        return execute_module(module, full_args, check_mode=check_mode, diff=diff)

    return run


@pytest.fixture
def policies(aws):
    """Two customer managed policies; returns their ARNs by name."""
    iam = aws.client("iam")
    arns = {}
    for name in ("delivery", "extra"):
        arns[name] = iam.create_policy(PolicyName=name, PolicyDocument=json.dumps(POLICY_DOCUMENT))["Policy"]["Arn"]
    aws.recorder.clear()
    return arns


def get_role(aws, name=ROLE):
    return aws.client("iam").get_role(RoleName=name)["Role"]


def attached(aws, name=ROLE):
    return sorted(p["PolicyArn"] for p in aws.client("iam").list_attached_role_policies(RoleName=name)[
        "AttachedPolicies"])


def test_default_trust_is_flow_logs_with_confused_deputy_protection(aws, run_module):
    result = run_module("iam_role", name=ROLE, wait=False)

    assert result.changed and not result.failed, result
    statement = get_role(aws)["AssumeRolePolicyDocument"]["Statement"][0]
    assert statement["Principal"] == {"Service": "vpc-flow-logs.amazonaws.com"}
    assert statement["Condition"] == {
        "StringEquals": {"aws:SourceAccount": ACCOUNT},
        "ArnLike": {"aws:SourceArn": "arn:aws:ec2:us-east-1:{0}:vpc-flow-log/*".format(ACCOUNT)}}
    assert result["role"]["arn"] == ROLE_ARN and result["role"]["role_id"]
    assert result["role"]["trust_policy"]["Statement"][0]["Condition"] == statement["Condition"]


def test_confused_deputy_protection_can_be_switched_off(aws, run_module):
    run_module("iam_role", name=ROLE, confused_deputy_protection=False, wait=False)
    assert "Condition" not in get_role(aws)["AssumeRolePolicyDocument"]["Statement"][0]

    switched_on = run_module("iam_role", name=ROLE, wait=False)
    assert switched_on.changed and switched_on["actions"] == ["update the trust policy"]
    assert "Condition" in get_role(aws)["AssumeRolePolicyDocument"]["Statement"][0]


def test_fresh_create_and_no_change_run_call_counts(aws, run_module, policies):
    args = dict(name=ROLE, description="flow logs", managed_policies=["delivery", policies["extra"]],
                max_session_duration=7200, permissions_boundary=policies["extra"], tags={"team": "net"}, wait=False)
    created = run_module("iam_role", **args)
    create_operations = aws.recorder.operations()
    assert created.changed, created
    # GetPolicy: the ARN given (not attached yet) must exist before the role is created.
    assert create_operations == {"GetRole": 1, "ListPolicies": 1, "GetPolicy": 1, "GetCallerIdentity": 1,
                                 "CreateRole": 1, "AttachRolePolicy": 2}
    mark = aws.recorder.mark()

    again = run_module("iam_role", **args)

    assert not again.changed and again["actions"] == []
    assert [c.operation for c in aws.recorder.calls(since=mark)] == [
        "GetRole", "ListAttachedRolePolicies", "ListPolicies"]
    role = again["role"]
    assert role["attached_policies"] == sorted(policies.values())
    assert role["max_session_duration"] == 7200 and role["permissions_boundary"] == policies["extra"]
    assert role["tags"] == {"team": "net", "ManagedBy": "netobs.flowlogs"} and role["description"] == "flow logs"


def test_no_change_with_policy_arns_costs_two_calls_and_does_not_wait(aws, run_module, policies):
    args = dict(name=ROLE, managed_policies=[policies["delivery"]])
    run_module("iam_role", **args)
    mark = aws.recorder.mark()

    assert not run_module("iam_role", **args).changed
    assert [c.operation for c in aws.recorder.calls(since=mark)] == ["GetRole", "ListAttachedRolePolicies"]


def test_wait_really_waits_until_get_role_answers_consistently(aws, run_module):
    # IAM replication lag, emulated: the read and the first two GetRole calls after the create miss the role.
    aws.faults.add(kind="error", service="iam", operation="GetRole", code="NoSuchEntity",
                   message="The role with name {0} cannot be found.".format(ROLE), status=404, count=3)

    result = run_module("iam_role", name=ROLE)

    assert result.changed and not result.failed, result
    assert result["actions"][-1] == "wait until IAM returns the role consistently"
    # 1 read (missing) + 2 lagging + 3 consistent reads in a row
    assert aws.recorder.operations()["GetRole"] == 1 + 2 + iam_utils.WAIT_CONSECUTIVE_READS


def test_wait_gives_up_after_wait_timeout_with_a_clear_message(aws, run_module):
    aws.faults.add(kind="error", service="iam", operation="GetRole", code="NoSuchEntity",
                   message="The role with name {0} cannot be found.".format(ROLE), status=404)

    result = run_module("iam_role", name=ROLE, wait_timeout=1)

    assert result.failed and "wait_timeout=1" in result["msg"]
    assert result["completed_actions"] == ["create role " + ROLE]


def test_managed_policies_attach_detach_and_purge(aws, run_module, policies):
    run_module("iam_role", name=ROLE, managed_policies=["delivery"], wait=False)
    assert attached(aws) == [policies["delivery"]]

    added = run_module("iam_role", name=ROLE, managed_policies=["delivery", "extra"], purge_policies=False)
    assert added.changed and attached(aws) == sorted(policies.values())
    kept = run_module("iam_role", name=ROLE, managed_policies=["extra"], purge_policies=False)
    assert not kept.changed and attached(aws) == sorted(policies.values())
    purged = run_module("iam_role", name=ROLE, managed_policies=[policies["extra"]])
    assert purged.changed and purged["actions"] == ["detach " + policies["delivery"]]
    assert attached(aws) == [policies["extra"]]
    left_out = run_module("iam_role", name=ROLE)
    assert not left_out.changed and attached(aws) == [policies["extra"]]


def test_updates_in_place_with_a_readable_diff(aws, run_module, policies):
    run_module("iam_role", name=ROLE, description="one", tags={"a": "1"}, wait=False)

    result = run_module("iam_role", name=ROLE, description="two", max_session_duration=43200, tags={"b": "2"},
                        permissions_boundary=policies["delivery"], diff=True)

    assert result.changed
    role = get_role(aws)
    assert role["Description"] == "two" and role["MaxSessionDuration"] == 43200
    assert role["PermissionsBoundary"]["PermissionsBoundaryArn"] == policies["delivery"]
    assert {t["Key"]: t["Value"] for t in role["Tags"]} == {"b": "2", "ManagedBy": "netobs.flowlogs"}
    before, after = result["diff"]["before"], result["diff"]["after"]
    assert (before["description"], after["description"]) == ("one", "two")
    assert (before["max_session_duration"], after["max_session_duration"]) == (3600, 43200)
    assert (before["tags"], after["tags"]) == ({"a": "1", "ManagedBy": "netobs.flowlogs"},
                                               {"b": "2", "ManagedBy": "netobs.flowlogs"})
    assert (before["permissions_boundary"], after["permissions_boundary"]) == ("", policies["delivery"])

    removed = run_module("iam_role", name=ROLE, permissions_boundary="")
    assert removed.changed and "PermissionsBoundary" not in get_role(aws)


def test_equivalent_trust_policy_is_no_change(aws, run_module):
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["sts:AssumeRole"],
                                                     "Principal": {"Service": ["vpc-flow-logs.amazonaws.com"]}}]}
    run_module("iam_role", name=ROLE, trust_policy=trust, wait=False)
    text = json.dumps({"Statement": [{"Principal": {"Service": "vpc-flow-logs.amazonaws.com"},
                                      "Action": "sts:AssumeRole", "Effect": "Allow"}], "Version": "2012-10-17"})
    assert not run_module("iam_role", name=ROLE, trust_policy=text).changed


def test_check_mode_predicts_and_makes_no_mutating_call(aws, run_module, policies):
    create = run_module("iam_role", check_mode=True, diff=True, name=ROLE, managed_policies=["delivery"])
    assert create.changed and create["role"]["arn"] == ROLE_ARN and create["role"]["role_id"] is None
    assert create["diff"]["after"]["managed_policies"] == [policies["delivery"]]
    assert aws.recorder.mutating() == []

    run_module("iam_role", name=ROLE, wait=False)
    aws.recorder.clear()
    update = run_module("iam_role", check_mode=True, name=ROLE, managed_policies=["delivery"], tags={"x": "y"},
                        confused_deputy_protection=False)
    assert update.changed and update["actions"] == [
        "update the trust policy", "tag role: x", "attach " + policies["delivery"],
        "wait until IAM returns the new trust policy consistently"]
    delete = run_module("iam_role", check_mode=True, name=ROLE, state="absent")
    assert delete.changed and get_role(aws)["RoleName"] == ROLE
    assert aws.recorder.mutating() == []


def test_absent_detaches_deletes_inline_leaves_instance_profiles_then_deletes(aws, run_module, policies):
    run_module("iam_role", name=ROLE, managed_policies=["delivery"], wait=False)
    iam = aws.client("iam")
    iam.put_role_policy(RoleName=ROLE, PolicyName="inline", PolicyDocument=json.dumps(POLICY_DOCUMENT))
    iam.create_instance_profile(InstanceProfileName="profile")
    iam.add_role_to_instance_profile(InstanceProfileName="profile", RoleName=ROLE)

    result = run_module("iam_role", name=ROLE, state="absent", diff=True)

    assert result.changed and not result.failed, result
    assert result["actions"] == ["detach " + policies["delivery"], "delete inline policy inline",
                                 "remove from instance profile profile", "delete role " + ROLE]
    assert result["diff"]["after"] == {} and result["diff"]["before"]["name"] == ROLE
    with pytest.raises(iam.exceptions.NoSuchEntityException):
        iam.get_role(RoleName=ROLE)
    assert not run_module("iam_role", name=ROLE, state="absent").changed


def test_path_is_immutable_with_a_clear_error(aws, run_module):
    run_module("iam_role", name=ROLE, path="/flowlogs/", wait=False)
    aws.recorder.clear()
    result = run_module("iam_role", name=ROLE, path="/other/")
    assert result.failed and result["invalid_parameter"] == "path" and "cannot change" in result["msg"]
    assert aws.recorder.mutating() == []


TRUST = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "vpc-flow-logs.amazonaws.com"}, "Action": "sts:AssumeRole"}]}


@pytest.mark.parametrize("args,param,fragment", [
    (dict(name="r" * 65), "name", "1 to 64"),
    (dict(name="bad role"), "name", "may contain only"),
    (dict(path="flowlogs"), "path", "must start and end with /"),
    (dict(description="\u2603 snowman"), "description", "characters IAM does not accept"),
    (dict(trust_policy="{not json"), "trust_policy", "not valid JSON"),
    (dict(trust_policy={"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole"}]}),
     "trust_policy", "needs a Principal"),
    (dict(trust_policy={"Statement": [dict(TRUST["Statement"][0], Resource="*")]}), "trust_policy",
     "must not have a Resource"),
    (dict(trust_policy=TRUST, confused_deputy_protection=False), "confused_deputy_protection",
     "applies only to the default trust policy"),
    (dict(managed_policies=["no-such-policy"]), "managed_policies", "no customer managed policy named no-such-policy"),
    (dict(managed_policies=["arn:aws:s3:::bucket"]), "managed_policies", "s3 ARN"),
    (dict(managed_policies=["bad name!"]), "managed_policies", "may contain only"),
    (dict(max_session_duration=3599), "max_session_duration", "3600 to 43200"),
    (dict(max_session_duration=43201), "max_session_duration", "3600 to 43200"),
    (dict(permissions_boundary="arn:aws:iam::123456789012:role/x"), "permissions_boundary",
     "does not name a policy"),
    (dict(tags={"aws:x": "1"}), "tags", "reserved prefix"),
    (dict(wait_timeout=0), "wait_timeout", "at least 1"),
])
def test_bad_input_fails_before_any_change(aws, run_module, args, param, fragment):
    full = dict(name=ROLE)
    full.update(args)

    result = run_module("iam_role", **full)

    assert result.failed and result["invalid_parameter"] == param, result
    assert fragment in result["msg"]
    assert aws.recorder.mutating() == []


def test_unknown_policy_name_on_an_existing_role_changes_nothing(aws, run_module, policies):
    run_module("iam_role", name=ROLE, tags={"a": "1"}, wait=False)
    aws.recorder.clear()

    result = run_module("iam_role", name=ROLE, tags={"b": "2"}, managed_policies=["delivery", "missing"])

    assert result.failed and "missing" in result["msg"]
    assert aws.recorder.mutating() == []
    assert attached(aws) == []


def test_throttling_is_retried_and_the_run_succeeds(aws, run_module):
    aws.faults.add(kind="throttle", service="iam", operation="CreateRole", count=2)

    result = run_module("iam_role", name=ROLE, wait=False)

    assert result.changed and not result.failed, result
    assert aws.recorder.operations()["CreateRole"] == 3
    assert get_role(aws)["Arn"] == ROLE_ARN


def test_access_denied_names_the_denied_action(aws, run_module, policies):
    aws.faults.add(kind="error", service="iam", operation="AttachRolePolicy", code="AccessDenied",
                   message="User is not authorized to perform: iam:AttachRolePolicy", status=403)

    result = run_module("iam_role", name=ROLE, managed_policies=["delivery"], wait=False)

    assert result.failed and result["aws_error_code"] == "AccessDenied"
    assert result["aws_operation"] == "AttachRolePolicy" and "iam:AttachRolePolicy" in result["msg"]
    assert result["completed_actions"] == ["create role " + ROLE]


def test_role_deleted_between_read_and_write_is_reported(aws, run_module):
    run_module("iam_role", name=ROLE, wait=False)
    aws.faults.add(kind="error", service="iam", operation="TagRole", code="NoSuchEntity",
                   message="The role with name {0} cannot be found.".format(ROLE), status=404)

    result = run_module("iam_role", name=ROLE, tags={"a": "1"})

    assert result.failed and "deleted by someone else" in result["msg"]


def test_absent_tolerates_a_policy_detached_by_someone_else(aws, run_module, policies):
    run_module("iam_role", name=ROLE, managed_policies=["delivery"], wait=False)
    # After the module's read, the policy gets detached elsewhere: its own detach finds nothing.
    aws.faults.add(kind="error", service="iam", operation="DetachRolePolicy", code="NoSuchEntity",
                   message="Policy is not attached.", status=404, count=1)
    aws.faults.add(kind="error", service="iam", operation="DeleteRole", code="NoSuchEntity",
                   message="The role cannot be found.", status=404, count=1)

    result = run_module("iam_role", name=ROLE, state="absent")

    assert result.changed and not result.failed, result


def test_a_failing_run_never_prints_the_secret_key_or_session_token(aws, run_module):
    account = "222222222222"
    creds = aws.credentials(account)
    aws.faults.add(kind="error", service="iam", operation="CreateRole", code="AccessDenied",
                   message="denied", status=403)

    result = run_module("iam_role", account=account, name=ROLE, wait=False)

    assert result.failed and result["aws_error_code"] == "AccessDenied"
    output = json.dumps(result)
    assert creds["secret_key"] not in output and creds["session_token"] not in output


def test_a_managed_policy_arn_that_does_not_exist_fails_before_the_role_is_created(aws, run_module, policies):
    """Issue 14 case 5: GetPolicy up front, the error names the option, nothing is created."""
    missing = "arn:aws:iam::{0}:policy/not-there".format(ACCOUNT)
    result = run_module("iam_role", name=ROLE, managed_policies=[policies["delivery"], missing], wait=False)
    assert result.failed and result["invalid_parameter"] == "managed_policies", result
    assert missing in result["msg"] and "re-run" not in result["msg"]
    assert aws.recorder.mutating() == []
    assert [r["RoleName"] for r in aws.client("iam").list_roles()["Roles"] if r["RoleName"] == ROLE] == []
    # Check mode predicts a play whose earlier task may create the policy: no error there.
    assert not run_module("iam_role", check_mode=True, name=ROLE, managed_policies=[missing]).failed


def foreign_role(aws):
    iam = aws.client("iam")
    trust = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "vpc-flow-logs.amazonaws.com"}, "Action": "sts:AssumeRole"},
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999999999999:root"}, "Action": "sts:AssumeRole"}]}
    iam.create_role(RoleName=ROLE, AssumeRolePolicyDocument=json.dumps(trust), Description="team x")
    iam.put_role_policy(RoleName=ROLE, PolicyName="everything", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
    aws.recorder.clear()


def test_a_foreign_role_is_refused_naming_what_differs_and_adopted_on_request(aws, run_module, policies):
    foreign_role(aws)
    args = dict(name=ROLE, description="flow logs", managed_policies=[policies["delivery"]], wait=False)
    refused = run_module("iam_role", **args)
    assert refused.failed and refused["invalid_parameter"] == "adopt", refused
    for fragment in ("AWS:arn:aws:iam::999999999999:root", "delete inline policy everything",
                     "attach " + policies["delivery"], "'team x' would become 'flow logs'"):
        assert fragment in refused["msg"], refused["msg"]
    assert aws.recorder.mutating() == []
    assert run_module("iam_role", check_mode=True, **args).failed  # check mode says the same

    checked = run_module("iam_role", check_mode=True, diff=True, adopt=True, **args)
    assert checked.changed and aws.recorder.mutating() == []
    assert checked["diff"]["after"]["tags"] == {"ManagedBy": "netobs.flowlogs"}
    adopted = run_module("iam_role", adopt=True, **args)
    assert adopted.changed and adopted["role"]["adopted"] is True
    assert adopted["role"]["removed_inline_policies"] == ["everything"]
    assert adopted["role"]["removed_trust_principals"] == ["AWS:arn:aws:iam::999999999999:root"]
    iam = aws.client("iam")
    assert iam.list_role_policies(RoleName=ROLE)["PolicyNames"] == []
    assert [s["Principal"] for s in get_role(aws)["AssumeRolePolicyDocument"]["Statement"]] == [
        {"Service": "vpc-flow-logs.amazonaws.com"}]
    # Owned now: the next run needs no adopt and changes nothing.
    again = run_module("iam_role", **args)
    assert not again.changed and again["role"]["owned"] is True and again["role"]["adopted"] is False


def test_a_foreign_role_already_as_asked_is_left_alone(aws, run_module):
    aws.client("iam").create_role(RoleName=ROLE, AssumeRolePolicyDocument=json.dumps(
        iam_utils.flow_logs_trust_policy("aws", ACCOUNT, "us-east-1")))
    aws.recorder.clear()
    result = run_module("iam_role", name=ROLE, wait=False, tags={"ManagedBy": "netobs.flowlogs"})
    assert not result.failed and not result.changed and result["role"]["owned"] is False, result
    assert aws.recorder.mutating() == []
