# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One target - an account and region - converged in one module run (plugins/modules/flow_logs_target.py).

The log group, the delivery policy, the delivery role and the flow logs of every chosen resource are
the resources of log_groups.py, iam_policies.py, iam_roles.py and flow_logs/, composed: all of them
are validated, read and planned before the first change (a target that would fail at its flow logs
changes nothing), then applied in the order AWS needs - the group the policy names, the policy the
role attaches, the role the flow logs use. The ARN each part needs of the one before is built from
the account and the names (arn.py), so check mode plans the whole target with zero mutating calls.
"""

import contextlib

from ansible_collections.netobs.flowlogs.plugins.module_utils import ec2_resources
from ansible_collections.netobs.flowlogs.plugins.module_utils.arn import iam_arn, log_group_arn
from ansible_collections.netobs.flowlogs.plugins.module_utils.flow_logs.config import build_desired
from ansible_collections.netobs.flowlogs.plugins.module_utils.flow_logs.coverage import coverage_resources
from ansible_collections.netobs.flowlogs.plugins.module_utils.flow_logs.options import (
    CLOUDWATCH,
    DEFAULT_RESOURCE_TYPE,
    DESTINATION_TYPES,
    FLOW_LOG_OPTIONS,
    RESOURCE_TYPES,
)
from ansible_collections.netobs.flowlogs.plugins.module_utils.flow_logs.planning import OUTCOMES, flow_log_tags
from ansible_collections.netobs.flowlogs.plugins.module_utils.flow_logs.resource import FlowLogResource
from ansible_collections.netobs.flowlogs.plugins.module_utils.iam_policies import IamPolicyResource
from ansible_collections.netobs.flowlogs.plugins.module_utils.iam_roles import IamRoleResource
from ansible_collections.netobs.flowlogs.plugins.module_utils.log_groups import LOG_GROUP_OPTIONS, LogGroupResource
from ansible_collections.netobs.flowlogs.plugins.module_utils.options import Option
from ansible_collections.netobs.flowlogs.plugins.module_utils.policy import (
    ANY_LOG_GROUP,
    flow_logs_delivery_policy,
    flow_logs_trust_policy,
)
from ansible_collections.netobs.flowlogs.plugins.module_utils.resource import (
    Resource,
    ResourceFailure,
    StepPlan,
)
from ansible_collections.netobs.flowlogs.plugins.module_utils.rules import (
    TRANSIT_GATEWAY_RESOURCE_TYPES,
    ValidationError,
    require_tag_filter,
)

POLICY_SCOPES = ("log_groups", "any")
POLICY_DESCRIPTION = "Lets VPC Flow Logs deliver records to CloudWatch Logs (netobs.flowlogs)"
ROLE_DESCRIPTION = "Assumed by VPC Flow Logs to deliver records to CloudWatch Logs (netobs.flowlogs)"
# A concurrent run of another region of the account (or an overlapping schedule) created it first:
# read it again and go on from there.
ALREADY_EXISTS = ("EntityAlreadyExists", "ResourceAlreadyExistsException")
CREATE_ATTEMPTS = 3

TARGET_OPTIONS = dict(
    resource_type=Option("str", default=DEFAULT_RESOURCE_TYPE, choices=RESOURCE_TYPES),
    resource_ids=Option("list", elements="str"),
    exclude_ids=Option("list", elements="str", default=[]),
    exclude_tags=Option("dict", default={}),
    skip_default_vpc=Option("bool", default=False),
    traffic_type=FLOW_LOG_OPTIONS["traffic_type"],
    destination_type=Option("str", default=CLOUDWATCH, choices=DESTINATION_TYPES),
    destination_arn=FLOW_LOG_OPTIONS["destination_arn"],
    destination_options=FLOW_LOG_OPTIONS["destination_options"],
    max_aggregation_interval=FLOW_LOG_OPTIONS["max_aggregation_interval"],
    log_format=FLOW_LOG_OPTIONS["log_format"],
    flow_log_name=Option("str"),
    on_change=FLOW_LOG_OPTIONS["on_change"],
    role_propagation_timeout=FLOW_LOG_OPTIONS["role_propagation_timeout"],
    log_group_name=Option("str", default="/vpc/flow-logs"),
    retention_days=LOG_GROUP_OPTIONS["retention_days"],
    kms_key_id=LOG_GROUP_OPTIONS["kms_key_id"],
    log_group_class=LOG_GROUP_OPTIONS["log_group_class"],
    policy_name=Option("str", default="flowlog"),
    role_name=Option("str", default="vpcflowlog"),
    iam_path=Option("str", default="/"),
    policy_resource_scope=Option("str", default="log_groups", choices=POLICY_SCOPES),
    confused_deputy_protection=Option("bool", default=True),
    tags=Option("dict"),
    purge_tags=Option("bool", default=True),
    adopt=Option("bool", default=False),
    option_names=Option("dict"),
)

# How each part names its options in this module (a part's ValidationError is re-raised under them).
PART_OPTIONS = dict(
    log_group=dict(name="log_group_name"),
    policy=dict(name="policy_name", path="iam_path", policy="policy_resource_scope"),
    role=dict(name="role_name", path="iam_path", trust_policy="confused_deputy_protection"),
    flow_logs=dict(log_group="log_group_name"),
)
PARTS = ("log_group", "policy", "role", "flow_logs")


class Part:
    """One resource of the target, with what it read and planned (and, after apply, did)."""

    def __init__(self, name, resource):
        self.name = name
        self.resource = resource
        self.current = None
        self.plan = None
        self.reports = None


class TargetResource(Resource):

    def option(self, name):
        """How a message names option ``name``: the role variable when a role passed ``option_names``."""
        return (self.params.get("option_names") or {}).get(name) or name

    @contextlib.contextmanager
    def named(self, part):
        """A part's ValidationError under this module's (or the calling role's) option name."""
        try:
            yield
        except ValidationError as exc:
            own = PART_OPTIONS[part].get(exc.param, exc.param)
            name = exc.param if part == "flow_logs" else self.option(own)
            if name == exc.param:
                raise
            raise ValidationError(name, exc.problem, exc.allowed)

    # -- validate: every option, before any AWS call but the caller identity --------------------
    def validate(self):
        params = self.params
        self.cloudwatch = params["destination_type"] == CLOUDWATCH
        ids = params.get("resource_ids")
        excludes = params["exclude_ids"] or params["exclude_tags"] or params["skip_default_vpc"]
        self.discover = ids is None or bool(excludes)
        if ids is not None:
            ids = ec2_resources.validate_resource_ids(params["resource_type"], ids, self.option("resource_ids"))
        self.given_ids = ids
        ec2_resources.require_ids_of_types(self.option("exclude_ids"), params["exclude_ids"])
        if params["exclude_tags"]:
            require_tag_filter(self.option("exclude_tags"), params["exclude_tags"])
        if params["skip_default_vpc"] and params["resource_type"] in TRANSIT_GATEWAY_RESOURCE_TYPES:
            raise ValidationError(self.option("skip_default_vpc"), "applies to VPCs, subnets and network interfaces, "
                                  "not to {0}".format(params["resource_type"]))
        self.parts = []
        self.role_arn = None
        if self.cloudwatch:
            # The documents and ARNs name the account (GetCallerIdentity, the one call before the checks).
            identity = self.session.caller_identity()
            self.partition, self.account = identity["partition"], identity["account"]
            self.policy_arn = iam_arn(self.partition, self.account, "policy", params["policy_name"],
                                      params["iam_path"])
            self.role_arn = iam_arn(self.partition, self.account, "role", params["role_name"], params["iam_path"])
        # The flow logs' own options (format, interval, destination, tags with Name and ManagedBy)
        # are checked here too, whether or not the resources are still to be found.
        flow_params = self._flow_params(ids or [])
        with self.named("flow_logs"), FlowLogResource(self.session, flow_params).named_as_the_caller_names_them():
            build_desired(flow_params, self.session.region_name)
            flow_log_tags(flow_params["tags"])
        if self.cloudwatch:
            role = IamRoleResource(self.session, self._role_params(), self.check_mode)
            # This run reads (and creates, when missing) the policy the role attaches: no GetPolicy for it.
            role.known_policy_arns = (self.policy_arn,)
            self.parts = [Part("log_group", LogGroupResource(self.session, self._log_group_params(), self.check_mode)),
                          Part("policy", IamPolicyResource(self.session, self._policy_params(), self.check_mode)),
                          Part("role", role)]
            for part in self.parts:
                with self.named(part.name):
                    part.resource.validate()
        self.flow_logs = None

    def _common(self):
        params = self.params
        return dict(tags=params.get("tags"), purge_tags=params["purge_tags"], adopt=params["adopt"], state="present")

    def _log_group_params(self):
        params = self.params
        return dict(self._common(), name=params["log_group_name"], retention_days=params.get("retention_days"),
                    kms_key_id=params.get("kms_key_id"), log_group_class=params.get("log_group_class") or None)

    def _policy_params(self):
        params = self.params
        if params["policy_resource_scope"] == "any":
            resources = ANY_LOG_GROUP
        else:
            # The log group's streams in any region: one document for the role every region shares.
            resources = [log_group_arn(self.partition, "*", self.account, params["log_group_name"])]
        return dict(self._common(), name=params["policy_name"], path=params["iam_path"],
                    description=POLICY_DESCRIPTION, policy=flow_logs_delivery_policy(resources),
                    merge_resources=True)

    def _role_params(self):
        params = self.params
        trust = flow_logs_trust_policy(self.partition, self.account, region=None,
                                       confused_deputy=params["confused_deputy_protection"])
        return dict(self._common(), name=params["role_name"], path=params["iam_path"], description=ROLE_DESCRIPTION,
                    trust_policy=trust, managed_policies=[self.policy_arn], purge_policies=True,
                    max_session_duration=None, permissions_boundary=None, confused_deputy_protection=None,
                    # flow_log retries while EC2 cannot assume a new role yet (role_propagation_timeout).
                    wait=False, wait_timeout=None)

    def _flow_params(self, resource_ids):
        params = self.params
        tags = params.get("tags")
        if params.get("flow_log_name"):
            tags = dict(tags or {}, Name=params["flow_log_name"])
        names = dict((option, self.option(PART_OPTIONS["flow_logs"].get(option, option))) for option in (
            "resource_ids", "traffic_type", "log_group", "destination_arn", "max_aggregation_interval", "log_format",
            "destination_options", "on_change", "region"))
        names["tags"] = "{0} (with the Name tag {1})".format(self.option("tags"), self.option("flow_log_name"))
        return dict(resource_type=params["resource_type"], resource_ids=resource_ids,
                    traffic_type=params.get("traffic_type"), destination_type=params["destination_type"],
                    log_group=params["log_group_name"] if self.cloudwatch else None,
                    destination_arn=None if self.cloudwatch else params.get("destination_arn"),
                    role=self.role_arn, cross_account_role=None,
                    max_aggregation_interval=params["max_aggregation_interval"], log_format=params["log_format"],
                    destination_options=params.get("destination_options"), tags=tags,
                    purge_tags=params["purge_tags"], on_change=params["on_change"], exclusive=True,
                    owned_only=False, validate_only=False, option_names=names,
                    role_propagation_timeout=params["role_propagation_timeout"], state="present",
                    region=self.session.region_name)

    # -- read: the resources in scope, their flow logs, the log group, the policy and the role --
    def read(self):
        params = self.params
        self.excluded = {}
        ids = self.given_ids
        known = False
        if self.discover:
            exclusions = dict(ids=params["exclude_ids"], tags=params["exclude_tags"],
                              skip_default_vpc=params["skip_default_vpc"])
            resources, self.excluded = coverage_resources(self.session, [params["resource_type"]], ids, exclusions)
            found = [r["resource_id"] for r in resources]
            missing = [rid for rid in ids or [] if rid not in found and rid not in self.excluded]
            if missing:
                raise ec2_resources.not_found(self.option("resource_ids"), params["resource_type"],
                                              self.session.region_name, missing)
            ids, known = sorted(found), True
        self.resource_ids = list(ids or [])
        if not self.resource_ids:
            return {}
        self.flow_logs = Part("flow_logs", FlowLogResource(self.session, self._flow_params(self.resource_ids),
                                                           self.check_mode))
        self.flow_logs.resource.ids_known_to_exist = known
        for part in self.parts + [self.flow_logs]:
            with self.named(part.name):
                if part is self.flow_logs:
                    part.resource.validate()
                part.current = part.resource.read()
        return dict((part.name, part.current) for part in self.parts + [self.flow_logs])

    def _in_scope(self):
        return self.parts + [self.flow_logs] if self.flow_logs is not None else []

    # -- plan: every part planned before the first change --------------------------------------
    def plan(self, current):
        parts = self._in_scope()
        for part in parts:
            with self.named(part.name):
                part.plan = part.resource.plan(part.current)
        before = dict((part.name, part.plan.before) for part in parts if part.plan.changed)
        after = dict((part.name, part.plan.after) for part in parts if part.plan.changed)
        plan = StepPlan(before=before, after=after)
        for part in parts:
            if part.plan.changed:
                plan.add("converge the {0}".format(part.name.replace("_", " ")), self._apply, part)
        return plan

    def _apply(self, part):
        """Apply one part; a create that lost a race to a concurrent run reads the part again."""
        attempt = 1
        while True:
            try:
                part.reports = part.resource.apply(part.plan)
                return part.reports
            except ResourceFailure as exc:
                if exc.result.get("aws_error_code") not in ALREADY_EXISTS or attempt == CREATE_ATTEMPTS:
                    raise self._failure(part, exc)
            attempt += 1
            with self.named(part.name):
                part.current = part.resource.read()
                part.plan = part.resource.plan(part.current)
            if not part.plan.changed:
                part.reports = None
                return None

    def _failure(self, failing, exc):
        """The failing part's error, with what the parts before it did and their results."""
        done = [d for part in self._in_scope() if part is not failing and part.reports is not None
                for d in part.plan.descriptions]
        result = dict(exc.result, resource_ids=self.resource_ids)
        result["completed_actions"] = done + list(result.get("completed_actions") or [])
        for part in self._in_scope():
            if part is failing:
                break
            result.update(part.resource.result(part.plan, part.reports))
        return ResourceFailure("{0}: {1}".format(failing.name.replace("_", " "), exc), **result)

    def result(self, plan, reports):
        nothing = dict((outcome, 0) for outcome in OUTCOMES)
        result = dict(account_id=getattr(self, "account", None), resource_ids=self.resource_ids,
                      excluded=self.excluded, log_group={}, policy={}, role={},
                      flow_logs=[], resources={}, summary=nothing, deleted_flow_log_ids=[])
        actions = []
        for part in self._in_scope():
            actions.extend(part.plan.descriptions)
            try:
                result.update(part.resource.result(part.plan, part.reports))
            except ResourceFailure as exc:
                raise self._failure(part, exc)
        result["actions"] = actions
        return result
