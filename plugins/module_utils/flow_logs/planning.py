# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure planning: a FlowLogChange per watched resource, and the module result they lead to."""


from ansible_collections.netobs.flowlogs.plugins.module_utils.flow_logs.config import (
    differences,
    existing_config,
    flow_log_summary,
    matches_absent_filter,
    planned_summary,
    readable_config,
    same_identity,
)
from ansible_collections.netobs.flowlogs.plugins.module_utils.rules import ValidationError
from ansible_collections.netobs.flowlogs.plugins.module_utils.tags import (
    MANAGED_BY_TAG,
    MAX_TAGS,
    validate_tags,
    compare_tags,
    is_owned as tags_are_owned,
    merged_tags,
    tag_list_to_dict,
)

OUTCOMES = ("created", "replaced", "retagged", "unchanged", "deleted", "failed")
# Flow logs per network interface, subnet or VPC in a Region: 2, not adjustable (Amazon VPC quotas,
# https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html).
FLOW_LOGS_PER_RESOURCE = 2
QUOTA_RESOURCE_TYPES = ("VPC", "Subnet", "NetworkInterface")


def is_owned(flow_log):
    """True for a DescribeFlowLogs entry tagged ManagedBy: netobs.flowlogs (created by the collection)."""
    return tags_are_owned(tag_list_to_dict(flow_log.get("Tags")))


class FlowLogChange:
    """What happens to the flow logs of one watched resource (the resource's StepPlan holds one
    per resource id)."""

    def __init__(self, resource_id, outcome, keep=None, create_tags=None, delete=(), tags_to_set=None,
                 tags_to_remove=(), changes=None, before=(), after=None, kept=()):
        self.resource_id = resource_id
        self.outcome = outcome
        self.keep = keep                      # the DescribeFlowLogs entry kept as is (or retagged)
        self.create = create_tags is not None
        self.create_tags = create_tags or {}
        self.delete = list(delete)            # DescribeFlowLogs entries to delete
        self.tags_to_set = tags_to_set or {}
        self.tags_to_remove = list(tags_to_remove)
        self.changes = changes or {}
        self.before = list(before)
        self.after = after
        self.kept = list(kept)                # DescribeFlowLogs entries left alone: not ours to delete

    @property
    def changed(self):
        return self.outcome != "unchanged"


def owned_tags(tags):
    """``tags`` with ManagedBy: netobs.flowlogs, which every flow log the collection creates carries."""
    owned = dict(tags or {})
    owned[MANAGED_BY_TAG[0]] = MANAGED_BY_TAG[1]
    return owned


def flow_log_tags(tags, param="tags"):
    """The tags a created flow log carries (``tags`` plus ManagedBy), checked against AWS's limits;
    None stays None (leave a kept flow log's tags alone)."""
    clean = validate_tags(tags, param=param)
    if clean is None:
        return None
    owned = owned_tags(clean)
    if len(owned) > MAX_TAGS:
        raise ValidationError(param, "has {0} tags, and the collection adds {1}: {2} to every flow log it creates; "
                                     "AWS allows at most {3}".format(len(clean), MANAGED_BY_TAG[0], MANAGED_BY_TAG[1],
                                                                     MAX_TAGS))
    return owned


def _preference(desired_tags, purge):
    def key(flow_log):
        to_set, to_remove = compare_tags(tag_list_to_dict(flow_log.get("Tags")), desired_tags, purge)
        return (flow_log.get("FlowLogStatus") != "ACTIVE", len(to_set) + len(to_remove),
                str(flow_log.get("CreationTime") or ""), flow_log.get("FlowLogId") or "")
    return key


