# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every id, name and ARN rule of the collection, and the ``require_*`` checks that apply them.

The modules, the lookup, the inventory plugin and the roles (through the ``flowlogs_problems``
filter) all check values here, so a rule changes in this file only. Each pattern follows the AWS
API reference of the call that takes the value (cited beside it), in ASCII: IAM's documented
``[\\w+=,.@-]`` means ASCII letters and digits, not Python's Unicode ``\\w``.
"""

import re


class ValidationError(ValueError):
    """A parameter value that AWS would reject (or that would do harm); raised before any mutation.

    A ValueError, so callers that already turn bad values into user errors (the lookup, the
    inventory plugin, session_for_module) report it without knowing this class.
    """

    def __init__(self, param, message, allowed=None):
        self.param = param
        self.problem = message
        self.allowed = allowed
        text = "{0}: {1}".format(param, message)
        if allowed is not None:
            text += " (allowed: {0})".format(", ".join(str(a) for a in allowed))
        super(ValidationError, self).__init__(text)


# -- accounts, regions, ARNs ---------------------------------------------------------------------------
# An account id is 12 digits (AWS Organizations API reference, Account.Id).
ACCOUNT_ID_PATTERN = re.compile(r"^\d{12}$")
# Region names: us-east-1, eu-central-2, us-gov-west-1, cn-north-1 (AWS General Reference, Regions).
REGION_PATTERN = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d+$")
PARTITIONS = ("aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc")
# arn:partition:service:region:account-id:resource (IAM User Guide, "IAM ARNs" / reference-arns).
ARN_PATTERN = re.compile(
    r"^arn:(?P<partition>" + "|".join(re.escape(p) for p in PARTITIONS) + r"):"
    r"(?P<service>[a-z0-9-]+):(?P<region>[a-z0-9-]*):(?P<account>\d{12}|aws|):(?P<resource>.+)$"
)

# -- IAM (IAM API reference: CreateRole, CreatePolicy, CreateRole.Path, CreateRole.Description) -----------
# https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html: RoleName 1-64 of [\w+=,.@-]
# https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html: PolicyName 1-128 of the same
IAM_NAME_CHARACTERS = "A-Za-z0-9+=,.@_-"
IAM_NAME_PATTERN = re.compile(r"^[A-Za-z0-9+=,.@_-]+$")
ROLE_NAME_MAX = 64
POLICY_NAME_MAX = 128
# Path: "/" alone or "/" + printable ASCII (U+0021-U+007E) + "/", 1-512 characters.
IAM_PATH_PATTERN = re.compile(r"^/([\x21-\x7E]*/)?$")
IAM_PATH_MAX = 512
# Description: tab, newline, carriage return, printable ASCII and Latin-1, at most 1000.
IAM_DESCRIPTION_PATTERN = re.compile(r"^[\t\n\r\x20-\x7E\xA1-\xFF]*$")
IAM_DESCRIPTION_MAX = 1000

# -- CloudWatch Logs ---------------------------------------------------------------------------------
# https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html:
# logGroupName 1-512 of [\.\-_/#A-Za-z0-9]
LOG_GROUP_NAME_PATTERN = re.compile(r"^[.\-_/#A-Za-z0-9]{1,512}$")
# A KMS key ARN's resource (KMS Developer Guide, key ARN): key/<key id>; aliases are not keys.
KMS_KEY_RESOURCE_PATTERN = re.compile(r"^key/[A-Za-z0-9-]{1,128}$")

# -- EC2 and S3 ---------------------------------------------------------------------------------------
# EC2 ids are a prefix and 8 (older resources) or 17 lowercase hex digits (EC2 User Guide, resource ids).
EC2_HEX_ID = r"(?:[0-9a-f]{8}|[0-9a-f]{17})"
VPC_ID_PATTERN = re.compile(r"^vpc-" + EC2_HEX_ID + r"$")
FLOW_LOG_ID_PATTERN = re.compile(r"^fl-" + EC2_HEX_ID + r"$")
# S3 bucket names: 3-63 of lowercase letters, digits, '.' and '-', starting and ending with a letter or
# digit (S3 User Guide, bucket naming rules); a flow-log destination may add /prefix/.
S3_BUCKET_RESOURCE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/.*)?$")


def ec2_id_pattern(prefix):
    """The pattern of an EC2 id with ``prefix`` (``vpc-``, ``subnet-``, ``eni-``, ``tgw-``...)."""
    return re.compile("^" + re.escape(prefix) + EC2_HEX_ID + "$")


# -- checks --------------------------------------------------------------------------------------------
def require_choice(param, value, allowed):
    if value not in allowed:
        raise ValidationError(param, "{0!r} is not allowed".format(value), allowed=allowed)
    return value


def require_length(param, value, minimum, maximum):
    if value is None or not (minimum <= len(value) <= maximum):
        raise ValidationError(param, "must be {0} to {1} characters, got {2}".format(
            minimum, maximum, 0 if value is None else len(value)))
    return value


def parse_arn(arn):
    """A dict of the ARN's parts, or None when ``arn`` is not an ARN."""
    match = ARN_PATTERN.match(arn or "") if isinstance(arn, str) or arn is None else None
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


