# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure planning: a FlowLogChange per watched resource, and the module result they lead to."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.netobs.flowlogs.plugins.module_utils.flow_logs.config import (
    differences,
    existing_config,
    flow_log_summary,
    matches_absent_filter,
    planned_summary,
    readable_config,
    same_identity,
)
from ansible_collections.netobs.flowlogs.plugins.module_utils.tags import compare_tags, merged_tags, tag_list_to_dict

OUTCOMES = ("created", "replaced", "retagged", "unchanged", "deleted", "failed")


class FlowLogChange:
    """What happens to the flow logs of one watched resource (the resource's StepPlan holds one
    per resource id)."""

    def __init__(self, resource_id, outcome, keep=None, create_tags=None, delete=(), tags_to_set=None,
                 tags_to_remove=(), changes=None, before=(), after=None):
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

    @property
    def changed(self):
        return self.outcome != "unchanged"


def _preference(desired_tags, purge):
    def key(flow_log):
        to_set, to_remove = compare_tags(tag_list_to_dict(flow_log.get("Tags")), desired_tags, purge)
        return (flow_log.get("FlowLogStatus") != "ACTIVE", len(to_set) + len(to_remove),
                str(flow_log.get("CreationTime") or ""), flow_log.get("FlowLogId") or "")
    return key


def plan_present(desired, desired_tags, purge_tags, resource_ids, existing_by_resource):
    """A FlowLogChange per resource for state=present."""
    plans = []
    for resource_id in resource_ids:
        existing = existing_by_resource.get(resource_id, [])
        candidates = [fl for fl in existing if same_identity(desired, existing_config(fl))]
        before = [readable_config(existing_config(fl), tag_list_to_dict(fl.get("Tags"))) for fl in candidates]
        exact = [fl for fl in candidates if not differences(desired, existing_config(fl))]
        if not candidates:
            tags = dict(desired_tags or {})
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
        tags = merged_tags(tag_list_to_dict(first.get("Tags")), desired_tags, purge_tags)
        changes = dict((fl["FlowLogId"], differences(desired, existing_config(fl))) for fl in candidates)
        plans.append(FlowLogChange(resource_id, "replaced", create_tags=tags, delete=candidates, changes=changes,
                                  before=before, after=readable_config(desired, tags)))
    return plans


def plan_absent(criteria, resource_ids, existing_by_resource):
    plans = []
    for resource_id in resource_ids:
        matching = [fl for fl in existing_by_resource.get(resource_id, [])
                    if matches_absent_filter(criteria, existing_config(fl))]
        before = [readable_config(existing_config(fl), tag_list_to_dict(fl.get("Tags"))) for fl in matching]
        plans.append(FlowLogChange(resource_id, "deleted" if matching else "unchanged", delete=matching,
                                  before=before, after=None))
    return plans



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
    if failures:
        result["failures"] = dict(failures)
        result["changed"] = bool(created) or any(c.changed and c.resource_id not in failures for c in changes)
    return result
