# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The choices and defaults of the flow_log and flow_log_info options, declared once.

The modules' argument specs come from here and the validation in ``config`` checks against the
same tuples, so a choice is never written twice. Values from the EC2 API reference,
CreateFlowLogs (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateFlowLogs.html).
"""


from ansible_collections.netobs.flowlogs.plugins.module_utils import ec2_resources
from ansible_collections.netobs.flowlogs.plugins.module_utils.options import Option, argument_spec

CLOUDWATCH = "cloud-watch-logs"
S3 = "s3"
FIREHOSE = "kinesis-data-firehose"
DESTINATION_TYPES = (CLOUDWATCH, S3, FIREHOSE)
TRAFFIC_TYPES = ("ALL", "ACCEPT", "REJECT")
AGGREGATION_INTERVALS = (60, 600)
FILE_FORMATS = ("plain-text", "parquet")
ON_CHANGE = ("replace", "fail")
STATES = ("present", "absent")
RESOURCE_TYPES = ec2_resources.RESOURCE_TYPES

DEFAULT_RESOURCE_TYPE = "VPC"
DEFAULT_DESTINATION_TYPE = CLOUDWATCH
DEFAULT_TRAFFIC_TYPE = "ALL"
DEFAULT_AGGREGATION_INTERVAL = 60
DEFAULT_FILE_FORMAT = "plain-text"
DEFAULT_ON_CHANGE = "replace"
DEFAULT_STATE = "present"
DEFAULT_ROLE_PROPAGATION_TIMEOUT = 120


# The flow_log module's options (EC2 API reference: CreateFlowLogs). A change to what AWS cannot
# modify on a flow log replaces it as on_change says, so none is marked immutable.
FLOW_LOG_OPTIONS = dict(
    resource_type=Option("str", default=DEFAULT_RESOURCE_TYPE, choices=RESOURCE_TYPES, aws_key="ResourceType"),
    resource_ids=Option("list", elements="str", required=True, aws_key="ResourceIds"),
    traffic_type=Option("str", choices=TRAFFIC_TYPES, aws_key="TrafficType"),
    destination_type=Option("str", default=DEFAULT_DESTINATION_TYPE, choices=DESTINATION_TYPES,
                            aws_key="LogDestinationType"),
    log_group=Option("str", aws_key="LogGroupName"),
    destination_arn=Option("str", aws_key="LogDestination"),
    role=Option("str", aws_key="DeliverLogsPermissionArn"),
    cross_account_role=Option("str", aws_key="DeliverCrossAccountRole"),
    max_aggregation_interval=Option("int", default=DEFAULT_AGGREGATION_INTERVAL, choices=AGGREGATION_INTERVALS,
                                    aws_key="MaxAggregationInterval"),
    log_format=Option("raw", default="default", aws_key="LogFormat"),
    destination_options=Option("dict", aws_key="DestinationOptions", options=dict(
        file_format=Option("str", default=DEFAULT_FILE_FORMAT, choices=FILE_FORMATS, aws_key="FileFormat"),
        hive_compatible_partitions=Option("bool", default=False, aws_key="HiveCompatiblePartitions"),
        per_hour_partition=Option("bool", default=False, aws_key="PerHourPartition"),
    )),
    tags=Option("dict", aws_key="TagSpecifications"),
    purge_tags=Option("bool", default=True),
    on_change=Option("str", default=DEFAULT_ON_CHANGE, choices=ON_CHANGE),
    exclusive=Option("bool", default=False),
    owned_only=Option("bool", default=False),
    validate_only=Option("bool", default=False),
    option_names=Option("dict"),
    role_propagation_timeout=Option("int", default=DEFAULT_ROLE_PROPAGATION_TIMEOUT),
    state=Option("str", default=DEFAULT_STATE, choices=STATES),
)

# The flow_log_info module's options (EC2 API reference: DescribeFlowLogs filters; the coverage audit's).
FLOW_LOG_INFO_OPTIONS = dict(
    resource_ids=Option("list", elements="str", aws_key="resource-id"),
    flow_log_ids=Option("list", elements="str", aws_key="FlowLogIds"),
    log_group=Option("str", aws_key="log-group-name"),
    destination_type=Option("str", choices=DESTINATION_TYPES, aws_key="log-destination-type"),
    traffic_type=Option("str", choices=TRAFFIC_TYPES, aws_key="traffic-type"),
    tags=Option("dict", aws_key="tag:<key>"),
    coverage=Option("dict", options=dict(
        resource_types=Option("list", elements="str", default=["VPC"], choices=RESOURCE_TYPES),
        resource_ids=Option("list", elements="str"),
        traffic_type=Option("str", choices=TRAFFIC_TYPES),
        destination_type=Option("str", choices=DESTINATION_TYPES),
        log_group=Option("str"),
        destination_arn=Option("str"),
        max_aggregation_interval=Option("int"),
        min_format_version=Option("int"),
        require_delivery=Option("bool", default=True),
        exclude_ids=Option("list", elements="str"),
        exclude_tags=Option("dict"),
        skip_default_vpc=Option("bool", default=False),
    )),
)


def flow_log_options():
    """The flow_log module's argument spec (without the connection options)."""
    return argument_spec(FLOW_LOG_OPTIONS)


def flow_log_info_options():
    """The flow_log_info module's argument spec (without the connection options)."""
    return argument_spec(FLOW_LOG_INFO_OPTIONS)
