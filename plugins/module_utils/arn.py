# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""ARNs: parse, build and check them in one place."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.netobs.flowlogs.plugins.module_utils.validation import ValidationError

ARN_PATTERN = re.compile(
    r"^arn:(?P<partition>aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc):"
    r"(?P<service>[a-z0-9-]+):(?P<region>[a-z0-9-]*):(?P<account>\d{12}|aws|):(?P<resource>.+)$"
)
ACCOUNT_ID_PATTERN = re.compile(r"^\d{12}$")
REGION_PATTERN = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d+$")


def parse_arn(arn):
    """A dict of the ARN's parts, or None when ``arn`` is not an ARN."""
    match = ARN_PATTERN.match(arn or "")
    return match.groupdict() if match else None


def require_arn(param, arn, service=None, resource_prefix=None):
    """Parse ``arn`` or raise a ValidationError naming ``param``."""
    parts = parse_arn(arn)
    expected = "arn:<partition>:{0}:...".format(service or "<service>")
    if parts is None:
        raise ValidationError(param, "{0!r} is not a valid ARN; expected {1}".format(arn, expected))
    if service and parts["service"] != service:
        raise ValidationError(param, "{0!r} is a {1} ARN; expected {2}".format(arn, parts["service"], expected))
    if resource_prefix and not parts["resource"].startswith(resource_prefix):
        raise ValidationError(param, "{0!r} does not name a {1} resource".format(arn, resource_prefix.rstrip("/:")))
    return parts


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
