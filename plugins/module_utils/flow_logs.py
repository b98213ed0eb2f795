# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""VPC flow logs: the desired configuration, matching existing flow logs, plans and coverage.

A flow log cannot be modified after creation (VPC user guide, "Flow log limitations"): only
its tags change in place. So for each watched resource the plan is one of: create, keep,
retag, replace (create the new flow log first, then delete the old one, so no traffic goes
unlogged) or delete. Everything here except ``FlowLogResource``'s AWS calls is pure, so the
planning and matching rules are unit-tested without AWS.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json
import re
import time

from ansible_collections.netobs.flowlogs.plugins.module_utils import ec2_resources
from ansible_collections.netobs.flowlogs.plugins.module_utils.arn import (
    iam_arn,
    log_group_name_from_arn,
    parse_arn,
    require_arn,
    strip_log_group_suffix,
)
from ansible_collections.netobs.flowlogs.plugins.module_utils.aws import AwsApiError
from ansible_collections.netobs.flowlogs.plugins.module_utils.flowlog_fields import (
    FIELD_VERSION,
    TGW_RESOURCE_TYPES,
    VPC_VERSIONS,
    fields_of_format,
    format_string,
    normalise_log_format,
)
from ansible_collections.netobs.flowlogs.plugins.module_utils.resource import Plan, Resource, ResourceFailure
from ansible_collections.netobs.flowlogs.plugins.module_utils.tags import (
    compare_tags,
    dict_to_tag_list,
    merged_tags,
    tag_list_to_dict,
    validate_tags,
)
from ansible_collections.netobs.flowlogs.plugins.module_utils.validation import (
    ValidationError,
    require_log_group_name,
)

CLOUDWATCH = "cloud-watch-logs"
S3 = "s3"
FIREHOSE = "kinesis-data-firehose"
DESTINATION_TYPES = (CLOUDWATCH, S3, FIREHOSE)
TRAFFIC_TYPES = ("ALL", "ACCEPT", "REJECT")
AGGREGATION_INTERVALS = (60, 600)
FILE_FORMATS = ("plain-text", "parquet")
ON_CHANGE = ("replace", "fail")
OUTCOMES = ("created", "replaced", "retagged", "unchanged", "deleted", "failed")
# What EC2 says while a just-created role is not yet assumable by the flow-logs service.
ROLE_PROPAGATION_CODE = "InvalidParameter"
ROLE_PROPAGATION_TEXT = "unable to assume given iam role"
# DeleteFlowLogs and DescribeFlowLogs(FlowLogIds) take at most 1000 ids (EC2 API reference).
FLOW_LOG_IDS_PER_CALL = 1000
TAG_RESOURCES_PER_CALL = 1000
IMMUTABLE_KEYS = ("role_arn", "cross_account_role", "max_aggregation_interval", "log_format",
                  "destination_options")
ROLE_NAME_PATTERN = re.compile(r"^[\w+=,.@-]{1,64}$")


# --------------------------------------------------------------------------------------------
# desired configuration
# --------------------------------------------------------------------------------------------
def is_tgw(resource_type):
    return resource_type in TGW_RESOURCE_TYPES


def normalise_destination_options(options, destination_type, param="destination_options"):
    """The S3 options with AWS's defaults filled in, so 'not given' equals 'given as default'."""
    if destination_type != S3:
        if options:
            raise ValidationError(param, "only applies to destination_type s3, not {0}".format(destination_type))
        return None
    options = options or {}
    file_format = options.get("file_format") or "plain-text"
    if file_format not in FILE_FORMATS:
        raise ValidationError(param + ".file_format", "{0!r} is not allowed".format(file_format),
                              allowed=FILE_FORMATS)
    return dict(file_format=file_format,
                hive_compatible_partitions=bool(options.get("hive_compatible_partitions")),
                per_hour_partition=bool(options.get("per_hour_partition")))


def role_arn_from(value, identity=None, param="role"):
    """An IAM role ARN from an ARN or a role name (the name needs the caller's account/partition)."""
    if value is None:
        return None
    if value.startswith("arn:"):
        require_arn(param, value, service="iam", resource_prefix="role/")
        return value
    if not ROLE_NAME_PATTERN.match(value):
        raise ValidationError(param, "{0!r} is neither a role ARN nor a role name (1-64 of letters, digits "
                                     "and +=,.@_-)".format(value))
    if identity is None:
        return None
    return iam_arn(identity["partition"], identity["account"], "role", value)


