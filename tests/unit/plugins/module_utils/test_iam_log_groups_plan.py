"""Plan computation of the log group, policy and role resources from a given current state (no AWS).

The resources get an offline session that knows its region and account and refuses every API
call: planning must not need one once the state is read.
"""

import pytest

from ansible_collections.netobs.flowlogs.plugins.module_utils import iam_policies
from ansible_collections.netobs.flowlogs.plugins.module_utils.iam_policies import (
    IamPolicyResource,
    oldest_non_default_version,
)
from ansible_collections.netobs.flowlogs.plugins.module_utils.iam_roles import IamRoleResource
from ansible_collections.netobs.flowlogs.plugins.module_utils.log_groups import (
    LogGroupResource,
    validate_retention,
)
from ansible_collections.netobs.flowlogs.plugins.module_utils.policy import flow_logs_trust_policy
from ansible_collections.netobs.flowlogs.plugins.module_utils.rules import ValidationError, require_kms_key_arn
from ansible_collections.netobs.flowlogs.plugins.module_utils.tags import MANAGED_BY_TAG

ACCOUNT = "123456789012"
GROUP = "/vpc/flow-logs"
GROUP_ARN = "arn:aws:logs:us-east-1:{0}:log-group:{1}".format(ACCOUNT, GROUP)
KEY = "arn:aws:kms:us-east-1:{0}:key/1234abcd-12ab-34cd-56ef-1234567890ab".format(ACCOUNT)
OWNED = dict([MANAGED_BY_TAG])
DOCUMENT = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "logs:*", "Resource": "*"}]}


class OfflineSession:
    region_name = "us-east-1"

    def caller_identity(self):
        return dict(account=ACCOUNT, partition="aws", arn="arn:aws:iam::{0}:user/test".format(ACCOUNT))

    def call(self, *args, **kwargs):
        raise AssertionError("planning made an API call: {0}".format(args))

    paginate = client = call


def log_group(current=None, **params):
    full = dict(name=GROUP, retention_days=None, kms_key_id=None, log_group_class=None, tags=None,
                purge_tags=True, adopt=False, state="present")
    full.update(params)
    resource = LogGroupResource(OfflineSession(), full)
    resource.validate()
    return resource, resource.plan(current)


def existing_group(retention=7, key=None, group_class="STANDARD", tags=None):
    group = {"logGroupName": GROUP, "arn": GROUP_ARN + ":*", "logGroupClass": group_class}
    if retention:
        group["retentionInDays"] = retention
    if key:
        group["kmsKeyId"] = key
    return dict(group=group, tags=dict(OWNED, **(tags or {})))


def test_log_group_create_plan():
    resource, plan = log_group(None, retention_days=30, tags={"a": "1"})
    assert plan.descriptions == ["create log group " + GROUP, "set retention to 30 days"]
    assert plan.before == {} and plan.after["retention"] == "30 days"


def test_log_group_without_retention_is_created_never_expiring():
    _resource, plan = log_group(None)
    assert plan.descriptions == ["create log group " + GROUP]
    assert plan.after["retention"] == "never expire"


@pytest.mark.parametrize("current,params,steps", [
    (existing_group(7), dict(retention_days=7), []),
    (existing_group(7), dict(), []),
    (existing_group(7), dict(retention_days=14), ["set retention to 14 days"]),
    (existing_group(7), dict(retention_days=0), ["remove the retention policy (never expire)"]),
    (existing_group(None), dict(retention_days=0), []),
    (existing_group(7), dict(kms_key_id=KEY), ["associate KMS key " + KEY]),
    (existing_group(7, key=KEY), dict(kms_key_id=""), ["disassociate KMS key " + KEY]),
    (existing_group(7, key=KEY), dict(kms_key_id=KEY), []),
    (existing_group(7, tags={"a": "1"}), dict(tags={"a": "1"}), []),
    (existing_group(7, tags={"a": "1"}), dict(tags={"b": "2"}), ["tag log group: b", "untag log group: a"]),
    (existing_group(7, tags={"a": "1"}), dict(tags={"b": "2"}, purge_tags=False), ["tag log group: b"]),
    (existing_group(7, group_class="INFREQUENT_ACCESS"), dict(log_group_class="INFREQUENT_ACCESS"), []),
    (existing_group(7), dict(state="absent"), ["delete log group " + GROUP]),
    (None, dict(state="absent"), []),
])
def test_log_group_update_plans(current, params, steps):
    _resource, plan = log_group(current, **params)
    assert plan.descriptions == steps


def test_log_group_class_change_is_refused():
    with pytest.raises(ValidationError, match="cannot change a log group's class"):
        log_group(existing_group(7), log_group_class="INFREQUENT_ACCESS")


