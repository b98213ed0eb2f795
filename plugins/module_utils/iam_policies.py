# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The customer managed policy (read once -> plan -> apply): document versions, tags, attachments."""

import re

from ansible.module_utils.common.warnings import warn

from ansible_collections.netobs.flowlogs.plugins.module_utils.arn import iam_arn
from ansible_collections.netobs.flowlogs.plugins.module_utils.aws import AwsApiError
from ansible_collections.netobs.flowlogs.plugins.module_utils.iam import (
    IamResource,
    document_json,
    is_not_found,
)
from ansible_collections.netobs.flowlogs.plugins.module_utils.options import Option, state_option
from ansible_collections.netobs.flowlogs.plugins.module_utils.policy import (
    document_as_dict,
    load_policy,
    merge_statement_resources,
    missing_resources,
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
    ValidationError,
    require_iam_description,
    require_iam_name,
    require_iam_path,
)

POLICY_VERSION_LIMIT = 5

# The iam_policy module's options (IAM API reference: CreatePolicy, CreatePolicyVersion, TagPolicy).
IAM_POLICY_OPTIONS = dict(
    name=Option("str", required=True, aws_key="PolicyName"),
    path=Option("str", default="/", immutable=True, aws_key="Path"),
    description=Option("str", immutable=True, aws_key="Description"),
    policy=Option("raw", aws_key="PolicyDocument"),
    merge_resources=Option("bool", default=False),
    tags=Option("dict", aws_key="Tags"),
    purge_tags=Option("bool", default=True),
    adopt=Option("bool", default=False),
    state=state_option(),
)
# How often iam_policy writes again when a concurrent run's version lost resources it merged.
MERGE_ATTEMPTS = 3


