# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""IAM policy documents: parse, validate, compare by meaning, and build the flow-logs ones.

AWS stores a document as sent, but a person writes the same policy many ways (key order, a
string or a one-element list, Action lists in any order). ``normalize_policy`` maps every
such spelling to one canonical form, so a module compares documents without false changes.
"""

import json
import re
from urllib.parse import unquote


from ansible_collections.netobs.flowlogs.plugins.module_utils.rules import ValidationError

# IAM's character limits, counted without whitespace (IAM and STS quotas page).
MANAGED_POLICY_MAX_CHARS = 6144
TRUST_POLICY_MAX_CHARS = 4096  # the adjustable quota's ceiling; the default quota is 2048
# What IAM assumes when a document has no Version element.
DEFAULT_POLICY_VERSION = "2008-10-17"
POLICY_VERSIONS = ("2008-10-17", "2012-10-17")
FLOW_LOGS_SERVICE = "vpc-flow-logs.amazonaws.com"
# The actions flow logs need on the log groups they write into, scoped to each group's streams.
FLOW_LOGS_DELIVERY_ACTIONS = (
    "logs:CreateLogStream",
    "logs:DescribeLogStreams",
    "logs:PutLogEvents",
)
# DescribeLogGroups supports no resource-level permission: the Service Authorization Reference
# (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html)
# lists no resource type for it, so IAM only honours it on Resource "*".
FLOW_LOGS_DESCRIBE_ACTIONS = ("logs:DescribeLogGroups",)
# The Sids the delivery policy's statements carry; iam_policy's merge_resources unions the Resource
# lists of statements with the same Sid, so one document can serve every region's log group.
DELIVERY_SID = "FlowLogsDelivery"
DESCRIBE_SID = "FlowLogsDescribeLogGroups"
ANY_LOG_GROUP_SID = "FlowLogsDeliveryAnyLogGroup"
# The policy of the VPC User Guide's "IAM role for publishing flow logs to CloudWatch Logs"
# (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html), on Resource "*":
# it also lets the service create the log group, which the enable role does itself.
ANY_LOG_GROUP_DELIVERY_ACTIONS = (
    "logs:CreateLogGroup",
    "logs:CreateLogStream",
    "logs:PutLogEvents",
    "logs:DescribeLogGroups",
    "logs:DescribeLogStreams",
)
ANY_LOG_GROUP = "*"
# Statement elements whose value is a string or a list of strings, order irrelevant.
_SET_ELEMENTS = ("Action", "NotAction", "Resource", "NotResource")
_WHITESPACE = re.compile(r"\s+")


def load_policy(value, param):
    """A policy document as a dict, from a dict or a JSON string; ValidationError otherwise."""
    if isinstance(value, dict):
        document = value
    elif isinstance(value, str):
        try:
            document = json.loads(value)
        except ValueError as exc:
            raise ValidationError(param, "is not valid JSON: {0}".format(exc))
    else:
        raise ValidationError(param, "must be a dictionary or a JSON string, got {0}".format(type(value).__name__))
    if not isinstance(document, dict):
        raise ValidationError(param, "must be a JSON object with a Statement, got {0}".format(type(document).__name__))
    return document


def policy_size(document):
    """Characters IAM counts against its limit: the compact JSON without any whitespace."""
    return len(_WHITESPACE.sub("", json.dumps(document, separators=(",", ":"))))


def _statements(document):
    statements = document.get("Statement")
    if isinstance(statements, dict):
        return [statements]
    return statements


def validate_policy(document, param, kind="identity", max_chars=None):
    """Check a document the way IAM would before it is sent.

    ``kind`` "identity" (a managed or inline policy: no Principal, needs Resource) or "trust"
    (a role's trust policy: needs Principal, no Resource). Returns the document.
    """
    if max_chars is None:
        max_chars = TRUST_POLICY_MAX_CHARS if kind == "trust" else MANAGED_POLICY_MAX_CHARS
    unknown = sorted(set(document) - set(("Version", "Id", "Statement")))
    if unknown:
        raise ValidationError(param, "unknown top-level element(s) {0}".format(", ".join(unknown)),
                              allowed=("Version", "Id", "Statement"))
    version = document.get("Version")
    if version is not None and version not in POLICY_VERSIONS:
        raise ValidationError(param, "Version {0!r} is not a policy language version".format(version),
                              allowed=POLICY_VERSIONS)
    statements = _statements(document)
    if not statements or not isinstance(statements, list):
        raise ValidationError(param, "must have a Statement (an object or a non-empty list of objects)")
    for index, statement in enumerate(statements):
        where = "Statement[{0}]".format(index)
        if not isinstance(statement, dict):
            raise ValidationError(param, "{0} must be an object".format(where))
        if statement.get("Effect") not in ("Allow", "Deny"):
            raise ValidationError(param, "{0} has Effect {1!r}".format(where, statement.get("Effect")),
                                  allowed=("Allow", "Deny"))
        if "Action" not in statement and "NotAction" not in statement:
            raise ValidationError(param, "{0} needs an Action or NotAction".format(where))
        for element in _SET_ELEMENTS:
            if element in statement and not _is_string_or_strings(statement[element]):
                raise ValidationError(param, "{0}.{1} must be a string or a list of strings".format(where, element))
        has_principal = "Principal" in statement or "NotPrincipal" in statement
        has_resource = "Resource" in statement or "NotResource" in statement
        if kind == "trust":
            if not has_principal:
                raise ValidationError(param, "{0} of a trust policy needs a Principal".format(where))
            if has_resource:
                raise ValidationError(param, "{0} of a trust policy must not have a Resource".format(where))
        else:
            if has_principal:
                raise ValidationError(param, "{0} must not have a Principal (only trust and resource "
                                             "policies name principals)".format(where))
            if not has_resource:
                raise ValidationError(param, "{0} needs a Resource or NotResource".format(where))
        condition = statement.get("Condition")
        operators = isinstance(condition, dict) and all(isinstance(v, dict) for v in condition.values())
        if condition is not None and not operators:
            raise ValidationError(param, "{0}.Condition must map operators to {{key: value(s)}}".format(where))
    size = policy_size(document)
    if size > max_chars:
        raise ValidationError(param, "is {0} characters without whitespace; AWS allows at most {1}".format(
            size, max_chars))
    return document


def _is_string_or_strings(value):
    if isinstance(value, str):
        return True
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) for v in value)


def _scalar(value):
    # IAM treats a Condition's true and "true", 5 and "5" alike; compare them as text.
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else str(value)


def _string_set(value):
    values = value if isinstance(value, list) else [value]
    return sorted(set(_scalar(v) for v in values))


def _normalize_principal(principal):
    if principal == "*":
        return {"AWS": ["*"]}
    if isinstance(principal, dict):
        return dict((kind, _string_set(value)) for kind, value in principal.items())
    return principal


def _normalize_statement(statement):
    normalized = {}
    for key, value in statement.items():
        if key in _SET_ELEMENTS:
            normalized[key] = _string_set(value)
        elif key in ("Principal", "NotPrincipal"):
            normalized[key] = _normalize_principal(value)
        elif key == "Condition" and isinstance(value, dict):
            normalized[key] = dict(
                (operator, dict((ckey, _string_set(cvalue)) for ckey, cvalue in (entries or {}).items()))
                for operator, entries in value.items())
        else:
            normalized[key] = value
    return normalized


def normalize_policy(document):
    """The canonical form of a document: two documents mean the same iff these are equal.

    Lists that are sets (Action, Resource, principals, condition values, statements) are sorted
    and deduplicated, a single string becomes a one-element list, and a missing Version is
    IAM's default, "2008-10-17".
    """
    if document is None:
        return None
    if isinstance(document, str):
        document = json.loads(document)
    statements = _statements(document) or []
    normalized = [_normalize_statement(s) if isinstance(s, dict) else s for s in statements]
    unique = dict((json.dumps(s, sort_keys=True), s) for s in normalized)
    result = {
        "Version": document.get("Version", DEFAULT_POLICY_VERSION),
        "Statement": [unique[key] for key in sorted(unique)],
    }
    if "Id" in document:
        result["Id"] = document["Id"]
    return result


def policies_equal(first, second):
    """True when two documents (dicts or JSON strings) grant the same thing, spelled either way."""
    return normalize_policy(first) == normalize_policy(second)


def document_as_dict(document):
    """IAM returns documents URL-decoded by boto3 as a dict, or a (URL-encoded) string elsewhere."""
    if document is None or isinstance(document, dict):
        return document
    text = document if document.lstrip().startswith("{") else unquote(document)
    return json.loads(text)


def flow_logs_delivery_policy(log_group_arns):
    """The least-privilege policy the flow-logs service needs to write into ``log_group_arns``.

    Each ARN is scoped to the group's streams (``...:log-group:NAME:*``): CreateLogStream is
    authorised on that form, not on the bare group ARN. ``ANY_LOG_GROUP`` ("*") gives the VPC User
    Guide's policy instead: its five actions on every resource.
    """
    if log_group_arns == ANY_LOG_GROUP:
        return {
            "Version": "2012-10-17",
            "Statement": [{
                "Sid": ANY_LOG_GROUP_SID,
                "Effect": "Allow",
                "Action": list(ANY_LOG_GROUP_DELIVERY_ACTIONS),
                "Resource": ANY_LOG_GROUP,
            }],
        }
    if isinstance(log_group_arns, str):
        log_group_arns = [log_group_arns]
    resources = []
    for arn in log_group_arns or []:
        arn = arn if arn.endswith(":*") else arn + ":*"
        if arn not in resources:
            resources.append(arn)
    if not resources:
        raise ValueError("flow_logs_delivery_policy needs at least one log group ARN")
    return {
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": DESCRIBE_SID,
            "Effect": "Allow",
            "Action": list(FLOW_LOGS_DESCRIBE_ACTIONS),
            "Resource": ANY_LOG_GROUP,
        }, {
            "Sid": DELIVERY_SID,
            "Effect": "Allow",
            "Action": list(FLOW_LOGS_DELIVERY_ACTIONS),
            "Resource": sorted(resources),
        }],
    }


def statement_resources(statement):
    resources = statement.get("Resource")
    if resources is None:
        return []
    return [resources] if isinstance(resources, str) else list(resources)


def merge_statement_resources(existing, desired):
    """``desired`` with each Sid'd statement's Resource list extended by the same-Sid statement of
    ``existing`` (a union, ``desired``'s order first). Statements without a Sid, or whose Sid
    ``existing`` lacks, are kept as they are; ``existing``'s other statements are dropped.

    Returns (document, added): ``added`` maps a Sid to the resources kept from ``existing``.
    """
    existing_by_sid = {}
    for statement in _statements(existing or {}) or []:
        if isinstance(statement, dict) and statement.get("Sid") and "Resource" in statement:
            existing_by_sid.setdefault(statement["Sid"], []).extend(statement_resources(statement))
    merged, added = [], {}
    for statement in _statements(desired) or []:
        statement = dict(statement)
        sid = statement.get("Sid")
        if sid in existing_by_sid and "Resource" in statement:
            resources = statement_resources(statement)
            extra = [r for r in existing_by_sid[sid] if r not in resources]
            if extra:
                added[sid] = sorted(set(extra))
                statement["Resource"] = sorted(set(resources + extra))
        merged.append(statement)
    document = dict(desired)
    document["Statement"] = merged
    return document, added


def missing_resources(document, other):
    """The Resource entries ``other``'s Sid'd statements hold that ``document``'s same-Sid ones lack."""
    _merged, added = merge_statement_resources(other, document)
    return added


def flow_logs_trust_policy(partition, account, region=None, confused_deputy=True):
    """The trust policy that lets only VPC Flow Logs of ``account`` assume the role.

    With ``confused_deputy`` the service may act only for flow logs of this account (and of
    ``region``; any region when None), as the VPC user guide recommends.
    """
    statement = {
        "Effect": "Allow",
        "Principal": {"Service": FLOW_LOGS_SERVICE},
        "Action": "sts:AssumeRole",
    }
    if confused_deputy:
        statement["Condition"] = {
            "StringEquals": {"aws:SourceAccount": account},
            "ArnLike": {"aws:SourceArn": "arn:{0}:ec2:{1}:{2}:vpc-flow-log/*".format(
                partition, region or "*", account)},
        }
    return {"Version": "2012-10-17", "Statement": [statement]}
