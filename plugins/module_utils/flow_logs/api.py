# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The EC2 flow-log calls: requests, chunking, the ClientToken and role-propagation retries.

Each apply function takes the session and what to do, and returns what it did:
``dict(created={resource id: flow log}, failures={resource id: message})``. EC2 API reference:
CreateFlowLogs, DeleteFlowLogs, DescribeFlowLogs, CreateTags, DeleteTags.
"""


import hashlib
import json

from ansible_collections.netobs.flowlogs.plugins.module_utils import ec2_resources
from ansible_collections.netobs.flowlogs.plugins.module_utils.aws import AwsApiError
from ansible_collections.netobs.flowlogs.plugins.module_utils.flow_logs.config import (
    differences,
    existing_config,
    flow_log_summary,
    same_identity,
)
from ansible_collections.netobs.flowlogs.plugins.module_utils.flow_logs.options import CLOUDWATCH
from ansible_collections.netobs.flowlogs.plugins.module_utils.flow_logs.planning import group_by
from ansible_collections.netobs.flowlogs.plugins.module_utils.tags import dict_to_tag_list

# What EC2 says while a just-created role is not yet assumable by the flow-logs service.
ROLE_PROPAGATION_CODE = "InvalidParameter"
ROLE_PROPAGATION_TEXT = "unable to assume given iam role"
# DeleteFlowLogs and DescribeFlowLogs(FlowLogIds) take at most 1000 ids (EC2 API reference).
FLOW_LOG_IDS_PER_CALL = 1000
TAG_RESOURCES_PER_CALL = 1000


def create_request(desired, resource_ids, tags, client_token):
    """The CreateFlowLogs keyword arguments for ``desired`` over ``resource_ids``."""
    request = dict(ResourceType=desired["resource_type"], ResourceIds=list(resource_ids),
                   LogDestinationType=desired["destination_type"], LogFormat=desired["log_format"],
                   MaxAggregationInterval=desired["max_aggregation_interval"], ClientToken=client_token)
    if desired["traffic_type"]:
        request["TrafficType"] = desired["traffic_type"]
    if desired["destination_type"] == CLOUDWATCH:
        # The name, never the ARN: AWS accepts either, and the name is what every reader reports.
        request["LogGroupName"] = desired["log_group_name"]
    else:
        request["LogDestination"] = desired["destination_arn"]
    if desired["role_arn"]:
        request["DeliverLogsPermissionArn"] = desired["role_arn"]
    if desired["cross_account_role"]:
        request["DeliverCrossAccountRole"] = desired["cross_account_role"]
    if desired["destination_options"]:
        options = desired["destination_options"]
        request["DestinationOptions"] = dict(FileFormat=options["file_format"],
                                             HiveCompatiblePartitions=options["hive_compatible_partitions"],
                                             PerHourPartition=options["per_hour_partition"])
    if tags:
        request["TagSpecifications"] = [dict(ResourceType="vpc-flow-log", Tags=dict_to_tag_list(tags))]
    return request


def client_token(desired, resource_ids, tags, replacing, salt=""):
    """A deterministic CreateFlowLogs ClientToken (64 hex characters, EC2's maximum length).

    The same task over the same resources in the same state sends the same token, so a create
    retried after a lost response is answered with the first flow logs, not duplicates.
    """
    payload = json.dumps(dict(config=desired, resources=sorted(resource_ids), tags=tags or {},
                              replacing=sorted(replacing), salt=salt), sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def is_role_propagation(code, message):
    return code == ROLE_PROPAGATION_CODE and ROLE_PROPAGATION_TEXT in (message or "").lower()


def describe_for_resources(session, resource_ids):
    """{resource id: [DescribeFlowLogs entries]} with one filtered call per 200 ids."""
    by_resource = {}
    for chunk in ec2_resources.chunks(resource_ids, ec2_resources.FILTER_VALUES_PER_CALL):
        for flow_log in session.paginate("ec2", "describe_flow_logs", "FlowLogs",
                                         Filters=[{"Name": "resource-id", "Values": chunk}]):
            by_resource.setdefault(flow_log["ResourceId"], []).append(flow_log)
    return by_resource


class RoleWait:
    """How long CreateFlowLogs is retried while the delivery role propagates (clock and sleep
    are injectable)."""

    def __init__(self, timeout, clock, sleep):
        self.timeout = timeout
        self.clock = clock
        self.sleep = sleep


def create_flow_logs(session, desired, creates, current, role_wait, resource_type, run_salt=""):
    """Create the flow logs of ``creates`` (FlowLogChange with create), grouped by tags.

    ``current``: {resource id: [DescribeFlowLogs entries]} as read before the run. ``run_salt``: a
    value drawn once per run and mixed into every ClientToken. EC2 answers a known token with the
    original response even after that flow log was deleted (EC2 API reference, "Ensuring
    idempotency"), and enable, disable, enable leaves the same state and settings each time, so a
    token made of the settings alone would return a deleted flow log on the second enable. Inside
    one run the token stays the same, so botocore's retries of a lost response never duplicate;
    across runs the read finds what an earlier run created.
    """
    kind = ec2_resources.kind_of(resource_type)
    failures = {}
    for tags_key, group in group_by(creates, lambda c: json.dumps(c.create_tags, sort_keys=True)):
        for chunk in ec2_resources.chunks(group, kind.create_chunk):
            failures.update(_create_chunk(session, desired, chunk, json.loads(tags_key), role_wait, salt=run_salt))
    new = _find_new_flow_logs(session, desired, [c for c in creates if c.resource_id not in failures], current)
    # A reused ClientToken can answer with flow logs deleted since (a create, delete and create
    # again of the same configuration): create those again once, under a fresh token.
    stale = [c for c in creates if c.resource_id not in failures and c.resource_id not in new]
    if stale:
        for tags_key, group in group_by(stale, lambda c: json.dumps(c.create_tags, sort_keys=True)):
            for chunk in ec2_resources.chunks(group, kind.create_chunk):
                failures.update(_create_chunk(session, desired, chunk, json.loads(tags_key), role_wait,
                                              salt=run_salt + "/retry-after-stale-token"))
        new.update(_find_new_flow_logs(session, desired, [c for c in stale if c.resource_id not in failures],
                                       current))
    created = {}
    for change in creates:
        if change.resource_id in new:
            created[change.resource_id] = new[change.resource_id]
        elif change.resource_id not in failures:
            failures[change.resource_id] = "CreateFlowLogs reported success but no matching flow log appeared"
    return dict(created=created, failures=failures)


def _create_chunk(session, desired, changes, tags, role_wait, salt):
    """One CreateFlowLogs call (plus retries while the delivery role propagates); the failures."""
    failures = {}
    resource_ids = [c.resource_id for c in changes]
    replacing = [fl["FlowLogId"] for c in changes for fl in c.delete]
    deadline = role_wait.clock() + role_wait.timeout
    delay = 1.0
    attempt = 0
    while resource_ids:
        token = client_token(desired, resource_ids, tags, replacing,
                             salt="{0}/{1}".format(salt, attempt) if (salt or attempt) else "")
        request = create_request(desired, resource_ids, tags, token)
        try:
            response = session.call("ec2", "create_flow_logs", **request)
        except AwsApiError as exc:
            if is_role_propagation(exc.code, exc.message) and role_wait.clock() + delay <= deadline:
                role_wait.sleep(delay)
                delay, attempt = min(delay * 2, 10.0), attempt + 1
                continue
            for resource_id in resource_ids:
                failures[resource_id] = str(exc)
            return failures
        retry = []
        for item in response.get("Unsuccessful") or []:
            error = item.get("Error") or {}
            resource_id = item.get("ResourceId")
            if is_role_propagation(error.get("Code"), error.get("Message")):
                retry.append(resource_id)
            elif error.get("Code") == "FlowLogAlreadyExists":
                continue  # found (or not) by the describe that follows
            else:
                failures[resource_id] = "{0}: {1}".format(error.get("Code"), error.get("Message"))
        if retry and role_wait.clock() + delay <= deadline:
            role_wait.sleep(delay)
            delay, attempt = min(delay * 2, 10.0), attempt + 1
            resource_ids = retry
            continue
        for resource_id in retry:
            failures[resource_id] = (
                "InvalidParameter: Unable to assume given IAM role (still failing after "
                "role_propagation_timeout={0:g} s)".format(role_wait.timeout))
        return failures
    return failures


def _find_new_flow_logs(session, desired, changes, current):
    """{resource id: new DescribeFlowLogs entry} for the resources just created."""
    if not changes:
        return {}
    before = set(fl["FlowLogId"] for c in changes for fl in current.get(c.resource_id, []))
    found = describe_for_resources(session, [c.resource_id for c in changes])
    new = {}
    for change in changes:
        candidates = [(fl, existing_config(fl)) for fl in found.get(change.resource_id, [])
                      if fl["FlowLogId"] not in before]
        matching = [fl for fl, config in candidates
                    if same_identity(desired, config) and not differences(desired, config)]
        if matching:
            new[change.resource_id] = sorted(matching, key=lambda fl: fl["FlowLogId"])[0]
    return new


def done_so_far(reports):
    """The created flow logs and failures of the apply steps' reports, merged."""
    created, failures = {}, {}
    for report in reports:
        created.update(report.get("created") or {})
        failures.update(report.get("failures") or {})
    return created, failures


def delete_replaced(reports, session, changes):
    """Delete the old flow logs; a replaced one only once its replacement exists, so no traffic
    goes unlogged."""
    created, failures = done_so_far(reports)
    deleted_failures = {}
    owners = {}
    for change in changes:
        if not change.delete or change.resource_id in failures:
            continue
        if change.create and change.resource_id not in created:
            continue
        for flow_log in change.delete:
            owners[flow_log["FlowLogId"]] = change.resource_id
    for chunk in ec2_resources.chunks(sorted(owners), FLOW_LOG_IDS_PER_CALL):
        try:
            response = session.call("ec2", "delete_flow_logs", FlowLogIds=chunk)
        except AwsApiError as exc:
            for flow_log_id in chunk:
                deleted_failures[owners[flow_log_id]] = "{0} (old flow log {1} kept; the next run deletes it)".format(
                    exc, flow_log_id)
            continue
        for item in response.get("Unsuccessful") or []:
            error = item.get("Error") or {}
            if error.get("Code") == "InvalidFlowLogId.NotFound":
                continue  # already gone: the goal
            flow_log_id = item.get("ResourceId")
            deleted_failures[owners.get(flow_log_id, flow_log_id)] = "DeleteFlowLogs {0}: {1}: {2}".format(
                flow_log_id, error.get("Code"), error.get("Message"))
    return dict(failures=deleted_failures)


def retag(session, retags):
    """CreateTags/DeleteTags on the kept flow logs, one call per tag set and 1000 flow logs."""
    failures = {}
    for tags_key, group in group_by([c for c in retags if c.tags_to_set],
                                    lambda c: json.dumps(c.tags_to_set, sort_keys=True)):
        failures.update(_tag_call(session, "create_tags", group, Tags=dict_to_tag_list(json.loads(tags_key))))
    for keys, group in group_by([c for c in retags if c.tags_to_remove], lambda c: tuple(c.tags_to_remove)):
        failures.update(_tag_call(session, "delete_tags", group, Tags=[dict(Key=key) for key in keys]))
    return dict(failures=failures)


def _tag_call(session, operation, changes, **kwargs):
    failures = {}
    for chunk in ec2_resources.chunks(changes, TAG_RESOURCES_PER_CALL):
        try:
            session.call("ec2", operation, Resources=[c.keep["FlowLogId"] for c in chunk], **kwargs)
        except AwsApiError as exc:
            for change in chunk:
                failures[change.resource_id] = str(exc)
    return failures


def describe_flow_logs(session, resource_ids=None, flow_log_ids=None, log_group=None, destination_type=None,
                       traffic_type=None, tags=None):
    """flow_log_summary dicts of the region's flow logs, filtered server-side."""
    filters = []
    if log_group:
        filters.append({"Name": "log-group-name", "Values": [log_group]})
    if destination_type:
        filters.append({"Name": "log-destination-type", "Values": [destination_type]})
    if traffic_type:
        filters.append({"Name": "traffic-type", "Values": [traffic_type]})
    for key, value in sorted((tags or {}).items()):
        filters.append({"Name": "tag:{0}".format(key), "Values": [str(value)]})
    found = {}
    # Ids and resource ids go in chunks of 200 (EC2's limit on the values of one filter).
    id_chunks = (list(ec2_resources.chunks(flow_log_ids, ec2_resources.FILTER_VALUES_PER_CALL))
                 if flow_log_ids else [None])
    resource_chunks = (list(ec2_resources.chunks(resource_ids, ec2_resources.FILTER_VALUES_PER_CALL))
                       if resource_ids else [None])
    for id_chunk in id_chunks:
        for resource_chunk in resource_chunks:
            call_filters = list(filters)
            if id_chunk:
                call_filters.append({"Name": "flow-log-id", "Values": id_chunk})
            if resource_chunk:
                call_filters.append({"Name": "resource-id", "Values": resource_chunk})
            kwargs = dict(Filters=call_filters) if call_filters else {}
            for flow_log in session.paginate("ec2", "describe_flow_logs", "FlowLogs", **kwargs):
                found[flow_log["FlowLogId"]] = flow_log
    return [flow_log_summary(found[key]) for key in sorted(found)]
