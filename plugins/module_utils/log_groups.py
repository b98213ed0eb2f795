# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The CloudWatch Logs log group resource: retention, KMS key, class and tags (read -> plan -> apply)."""

from ansible_collections.netobs.flowlogs.plugins.module_utils.arn import log_group_arn, strip_log_group_suffix
from ansible_collections.netobs.flowlogs.plugins.module_utils.aws import AwsApiError
from ansible_collections.netobs.flowlogs.plugins.module_utils.options import Option, state_option
from ansible_collections.netobs.flowlogs.plugins.module_utils.resource import Resource, StepPlan
from ansible_collections.netobs.flowlogs.plugins.module_utils.tags import (
    compare_tags,
    is_owned,
    merged_tags,
    refuse_unowned,
    validate_tags,
    with_ownership,
)
from ansible_collections.netobs.flowlogs.plugins.module_utils.tags import desired_tags as tags_to_compare
from ansible_collections.netobs.flowlogs.plugins.module_utils.rules import (
    ValidationError,
    require_choice,
    require_kms_key_arn,
    require_log_group_name,
)

# Every value PutRetentionPolicy accepts (CloudWatch Logs API reference, PutRetentionPolicy).
RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
                  3288, 3653)
# retention_days: 0 asks for "never expire" (no retention policy at all).
NEVER_EXPIRE = 0
LOG_GROUP_CLASSES = ("STANDARD", "INFREQUENT_ACCESS")
DEFAULT_CLASS = "STANDARD"
NOT_FOUND = "ResourceNotFoundException"

# The log_group module's options (CloudWatch Logs API reference: CreateLogGroup, PutRetentionPolicy,
# AssociateKmsKey, TagResource).
LOG_GROUP_OPTIONS = dict(
    name=Option("str", required=True, aws_key="logGroupName"),
    retention_days=Option("int", aws_key="retentionInDays"),
    kms_key_id=Option("str", aws_key="kmsKeyId"),
    log_group_class=Option("str", choices=LOG_GROUP_CLASSES, immutable=True, aws_key="logGroupClass"),
    tags=Option("dict", aws_key="tags"),
    purge_tags=Option("bool", default=True),
    adopt=Option("bool", default=False),
    state=state_option(),
)


def validate_retention(value, param="retention_days"):
    if value is None or value == NEVER_EXPIRE:
        return value
    if value not in RETENTION_DAYS:
        raise ValidationError(param, "{0} days is not a retention CloudWatch Logs accepts; use 0 for never "
                                     "expire or one of the listed values".format(value), allowed=RETENTION_DAYS)
    return value


def retention_text(days):
    return "never expire" if not days else "{0} days".format(days)