def require_role_arn(param, arn):
    """An IAM role ARN: arn:<partition>:iam::<12-digit account>:role/[path/]name."""
    parts = parse_arn(arn)
    name = (parts or {}).get("resource", "")[len("role/"):].rsplit("/", 1)[-1]
    is_role = parts is not None and parts["service"] == "iam" and parts["resource"].startswith("role/")
    is_role = is_role and bool(ACCOUNT_ID_PATTERN.match(parts["account"]))
    if not (is_role and IAM_NAME_PATTERN.match(name) and len(name) <= ROLE_NAME_MAX):
        raise ValidationError(param, "is not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>): "
                                     "{0}".format(arn))
    return parts


def require_region(param, region):
    if not isinstance(region, str) or not REGION_PATTERN.match(region):
        raise ValidationError(param, "is not a region name such as us-east-1 or eu-west-1: {0}".format(region))
    return region


def require_account_id(param, value):
    if not ACCOUNT_ID_PATTERN.match(str(value)):
        raise ValidationError(param, "{0!r} is not a 12-digit account id".format(value))
    return value


def require_iam_name(param, value, maximum):
    """A role (``maximum`` ROLE_NAME_MAX) or policy (POLICY_NAME_MAX) name IAM accepts."""
    if not isinstance(value, str):
        raise ValidationError(param, "must be a name of 1 to {0} characters".format(maximum))
    require_length(param, value, 1, maximum)
    if not IAM_NAME_PATTERN.match(value):
        raise ValidationError(param, "{0!r} may contain only ASCII letters, digits and + = , . @ _ -".format(value))
    return value


def require_iam_path(param, value):
    if value is None:
        return "/"
    if not isinstance(value, str) or len(value) > IAM_PATH_MAX or not IAM_PATH_PATTERN.match(value):
        raise ValidationError(param, "{0!r} must start and end with / and hold only printable ASCII without "
                                     "spaces, at most {1} characters (for example /flowlogs/)".format(value,
                                                                                                      IAM_PATH_MAX))
    return value


def require_iam_description(param, value):
    if value is None:
        return None
    if len(value) > IAM_DESCRIPTION_MAX:
        raise ValidationError(param, "is {0} characters; at most {1} allowed".format(len(value), IAM_DESCRIPTION_MAX))
    if not IAM_DESCRIPTION_PATTERN.match(value):
        raise ValidationError(param, "holds characters IAM does not accept (allowed: printable ASCII, "
                                     "Latin-1, tab and newlines)")
    return value


def require_log_group_name(param, name):
    """A log group name CloudWatch Logs accepts, or a ValidationError naming ``param``."""
    if not isinstance(name, str) or not LOG_GROUP_NAME_PATTERN.match(name):
        raise ValidationError(param, "{0!r} is not a log group name: 1 to 512 letters, digits and . - _ / #".format(
            name))
    return name


def require_kms_key_arn(param, value, region=None):
    """A KMS key ARN (in ``region`` when given); "" or None means no key. Aliases and bare ids are refused."""
    if value is None or value == "":
        return value
    parts = require_arn(param, value, service="kms")
    if not KMS_KEY_RESOURCE_PATTERN.match(parts["resource"]):
        raise ValidationError(param, "{0!r} is not a KMS key ARN; CloudWatch Logs needs "
                                     "arn:<partition>:kms:<region>:<account>:key/<key id> (not an alias)".format(value))
    if region and parts["region"] != region:
        raise ValidationError(param, "the key is in {0}, the log group in {1}; CloudWatch Logs needs a key in the "
                                     "log group's region".format(parts["region"], region))
    if region and parts["partition"] != partition_of_region(region):
        raise ValidationError(param, "the key's ARN is in partition {0}, but region {1} is in partition {2}".format(
            parts["partition"], region, partition_of_region(region)))
    return value