class IamPolicyResource(IamResource):
    """A customer managed policy: document versions, tags and attachments."""

    kind = "policy"

    def validate(self):
        params = self.params
        self.name = require_iam_name("name", params["name"], POLICY_NAME_MAX)
        self.path = require_iam_path("path", params.get("path"))
        self.description = require_iam_description("description", params.get("description"))
        self.tags = validate_tags(params.get("tags"))
        self.document = None
        self.merged = {}
        self._read_versions = []
        if params["state"] == "present":
            if params.get("policy") is None:
                raise ValidationError("policy", "is required when state is present")
            self.document = validate_policy(load_policy(params["policy"], "policy"), "policy")

    def read(self):
        identity = self.session.caller_identity()
        self.arn = iam_arn(identity["partition"], identity["account"], "policy", self.name, self.path)
        try:
            policy = self.iam("get_policy", PolicyArn=self.arn)["Policy"]
        except AwsApiError as exc:
            if not is_not_found(exc):
                raise
            self._refuse_other_path()
            return None
        version = self.iam("get_policy_version", PolicyArn=self.arn,
                           VersionId=policy["DefaultVersionId"])["PolicyVersion"]
        current = dict(policy=policy, document=document_as_dict(version["Document"]),
                       tags=tag_list_to_dict(policy.get("Tags")), versions=[], entities={})
        self.merged = {}
        if self.params["state"] == "present" and self.params.get("merge_resources") and is_owned(current["tags"]):
            # Keep what other runs added (say another region's log group): an adopted policy is
            # replaced once, an owned one only grows.
            self.document, self.merged = merge_statement_resources(current["document"], self.document)
        if self.params["state"] == "absent":
            current["versions"] = self._versions()
            current["entities"] = self._entities()
        elif not policies_equal(current["document"], self.document):
            current["versions"] = self._versions()
        self._read_versions = current["versions"]
        return current

    def _refuse_other_path(self):
        # Policy names are unique in an account whatever the path, and a path cannot change:
        # say so instead of failing later with EntityAlreadyExists.
        for policy in self.session.paginate("iam", "list_policies", "Policies", Scope="Local"):
            if policy["PolicyName"] == self.name and policy["Path"] != self.path:
                raise ValidationError("path", "policy {0!r} exists with path {1!r}, not {2!r}; IAM cannot change a "
                                              "policy's path - set path: {1} or delete and recreate the policy".format(
                                                  self.name, policy["Path"], self.path))

    def _versions(self):
        return self.session.paginate("iam", "list_policy_versions", "Versions", PolicyArn=self.arn)

    def _entities(self):
        client = self.session.client("iam")
        entities = dict(roles=[], users=[], groups=[])
        try:
            for page in client.get_paginator("list_entities_for_policy").paginate(PolicyArn=self.arn):
                entities["roles"] += [r["RoleName"] for r in page.get("PolicyRoles", [])]
                entities["users"] += [u["UserName"] for u in page.get("PolicyUsers", [])]
                entities["groups"] += [g["GroupName"] for g in page.get("PolicyGroups", [])]
        except Exception as exc:  # botocore errors only; turned into one readable AwsApiError
            raise self.session.error(exc, "ListEntitiesForPolicy")
        return entities

    def view(self, description, document, tags, version_id=None):
        """What diff mode shows: the properties a person sets, the document as a dict."""
        view = dict(name=self.name, path=self.path, description=description or "", document=document,
                    tags=tags or {})
        if version_id:
            view["default_version_id"] = version_id
        return view

    def plan(self, current):
        if self.params["state"] == "absent":
            return self._plan_absent(current)
        if current is None:
            tags = with_ownership(self.tags)
            plan = StepPlan(before={}, after=self.view(self.description, self.document, tags),
                            predicted=dict(document=self.document, tags=tags, version_id="v1",
                                           description=self.description, policy=None, owned=True, adopted=False,
                                           merged_resources={}))
            plan.add("create policy {0}".format(self.arn), self._create)
            return plan
        policy = current["policy"]
        owned = is_owned(current["tags"])
        claim = owned or bool(self.params.get("adopt"))
        desired_tags = tags_to_compare(current["tags"], self.tags, claim)
        existing_description = policy.get("Description") or ""
        if self.description is not None and self.description != existing_description:
            # IAM cannot change a description and it grants nothing: a different one is no reason
            # to fail a run for good (the enable role always passes its own).
            warn("description: the existing policy {0} has the description {1!r}, not {2!r}; IAM cannot change a "
                 "policy's description, so it is left as it is (delete and recreate the policy to change "
                 "it)".format(self.arn, existing_description, self.description))
        to_set, to_remove = compare_tags(current["tags"], desired_tags, self.params["purge_tags"])
        tags_after = merged_tags(current["tags"], desired_tags, self.params["purge_tags"])
        document_changes = not policies_equal(current["document"], self.document)
        after_document = self.document if document_changes else current["document"]
        plan = StepPlan(before=self.view(existing_description, current["document"], current["tags"]),
                        after=self.view(existing_description, after_document, tags_after))
        version_id = policy["DefaultVersionId"]
        if document_changes:
            versions = current["versions"]
            if len(versions) >= POLICY_VERSION_LIMIT:
                oldest = oldest_non_default_version(versions)
                plan.add("delete the oldest non-default version {0} (a policy holds at most {1})".format(
                    oldest, POLICY_VERSION_LIMIT), self.iam_absent_ok, "delete_policy_version", PolicyArn=self.arn,
                    VersionId=oldest)
            plan.add("create a new default version of the policy document", self._new_version)
            version_id = None  # known after apply
        if to_set:
            plan.add("tag policy: {0}".format(", ".join(sorted(to_set))), self.iam, "tag_policy",
                     PolicyArn=self.arn, Tags=dict_to_tag_list(to_set))
        if to_remove:
            plan.add("untag policy: {0}".format(", ".join(to_remove)), self.iam, "untag_policy",
                     PolicyArn=self.arn, TagKeys=to_remove)
        if not claim and plan.steps:
            differences = list(plan.descriptions)
            if document_changes:
                differences.append("document now {0}, wanted {1}".format(
                    document_json(current["document"]), document_json(self.document)))
            refuse_unowned("policy", self.arn, differences)
        plan.predicted = dict(document=after_document, tags=tags_after, version_id=version_id,
                              description=existing_description, policy=policy, owned=claim,
                              adopted=claim and not owned, merged_resources=self.merged)
        return plan

    def _plan_absent(self, current):
        if current is None:
            return StepPlan(before={}, after={})
        plan = StepPlan(before=self.view(current["policy"].get("Description"), current["document"], current["tags"]),
                        after={})
        entities = current["entities"]
        for role in entities["roles"]:
            plan.add("detach from role {0}".format(role), self.iam_absent_ok, "detach_role_policy",
                     RoleName=role, PolicyArn=self.arn)
        for user in entities["users"]:
            plan.add("detach from user {0}".format(user), self.iam_absent_ok, "detach_user_policy",
                     UserName=user, PolicyArn=self.arn)
        for group in entities["groups"]:
            plan.add("detach from group {0}".format(group), self.iam_absent_ok, "detach_group_policy",
                     GroupName=group, PolicyArn=self.arn)
        for version in current["versions"]:
            if not version.get("IsDefaultVersion"):
                plan.add("delete version {0}".format(version["VersionId"]), self.iam_absent_ok,
                         "delete_policy_version", PolicyArn=self.arn, VersionId=version["VersionId"])
        plan.add("delete policy {0}".format(self.arn), self.iam_absent_ok, "delete_policy", PolicyArn=self.arn)
        return plan

    def _create(self):
        kwargs = dict(PolicyName=self.name, Path=self.path, PolicyDocument=document_json(self.document))
        if self.description:
            kwargs["Description"] = self.description
        kwargs["Tags"] = dict_to_tag_list(with_ownership(self.tags))
        policy = self.iam("create_policy", **kwargs)["Policy"]
        return Report(version_id=policy["DefaultVersionId"], policy=policy)

    def _new_version(self):
        version = self.iam("create_policy_version", PolicyArn=self.arn, PolicyDocument=document_json(self.document),
                           SetAsDefault=True)["PolicyVersion"]
        if self.params.get("merge_resources"):
            return self._merge_concurrent_versions(version["VersionId"])
        return Report(version_id=version["VersionId"])

    def _merge_concurrent_versions(self, version_id):
        """Write again while a version made by a concurrent run (another region of the account, read
        before our write landed) holds resources ours lacks: the last writer then holds them all.

        Versions present when this run read the policy were merged already; a version created
        since, by someone else, was made from a read that missed ours, and vice versa.
        """
        known = set(v["VersionId"] for v in self._read_versions) | set([version_id])
        for _attempt in range(MERGE_ATTEMPTS):
            versions = self._versions()
            lost = {}
            for entry in versions:
                if entry["VersionId"] in known:
                    continue
                known.add(entry["VersionId"])
                try:
                    other = self.iam("get_policy_version", PolicyArn=self.arn,
                                     VersionId=entry["VersionId"])["PolicyVersion"]
                except AwsApiError as exc:
                    if not is_not_found(exc):  # deleted by its writer's own limit handling: merged there
                        raise
                    continue
                for sid, resources in missing_resources(self.document, document_as_dict(other["Document"])).items():
                    lost.setdefault(sid, []).extend(resources)
            if not lost:
                return Report(version_id=version_id, document=self.document)
            for sid, resources in lost.items():
                self.merged.setdefault(sid, [])
                self.merged[sid] = sorted(set(self.merged[sid] + resources))
            self.document = _with_resources(self.document, lost)
            if len(versions) >= POLICY_VERSION_LIMIT:
                oldest = oldest_non_default_version(versions)
                if oldest:
                    self.iam_absent_ok("delete_policy_version", PolicyArn=self.arn, VersionId=oldest)
            version = self.iam("create_policy_version", PolicyArn=self.arn,
                               PolicyDocument=document_json(self.document), SetAsDefault=True)
            version_id = version["PolicyVersion"]["VersionId"]
            known.add(version_id)
        return Report(version_id=version_id, document=self.document)

    def result(self, plan, reports):
        if not plan.predicted:
            return dict(policy={})
        predicted = reported_result(plan.predicted, reports)
        policy = predicted["policy"] or {}
        return dict(policy=dict(
            arn=self.arn,
            name=self.name,
            path=self.path,
            policy_id=policy.get("PolicyId"),
            description=predicted["description"] or "",
            default_version_id=predicted["version_id"],
            document=predicted["document"],
            tags=predicted["tags"],
            owned=predicted["owned"],
            adopted=predicted["adopted"],
            merged_resources=predicted["merged_resources"],
        ))


def _with_resources(document, extra):
    """``document`` with ``extra`` ({Sid: [resources]}) added to the statements of those Sids."""
    statements = []
    for statement in document["Statement"]:
        statement = dict(statement)
        sid = statement.get("Sid")
        if sid in extra:
            current = statement.get("Resource")
            current = [current] if isinstance(current, str) else list(current or [])
            statement["Resource"] = sorted(set(current + extra[sid]))
        statements.append(statement)
    return dict(document, Statement=statements)


def oldest_non_default_version(versions):
    """The VersionId IAM should drop to make room: the oldest one that is not the default."""
    candidates = [v for v in versions if not v.get("IsDefaultVersion")]
    if not candidates:
        return None

    def age(version):
        # CreateDate may be equal to the second; the version number breaks ties (it only grows).
        number = re.sub(r"\D", "", version["VersionId"]) or "0"
        return (str(version.get("CreateDate", "")), int(number))

    return min(candidates, key=age)["VersionId"]
