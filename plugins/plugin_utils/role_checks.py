# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The roles' variable checks: each is the Python rule a module runs, given the role variable's name.

meta/argument_specs.yml checks types and choices; what it cannot express (ids, names, ARNs, the
flow-log field catalogue, "a list or `all`") is checked here, before the first AWS call, through the
``netobs.flowlogs.role_problems`` lookup. A rule is defined in module_utils/rules.py (or
flowlog_fields.py) only; this table says which role variable each rule applies to.
"""

from ansible_collections.netobs.flowlogs.plugins.module_utils import ec2_resources, rules
from ansible_collections.netobs.flowlogs.plugins.module_utils.flow_logs.planning import flow_log_tags
from ansible_collections.netobs.flowlogs.plugins.module_utils.flowlog_fields import normalise_log_format
from ansible_collections.netobs.flowlogs.plugins.module_utils.tags import MAX_VALUE_LENGTH


def _resource_type(variables):
    """The role's flowlogs_resource_type (VPC when unset; argument_specs checks the choices)."""
    value = variables.get("flowlogs_resource_type") or "VPC"
    return value if value in ec2_resources.RESOURCE_TYPES else "VPC"


def _vpc_selection(name, value, variables):
    if value == "all" or value is None:
        return
    if variables.get("flowlogs_resource_ids") is not None:
        raise rules.ValidationError(name, "give flowlogs_resource_ids or flowlogs_vpc_ids, not both "
                                          "(flowlogs_vpc_ids is flowlogs_resource_ids for VPCs)")
    if _resource_type(variables) != "VPC":
        raise rules.ValidationError(name, "selects VPCs, but flowlogs_resource_type is {0}; list the {0} ids in "
                                          "flowlogs_resource_ids".format(_resource_type(variables)))
    if isinstance(value, (list, tuple)) and not value:
        raise rules.ValidationError(name, "must be `all` or a non-empty list of VPC ids; it is an empty list")
    if not isinstance(value, (list, tuple)):
        raise rules.ValidationError(name, "must be `all` or a non-empty list of VPC ids, got {0!r}".format(value))
    rules.require_ec2_ids(name, value, "vpc-", "VPC")


def _resource_selection(name, value, variables):
    # The module's own id rule (ec2_resources), so the role and flow_log refuse the same ids alike.
    if value is None or value == "all":
        return
    resource_type = _resource_type(variables)
    if not isinstance(value, (list, tuple)):
        raise rules.ValidationError(name, "must be `all` or a non-empty list of {0} ids, got {1!r}".format(
            resource_type, value))
    ec2_resources.validate_resource_ids(resource_type, list(value), param=name)


def _id_exclusions(name, value, variables):
    if not isinstance(value, (list, tuple, type(None))):
        raise rules.ValidationError(name, "must be a list of resource ids, got {0!r}".format(value))
    ec2_resources.require_ids_of_types(name, value)


def _aggregation_interval(name, value, variables):
    if isinstance(value, int):
        rules.require_aggregation_interval(name, _resource_type(variables), value)


def _traffic_type(name, value, variables):
    # CreateFlowLogs refuses a traffic type on transit gateway types (rules.py): they capture all traffic.
    resource_type = _resource_type(variables)
    if resource_type in rules.TRANSIT_GATEWAY_RESOURCE_TYPES and value not in (None, "", "ALL"):
        raise rules.ValidationError(name, "{0} flow logs have no traffic type (they capture all traffic); "
                                          "leave it at its default".format(resource_type))


def _vpc_exclusions(name, value, variables):
    if value:
        rules.require_ec2_ids(name, value, "vpc-", "VPC")
    elif not isinstance(value, (list, tuple, type(None))):
        raise rules.ValidationError(name, "must be a list of VPC ids, got {0!r}".format(value))


def _tag_exclusions(name, value, variables):
    if value is not None:
        rules.require_tag_filter(name, value)


_EXCLUSIONS = [("flowlogs_exclude_vpc_ids", _vpc_exclusions), ("flowlogs_exclude_ids", _id_exclusions),
               ("flowlogs_exclude_tags", _tag_exclusions)]
_SELECTION = [("flowlogs_vpc_ids", _vpc_selection), ("flowlogs_resource_ids", _resource_selection)]


def _log_format(name, value, variables):
    normalise_log_format(value, _resource_type(variables), param=name)


def _log_group_name(name, value, variables):
    rules.require_log_group_name(name, value)


def _optional_log_group_name(name, value, variables):
    if value:
        rules.require_log_group_name(name, value)


def _role_name(name, value, variables):
    rules.require_iam_name(name, value, rules.ROLE_NAME_MAX)