def test_retention_and_kms_validation():
    assert validate_retention(None) is None and validate_retention(0) == 0 and validate_retention(3288) == 3288
    for bad in (8, 2, 365 * 10, -7):
        with pytest.raises(ValidationError, match="retention_days"):
            validate_retention(bad)
    assert require_kms_key_arn("kms_key_id", KEY, "us-east-1") == KEY
    assert require_kms_key_arn("kms_key_id", "", "us-east-1") == ""
    with pytest.raises(ValidationError, match="not an alias"):
        require_kms_key_arn("kms_key_id", "arn:aws:kms:us-east-1:{0}:alias/x".format(ACCOUNT), "us-east-1")
    with pytest.raises(ValidationError, match="region"):
        require_kms_key_arn("kms_key_id", KEY, "eu-west-1")


def policy(current=None, **params):
    full = dict(name="delivery", path="/", description=None, policy=DOCUMENT, tags=None, purge_tags=True,
                adopt=False, merge_resources=False, state="present")
    full.update(params)
    resource = IamPolicyResource(OfflineSession(), full)
    resource.validate()
    resource.arn = "arn:aws:iam::{0}:policy/delivery".format(ACCOUNT)
    return resource, resource.plan(current)


def existing_policy(document=None, versions=1, description="", tags=None):
    listed = [dict(VersionId="v{0}".format(n), IsDefaultVersion=n == versions,
                   CreateDate="2026-01-0{0}T00:00:00Z".format(n)) for n in range(1, versions + 1)]
    return dict(policy=dict(DefaultVersionId="v{0}".format(versions), Description=description),
                document=document or DOCUMENT, tags=dict(OWNED, **(tags or {})), versions=listed,
                entities=dict(roles=["r"], users=[], groups=["g"]))


def test_policy_plans():
    _r, plan = policy(None)
    assert plan.descriptions == ["create policy arn:aws:iam::123456789012:policy/delivery"]
    _r, plan = policy(existing_policy())
    assert plan.descriptions == [] and plan.before == plan.after
    changed = dict(DOCUMENT, Statement=[dict(DOCUMENT["Statement"][0], Action="logs:PutLogEvents")])
    _r, plan = policy(existing_policy(), policy=changed)
    assert plan.descriptions == ["create a new default version of the policy document"]
    _r, plan = policy(existing_policy(versions=5), policy=changed)
    assert plan.descriptions[0].startswith("delete the oldest non-default version v1")
    _r, plan = policy(existing_policy(versions=3), state="absent", policy=None)
    assert plan.descriptions == ["detach from role r", "detach from group g", "delete version v1",
                                 "delete version v2", "delete policy arn:aws:iam::123456789012:policy/delivery"]


def test_policy_description_cannot_change_and_only_warns(monkeypatch):
    # The module's warn() is captured here: Ansible's global warning list is shared by every test
    # of the worker process (and deduplicated), so reading it back is not reliable.
    warned = []
    monkeypatch.setattr(iam_policies, "warn", warned.append)
    _r, plan = policy(existing_policy(description="old"), description="new")
    assert plan.descriptions == [] and plan.predicted["description"] == "old"
    assert any("IAM cannot change a policy's description" in message for message in warned)
    _r, plan = policy(existing_policy(description="old"))
    assert plan.descriptions == []


def test_oldest_non_default_version_breaks_date_ties_by_number():
    versions = [dict(VersionId="v10", IsDefaultVersion=False, CreateDate="2026-01-01"),
                dict(VersionId="v9", IsDefaultVersion=False, CreateDate="2026-01-01"),
                dict(VersionId="v2", IsDefaultVersion=True, CreateDate="2025-01-01")]
    assert oldest_non_default_version(versions) == "v9"
    assert oldest_non_default_version([dict(VersionId="v1", IsDefaultVersion=True)]) is None


def role(current=None, **params):
    full = dict(name="flow-logs", path="/", description=None, trust_policy=None, confused_deputy_protection=True,
                managed_policies=None, purge_policies=True, max_session_duration=None, permissions_boundary=None,
                tags=None, purge_tags=True, adopt=False, wait=True, wait_timeout=120, state="present")
    full.update(params)
    resource = IamRoleResource(OfflineSession(), full)
    resource.validate()
    resource.desired_policy_arns = list(resource.policy_arns)
    if resource.trust_policy is None:
        resource.trust_policy = flow_logs_trust_policy("aws", ACCOUNT, "us-east-1")
    return resource, resource.plan(current)


POLICY_A = "arn:aws:iam::{0}:policy/a".format(ACCOUNT)
POLICY_B = "arn:aws:iam::{0}:policy/b".format(ACCOUNT)


def existing_role(trust=None, policies=(), tags=None, description="", duration=3600):
    return dict(role=dict(Arn="arn:aws:iam::{0}:role/flow-logs".format(ACCOUNT), RoleId="AROA1", Path="/",
                          Description=description, MaxSessionDuration=duration),
                trust=trust or flow_logs_trust_policy("aws", ACCOUNT, "us-east-1"),
                attached=[dict(PolicyArn=arn) for arn in policies], tags=dict(OWNED, **(tags or {})), inline=["i"],
                profiles=[])


