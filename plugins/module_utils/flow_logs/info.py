# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""flow_log_info's entry point: the listing and, on request, the coverage audit."""


from ansible_collections.netobs.flowlogs.plugins.module_utils import ec2_resources
from ansible_collections.netobs.flowlogs.plugins.module_utils.ec2_resources import require_ids_of_types
from ansible_collections.netobs.flowlogs.plugins.module_utils.flow_logs.api import describe_flow_logs
from ansible_collections.netobs.flowlogs.plugins.module_utils.flow_logs.coverage import (
    coverage_resources,
    evaluate_coverage,
)
from ansible_collections.netobs.flowlogs.plugins.module_utils.flow_logs.options import (
    AGGREGATION_INTERVALS,
)
from ansible_collections.netobs.flowlogs.plugins.module_utils.flowlog_fields import VPC_VERSIONS
from ansible_collections.netobs.flowlogs.plugins.module_utils.rules import (
    FLOW_LOG_ID_PATTERN,
    ValidationError,
    require_log_group_name,
    require_tag_filter,
)


def validate_info_params(params):
    """Every flow_log_info filter and coverage requirement, checked before any AWS call."""
    require_ids_of_types("resource_ids", params.get("resource_ids"))
    for flow_log_id in params.get("flow_log_ids") or []:
        if not FLOW_LOG_ID_PATTERN.match(flow_log_id):
            raise ValidationError("flow_log_ids", "{0!r} is not a flow log id (fl- and 8 or 17 hex digits)".format(
                flow_log_id))
    if params.get("log_group") is not None:
        require_log_group_name("log_group", params["log_group"])
    coverage = params.get("coverage")
    if not coverage:
        return
    require_ids_of_types("coverage.resource_ids", coverage.get("resource_ids"), coverage["resource_types"])
    require_ids_of_types("coverage.exclude_ids", coverage.get("exclude_ids"))
    if coverage.get("exclude_tags") is not None:
        require_tag_filter("coverage.exclude_tags", coverage["exclude_tags"])
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
    exclusions = dict(ids=coverage.get("exclude_ids"), tags=coverage.get("exclude_tags"),
                      skip_default_vpc=coverage.get("skip_default_vpc"))
    resources, out_of_scope = coverage_resources(session, coverage["resource_types"], coverage.get("resource_ids"),
                                                 exclusions)
    requirements = dict((key, coverage.get(key)) for key in (
        "traffic_type", "destination_type", "log_group", "destination_arn", "max_aggregation_interval",
        "min_format_version", "require_delivery"))
    audit = evaluate_coverage(resources, every_flow_log, requirements)
    found = set(r["resource_id"] for r in resources) | set(out_of_scope)
    for missing in [rid for rid in coverage.get("resource_ids") or [] if rid not in found]:
        audit["uncovered"].append(dict(resource_id=missing, resource_type=ec2_resources.resource_type_of_id(missing),
                                       reason="not found in region {0}".format(session.region_name)))
    audit["compliant"] = not audit["uncovered"]
    audit["summary"] = dict(total=len(audit["covered"]) + len(audit["uncovered"]), covered=len(audit["covered"]),
                            uncovered=len(audit["uncovered"]))
    audit["requirements"] = dict((k, v) for k, v in requirements.items() if v)
    audit["excluded"] = out_of_scope
    result["coverage"] = audit
    return result