def _policy_name(name, value, variables):
    rules.require_iam_name(name, value, rules.POLICY_NAME_MAX)


def _iam_path(name, value, variables):
    rules.require_iam_path(name, value)


def _kms_key(name, value, variables):
    # The key must be in the target's region and partition (when the region is a variable).
    region = variables.get("aws_region")
    rules.require_kms_key_arn(name, value, region if isinstance(region, str) and rules.REGION_PATTERN.match(region)
                              else None)


def _flow_log_tags(name, value, variables):
    # What flow_log will be given: flowlogs_tags, the Name tag, and ManagedBy (flow_log's own rule).
    tags = dict(value or {}) if isinstance(value, dict) else value
    flow_log_name = variables.get("flowlogs_flow_log_name")
    if flow_log_name:
        if len(str(flow_log_name)) > MAX_VALUE_LENGTH:
            raise rules.ValidationError("flowlogs_flow_log_name", "is {0} characters; a tag value (the Name tag) "
                                        "may have at most {1}".format(len(str(flow_log_name)), MAX_VALUE_LENGTH))
        if isinstance(tags, dict):
            tags["Name"] = flow_log_name
    flow_log_tags(tags, param="{0} (with the Name tag flowlogs_flow_log_name)".format(name) if flow_log_name
                  else name)


def _s3_destination(name, value, variables):
    if variables.get("flowlogs_destination_type") == "s3":
        if not value:
            raise rules.ValidationError(name, "is required for destination s3 (flowlogs_destination_type); give a "
                                              "bucket ARN (arn:aws:s3:::bucket[/prefix/])")
        rules.require_s3_bucket_arn(name, value)
    elif value:
        raise rules.ValidationError(name, "only applies to flowlogs_destination_type s3")


def _optional_role_arn(name, value, variables):
    if value:
        rules.require_role_arn(name, value)


def _optional_region(name, value, variables):
    if value:
        rules.require_region(name, value)


_TARGET = [("aws_region", _optional_region), ("assume_role_arn", _optional_role_arn)]
# Role -> (variable, check): what meta/argument_specs.yml cannot check (types and choices are there).
ROLE_CHECKS = {
    "enable": _SELECTION + [
        ("flowlogs_traffic_type", _traffic_type),
        ("flowlogs_max_aggregation_interval", _aggregation_interval),
        ("flowlogs_log_format", _log_format),
        ("flowlogs_log_group_name", _log_group_name),
        ("flowlogs_role_name", _role_name),
        ("flowlogs_policy_name", _policy_name),
        ("flowlogs_iam_path", _iam_path),
        ("flowlogs_kms_key_id", _kms_key),
        ("flowlogs_s3_bucket_arn", _s3_destination),
        ("flowlogs_tags", _flow_log_tags),
    ] + _EXCLUSIONS + _TARGET,
    "disable": _SELECTION + [
        ("flowlogs_traffic_type", _traffic_type),
        ("flowlogs_log_group_name", _log_group_name),
        ("flowlogs_role_name", _role_name),
        ("flowlogs_policy_name", _policy_name),
        ("flowlogs_s3_bucket_arn", _s3_destination),
    ] + _EXCLUSIONS + _TARGET,
    "audit": _SELECTION + [
        ("flowlogs_audit_log_group_name", _optional_log_group_name),
    ] + _EXCLUSIONS + _TARGET,
}


def role_problems(variables, role):
    """The "variable: problem" messages for ``role``'s variables in ``variables`` (empty: all good).

    ``variables`` maps a variable's name to its (templated) value; a missing name counts as unset.
    """
    if role not in ROLE_CHECKS:
        raise ValueError("unknown role {0!r} (allowed: {1})".format(role, ", ".join(sorted(ROLE_CHECKS))))
    problems = []
    for name, check in ROLE_CHECKS[role]:
        try:
            check(name, variables.get(name), variables)
        except rules.ValidationError as exc:
            problems.append(str(exc))
    return problems


def checked_variables(role):
    """The variables ``role_problems`` reads for ``role``."""
    if role not in ROLE_CHECKS:
        raise ValueError("unknown role {0!r} (allowed: {1})".format(role, ", ".join(sorted(ROLE_CHECKS))))
    names = [name for name, _check in ROLE_CHECKS[role]]
    # _s3_destination reads the destination type beside the bucket, _flow_log_tags the Name tag,
    # _kms_key the region, the selection and the TGW rules the resource type.
    return names + ["flowlogs_destination_type", "flowlogs_flow_log_name", "flowlogs_resource_type"]