def test_role_plans():
    _r, plan = role(None, managed_policies=[POLICY_A])
    assert plan.descriptions == ["create role flow-logs", "attach " + POLICY_A,
                                 "wait until IAM returns the role consistently"]
    _r, plan = role(None, wait=False)
    assert plan.descriptions == ["create role flow-logs"]
    _r, plan = role(existing_role(policies=[POLICY_A]))
    assert plan.descriptions == []
    _r, plan = role(existing_role(policies=[POLICY_A]), managed_policies=[POLICY_B])
    assert plan.descriptions == ["attach " + POLICY_B, "detach " + POLICY_A]
    _r, plan = role(existing_role(policies=[POLICY_A]), managed_policies=[POLICY_B], purge_policies=False)
    assert plan.descriptions == ["attach " + POLICY_B]
    _r, plan = role(existing_role(), description="new", max_session_duration=7200)
    assert plan.descriptions == ["update role Description, MaxSessionDuration"]
    _r, plan = role(existing_role(trust=flow_logs_trust_policy("aws", ACCOUNT, confused_deputy=False)))
    assert plan.descriptions == ["update the trust policy", "wait until IAM returns the new trust policy consistently"]
    _r, plan = role(existing_role(policies=[POLICY_A]), state="absent")
    assert plan.descriptions == ["detach " + POLICY_A, "delete inline policy i", "delete role flow-logs"]


def foreign(current):
    """``current`` as someone else made it: without the ownership tag."""
    current = dict(current, tags=dict((k, v) for k, v in current["tags"].items() if k != MANAGED_BY_TAG[0]))
    return current


def test_created_resources_carry_the_ownership_tag_whatever_the_tags_say():
    _r, plan = log_group(None, tags={"team": "net"})
    assert plan.predicted["tags"] == {"team": "net", "ManagedBy": "netobs.flowlogs"}
    _r, plan = policy(None)
    assert plan.predicted["tags"] == OWNED
    _r, plan = role(None, tags={"ManagedBy": "someone"})
    assert plan.predicted["tags"] == OWNED
    # purge_tags on an owned resource never removes it.
    _r, plan = log_group(existing_group(7, tags={"a": "1"}), tags={"b": "2"}, purge_tags=True)
    assert plan.descriptions == ["tag log group: b", "untag log group: a"]
    assert plan.predicted["tags"] == dict(OWNED, b="2")


def test_a_foreign_resource_is_refused_naming_what_differs_unless_adopted():
    with pytest.raises(ValidationError) as error:
        log_group(foreign(existing_group(30)), retention_days=7, tags={"ManagedBy": "netobs.flowlogs"})
    assert error.value.param == "adopt" and "set retention to 7 days" in str(error.value)
    assert "now: retention 30 days" in str(error.value) and "flowlogs_adopt_existing" in str(error.value)
    # Nothing differs: nothing is changed, and the group stays someone else's.
    _r, plan = log_group(foreign(existing_group(7)), retention_days=7, tags=OWNED)
    assert plan.descriptions == [] and plan.predicted["owned"] is False
    _r, plan = log_group(foreign(existing_group(30)), retention_days=7, adopt=True)
    assert plan.descriptions == ["set retention to 7 days", "tag log group: ManagedBy"]
    assert plan.predicted["adopted"] is True and plan.predicted["owned"] is True

    changed = dict(DOCUMENT, Statement=[dict(DOCUMENT["Statement"][0], Action="logs:PutLogEvents")])
    with pytest.raises(ValidationError, match="policy arn:aws:iam::123456789012:policy/delivery exists"):
        policy(foreign(existing_policy()), policy=changed, adopt=False)
    _r, plan = policy(foreign(existing_policy()), policy=changed, adopt=True)
    assert plan.descriptions == ["create a new default version of the policy document", "tag policy: ManagedBy"]


def test_an_adopted_role_loses_foreign_trust_and_inline_policies_listed():
    trust = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "vpc-flow-logs.amazonaws.com"}, "Action": "sts:AssumeRole"},
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999999999999:root"}, "Action": "sts:AssumeRole"}]}
    current = foreign(existing_role(trust=trust, policies=[POLICY_A], description="team x"))
    with pytest.raises(ValidationError) as error:
        role(current, managed_policies=[POLICY_B], description="flow logs", adopt=False)
    message = str(error.value)
    for fragment in ("role flow-logs exists", "AWS:arn:aws:iam::999999999999:root", "delete inline policy i",
                     "detach " + POLICY_A, "'team x' would become 'flow logs'"):
        assert fragment in message, message
    _r, plan = role(current, managed_policies=[POLICY_B], description="flow logs", adopt=True, wait=False)
    assert plan.predicted["removed_trust_principals"] == ["AWS:arn:aws:iam::999999999999:root"]
    assert plan.predicted["removed_inline_policies"] == ["i"] and plan.predicted["adopted"] is True
    assert "delete inline policy i" in plan.descriptions and "tag role: ManagedBy" in plan.descriptions
