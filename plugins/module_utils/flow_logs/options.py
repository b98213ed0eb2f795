# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The choices and defaults of the flow_log and flow_log_info options, declared once.

The modules' argument specs come from here and the validation in ``config`` checks against the
same tuples, so a choice is never written twice. Values from the EC2 API reference,
CreateFlowLogs (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateFlowLogs.html).
"""


from ansible_collections.netobs.flowlogs.plugins.module_utils import ec2_resources

CLOUDWATCH = "cloud-watch-logs"
S3 = "s3"
FIREHOSE = "kinesis-data-firehose"
DESTINATION_TYPES = (CLOUDWATCH, S3, FIREHOSE)
TRAFFIC_TYPES = ("ALL", "ACCEPT", "REJECT")
AGGREGATION_INTERVALS = (60, 600)
TGW_AGGREGATION_INTERVAL = 60  # transit gateway flow logs aggregate over 60 s only
FILE_FORMATS = ("plain-text", "parquet")
ON_CHANGE = ("replace", "fail")
STATES = ("present", "absent")
RESOURCE_TYPES = ec2_resources.RESOURCE_TYPES
COVERAGE_TYPES = ("VPC", "Subnet", "NetworkInterface")

DEFAULT_RESOURCE_TYPE = "VPC"
DEFAULT_DESTINATION_TYPE = CLOUDWATCH
DEFAULT_TRAFFIC_TYPE = "ALL"
DEFAULT_AGGREGATION_INTERVAL = 60
DEFAULT_FILE_FORMAT = "plain-text"
DEFAULT_ON_CHANGE = "replace"
DEFAULT_STATE = "present"
DEFAULT_ROLE_PROPAGATION_TIMEOUT = 120


def flow_log_options():
    """The flow_log module's options (without the connection options)."""
    return dict(
        resource_type=dict(type="str", default=DEFAULT_RESOURCE_TYPE, choices=list(RESOURCE_TYPES)),
        resource_ids=dict(type="list", elements="str", required=True),
        traffic_type=dict(type="str", choices=list(TRAFFIC_TYPES)),
        destination_type=dict(type="str", default=DEFAULT_DESTINATION_TYPE, choices=list(DESTINATION_TYPES)),
        log_group=dict(type="str"),
        destination_arn=dict(type="str"),
        role=dict(type="str"),
        cross_account_role=dict(type="str"),
        max_aggregation_interval=dict(type="int", default=DEFAULT_AGGREGATION_INTERVAL,
                                      choices=list(AGGREGATION_INTERVALS)),
        log_format=dict(type="raw", default="default"),
        destination_options=dict(type="dict", options=dict(
            file_format=dict(type="str", default=DEFAULT_FILE_FORMAT, choices=list(FILE_FORMATS)),
            hive_compatible_partitions=dict(type="bool", default=False),
            per_hour_partition=dict(type="bool", default=False),
        )),
        tags=dict(type="dict"),
        purge_tags=dict(type="bool", default=True),
        on_change=dict(type="str", default=DEFAULT_ON_CHANGE, choices=list(ON_CHANGE)),
        exclusive=dict(type="bool", default=False),
        owned_only=dict(type="bool", default=False),
        validate_only=dict(type="bool", default=False),
        option_names=dict(type="dict"),
        role_propagation_timeout=dict(type="int", default=DEFAULT_ROLE_PROPAGATION_TIMEOUT),
        state=dict(type="str", default=DEFAULT_STATE, choices=list(STATES)),
    )


def flow_log_info_options():
    """The flow_log_info module's options (without the connection options)."""
    return dict(
        resource_ids=dict(type="list", elements="str"),
        flow_log_ids=dict(type="list", elements="str"),
        log_group=dict(type="str"),
        destination_type=dict(type="str", choices=list(DESTINATION_TYPES)),
        traffic_type=dict(type="str", choices=list(TRAFFIC_TYPES)),
        tags=dict(type="dict"),
        coverage=dict(type="dict", options=dict(
            resource_types=dict(type="list", elements="str", default=["VPC"], choices=list(COVERAGE_TYPES)),
            resource_ids=dict(type="list", elements="str"),
            traffic_type=dict(type="str", choices=list(TRAFFIC_TYPES)),
            destination_type=dict(type="str", choices=list(DESTINATION_TYPES)),
            log_group=dict(type="str"),
            destination_arn=dict(type="str"),
            max_aggregation_interval=dict(type="int"),
            min_format_version=dict(type="int"),
            require_delivery=dict(type="bool", default=True),
            exclude_ids=dict(type="list", elements="str"),
            exclude_tags=dict(type="dict"),
            skip_default_vpc=dict(type="bool", default=False),
        )),
    )
