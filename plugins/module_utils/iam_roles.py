# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The IAM role (read once -> plan -> apply): trust policy, managed policies, boundary, session length, tags."""

import time

from ansible_collections.netobs.flowlogs.plugins.module_utils.arn import iam_arn
from ansible_collections.netobs.flowlogs.plugins.module_utils.rules import parse_arn
from ansible_collections.netobs.flowlogs.plugins.module_utils.aws import AwsApiError
from ansible_collections.netobs.flowlogs.plugins.module_utils.iam import (
    IamResource,
    document_json,
    is_not_found,
    validate_policy_arn,
)
from ansible_collections.netobs.flowlogs.plugins.module_utils.options import Option, state_option
from ansible_collections.netobs.flowlogs.plugins.module_utils.policy import (
    document_as_dict,
    flow_logs_trust_policy,
    load_policy,
    policies_equal,
    validate_policy,
)
from ansible_collections.netobs.flowlogs.plugins.module_utils.resource import (
    Report,
    StepPlan,
    reported_result,
)
from ansible_collections.netobs.flowlogs.plugins.module_utils.tags import (
    compare_tags,
    dict_to_tag_list,
    is_owned,
    merged_tags,
    refuse_unowned,
    tag_list_to_dict,
    validate_tags,
    with_ownership,
)
from ansible_collections.netobs.flowlogs.plugins.module_utils.tags import desired_tags as tags_to_compare
from ansible_collections.netobs.flowlogs.plugins.module_utils.rules import (
    POLICY_NAME_MAX,
    ROLE_NAME_MAX,
    ValidationError,
    require_iam_description,
    require_iam_name,
    require_iam_path,
)

SESSION_DURATION_RANGE = (3600, 43200)
# Role wait: IAM is eventually consistent; a role counts as visible once GetRole has returned
# it (with the expected trust policy) this many times in a row.
WAIT_CONSECUTIVE_READS = 3
WAIT_INTERVAL_SECONDS = 1.0

# The iam_role module's options (IAM API reference: CreateRole, UpdateRole, UpdateAssumeRolePolicy,
# PutRolePermissionsBoundary, TagRole).
IAM_ROLE_OPTIONS = dict(
    name=Option("str", required=True, aws_key="RoleName"),
    path=Option("str", default="/", immutable=True, aws_key="Path"),
    description=Option("str", aws_key="Description"),
    trust_policy=Option("raw", aws_key="AssumeRolePolicyDocument"),
    confused_deputy_protection=Option("bool", default=True),
    managed_policies=Option("list", elements="str"),
    purge_policies=Option("bool", default=True),
    max_session_duration=Option("int", aws_key="MaxSessionDuration"),
    permissions_boundary=Option("str", aws_key="PermissionsBoundary"),
    tags=Option("dict", aws_key="Tags"),
    purge_tags=Option("bool", default=True),
    adopt=Option("bool", default=False),
    wait=Option("bool", default=True),
    wait_timeout=Option("int", default=120),
    state=state_option(),
)