class LogGroupResource(Resource):
    def validate(self):
        params = self.params
        self.name = params["name"]
        require_log_group_name("name", self.name)
        self.retention = validate_retention(params.get("retention_days"))
        self.kms_key_id = require_kms_key_arn("kms_key_id", params.get("kms_key_id"), self.session.region_name)
        self.log_group_class = params.get("log_group_class")
        if self.log_group_class is not None:
            require_choice("log_group_class", self.log_group_class, LOG_GROUP_CLASSES)
        self.tags = validate_tags(params.get("tags"))

    def logs(self, operation, **kwargs):
        return self.session.call("logs", operation, **kwargs)

    def read(self):
        """The group by exact name: one DescribeLogGroups (names sort first among their prefix matches)."""
        kwargs = dict(logGroupNamePrefix=self.name)
        while True:
            page = self.logs("describe_log_groups", **kwargs)
            for group in page.get("logGroups", []):
                if group["logGroupName"] == self.name:
                    tags = self.logs("list_tags_for_resource",
                                     resourceArn=strip_log_group_suffix(group["arn"]))["tags"]
                    return dict(group=group, tags=tags or {})
            if not page.get("nextToken"):
                return None
            kwargs["nextToken"] = page["nextToken"]

    @staticmethod
    def view(name, retention, kms_key_id, log_group_class, tags):
        return dict(name=name, retention=retention_text(retention), kms_key_id=kms_key_id or "",
                    log_group_class=log_group_class, tags=tags or {})

    def plan(self, current):
        params = self.params
        if params["state"] == "absent":
            if current is None:
                return StepPlan(before={}, after={})
            group = current["group"]
            plan = StepPlan(before=self.view(self.name, group.get("retentionInDays"), group.get("kmsKeyId"),
                                             group.get("logGroupClass", DEFAULT_CLASS), current["tags"]), after={})
            plan.add("delete log group {0}".format(self.name), self._delete)
            return plan
        if current is None:
            tags = with_ownership(self.tags)
            final = dict(group=None, retention=self.retention or None, kms_key_id=self.kms_key_id or None,
                         log_group_class=self.log_group_class or DEFAULT_CLASS, tags=tags, owned=True, adopted=False)
            plan = StepPlan(before={}, after=self.view(self.name, final["retention"], self.kms_key_id,
                                                       final["log_group_class"], tags), predicted=final)
            plan.add("create log group {0}".format(self.name), self._create)
            if self.retention:
                plan.add("set retention to {0} days".format(self.retention), self.logs, "put_retention_policy",
                         logGroupName=self.name, retentionInDays=self.retention)
            return plan

        group = current["group"]
        owned = is_owned(current["tags"])
        # An owned group (or one the user lets the run adopt) gets the ownership tag kept or added; a
        # group someone else made is compared without it, and changed only with adopt.
        claim = owned or bool(params.get("adopt"))
        desired_tags = tags_to_compare(current["tags"], self.tags, claim)
        current_class = group.get("logGroupClass", DEFAULT_CLASS)
        if self.log_group_class is not None and self.log_group_class != current_class:
            raise ValidationError("log_group_class", "the existing log group {0} is {1}; CloudWatch Logs cannot "
                                  "change a log group's class - leave it out, set {1}, or delete and recreate "
                                  "the group".format(self.name, current_class))
        current_retention = group.get("retentionInDays")
        current_key = group.get("kmsKeyId")
        arn = strip_log_group_suffix(group["arn"])
        plan = StepPlan(before=self.view(self.name, current_retention, current_key, current_class, current["tags"]))
        retention = current_retention
        if self.retention == NEVER_EXPIRE and current_retention:
            plan.add("remove the retention policy (never expire)", self.logs, "delete_retention_policy",
                     logGroupName=self.name)
            retention = None
        elif self.retention and self.retention != current_retention:
            plan.add("set retention to {0} days".format(self.retention), self.logs, "put_retention_policy",
                     logGroupName=self.name, retentionInDays=self.retention)
            retention = self.retention
        key = current_key
        if self.kms_key_id == "" and current_key:
            plan.add("disassociate KMS key {0}".format(current_key), self.logs, "disassociate_kms_key",
                     logGroupName=self.name)
            key = None
        elif self.kms_key_id and self.kms_key_id != current_key:
            plan.add("associate KMS key {0}".format(self.kms_key_id), self.logs, "associate_kms_key",
                     logGroupName=self.name, kmsKeyId=self.kms_key_id)
            key = self.kms_key_id
        to_set, to_remove = compare_tags(current["tags"], desired_tags, params["purge_tags"])
        if to_set:
            plan.add("tag log group: {0}".format(", ".join(sorted(to_set))), self.logs, "tag_resource",
                     resourceArn=arn, tags=to_set)
        if to_remove:
            plan.add("untag log group: {0}".format(", ".join(to_remove)), self.logs, "untag_resource",
                     resourceArn=arn, tagKeys=to_remove)
        if not claim and plan.steps:
            refuse_unowned("log group", self.name, plan.descriptions + [
                "(now: retention {0}, KMS key {1}, tags {2})".format(retention_text(current_retention),
                                                                     current_key or "none", current["tags"])])
        tags = merged_tags(current["tags"], desired_tags, params["purge_tags"])
        plan.after = self.view(self.name, retention, key, current_class, tags)
        plan.predicted = dict(group=group, retention=retention, kms_key_id=key, log_group_class=current_class,
                              tags=tags, owned=claim, adopted=claim and not owned)
        return plan

    def _create(self):
        kwargs = dict(logGroupName=self.name)
        if self.kms_key_id:
            kwargs["kmsKeyId"] = self.kms_key_id
        kwargs["tags"] = with_ownership(self.tags)
        if self.log_group_class:
            kwargs["logGroupClass"] = self.log_group_class
        self.logs("create_log_group", **kwargs)

    def _delete(self):
        try:
            self.logs("delete_log_group", logGroupName=self.name)
        except AwsApiError as exc:
            if exc.code != NOT_FOUND:  # already gone is what we wanted
                raise

    def failure_hint(self, exc):
        if exc.code == NOT_FOUND:
            return "the log group was deleted by someone else after this task read it - re-run the task"
        return None

    def result(self, plan, reports):
        final = plan.predicted  # the group's state after the steps
        if not final:
            return dict(log_group={})
        group = final["group"]
        if group is not None:
            arn = strip_log_group_suffix(group["arn"])
        else:
            identity = self.session.caller_identity()
            arn = log_group_arn(identity["partition"], self.session.region_name, identity["account"], self.name)
        return dict(log_group=dict(
            name=self.name,
            arn=arn,
            arn_with_streams=arn + ":*",
            retention_days=final["retention"],
            kms_key_id=final["kms_key_id"],
            log_group_class=final["log_group_class"],
            tags=final["tags"],
            owned=final["owned"],
            adopted=final["adopted"],
        ))
