# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ARN builders; the ARN rules (parse_arn, require_arn, the patterns) live in rules.py."""

from ansible_collections.netobs.flowlogs.plugins.module_utils.rules import parse_arn


def iam_arn(partition, account, kind, name, path="/"):
    return "arn:{0}:iam::{1}:{2}{3}{4}".format(partition, account, kind, path or "/", name)


def log_group_arn(partition, region, account, name, stream_suffix=False):
    """The log group's ARN; ``stream_suffix`` adds the ``:*`` form the flow-log service and IAM use."""
    arn = "arn:{0}:logs:{1}:{2}:log-group:{3}".format(partition, region, account, name)
    return arn + ":*" if stream_suffix else arn


def strip_log_group_suffix(arn):
    """CloudWatch Logs hands out ``...:log-group:NAME:*``; compare without the ``:*``."""
    return arn[:-2] if arn and arn.endswith(":*") else arn


def log_group_name_from_arn(arn):
    parts = parse_arn(strip_log_group_suffix(arn))
    if not parts or parts["service"] != "logs" or not parts["resource"].startswith("log-group:"):
        return None
    return parts["resource"][len("log-group:"):]


def flow_log_source_arn(partition, region, account, flow_log_id="*"):
    return "arn:{0}:ec2:{1}:{2}:vpc-flow-log/{3}".format(partition, region, account, flow_log_id)