def build_desired(params, region):
    """The normalised, comparable configuration a ``flow_log`` task asks for (no AWS call).

    ``role_arn`` stays None when ``role`` is a bare name; ``resolve_role`` fills it once the
    caller's account is known.
    """
    resource_type = params.get("resource_type") or "VPC"
    destination_type = params.get("destination_type") or CLOUDWATCH
    tgw = is_tgw(resource_type)
    traffic_type = params.get("traffic_type")
    if tgw and traffic_type is not None:
        raise ValidationError("traffic_type", "is not supported for {0} flow logs; leave it unset".format(
            resource_type))
    if not tgw:
        traffic_type = traffic_type or "ALL"
        if traffic_type not in TRAFFIC_TYPES:
            raise ValidationError("traffic_type", "{0!r} is not allowed".format(traffic_type), allowed=TRAFFIC_TYPES)
    interval = params.get("max_aggregation_interval")
    interval = 60 if interval is None else int(interval)
    if interval not in AGGREGATION_INTERVALS:
        raise ValidationError("max_aggregation_interval", "{0} is not allowed".format(interval),
                              allowed=AGGREGATION_INTERVALS)
    if tgw and interval != 60:
        raise ValidationError("max_aggregation_interval", "must be 60 for {0} flow logs, got {1}".format(
            resource_type, interval), allowed=(60,))

    log_group = params.get("log_group")
    destination_arn = strip_log_group_suffix(params.get("destination_arn"))
    log_group_name = None
    if log_group and destination_arn:
        raise ValidationError("log_group", "give either log_group or destination_arn, not both")
    if destination_type == CLOUDWATCH:
        if log_group:
            if log_group.startswith("arn:"):
                raise ValidationError("log_group", "takes a log group name; pass an ARN as destination_arn")
            require_log_group_name("log_group", log_group)
            log_group_name = log_group
        elif destination_arn:
            parts = require_arn("destination_arn", destination_arn, service="logs", resource_prefix="log-group:")
            log_group_name = log_group_name_from_arn(destination_arn)
            if region and parts["region"] != region:
                raise ValidationError("destination_arn", "log group {0!r} is in region {1}; a flow log delivers "
                                                         "only to a log group in its own region ({2})".format(
                                                             log_group_name, parts["region"], region))
        else:
            raise ValidationError("log_group", "a cloud-watch-logs flow log needs log_group or destination_arn")
        if not params.get("role"):
            raise ValidationError("role", "a cloud-watch-logs flow log needs the IAM role that delivers the logs "
                                          "(DeliverLogsPermissionArn)")
    else:
        if log_group:
            raise ValidationError("log_group", "only applies to destination_type cloud-watch-logs; give "
                                               "destination_arn for {0}".format(destination_type))
        if not destination_arn:
            raise ValidationError("destination_arn", "is required for destination_type {0}".format(destination_type))
        if destination_type == S3:
            require_arn("destination_arn", destination_arn, service="s3")
            if params.get("role"):
                raise ValidationError("role", "is not used for s3 destinations (delivery uses the bucket policy)")
        else:
            require_arn("destination_arn", destination_arn, service="firehose", resource_prefix="deliverystream/")
    cross_account_role = params.get("cross_account_role")
    if cross_account_role:
        if destination_type != FIREHOSE:
            raise ValidationError("cross_account_role", "only applies to destination_type kinesis-data-firehose")
        require_arn("cross_account_role", cross_account_role, service="iam", resource_prefix="role/")
    role = params.get("role")
    role_arn = role_arn_from(role) if role else None
    return dict(
        resource_type=resource_type,
        traffic_type=traffic_type if not tgw else None,
        destination_type=destination_type,
        log_group_name=log_group_name,
        destination_arn=destination_arn if destination_type != CLOUDWATCH or not log_group else None,
        role_arn=role_arn,
        cross_account_role=cross_account_role or None,
        max_aggregation_interval=interval,
        log_format=normalise_log_format(params.get("log_format"), resource_type),
        destination_options=normalise_destination_options(params.get("destination_options"), destination_type),
    )


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


# --------------------------------------------------------------------------------------------
# existing flow logs
# --------------------------------------------------------------------------------------------
def canonical_format(log_format):
    fields = fields_of_format(log_format)
    return format_string(fields) if fields else log_format


def format_version(log_format):
    """The version a record of this format carries (the highest among its fields), or None."""
    versions = [FIELD_VERSION[f] for f in fields_of_format(log_format) if f in FIELD_VERSION]
    return max(versions) if versions else None


def existing_config(flow_log):
    """A DescribeFlowLogs entry in the same comparable shape as build_desired's result."""
    resource_type = ec2_resources.resource_type_of_id(flow_log.get("ResourceId"))
    destination_type = flow_log.get("LogDestinationType") or CLOUDWATCH
    destination_arn = strip_log_group_suffix(flow_log.get("LogDestination")) or None
    log_group_name = flow_log.get("LogGroupName") or None
    if destination_type == CLOUDWATCH and not log_group_name and destination_arn:
        log_group_name = log_group_name_from_arn(destination_arn)
    options = None
    if destination_type == S3:
        raw = flow_log.get("DestinationOptions") or {}
        options = dict(file_format=raw.get("FileFormat") or "plain-text",
                       hive_compatible_partitions=bool(raw.get("HiveCompatiblePartitions")),
                       per_hour_partition=bool(raw.get("PerHourPartition")))
    return dict(
        resource_type=resource_type,
        traffic_type=None if is_tgw(resource_type) else flow_log.get("TrafficType"),
        destination_type=destination_type,
        log_group_name=log_group_name,
        destination_arn=destination_arn,
        role_arn=flow_log.get("DeliverLogsPermissionArn") or None,
        cross_account_role=flow_log.get("DeliverCrossAccountRole") or None,
        max_aggregation_interval=int(flow_log.get("MaxAggregationInterval") or 600),
        log_format=canonical_format(flow_log.get("LogFormat")),
        destination_options=options,
    )