def partition_of_region(region):
    """The partition a region name belongs to (AWS General Reference, "AWS partitions" / ARN formats)."""
    for prefix, partition in (("cn-", "aws-cn"), ("us-gov-", "aws-us-gov"), ("us-isob-", "aws-iso-b"),
                              ("us-iso-", "aws-iso"), ("eu-isoe-", "aws-iso-e"), ("us-isof-", "aws-iso-f"),
                              ("eusc-", "aws-eusc")):
        if region.startswith(prefix):
            return partition
    return "aws"


# A Region every account of the partition has (enabled by default, never opt-in), for calls that
# need one before any Region is known ("AWS Regions", Regions and Availability Zones guide).
PARTITION_HOME_REGIONS = {"aws": "us-east-1", "aws-cn": "cn-north-1", "aws-us-gov": "us-gov-west-1"}

# EC2 DescribeRegions' OptInStatus values of an enabled Region: a default Region
# ("opt-in-not-required") or an opt-in Region the account enabled ("opted-in"); "not-opted-in" is
# disabled (API_Region; "Enable or disable AWS Regions in your account", Account Management guide).
ENABLED_REGION_OPT_IN_STATUSES = ("opt-in-not-required", "opted-in")


# Transit gateway flow logs ("Create and manage AWS Transit Gateway Flow Logs using APIs or the CLI",
# https://docs.aws.amazon.com/vpc/latest/tgw/flow-logs-api-cli.html): --max-aggregation-interval
# "has a default value of 60, and is the only accepted value for transit gateway resource types";
# --traffic-type: "An error is returned if you provide this for transit gateway resource types".
TRANSIT_GATEWAY_RESOURCE_TYPES = ("TransitGateway", "TransitGatewayAttachment")
TRANSIT_GATEWAY_AGGREGATION_INTERVAL = 60


def require_aggregation_interval(param, resource_type, interval):
    """A transit gateway (or attachment) flow log aggregates over 60 seconds, never 600."""
    if resource_type in TRANSIT_GATEWAY_RESOURCE_TYPES and interval != TRANSIT_GATEWAY_AGGREGATION_INTERVAL:
        raise ValidationError(param, "must be 60 for {0} flow logs (the only interval transit gateway flow logs "
                                     "accept), got {1}".format(resource_type, interval),
                              allowed=(TRANSIT_GATEWAY_AGGREGATION_INTERVAL,))
    return interval


def require_s3_bucket_arn(param, value):
    """An S3 bucket ARN, optionally with a /prefix/ (a flow log's S3 destination)."""
    parts = parse_arn(value)
    if parts is None or parts["service"] != "s3" or parts["region"] or parts["account"] \
            or not S3_BUCKET_RESOURCE_PATTERN.match(parts["resource"]):
        raise ValidationError(param, "{0!r} is not a bucket ARN (arn:aws:s3:::bucket[/prefix/])".format(value))
    return value


def require_tag_filter(param, tags):
    """{key: value or None}: resources carrying one of these tags (None: any value of the key)."""
    if not isinstance(tags, dict):
        raise ValidationError(param, "must be a mapping of tag keys to values (null for any value), got {0!r}".format(
            tags))
    bad = ["{0!r}: {1!r}".format(k, v) for k, v in tags.items()
           if not isinstance(k, str) or not k or not (v is None or isinstance(v, str))]
    if bad:
        raise ValidationError(param, "not a tag key and a string value (or null for any value): {0}".format(
            ", ".join(bad)))
    return dict(tags)


def require_ec2_ids(param, values, prefix, what):
    """A non-empty list of distinct EC2 ids starting with ``prefix``."""
    if isinstance(values, (str, bytes, dict)) or not isinstance(values, (list, tuple)):
        raise ValidationError(param, "must be a list of {0} ids".format(what))
    if not values:
        raise ValidationError(param, "is an empty list; give {0} ids".format(what))
    pattern = ec2_id_pattern(prefix)
    bad = [v for v in values if not isinstance(v, str) or not pattern.match(v)]
    if bad:
        raise ValidationError(param, "not {0} ids ({1} and 8 or 17 hex digits): {2}".format(
            what, prefix, ", ".join(str(b) for b in bad)))
    if len(set(values)) != len(values):
        raise ValidationError(param, "lists a {0} more than once".format(what))
    return list(values)