def plan_present(desired, desired_tags, purge_tags, resource_ids, existing_by_resource, exclusive=False):
    """A FlowLogChange per resource for state=present.

    ``exclusive``: the task's flow log is the only one the collection keeps on each resource, so
    owned flow logs with another destination or traffic type are replaced by it (created first,
    then deleted); flow logs without the ManagedBy tag are never touched.
    """
    plans = []
    for resource_id in resource_ids:
        existing = existing_by_resource.get(resource_id, [])
        candidates = [fl for fl in existing if same_identity(desired, existing_config(fl))]
        if exclusive:
            others = [fl for fl in existing if fl not in candidates and is_owned(fl)]
            if others:
                plans.append(_replace_other_destinations(desired, desired_tags, purge_tags, resource_id, candidates,
                                                         others))
                continue
        before = [readable_config(existing_config(fl), tag_list_to_dict(fl.get("Tags"))) for fl in candidates]
        exact = [fl for fl in candidates if not differences(desired, existing_config(fl))]
        if not candidates:
            tags = owned_tags(desired_tags)
            plans.append(FlowLogChange(resource_id, "created", create_tags=tags,
                                       after=readable_config(desired, tags)))
            continue
        if exact:
            keep = sorted(exact, key=_preference(desired_tags, purge_tags))[0]
            current_tags = tag_list_to_dict(keep.get("Tags"))
            to_set, to_remove = compare_tags(current_tags, desired_tags, purge_tags)
            extras = [fl for fl in candidates if fl is not keep]
            tags_after = merged_tags(current_tags, desired_tags, purge_tags)
            if extras:
                # A replace interrupted between create and delete: finish it.
                outcome = "replaced"
            elif to_set or to_remove:
                outcome = "retagged"
            else:
                outcome = "unchanged"
            changes = dict(("duplicate " + fl["FlowLogId"], differences(desired, existing_config(fl)) or "identical")
                           for fl in extras)
            plans.append(FlowLogChange(resource_id, outcome, keep=keep, delete=extras, tags_to_set=to_set,
                                       tags_to_remove=to_remove, changes=changes, before=before,
                                       after=readable_config(desired, tags_after)))
            continue
        first = sorted(candidates, key=_preference(desired_tags, purge_tags))[0]
        tags = owned_tags(merged_tags(tag_list_to_dict(first.get("Tags")), desired_tags, purge_tags))
        changes = dict((fl["FlowLogId"], differences(desired, existing_config(fl))) for fl in candidates)
        plans.append(FlowLogChange(resource_id, "replaced", create_tags=tags, delete=candidates, changes=changes,
                                   before=before, after=readable_config(desired, tags)))
    return plans


def _replace_other_destinations(desired, desired_tags, purge_tags, resource_id, candidates, others):
    """The change of a resource whose owned flow logs deliver elsewhere (another log group, S3, another
    traffic type): create the wanted one (unless an identical one exists), then delete the others."""
    exact = [fl for fl in candidates if not differences(desired, existing_config(fl))]
    stale = [fl for fl in candidates if fl not in exact]
    before = [readable_config(existing_config(fl), tag_list_to_dict(fl.get("Tags"))) for fl in candidates + others]
    changes = dict((fl["FlowLogId"], destination_differences(desired, existing_config(fl))) for fl in others)
    changes.update((fl["FlowLogId"], differences(desired, existing_config(fl))) for fl in stale)
    if exact:
        keep = sorted(exact, key=_preference(desired_tags, purge_tags))[0]
        current_tags = tag_list_to_dict(keep.get("Tags"))
        to_set, to_remove = compare_tags(current_tags, desired_tags, purge_tags)
        extras = [fl for fl in exact if fl is not keep] + stale + others
        return FlowLogChange(resource_id, "replaced", keep=keep, delete=extras, tags_to_set=to_set,
                             tags_to_remove=to_remove, changes=changes, before=before,
                             after=readable_config(desired, merged_tags(current_tags, desired_tags, purge_tags)))
    tags = owned_tags(desired_tags)
    return FlowLogChange(resource_id, "replaced", create_tags=tags, delete=candidates + others, changes=changes,
                         before=before, after=readable_config(desired, tags))


def destination_differences(desired, current):
    """{key: {before, after}} of the destination and traffic type (what same_identity compares)."""
    changed = {}
    for key in ("destination_type", "log_group_name", "destination_arn", "traffic_type"):
        if desired.get(key) != current.get(key):
            changed[key] = dict(before=current.get(key), after=desired.get(key))
    return changed