def same_destination(desired, current):
    """True when both deliver to the same place (a log group by name OR by ARN)."""
    if desired["destination_type"] != current["destination_type"]:
        return False
    if desired["destination_type"] == CLOUDWATCH:
        if desired.get("log_group_name") and current.get("log_group_name"):
            if desired["log_group_name"] == current["log_group_name"]:
                return True
        return bool(desired.get("destination_arn") and desired["destination_arn"] == current.get("destination_arn"))
    return (desired.get("destination_arn") or "").rstrip("/") == (current.get("destination_arn") or "").rstrip("/")


def same_identity(desired, current):
    """The flow log a task manages on a resource: same destination and traffic type."""
    if not same_destination(desired, current):
        return False
    if is_tgw(desired["resource_type"]):
        return True
    return desired["traffic_type"] == current["traffic_type"]


def differences(desired, current):
    """{key: {before, after}} of the immutable settings that differ."""
    changed = {}
    for key in IMMUTABLE_KEYS:
        if desired.get(key) != current.get(key):
            changed[key] = dict(before=current.get(key), after=desired.get(key))
    return changed


def matches_absent_filter(criteria, current):
    """For state=absent: every criterion given (destination, traffic type) must match."""
    if criteria.get("destination_type") and criteria["destination_type"] != current["destination_type"]:
        return False
    if criteria.get("log_group_name") or criteria.get("destination_arn"):
        if not same_destination(criteria, current):
            return False
    if criteria.get("traffic_type") and current["traffic_type"] and criteria["traffic_type"] != current["traffic_type"]:
        return False
    return True


def flow_log_summary(flow_log):
    """The module's return shape for one DescribeFlowLogs entry."""
    config = existing_config(flow_log)
    return dict(
        flow_log_id=flow_log.get("FlowLogId"),
        resource_id=flow_log.get("ResourceId"),
        resource_type=config["resource_type"],
        flow_log_status=flow_log.get("FlowLogStatus"),
        deliver_logs_status=flow_log.get("DeliverLogsStatus"),
        deliver_logs_error_message=flow_log.get("DeliverLogsErrorMessage"),
        destination_type=config["destination_type"],
        log_group_name=config["log_group_name"],
        destination_arn=config["destination_arn"],
        destination=config["log_group_name"] if config["destination_type"] == CLOUDWATCH else config["destination_arn"],
        deliver_logs_permission_arn=config["role_arn"],
        deliver_cross_account_role=config["cross_account_role"],
        traffic_type=config["traffic_type"],
        max_aggregation_interval=config["max_aggregation_interval"],
        log_format=config["log_format"],
        format_version=format_version(config["log_format"]),
        destination_options=config["destination_options"],
        tags=tag_list_to_dict(flow_log.get("Tags")),
        creation_time=str(flow_log["CreationTime"]) if flow_log.get("CreationTime") else None,
    )


def planned_summary(desired, resource_id, tags):
    """What a flow log about to be created will look like (check mode has no id yet)."""
    return dict(
        flow_log_id=None, resource_id=resource_id, resource_type=desired["resource_type"], flow_log_status=None,
        deliver_logs_status=None, deliver_logs_error_message=None, destination_type=desired["destination_type"],
        log_group_name=desired["log_group_name"], destination_arn=desired["destination_arn"],
        destination=desired["log_group_name"] if desired["destination_type"] == CLOUDWATCH
        else desired["destination_arn"],
        deliver_logs_permission_arn=desired["role_arn"], deliver_cross_account_role=desired["cross_account_role"],
        traffic_type=desired["traffic_type"], max_aggregation_interval=desired["max_aggregation_interval"],
        log_format=desired["log_format"], format_version=format_version(desired["log_format"]),
        destination_options=desired["destination_options"], tags=dict(tags or {}), creation_time=None,
    )


def readable_config(config, tags=None):
    """A flow log's settings as diff mode shows them."""
    shown = dict((k, v) for k, v in config.items() if v is not None and k != "resource_type")
    if tags is not None:
        shown["tags"] = tags
    return shown


