# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""FlowLogResource: read -> plan -> apply for many resources at once (plugins/modules/flow_log.py).

``validate`` turns the parameters into a task (set once, never filled later); ``read`` returns
the flow logs in place and the delivery role's ARN; ``plan`` returns a FlowLogStepPlan that
carries the changes and the predicted result; each step returns what it did.
"""


import time
import uuid

from ansible_collections.netobs.flowlogs.plugins.module_utils import ec2_resources
from ansible_collections.netobs.flowlogs.plugins.module_utils.flow_logs import api
from ansible_collections.netobs.flowlogs.plugins.module_utils.flow_logs.config import (
    absent_criteria,
    build_desired,
    role_arn_from,
)
from ansible_collections.netobs.flowlogs.plugins.module_utils.flow_logs.options import (
    DEFAULT_ON_CHANGE,
    DEFAULT_RESOURCE_TYPE,
    DEFAULT_STATE,
)
from ansible_collections.netobs.flowlogs.plugins.module_utils.flow_logs.planning import (
    flow_log_result,
    flow_log_tags,
    plan_absent,
    plan_present,
    quota_problems,
)
from ansible_collections.netobs.flowlogs.plugins.module_utils.resource import Resource, ResourceFailure, StepPlan
from ansible_collections.netobs.flowlogs.plugins.module_utils.rules import ValidationError


class FlowLogStepPlan(StepPlan):
    """The resource plan of a flow_log task: its steps, plus the task, the desired configuration
    and the FlowLogChange of every watched resource the result is computed from."""

    def __init__(self, task, desired, changes):
        changed = [c for c in changes if c.changed]
        super(FlowLogStepPlan, self).__init__(before=dict((c.resource_id, c.before) for c in changed),
                                              after=dict((c.resource_id, c.after) for c in changed),
                                              predicted=flow_log_result(task, desired, changes))
        self.task = task
        self.desired = desired
        self.changes = changes


def describe_differences(changes):
    """"vpc-1: log_group_name /a -> /b, traffic_type ALL -> REJECT; ..." for the first ten changes."""
    parts = []
    for change in changes[:10]:
        settings = []
        for _flow_log_id, diff in sorted(change.changes.items()):
            if isinstance(diff, dict):
                settings.extend("{0} {1} -> {2}".format(key, value.get("before"), value.get("after"))
                                for key, value in sorted(diff.items()))
        parts.append("{0}: {1}".format(change.resource_id, ", ".join(sorted(set(settings))) or "duplicates"))
    return "; ".join(parts)


class _Renamed:
    """Re-raises a ValidationError under the name the caller gave the option (option_names)."""

    def __init__(self, resource):
        self.resource = resource

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, _traceback):
        if exc_type is not None and issubclass(exc_type, ValidationError):
            name = self.resource.param_name(exc.param)
            if name != exc.param:
                raise ValidationError(name, exc.problem, exc.allowed)
        return False


class FlowLogResource(Resource):

    sleep = staticmethod(time.sleep)
    clock = staticmethod(time.monotonic)
    # True when the caller has just found the resources itself (the target module's discovery):
    # no second Describe to check they exist.
    ids_known_to_exist = False

    def validate(self):
        with self.named_as_the_caller_names_them():
            self._validate()

    def named_as_the_caller_names_them(self):
        return _Renamed(self)

    def _validate(self):
        params = self.params
        resource_type = params.get("resource_type") or DEFAULT_RESOURCE_TYPE
        state = params.get("state") or DEFAULT_STATE
        timeout = float(params.get("role_propagation_timeout") or 0)
        if timeout < 0:
            raise ValidationError("role_propagation_timeout", "must be 0 or more seconds")
        tags = flow_log_tags(params.get("tags"))
        criteria = None
        if state != "present":
            criteria = dict(absent_criteria(params), owned_only=bool(params.get("owned_only")))
        self.task = dict(
            resource_type=resource_type,
            resource_ids=ec2_resources.validate_resource_ids(resource_type, params.get("resource_ids")),
            state=state,
            # Given tags keep ManagedBy (purge_tags never removes it); None leaves a kept flow log's tags alone.
            tags=tags,
            purge_tags=params.get("purge_tags", True),
            on_change=params.get("on_change") or DEFAULT_ON_CHANGE,
            exclusive=bool(params.get("exclusive")),
            validate_only=bool(params.get("validate_only")),
            role_propagation_timeout=timeout,
            desired=build_desired(params, params.get("region") or self.session.region_name)
            if state == "present" else None,
            criteria=criteria,
            # Mixed into this run's ClientTokens (api.create_flow_logs says why).
            run_salt=uuid.uuid4().hex,
        )

    def read(self):
        """{flow_logs: {resource id: [DescribeFlowLogs entries]}, role_arn: the delivery role's ARN}."""
        with self.named_as_the_caller_names_them():
            return self._read()

    def _read(self):
        task = self.task
        role_arn = None
        if task["state"] == "present":
            # Every id must exist before anything changes (one Describe for all of them).
            if not self.ids_known_to_exist:
                ec2_resources.require_existing(self.session, task["resource_type"], task["resource_ids"])
            role_arn = task["desired"]["role_arn"]
            if role_arn is None and self.params.get("role"):
                role_arn = role_arn_from(self.params["role"], self.session.caller_identity())
        return dict(flow_logs=api.describe_for_resources(self.session, task["resource_ids"]), role_arn=role_arn)

    def plan(self, current):
        task = self.task
        existing = current["flow_logs"]
        if task["state"] == "present":
            desired = dict(task["desired"], role_arn=current["role_arn"])
            changes = plan_present(desired, task["tags"], task["purge_tags"], task["resource_ids"], existing,
                                   exclusive=task["exclusive"])
        else:
            desired = None
            changes = plan_absent(task["criteria"], task["resource_ids"], existing)
        plan = FlowLogStepPlan(task, desired, changes)
        changed = [c for c in changes if c.changed]
        replacing = [c for c in changed if c.outcome == "replaced"]
        if replacing and task["on_change"] == "fail":
            raise ResourceFailure(
                "{0}=fail: the flow logs of {1} resource(s) differ in settings that cannot be changed "
                "in place ({2}): {3}; set {0}=replace to create new flow logs and delete the old ones".format(
                    self.param_name("on_change"), len(replacing), ", ".join(c.resource_id for c in replacing[:10]),
                    describe_differences(replacing)),
                changed=False, diff=dict(before=plan.before, after=plan.after),
                differences=dict((c.resource_id, c.changes) for c in replacing))
        full = quota_problems(task["resource_type"], changed, existing)
        if full:
            raise ResourceFailure(
                "nothing changed: {0} resource(s) have no room for another flow log: {1}".format(
                    len(full), "; ".join("{0} {1}".format(k, v) for k, v in sorted(full.items())[:10])),
                changed=False, quota_exceeded=full, diff=dict(before=plan.before, after=plan.after))
        if task["validate_only"]:
            # Everything is checked (options, ids, tag counts); nothing is planned to change.
            plan = FlowLogStepPlan(task, desired, [])
            plan.predicted["validated"] = dict((c.resource_id, c.outcome) for c in changes)
            return plan
        creates = [c for c in changed if c.create]
        deletes = [fl for c in changed for fl in c.delete]
        retags = [c for c in changed if c.keep is not None and (c.tags_to_set or c.tags_to_remove)]
        if creates:
            role_wait = api.RoleWait(task["role_propagation_timeout"], self.clock, self.sleep)
            plan.add("create flow logs for {0} {1}(s)".format(len(creates), task["resource_type"]),
                     api.create_flow_logs, self.session, desired, creates, existing, role_wait, task["resource_type"],
                     task["run_salt"])
        if deletes:
            plan.add_dependent("delete {0} flow log(s)".format(len(deletes)), api.delete_replaced, self.session,
                               changed)
        if retags:
            plan.add("retag {0} flow log(s)".format(len(retags)), api.retag, self.session, retags)
        return plan

    def param_name(self, option):
        """How a message names ``option``: the role variable when a role passed ``option_names``."""
        return (self.params.get("option_names") or {}).get(option) or option

    def result(self, plan, reports):
        if reports is None:
            return dict(plan.predicted)
        created, failures = api.done_so_far(reports)
        result = flow_log_result(plan.task, plan.desired, plan.changes, created, failures, applied=True)
        if failures:
            raise ResourceFailure("flow logs failed for {0} of {1} resource(s): {2}".format(
                len(failures), len(plan.task["resource_ids"]),
                "; ".join("{0}: {1}".format(k, v) for k, v in sorted(failures.items())[:10])), **result)
        return result
