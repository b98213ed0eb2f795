# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The configuration of a flow log: what a task asks for, what an existing one has, one summary.

``build_desired`` and ``existing_config`` give the same comparable shape, so matching a task to
the flow logs in place is a comparison of two dicts; ``summary`` is the one shape the modules
report a flow log in, existing or about to be created. No AWS call here.
"""


from ansible_collections.netobs.flowlogs.plugins.module_utils import ec2_resources
from ansible_collections.netobs.flowlogs.plugins.module_utils.arn import (
    iam_arn,
    log_group_name_from_arn,
    strip_log_group_suffix,
)
from ansible_collections.netobs.flowlogs.plugins.module_utils.rules import parse_arn, require_arn
from ansible_collections.netobs.flowlogs.plugins.module_utils.flow_logs.options import (
    AGGREGATION_INTERVALS,
    CLOUDWATCH,
    DEFAULT_AGGREGATION_INTERVAL,
    DEFAULT_DESTINATION_TYPE,
    DEFAULT_FILE_FORMAT,
    DEFAULT_RESOURCE_TYPE,
    DEFAULT_TRAFFIC_TYPE,
    FILE_FORMATS,
    FIREHOSE,
    S3,
    TRAFFIC_TYPES,
)
from ansible_collections.netobs.flowlogs.plugins.module_utils.flowlog_fields import (
    FIELD_VERSION,
    fields_of_format,
    format_string,
    normalise_log_format,
)
from ansible_collections.netobs.flowlogs.plugins.module_utils.tags import tag_list_to_dict
from ansible_collections.netobs.flowlogs.plugins.module_utils.rules import (
    IAM_NAME_PATTERN,
    ROLE_NAME_MAX,
    TRANSIT_GATEWAY_RESOURCE_TYPES,
    ValidationError,
    require_aggregation_interval,
    require_log_group_name,
)

# The settings AWS cannot change on an existing flow log (a difference means replace).
IMMUTABLE_KEYS = ("role_arn", "cross_account_role", "max_aggregation_interval", "log_format",
                  "destination_options")


# -- desired ----------------------------------------------------------------------------------
def is_tgw(resource_type):
    return resource_type in TRANSIT_GATEWAY_RESOURCE_TYPES


def normalise_destination_options(options, destination_type, param="destination_options"):
    """The S3 options with AWS's defaults filled in, so 'not given' equals 'given as default'."""
    if destination_type != S3:
        if options:
            raise ValidationError(param, "only applies to destination_type s3, not {0}".format(destination_type))
        return None
    options = options or {}
    file_format = options.get("file_format") or DEFAULT_FILE_FORMAT
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
    if len(value) > ROLE_NAME_MAX or not IAM_NAME_PATTERN.match(value):
        raise ValidationError(param, "{0!r} is neither a role ARN nor a role name (1-64 of ASCII letters, "
                                     "digits and +=,.@_-)".format(value))
    if identity is None:
        return None
    return iam_arn(identity["partition"], identity["account"], "role", value)


def build_desired(params, region):
    """The normalised, comparable configuration a ``flow_log`` task asks for (no AWS call).

    ``role_arn`` stays None when ``role`` is a bare name; ``resolve_role`` fills it once the
    caller's account is known.
    """
    resource_type = params.get("resource_type") or DEFAULT_RESOURCE_TYPE
    destination_type = params.get("destination_type") or DEFAULT_DESTINATION_TYPE
    tgw = is_tgw(resource_type)
    traffic_type = params.get("traffic_type")
    if tgw and traffic_type is not None:
        raise ValidationError("traffic_type", "is not supported for {0} flow logs; leave it unset".format(
            resource_type))
    if not tgw:
        traffic_type = traffic_type or DEFAULT_TRAFFIC_TYPE
        if traffic_type not in TRAFFIC_TYPES:
            raise ValidationError("traffic_type", "{0!r} is not allowed".format(traffic_type), allowed=TRAFFIC_TYPES)
    interval = params.get("max_aggregation_interval")
    interval = DEFAULT_AGGREGATION_INTERVAL if interval is None else int(interval)
    if interval not in AGGREGATION_INTERVALS:
        raise ValidationError("max_aggregation_interval", "{0} is not allowed".format(interval),
                              allowed=AGGREGATION_INTERVALS)
    require_aggregation_interval("max_aggregation_interval", resource_type, interval)

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


def absent_criteria(params):
    """For state=absent: which of a resource's flow logs the task deletes (no AWS call)."""
    resource_type = params.get("resource_type") or DEFAULT_RESOURCE_TYPE
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


# -- existing ---------------------------------------------------------------------------------
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
        options = dict(file_format=raw.get("FileFormat") or DEFAULT_FILE_FORMAT,
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


def summary(config, resource_id, tags, flow_log=None):
    """The one shape a flow log is reported in: ``config`` (build_desired or existing_config),
    plus the state AWS keeps (None for a flow log not created yet, as in check mode)."""
    flow_log = flow_log or {}
    return dict(
        flow_log_id=flow_log.get("FlowLogId"),
        resource_id=resource_id,
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
        tags=dict(tags or {}),
        creation_time=str(flow_log["CreationTime"]) if flow_log.get("CreationTime") else None,
    )


def flow_log_summary(flow_log):
    """The summary of one DescribeFlowLogs entry."""
    return summary(existing_config(flow_log), flow_log.get("ResourceId"), tag_list_to_dict(flow_log.get("Tags")),
                   flow_log)


def planned_summary(desired, resource_id, tags):
    """The summary of a flow log about to be created (check mode has no id yet)."""
    return summary(desired, resource_id, tags)


def readable_config(config, tags=None):
    """A flow log's settings as diff mode shows them."""
    shown = dict((k, v) for k, v in config.items() if v is not None and k != "resource_type")
    if tags is not None:
        shown["tags"] = tags
    return shown