# --------------------------------------------------------------------------------------------
# planning (pure)
# --------------------------------------------------------------------------------------------
class ResourcePlan:
    """What happens to one watched resource."""

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
    """A ResourcePlan per resource for state=present."""
    plans = []
    for resource_id in resource_ids:
        existing = existing_by_resource.get(resource_id, [])
        candidates = [fl for fl in existing if same_identity(desired, existing_config(fl))]
        before = [readable_config(existing_config(fl), tag_list_to_dict(fl.get("Tags"))) for fl in candidates]
        exact = [fl for fl in candidates if not differences(desired, existing_config(fl))]
        if not candidates:
            tags = dict(desired_tags or {})
            plans.append(ResourcePlan(resource_id, "created", create_tags=tags,
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
            plans.append(ResourcePlan(resource_id, outcome, keep=keep, delete=extras, tags_to_set=to_set,
                                      tags_to_remove=to_remove, changes=changes, before=before,
                                      after=readable_config(desired, tags_after)))
            continue
        first = sorted(candidates, key=_preference(desired_tags, purge_tags))[0]
        tags = merged_tags(tag_list_to_dict(first.get("Tags")), desired_tags, purge_tags)
        changes = dict((fl["FlowLogId"], differences(desired, existing_config(fl))) for fl in candidates)
        plans.append(ResourcePlan(resource_id, "replaced", create_tags=tags, delete=candidates, changes=changes,
                                  before=before, after=readable_config(desired, tags)))
    return plans


def plan_absent(criteria, resource_ids, existing_by_resource):
    plans = []
    for resource_id in resource_ids:
        matching = [fl for fl in existing_by_resource.get(resource_id, [])
                    if matches_absent_filter(criteria, existing_config(fl))]
        before = [readable_config(existing_config(fl), tag_list_to_dict(fl.get("Tags"))) for fl in matching]
        plans.append(ResourcePlan(resource_id, "deleted" if matching else "unchanged", delete=matching,
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


def is_role_propagation(code, message):
    return code == ROLE_PROPAGATION_CODE and ROLE_PROPAGATION_TEXT in (message or "").lower()


# --------------------------------------------------------------------------------------------
# the flow_log module's resource
# --------------------------------------------------------------------------------------------
class FlowLogResource(Resource):
    """read -> plan -> apply for many resources at once (see plugins/modules/flow_log.py)."""

    sleep = staticmethod(time.sleep)
    clock = staticmethod(time.monotonic)

    def validate(self):
        params = self.params
        self.resource_type = params.get("resource_type") or "VPC"
        self.resource_ids = ec2_resources.validate_resource_ids(self.resource_type, params.get("resource_ids"))
        self.state = params.get("state") or "present"
        self.tags = validate_tags(params.get("tags"))
        self.purge_tags = params.get("purge_tags", True)
        self.on_change = params.get("on_change") or "replace"
        self.propagation_timeout = float(params.get("role_propagation_timeout") or 0)
        if self.propagation_timeout < 0:
            raise ValidationError("role_propagation_timeout", "must be 0 or more seconds")
        if self.state == "present":
            self.desired = build_desired(params, params.get("region") or self.session.region_name)
        else:
            self.desired = None
            self.criteria = self._absent_criteria(params)

    @staticmethod
    def _absent_criteria(params):
        resource_type = params.get("resource_type") or "VPC"
        destination_type = params.get("destination_type")
        destination_arn = strip_log_group_suffix(params.get("destination_arn"))
        log_group_name = params.get("log_group")
        if destination_arn:
            require_arn("destination_arn", destination_arn)
            if (destination_type or CLOUDWATCH) == CLOUDWATCH and parse_arn(destination_arn)["service"] == "logs":
                log_group_name = log_group_name_from_arn(destination_arn)
                destination_type = CLOUDWATCH
        if log_group_name:
            destination_type = destination_type or CLOUDWATCH
        traffic_type = params.get("traffic_type")
        if traffic_type and is_tgw(resource_type):
            raise ValidationError("traffic_type", "is not supported for {0} flow logs".format(resource_type))
        return dict(resource_type=resource_type, destination_type=destination_type, log_group_name=log_group_name,
                    destination_arn=destination_arn, traffic_type=traffic_type)

    # -- read -------------------------------------------------------------------------------
    def read(self):
        if self.state == "present":
            # Every id must exist before anything changes (one Describe for all of them).
            ec2_resources.require_existing(self.session, self.resource_type, self.resource_ids)
            if self.desired["role_arn"] is None and self.params.get("role"):
                self.desired["role_arn"] = role_arn_from(self.params["role"], self.session.caller_identity())
        return self.describe_for_resources(self.resource_ids)

    def describe_for_resources(self, resource_ids):
        """{resource id: [DescribeFlowLogs entries]} with one filtered call per 1000 ids."""
        by_resource = {}
        for chunk in ec2_resources.chunks(resource_ids, ec2_resources.FILTER_VALUES_PER_CALL):
            for flow_log in self.session.paginate("ec2", "describe_flow_logs", "FlowLogs",
                                                  Filters=[{"Name": "resource-id", "Values": chunk}]):
                by_resource.setdefault(flow_log["ResourceId"], []).append(flow_log)
        return by_resource

    # -- plan -------------------------------------------------------------------------------
    def plan(self, current):
        self.current = current
        if self.state == "present":
            self.plans = plan_present(self.desired, self.tags, self.purge_tags, self.resource_ids, current)
        else:
            self.plans = plan_absent(self.criteria, self.resource_ids, current)
        changed = [p for p in self.plans if p.changed]
        plan = Plan(before=dict((p.resource_id, p.before) for p in changed),
                    after=dict((p.resource_id, p.after) for p in changed))
        replacing = [p for p in changed if p.outcome == "replaced"]
        if replacing and self.on_change == "fail":
            raise ResourceFailure(
                "on_change=fail: the flow logs of {0} resource(s) differ in settings that cannot be changed "
                "in place ({1}); set on_change=replace to create new flow logs and delete the old ones".format(
                    len(replacing), ", ".join(p.resource_id for p in replacing[:10])),
                changed=False, diff=dict(before=plan.before, after=plan.after),
                differences=dict((p.resource_id, p.changes) for p in replacing))
        self.outcomes = dict((p.resource_id, p.outcome) for p in self.plans)
        self.failures = {}
        self.created = {}
        creates = [p for p in changed if p.create]
        deletes = [fl for p in changed for fl in p.delete]
        retags = [p for p in changed if p.keep is not None and (p.tags_to_set or p.tags_to_remove)]
        if creates:
            plan.add("create flow logs for {0} {1}(s)".format(len(creates), self.resource_type),
                     self.apply_creates, creates)
        if deletes:
            plan.add("delete {0} flow log(s)".format(len(deletes)), self.apply_deletes)
        if retags:
            plan.add("retag {0} flow log(s)".format(len(retags)), self.apply_retags, retags)
        return plan

    # -- apply: create ------------------------------------------------------------------------
    def apply_creates(self, creates):
        kind = ec2_resources.kind_of(self.resource_type)
        for tags_key, group in group_by(creates, lambda p: json.dumps(p.create_tags, sort_keys=True)):
            for chunk in ec2_resources.chunks(group, kind.create_chunk):
                self._create_chunk(chunk, json.loads(tags_key), salt="")
        new = self._find_new_flow_logs([p for p in creates if p.resource_id not in self.failures])
        # A reused ClientToken can answer with flow logs deleted since (a create, delete and create
        # again of the same configuration): create those again once, under a fresh token.
        stale = [p for p in creates if p.resource_id not in self.failures and p.resource_id not in new]
        if stale:
            for tags_key, group in group_by(stale, lambda p: json.dumps(p.create_tags, sort_keys=True)):
                for chunk in ec2_resources.chunks(group, kind.create_chunk):
                    self._create_chunk(chunk, json.loads(tags_key), salt="retry-after-stale-token")
            new.update(self._find_new_flow_logs([p for p in stale if p.resource_id not in self.failures]))
        for plan in creates:
            if plan.resource_id in new:
                self.created[plan.resource_id] = new[plan.resource_id]
            elif plan.resource_id not in self.failures:
                self.failures[plan.resource_id] = "CreateFlowLogs reported success but no matching flow log appeared"

    def _create_chunk(self, plans, tags, salt):
        """One CreateFlowLogs call (plus retries while the delivery role propagates)."""
        resource_ids = [p.resource_id for p in plans]
        replacing = [fl["FlowLogId"] for p in plans for fl in p.delete]
        deadline = self.clock() + self.propagation_timeout
        delay = 1.0
        attempt = 0
        while resource_ids:
            token = client_token(self.desired, resource_ids, tags, replacing,
                                 salt="{0}/{1}".format(salt, attempt) if (salt or attempt) else "")
            request = create_request(self.desired, resource_ids, tags, token)
            try:
                response = self.session.call("ec2", "create_flow_logs", **request)
            except AwsApiError as exc:
                if is_role_propagation(exc.code, exc.message) and self.clock() + delay <= deadline:
                    self.sleep(delay)
                    delay, attempt = min(delay * 2, 10.0), attempt + 1
                    continue
                if exc.code == "FlowLogAlreadyExists":
                    # moto raises this for the whole call after creating the resources before the
                    # duplicate; the describe that follows finds what exists.
                    return
                for resource_id in resource_ids:
                    self.failures[resource_id] = str(exc)
                return
            retry = []
            for item in response.get("Unsuccessful") or []:
                error = item.get("Error") or {}
                resource_id = item.get("ResourceId")
                if is_role_propagation(error.get("Code"), error.get("Message")):
                    retry.append(resource_id)
                elif error.get("Code") == "FlowLogAlreadyExists":
                    continue  # found (or not) by the describe that follows
                else:
                    self.failures[resource_id] = "{0}: {1}".format(error.get("Code"), error.get("Message"))
            if retry and self.clock() + delay <= deadline:
                self.sleep(delay)
                delay, attempt = min(delay * 2, 10.0), attempt + 1
                resource_ids = retry
                continue
            for resource_id in retry:
                self.failures[resource_id] = (
                    "InvalidParameter: Unable to assume given IAM role (still failing after "
                    "role_propagation_timeout={0:g} s)".format(self.propagation_timeout))
            return

    def _find_new_flow_logs(self, plans):
        """{resource id: new DescribeFlowLogs entry} for the resources just created."""
        if not plans:
            return {}
        before = set(fl["FlowLogId"] for p in plans for fl in self.current.get(p.resource_id, []))
        found = self.describe_for_resources([p.resource_id for p in plans])
        new = {}
        for plan in plans:
            candidates = [(fl, existing_config(fl)) for fl in found.get(plan.resource_id, [])
                          if fl["FlowLogId"] not in before]
            matching = [fl for fl, config in candidates
                        if same_identity(self.desired, config) and not differences(self.desired, config)]
            if matching:
                new[plan.resource_id] = sorted(matching, key=lambda fl: fl["FlowLogId"])[0]
        return new

    # -- apply: delete ------------------------------------------------------------------------
    def apply_deletes(self):
        # The old flow log goes only once its replacement exists, so no traffic goes unlogged.
        owners = {}
        for plan in self.plans:
            if not plan.delete or plan.resource_id in self.failures:
                continue
            if plan.create and plan.resource_id not in self.created:
                continue
            for flow_log in plan.delete:
                owners[flow_log["FlowLogId"]] = plan.resource_id
        for chunk in ec2_resources.chunks(sorted(owners), FLOW_LOG_IDS_PER_CALL):
            try:
                response = self.session.call("ec2", "delete_flow_logs", FlowLogIds=chunk)
            except AwsApiError as exc:
                for flow_log_id in chunk:
                    self.failures[owners[flow_log_id]] = "{0} (old flow log {1} kept; the next run deletes it)".format(
                        exc, flow_log_id)
                continue
            for item in response.get("Unsuccessful") or []:
                error = item.get("Error") or {}
                if error.get("Code") == "InvalidFlowLogId.NotFound":
                    continue  # already gone: the goal
                flow_log_id = item.get("ResourceId")
                self.failures[owners.get(flow_log_id, flow_log_id)] = "DeleteFlowLogs {0}: {1}: {2}".format(
                    flow_log_id, error.get("Code"), error.get("Message"))

    # -- apply: retag -------------------------------------------------------------------------
    def apply_retags(self, retags):
        for tags_key, group in group_by([p for p in retags if p.tags_to_set],
                                        lambda p: json.dumps(p.tags_to_set, sort_keys=True)):
            self._tag_call("create_tags", group, Tags=dict_to_tag_list(json.loads(tags_key)))
        for keys, group in group_by([p for p in retags if p.tags_to_remove], lambda p: tuple(p.tags_to_remove)):
            self._tag_call("delete_tags", group, Tags=[dict(Key=key) for key in keys])

    def _tag_call(self, operation, plans, **kwargs):
        for chunk in ec2_resources.chunks(plans, TAG_RESOURCES_PER_CALL):
            try:
                self.session.call("ec2", operation, Resources=[p.keep["FlowLogId"] for p in chunk], **kwargs)
            except AwsApiError as exc:
                for plan in chunk:
                    self.failures[plan.resource_id] = str(exc)

    # -- result -------------------------------------------------------------------------------
    def result(self, plan, applied):
        outcomes = dict(self.outcomes)
        for resource_id in self.failures:
            outcomes[resource_id] = "failed"
        flow_logs = []
        deleted = []
        for resource_plan in self.plans:
            rid = resource_plan.resource_id
            if self.state == "present":
                if resource_plan.keep is not None:
                    kept = flow_log_summary(resource_plan.keep)
                    if applied and rid not in self.failures:
                        kept["tags"] = merged_tags(kept["tags"], self.tags, self.purge_tags)
                    flow_logs.append(kept)
                elif rid in self.created:
                    flow_logs.append(flow_log_summary(self.created[rid]))
                elif not applied and resource_plan.create:
                    flow_logs.append(planned_summary(self.desired, rid, resource_plan.create_tags))
            if applied and rid not in self.failures or not applied:
                deleted.extend(fl["FlowLogId"] for fl in resource_plan.delete)
        summary = dict((outcome, 0) for outcome in OUTCOMES)
        for outcome in outcomes.values():
            summary[outcome] += 1
        result = dict(flow_logs=flow_logs, resources=outcomes, summary=summary, deleted_flow_log_ids=deleted)
        if self.failures:
            result["failures"] = dict(self.failures)
            result["changed"] = bool(self.created) or any(
                p.changed and p.resource_id not in self.failures for p in self.plans)
            raise ResourceFailure("flow logs failed for {0} of {1} resource(s): {2}".format(
                len(self.failures), len(self.resource_ids),
                "; ".join("{0}: {1}".format(k, v) for k, v in sorted(self.failures.items())[:10])), **result)
        return result


# --------------------------------------------------------------------------------------------
# coverage (flow_log_info)
# --------------------------------------------------------------------------------------------
TRAFFIC_COVERS = dict(ALL=("ALL",), REJECT=("ALL", "REJECT"), ACCEPT=("ALL", "ACCEPT"))


def unmet_requirements(flow_log, requirements):
    """Why ``flow_log`` (a flow_log_summary) does not satisfy ``requirements``; [] when it does."""
    reasons = []
    if flow_log.get("flow_log_status") != "ACTIVE":
        reasons.append("status is {0}, not ACTIVE".format(flow_log.get("flow_log_status")))
    wanted = requirements.get("traffic_type")
    if wanted and flow_log.get("traffic_type") not in TRAFFIC_COVERS[wanted]:
        reasons.append("traffic type {0} does not capture {1} traffic".format(flow_log.get("traffic_type"), wanted))
    if requirements.get("destination_type") and flow_log["destination_type"] != requirements["destination_type"]:
        reasons.append("delivers to {0}, not {1}".format(flow_log["destination_type"],
                                                         requirements["destination_type"]))
    if requirements.get("log_group") and flow_log.get("log_group_name") != requirements["log_group"]:
        reasons.append("delivers to log group {0!r}, not {1!r}".format(flow_log.get("log_group_name"),
                                                                       requirements["log_group"]))
    if requirements.get("destination_arn"):
        wanted_arn = strip_log_group_suffix(requirements["destination_arn"]).rstrip("/")
        if (flow_log.get("destination_arn") or "").rstrip("/") != wanted_arn:
            reasons.append("delivers to {0}, not {1}".format(flow_log.get("destination_arn"), wanted_arn))
    limit = requirements.get("max_aggregation_interval")
    if limit and (flow_log.get("max_aggregation_interval") or 600) > limit:
        reasons.append("aggregation interval {0} s is over {1} s".format(flow_log.get("max_aggregation_interval"),
                                                                         limit))
    minimum = requirements.get("min_format_version")
    if minimum and (flow_log.get("format_version") or 0) < minimum:
        reasons.append("format version {0} is below {1}".format(flow_log.get("format_version"), minimum))
    if requirements.get("require_delivery") and flow_log.get("deliver_logs_status") == "FAILED":
        reasons.append("delivery FAILED: {0}".format(flow_log.get("deliver_logs_error_message") or "no reason given"))
    return reasons


def evaluate_coverage(resources, flow_logs, requirements):
    """Which resources an ACTIVE flow log satisfying ``requirements`` covers (AWS Config's
    vpc-flow-logs-enabled, extended to subnets and ENIs and to format/interval/destination).

    ``resources``: [{resource_id, resource_type, parents}] where parents are the ids whose flow
    logs also capture this resource's traffic (a subnet's VPC; an ENI's subnet and VPC).
    ``flow_logs``: flow_log_summary dicts.
    """
    by_resource = {}
    for flow_log in flow_logs:
        by_resource.setdefault(flow_log["resource_id"], []).append(flow_log)
    covered, uncovered = [], []
    for resource in resources:
        watched = [resource["resource_id"]] + list(resource.get("parents") or [])
        candidates = [fl for rid in watched for fl in by_resource.get(rid, [])]
        satisfying = [fl for fl in candidates if not unmet_requirements(fl, requirements)]
        if satisfying:
            covered.append(dict(resource_id=resource["resource_id"], resource_type=resource["resource_type"],
                                flow_log_ids=[fl["flow_log_id"] for fl in satisfying],
                                via=sorted(set(fl["resource_id"] for fl in satisfying))))
            continue
        if not candidates:
            reason = "no flow log on {0}".format(" or ".join(watched))
        else:
            reason = "; ".join("{0} on {1}: {2}".format(fl["flow_log_id"], fl["resource_id"],
                                                        ", ".join(unmet_requirements(fl, requirements)))
                               for fl in candidates)
        uncovered.append(dict(resource_id=resource["resource_id"], resource_type=resource["resource_type"],
                              reason=reason))
    return dict(covered=covered, uncovered=uncovered, compliant=not uncovered,
                summary=dict(total=len(resources), covered=len(covered), uncovered=len(uncovered)))


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
    # Ids and resource ids go in chunks of 1000 (one call for up to 1000 of each).
    id_chunks = list(ec2_resources.chunks(flow_log_ids, FLOW_LOG_IDS_PER_CALL)) if flow_log_ids else [None]
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


COVERAGE_TYPES = ("VPC", "Subnet", "NetworkInterface")


def coverage_resources(session, resource_types, resource_ids=None):
    """[{resource_id, resource_type, parents}] of the region's resources of these types."""
    wanted = set(resource_ids or [])
    resources = []
    for resource_type in resource_types:
        kind = ec2_resources.kind_of(resource_type)
        if wanted:
            ids = [rid for rid in resource_ids if ec2_resources.resource_type_of_id(rid) == resource_type]
            if not ids:
                continue
            items = ec2_resources.describe_resources(session, resource_type, ids).values()
        else:
            items = session.paginate("ec2", kind.describe, kind.result_key)
        for item in items:
            parents = []
            if resource_type in ("NetworkInterface",) and item.get("SubnetId"):
                parents.append(item["SubnetId"])
            if resource_type in ("Subnet", "NetworkInterface") and item.get("VpcId"):
                parents.append(item["VpcId"])
            resources.append(dict(resource_id=item[kind.id_key], resource_type=resource_type, parents=parents))
    return sorted(resources, key=lambda r: (COVERAGE_TYPES.index(r["resource_type"]), r["resource_id"]))


# -- flow_log_info -------------------------------------------------------------------------------
CHOICES_DESTINATION = ["cloud-watch-logs", "s3", "kinesis-data-firehose"]
CHOICES_TRAFFIC = ["ALL", "ACCEPT", "REJECT"]
FLOW_LOG_ID_PATTERN = re.compile(r"^fl-[0-9a-f]{8}(?:[0-9a-f]{9})?$")


def _check_ids(param, ids, types):
    for resource_id in ids or []:
        if ec2_resources.resource_type_of_id(resource_id) not in types:
            raise ValidationError(param, "{0!r} is not the id of a {1}".format(resource_id, " or ".join(types)))


def validate_info_params(params):
    """Every flow_log_info filter and coverage requirement, checked before any AWS call."""
    _check_ids("resource_ids", params.get("resource_ids"), ec2_resources.RESOURCE_TYPES)
    for flow_log_id in params.get("flow_log_ids") or []:
        if not FLOW_LOG_ID_PATTERN.match(flow_log_id):
            raise ValidationError("flow_log_ids", "{0!r} is not a flow log id (fl- and 8 or 17 hex digits)".format(
                flow_log_id))
    if params.get("log_group") is not None:
        require_log_group_name("log_group", params["log_group"])
    coverage = params.get("coverage")
    if not coverage:
        return
    _check_ids("coverage.resource_ids", coverage.get("resource_ids"), coverage["resource_types"])
    if coverage.get("log_group") is not None:
        require_log_group_name("coverage.log_group", coverage["log_group"])
    interval = coverage.get("max_aggregation_interval")
    if interval is not None and interval not in AGGREGATION_INTERVALS:
        raise ValidationError("coverage.max_aggregation_interval", "{0!r} is not a flow-log aggregation "
                              "interval".format(interval), allowed=AGGREGATION_INTERVALS)
    version = coverage.get("min_format_version")
    if version is not None and version not in VPC_VERSIONS:
        raise ValidationError("coverage.min_format_version", "{0!r} is not a VPC flow-log format version".format(
            version), allowed=VPC_VERSIONS)


def flow_log_info(session, params):
    """flow_log_info's result: the flow logs matching the filters and, on request, a coverage audit."""
    validate_info_params(params)
    listing_filters = dict(resource_ids=params.get("resource_ids"), flow_log_ids=params.get("flow_log_ids"),
                           log_group=params.get("log_group"), destination_type=params.get("destination_type"),
                           traffic_type=params.get("traffic_type"), tags=params.get("tags"))
    flow_logs = describe_flow_logs(session, **listing_filters)
    result = dict(changed=False, flow_logs=flow_logs)
    coverage = params.get("coverage")
    if not coverage:
        return result
    filtered = any(value for value in listing_filters.values())
    every_flow_log = describe_flow_logs(session) if filtered else flow_logs
    resources = coverage_resources(session, coverage["resource_types"], coverage.get("resource_ids"))
    requirements = dict((key, coverage.get(key)) for key in (
        "traffic_type", "destination_type", "log_group", "destination_arn", "max_aggregation_interval",
        "min_format_version", "require_delivery"))
    audit = evaluate_coverage(resources, every_flow_log, requirements)
    found = set(r["resource_id"] for r in resources)
    for missing in [rid for rid in coverage.get("resource_ids") or [] if rid not in found]:
        audit["uncovered"].append(dict(resource_id=missing, resource_type=ec2_resources.resource_type_of_id(missing),
                                       reason="not found in region {0}".format(session.region_name)))
    audit["compliant"] = not audit["uncovered"]
    audit["summary"] = dict(total=len(audit["covered"]) + len(audit["uncovered"]), covered=len(audit["covered"]),
                            uncovered=len(audit["uncovered"]))
    audit["requirements"] = dict((k, v) for k, v in requirements.items() if v)
    result["coverage"] = audit
    return result