def quota_problems(resource_type, changes, existing_by_resource):
    """{resource id: why} for the changes that would need more than FLOW_LOGS_PER_RESOURCE flow logs at once.

    A replace creates the new flow log before deleting the old one, so a resource needs room for one
    more; when it has none the task stops before any change (never a half-done replace, never a gap
    in logging), naming the flow logs that hold the places.
    """
    if resource_type not in QUOTA_RESOURCE_TYPES:
        return {}
    problems = {}
    for change in changes:
        if not change.create:
            continue
        existing = existing_by_resource.get(change.resource_id, [])
        if len(existing) + 1 <= FLOW_LOGS_PER_RESOURCE:
            continue
        held = ", ".join("{0} ({1}{2})".format(
            fl["FlowLogId"], "ours, to be replaced" if fl in change.delete else
            ("ours" if is_owned(fl) else "not managed by netobs.flowlogs"),
            ", delivers to " + str(fl.get("LogGroupName") or fl.get("LogDestination")))
            for fl in existing)
        problems[change.resource_id] = (
            "has {0} flow logs ({1}), AWS's limit per resource is {2}; the new flow log needs a free place before "
            "the old one can go: delete one of them or keep the current settings".format(
                len(existing), held, FLOW_LOGS_PER_RESOURCE))
    return problems


def plan_absent(criteria, resource_ids, existing_by_resource):
    plans = []
    for resource_id in resource_ids:
        matching = [fl for fl in existing_by_resource.get(resource_id, [])
                    if matches_absent_filter(criteria, existing_config(fl))]
        kept = []
        if criteria.get("owned_only"):
            kept = [fl for fl in matching if not is_owned(fl)]
            matching = [fl for fl in matching if is_owned(fl)]
        before = [readable_config(existing_config(fl), tag_list_to_dict(fl.get("Tags"))) for fl in matching]
        plans.append(FlowLogChange(resource_id, "deleted" if matching else "unchanged", delete=matching,
                                   before=before, after=None, kept=kept))
    return plans


def delivery_failures(flow_logs):
    """{resource id: DeliverLogsErrorMessage} of the flow_log_summary dicts whose delivery FAILED."""
    return dict((fl["resource_id"], fl.get("deliver_logs_error_message") or "no reason given")
                for fl in flow_logs if fl.get("deliver_logs_status") == "FAILED")


def group_by(items, key):
    """[(key, [items])] in first-seen order."""
    groups = {}
    order = []
    for item in items:
        k = key(item)
        if k not in groups:
            groups[k] = []
            order.append(k)
        groups[k].append(item)
    return [(k, groups[k]) for k in order]


def flow_log_result(task, desired, changes, created=None, failures=None, applied=False):
    """The flow_log module's result for ``changes`` (applied or, in check mode, predicted).

    ``created``: {resource id: new DescribeFlowLogs entry}; ``failures``: {resource id: message}.
    """
    created = created or {}
    failures = failures or {}
    outcomes = dict((change.resource_id, change.outcome) for change in changes)
    for resource_id in failures:
        outcomes[resource_id] = "failed"
    flow_logs = []
    deleted = []
    for change in changes:
        rid = change.resource_id
        if task["state"] == "present":
            if change.keep is not None:
                kept = flow_log_summary(change.keep)
                if applied and rid not in failures:
                    kept["tags"] = merged_tags(kept["tags"], task["tags"], task["purge_tags"])
                flow_logs.append(kept)
            elif rid in created:
                flow_logs.append(flow_log_summary(created[rid]))
            elif not applied and change.create:
                flow_logs.append(planned_summary(desired, rid, change.create_tags))
        if applied and rid not in failures or not applied:
            deleted.extend(fl["FlowLogId"] for fl in change.delete)
    summary = dict((outcome, 0) for outcome in OUTCOMES)
    for outcome in outcomes.values():
        summary[outcome] += 1
    result = dict(flow_logs=flow_logs, resources=outcomes, summary=summary, deleted_flow_log_ids=deleted)
    kept = [dict(resource="flow log {0} on {1}".format(fl["FlowLogId"], change.resource_id),
                 flow_log_id=fl["FlowLogId"], resource_id=change.resource_id,
                 reason="not tagged {0}: {1} (not created by this collection)".format(*MANAGED_BY_TAG))
            for change in changes for fl in change.kept]
    if kept:
        result["kept_flow_logs"] = kept
    delivery = delivery_failures(flow_logs)
    if delivery:
        result["delivery_failures"] = delivery
        result["warnings"] = ["flow log {0} on {1} does not deliver: {2} (DeliverLogsStatus FAILED; check the "
                              "delivery role's trust and permissions and the destination)".format(
                                  fl["flow_log_id"], fl["resource_id"], fl["deliver_logs_error_message"])
                              for fl in flow_logs if fl["resource_id"] in delivery][:20]
    if failures:
        result["failures"] = dict(failures)
        result["changed"] = bool(created) or any(c.changed and c.resource_id not in failures for c in changes)
    return result
