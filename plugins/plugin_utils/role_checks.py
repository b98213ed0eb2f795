# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The roles' variable checks: each is the Python rule a module runs, given the role variable's name.

meta/argument_specs.yml checks types and choices; what it cannot express (ids, names, ARNs, the
flow-log field catalogue, "a list or `all`") is checked here, before the first AWS call, through the
``netobs.flowlogs.role_problems`` lookup. A rule is defined in module_utils/rules.py (or
flowlog_fields.py) only; this table says which role variable each rule applies to.
"""

from ansible_collections.netobs.flowlogs.plugins.module_utils import rules
from ansible_collections.netobs.flowlogs.plugins.module_utils.flowlog_fields import normalise_log_format


def _vpc_selection(name, value, variables):
    if value == "all":
        return
    if isinstance(value, (list, tuple)) and not value:
        raise rules.ValidationError(name, "must be `all` or a non-empty list of VPC ids; it is an empty list")
    if not isinstance(value, (list, tuple)):
        raise rules.ValidationError(name, "must be `all` or a non-empty list of VPC ids, got {0!r}".format(value))
    rules.require_ec2_ids(name, value, "vpc-", "VPC")


def _log_format(name, value, variables):
    normalise_log_format(value, "VPC", param=name)


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
    rules.require_kms_key_arn(name, value)


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
    "enable": [
        ("flowlogs_vpc_ids", _vpc_selection),
        ("flowlogs_log_format", _log_format),
        ("flowlogs_log_group_name", _log_group_name),
        ("flowlogs_role_name", _role_name),
        ("flowlogs_policy_name", _policy_name),
        ("flowlogs_iam_path", _iam_path),
        ("flowlogs_kms_key_id", _kms_key),
        ("flowlogs_s3_bucket_arn", _s3_destination),
    ] + _TARGET,
    "disable": [
        ("flowlogs_vpc_ids", _vpc_selection),
        ("flowlogs_log_group_name", _log_group_name),
        ("flowlogs_role_name", _role_name),
        ("flowlogs_policy_name", _policy_name),
        ("flowlogs_s3_bucket_arn", _s3_destination),
    ] + _TARGET,
    "audit": [
        ("flowlogs_vpc_ids", _vpc_selection),
        ("flowlogs_audit_log_group_name", _optional_log_group_name),
    ] + _TARGET,
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
    # _s3_destination reads the destination type beside the bucket.
    return names + ["flowlogs_destination_type"]