class IamRoleResource(IamResource):
    """An IAM role: trust policy, managed policies, boundary, session length and tags."""

    kind = "role"
    # Policy ARNs the caller reads or creates itself in the same run (the target module's delivery
    # policy): not looked up again before they are attached.
    known_policy_arns = ()

    def validate(self):
        params = self.params
        self.name = require_iam_name("name", params["name"], ROLE_NAME_MAX)
        self.path = require_iam_path("path", params.get("path"))
        self.description = require_iam_description("description", params.get("description"))
        self.tags = validate_tags(params.get("tags"))
        self.trust_policy = None
        if params.get("trust_policy") is not None:
            if params.get("confused_deputy_protection") is False:
                raise ValidationError("confused_deputy_protection", "applies only to the default trust policy; "
                                      "with trust_policy given, write the conditions into it (or leave them out)")
            self.trust_policy = validate_policy(load_policy(params["trust_policy"], "trust_policy"),
                                                "trust_policy", kind="trust")
        duration = params.get("max_session_duration")
        if duration is not None and not SESSION_DURATION_RANGE[0] <= duration <= SESSION_DURATION_RANGE[1]:
            raise ValidationError("max_session_duration", "{0} seconds is out of range; use {1} to {2} (1 to 12 "
                                  "hours)".format(duration, *SESSION_DURATION_RANGE))
        boundary = params.get("permissions_boundary")
        if boundary:
            validate_policy_arn("permissions_boundary", boundary)
        self.policy_arns, self.policy_names = [], []
        for entry in params.get("managed_policies") or []:
            if entry.startswith("arn:"):
                validate_policy_arn("managed_policies", entry)
                bucket = self.policy_arns
            else:
                require_iam_name("managed_policies", entry, POLICY_NAME_MAX)
                bucket = self.policy_names
            if entry not in bucket:
                bucket.append(entry)
        if params.get("wait_timeout") is not None and params["wait_timeout"] < 1:
            raise ValidationError("wait_timeout", "must be at least 1 second, got {0}".format(params["wait_timeout"]))

    def read(self):
        try:
            role = self.iam("get_role", RoleName=self.name)["Role"]
        except AwsApiError as exc:
            if not is_not_found(exc):
                raise
            role = None
        current = None
        if role is not None:
            current = dict(role=role, trust=document_as_dict(role.get("AssumeRolePolicyDocument")),
                           tags=tag_list_to_dict(role.get("Tags")),
                           attached=self.session.paginate("iam", "list_attached_role_policies", "AttachedPolicies",
                                                          RoleName=self.name))
            current["inline"] = []
            # An owned role has no inline policy of ours or anyone's to look for; a role someone
            # else made (adopted or refused) and one to delete are searched for them.
            if self.params["state"] == "absent" or not is_owned(current["tags"]):
                current["inline"] = self.session.paginate("iam", "list_role_policies", "PolicyNames",
                                                          RoleName=self.name)
            if self.params["state"] == "absent":
                current["profiles"] = [p["InstanceProfileName"] for p in self.session.paginate(
                    "iam", "list_instance_profiles_for_role", "InstanceProfiles", RoleName=self.name)]
        if self.params["state"] == "present":
            self.desired_policy_arns = self._resolve_policy_arns()
            attached = set(p["PolicyArn"] for p in (current or {}).get("attached", []))
            self._require_policies_exist([arn for arn in self.policy_arns
                                         if arn not in attached and arn not in self.known_policy_arns])
            if self.trust_policy is None:
                self.trust_policy = self._default_trust(role)
        return current

    def _resolve_policy_arns(self):
        """ARNs of managed_policies; names cost one ListPolicies(Scope=Local), and only when given."""
        arns = list(self.policy_arns)
        if self.policy_names:
            local = {}
            for policy in self.session.paginate("iam", "list_policies", "Policies", Scope="Local"):
                local.setdefault(policy["PolicyName"], policy["Arn"])
            missing = [name for name in self.policy_names if name not in local]
            if missing:
                raise ValidationError("managed_policies", "no customer managed policy named {0} in this account; "
                                      "create it first, or give AWS managed policies by ARN "
                                      "(arn:aws:iam::aws:policy/NAME)".format(", ".join(missing)))
            arns += [local[name] for name in self.policy_names if local[name] not in arns]
        return arns

    def _require_policies_exist(self, arns):
        """GetPolicy on each policy ARN not attached yet, so a missing one fails before any change
        (AttachRolePolicy would fail only after the role was created)."""
        missing = []
        for arn in arns:
            try:
                self.iam("get_policy", PolicyArn=arn)
            except AwsApiError as exc:
                if not is_not_found(exc):
                    raise
                missing.append(arn)
        # Check mode predicts a play whose earlier tasks did not run (the enable role's policy task
        # creates the policy this role gets): a policy missing then is no error.
        if missing and not self.check_mode:
            raise ValidationError("managed_policies", "no managed policy {0} exists; create it first or fix the "
                                  "ARN (nothing was changed)".format(", ".join(missing)))

    def _default_trust(self, role):
        # The account and partition come from the role's own ARN when it exists, so a run on an
        # existing role needs no STS call.
        if role is not None:
            parts = parse_arn(role["Arn"])
            partition, account = parts["partition"], parts["account"]
        else:
            identity = self.session.caller_identity()
            partition, account = identity["partition"], identity["account"]
        protect = self.params.get("confused_deputy_protection")
        return flow_logs_trust_policy(partition, account, region=self.session.region_name,
                                      confused_deputy=protect is not False)

    def view(self, path, description, trust, policies, duration, boundary, tags):
        return dict(name=self.name, path=path, description=description or "", trust_policy=trust,
                    managed_policies=sorted(policies), max_session_duration=duration,
                    permissions_boundary=boundary or "", tags=tags or {})

    def plan(self, current):
        params = self.params
        if params["state"] == "absent":
            return self._plan_absent(current)
        duration = params.get("max_session_duration")
        boundary = params.get("permissions_boundary")
        if current is None:
            after = self.view(self.path, self.description, self.trust_policy, self.desired_policy_arns,
                              duration or 3600, boundary, with_ownership(self.tags))
            plan = StepPlan(before={}, after=after)
            plan.add("create role {0}".format(self.name), self._create)
            for arn in self.desired_policy_arns:
                plan.add("attach {0}".format(arn), self.iam, "attach_role_policy", RoleName=self.name, PolicyArn=arn)
            if params["wait"]:
                plan.add("wait until IAM returns the role consistently", self._wait)
            plan.predicted = dict(after, arn=None, role_id=None, owned=True, adopted=False,
                                  removed_trust_principals=[], removed_inline_policies=[])
            return plan

        role = current["role"]
        owned = is_owned(current["tags"])
        claim = owned or bool(params.get("adopt"))
        desired_tags = tags_to_compare(current["tags"], self.tags, claim)
        if role["Path"] != self.path:
            raise ValidationError("path", "role {0!r} exists with path {1!r}, not {2!r}; IAM cannot change a role's "
                                  "path - set path: {1} or delete and recreate the role".format(
                                      self.name, role["Path"], self.path))
        current_boundary = (role.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn", "")
        current_policies = [p["PolicyArn"] for p in current["attached"]]
        before = self.view(role["Path"], role.get("Description"), current["trust"], current_policies,
                           role.get("MaxSessionDuration"), current_boundary, current["tags"])
        plan = StepPlan(before=before)
        update = {}
        if self.description is not None and self.description != (role.get("Description") or ""):
            update["Description"] = self.description
        if duration is not None and duration != role.get("MaxSessionDuration"):
            update["MaxSessionDuration"] = duration
        if update:
            plan.add("update role {0}".format(", ".join(sorted(update))), self.iam, "update_role",
                     RoleName=self.name, **update)
        trust_changes = not policies_equal(current["trust"], self.trust_policy)
        if trust_changes:
            plan.add("update the trust policy", self.iam, "update_assume_role_policy", RoleName=self.name,
                     PolicyDocument=document_json(self.trust_policy))
        if boundary is not None and boundary != current_boundary:
            if boundary:
                plan.add("set permissions boundary {0}".format(boundary), self.iam, "put_role_permissions_boundary",
                         RoleName=self.name, PermissionsBoundary=boundary)
            else:
                plan.add("remove the permissions boundary", self.iam, "delete_role_permissions_boundary",
                         RoleName=self.name)
        removed_principals = []
        if trust_changes:
            wanted = trust_principals(self.trust_policy)
            removed_principals = [p for p in trust_principals(current["trust"]) if p not in wanted]
        # The role the flow-logs service assumes must hold no grant the run does not know of: an
        # adopted role loses its inline policies (an owned one was never searched for them).
        removed_inline = [] if owned else list(current["inline"])
        for name in removed_inline:
            plan.add("delete inline policy {0}".format(name), self.iam_absent_ok, "delete_role_policy",
                     RoleName=self.name, PolicyName=name)
        to_set, to_remove = compare_tags(current["tags"], desired_tags, params["purge_tags"])
        if to_set:
            plan.add("tag role: {0}".format(", ".join(sorted(to_set))), self.iam, "tag_role", RoleName=self.name,
                     Tags=dict_to_tag_list(to_set))
        if to_remove:
            plan.add("untag role: {0}".format(", ".join(to_remove)), self.iam, "untag_role", RoleName=self.name,
                     TagKeys=to_remove)
        policies_after = list(current_policies)
        for arn in self.desired_policy_arns:
            if arn not in current_policies:
                plan.add("attach {0}".format(arn), self.iam, "attach_role_policy", RoleName=self.name, PolicyArn=arn)
                policies_after.append(arn)
        if params["purge_policies"] and params.get("managed_policies") is not None:
            for arn in current_policies:
                if arn not in self.desired_policy_arns:
                    plan.add("detach {0}".format(arn), self.iam_absent_ok, "detach_role_policy", RoleName=self.name,
                             PolicyArn=arn)
                    policies_after.remove(arn)
        if trust_changes and params["wait"]:
            plan.add("wait until IAM returns the new trust policy consistently", self._wait)
        plan.after = self.view(role["Path"], update.get("Description", role.get("Description")),
                               self.trust_policy if trust_changes else current["trust"], policies_after,
                               update.get("MaxSessionDuration", role.get("MaxSessionDuration")),
                               current_boundary if boundary is None else boundary,
                               merged_tags(current["tags"], desired_tags, params["purge_tags"]))
        if not claim and plan.steps:
            differences = list(plan.descriptions)
            if removed_principals:
                differences.append("the trust policy would no longer trust {0}".format(", ".join(removed_principals)))
            if update.get("Description") is not None:
                differences.append("description {0!r} would become {1!r}".format(role.get("Description") or "",
                                                                                 update["Description"]))
            refuse_unowned("role", self.name, differences)
        plan.predicted = dict(plan.after, arn=role["Arn"], role_id=role["RoleId"], owned=claim,
                              adopted=claim and not owned, removed_trust_principals=removed_principals,
                              removed_inline_policies=removed_inline)
        return plan

    def _plan_absent(self, current):
        if current is None:
            return StepPlan(before={}, after={})
        role = current["role"]
        plan = StepPlan(before=self.view(role["Path"], role.get("Description"), current["trust"],
                                         [p["PolicyArn"] for p in current["attached"]], role.get("MaxSessionDuration"),
                                         (role.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn"),
                                         current["tags"]), after={})
        for policy in current["attached"]:
            plan.add("detach {0}".format(policy["PolicyArn"]), self.iam_absent_ok, "detach_role_policy",
                     RoleName=self.name, PolicyArn=policy["PolicyArn"])
        for name in current["inline"]:
            plan.add("delete inline policy {0}".format(name), self.iam_absent_ok, "delete_role_policy",
                     RoleName=self.name, PolicyName=name)
        for profile in current["profiles"]:
            plan.add("remove from instance profile {0}".format(profile), self.iam_absent_ok,
                     "remove_role_from_instance_profile", InstanceProfileName=profile, RoleName=self.name)
        plan.add("delete role {0}".format(self.name), self.iam_absent_ok, "delete_role", RoleName=self.name)
        return plan

    def _create(self):
        kwargs = dict(RoleName=self.name, Path=self.path, AssumeRolePolicyDocument=document_json(self.trust_policy))
        if self.description:
            kwargs["Description"] = self.description
        if self.params.get("max_session_duration") is not None:
            kwargs["MaxSessionDuration"] = self.params["max_session_duration"]
        if self.params.get("permissions_boundary"):
            kwargs["PermissionsBoundary"] = self.params["permissions_boundary"]
        kwargs["Tags"] = dict_to_tag_list(with_ownership(self.tags))
        role = self.iam("create_role", **kwargs)["Role"]
        return Report(arn=role["Arn"], role_id=role["RoleId"])

    def _wait(self):
        """Poll GetRole until it returns the role, with the trust policy we set, N times in a row.

        GetRole cannot prove a service can assume the role yet (IAM has no such signal), but N
        consistent answers in a row outlast the usual replication lag between IAM endpoints.
        """
        timeout = self.params.get("wait_timeout") or 120
        deadline = time.time() + timeout
        streak = reads = 0
        while True:
            reads += 1
            try:
                role = self.iam("get_role", RoleName=self.name)["Role"]
                consistent = policies_equal(document_as_dict(role.get("AssumeRolePolicyDocument")), self.trust_policy)
            except AwsApiError as exc:
                if not is_not_found(exc):
                    raise
                consistent = False
            streak = streak + 1 if consistent else 0
            if streak >= WAIT_CONSECUTIVE_READS:
                return reads
            if time.time() + WAIT_INTERVAL_SECONDS > deadline:
                raise AwsApiError(
                    "role {0} was changed but IAM did not return it consistently {1} times in a row within "
                    "wait_timeout={2} seconds ({3} GetRole calls); raise wait_timeout or re-run".format(
                        self.name, WAIT_CONSECUTIVE_READS, timeout, reads),
                    operation="GetRole", code="WaitTimeout")
            time.sleep(WAIT_INTERVAL_SECONDS)

    def result(self, plan, reports):
        if not plan.predicted:
            return dict(role={})
        final = reported_result(plan.predicted, reports)
        if final["arn"] is None:  # check mode create: the ARN IAM will assign
            identity = self.session.caller_identity()
            final["arn"] = iam_arn(identity["partition"], identity["account"], "role", self.name, self.path)
        return dict(role=dict(
            arn=final["arn"], role_id=final["role_id"], name=self.name, path=final["path"],
            description=final["description"], trust_policy=final["trust_policy"],
            attached_policies=final["managed_policies"], max_session_duration=final["max_session_duration"],
            permissions_boundary=final["permissions_boundary"], tags=final["tags"],
            owned=final["owned"], adopted=final["adopted"],
            removed_trust_principals=final["removed_trust_principals"],
            removed_inline_policies=final["removed_inline_policies"],
        ))


def trust_principals(document):
    """The principals a trust policy's Allow statements name, as sorted "Kind:value" strings."""
    found = set()
    statements = (document or {}).get("Statement") or []
    for statement in [statements] if isinstance(statements, dict) else statements:
        if not isinstance(statement, dict) or statement.get("Effect") != "Allow":
            continue
        principal = statement.get("Principal")
        if principal == "*":
            found.add("AWS:*")
        elif isinstance(principal, dict):
            for kind, values in principal.items():
                for value in [values] if isinstance(values, str) else values or []:
                    found.add("{0}:{1}".format(kind, value))
    return sorted(found)
