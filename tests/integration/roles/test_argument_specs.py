"""Bad variables stop the enable/disable/audit roles before any AWS call, naming the variable.

Each bad value is one inventory host of a single playbook run (cheaper than a run per case): every
host must fail in validation with its own message, and the local AWS must see no call at all.
"""

import json
import os

import pytest
import yaml

from ansible_collections.netobs.flowlogs.plugins.module_utils import flowlog_fields, log_groups
from local_aws._collection import REPO_ROOT

pytestmark = pytest.mark.integration

ROLES = os.path.join(REPO_ROOT, "roles")
SPEC_CHECK = "Validating arguments against arg spec 'main'"
PATTERN_CHECK = "Check the variables argument_specs cannot check"

ENABLE_CASES = {
    "retention_8": ({"flowlogs_retention_days": 8}, SPEC_CHECK, "flowlogs_retention_days"),
    "aggregation_30": ({"flowlogs_max_aggregation_interval": 30}, SPEC_CHECK, "flowlogs_max_aggregation_interval"),
    "traffic_some": ({"flowlogs_traffic_type": "SOME"}, SPEC_CHECK, "flowlogs_traffic_type"),
    "scope_bad": ({"flowlogs_policy_resource_scope": "account"}, SPEC_CHECK, "flowlogs_policy_resource_scope"),
    "unknown_field": ({"flowlogs_log_format": ["srcaddr", "dstaddr", "bogus-field"]}, PATTERN_CHECK,
                      "flowlogs_log_format: unknown field(s) 'bogus-field'"),
    "unknown_field_string": ({"flowlogs_log_format": "${srcaddr} ${nope}"}, PATTERN_CHECK,
                             "flowlogs_log_format: unknown field(s) 'nope'"),
    "format_version_6": ({"flowlogs_log_format": 6}, PATTERN_CHECK,
                         "flowlogs_log_format: version 6 is not a VPC flow-log format version"),
    "empty_vpc_list": ({"flowlogs_vpc_ids": []}, PATTERN_CHECK,
                       "flowlogs_vpc_ids: must be `all` or a non-empty list of VPC ids; it is an empty list"),
    "vpc_not_an_id": ({"flowlogs_vpc_ids": ["vpc-123", "subnet-0123abcd"]}, PATTERN_CHECK,
                      "flowlogs_vpc_ids: not VPC ids"),
    "vpc_string": ({"flowlogs_vpc_ids": "vpc-0123abcd"}, PATTERN_CHECK,
                   "flowlogs_vpc_ids: must be `all` or a non-empty list"),
    "role_arn_short_account": ({"assume_role_arn": "arn:aws:iam::12345:role/Deployer"}, PATTERN_CHECK,
                               "assume_role_arn: is not an IAM role ARN"),
    "role_arn_user": ({"assume_role_arn": "arn:aws:iam::123456789012:user/alice"}, PATTERN_CHECK,
                      "assume_role_arn: is not an IAM role ARN"),
    "s3_without_bucket": ({"flowlogs_destination_type": "s3"}, PATTERN_CHECK,
                          "flowlogs_s3_bucket_arn: is required for destination s3"),
    "kms_alias": ({"flowlogs_kms_key_id": "alias/flowlogs"}, PATTERN_CHECK,
                  "flowlogs_kms_key_id: 'alias/flowlogs' is not a valid ARN; expected arn:<partition>:kms:"),
    "bad_region": ({"aws_region": "Europe"}, PATTERN_CHECK, "aws_region: is not a region name"),
    "exclude_subnet_id": ({"flowlogs_exclude_vpc_ids": ["subnet-0123abcd"]}, PATTERN_CHECK,
                          "flowlogs_exclude_vpc_ids: not VPC ids"),
    "exclude_tags_list": ({"flowlogs_exclude_tags": ["Team"]}, SPEC_CHECK, "flowlogs_exclude_tags"),
    "exclude_tag_value_list": ({"flowlogs_exclude_tags": {"Team": ["a"]}}, PATTERN_CHECK,
                               "flowlogs_exclude_tags: not a tag key and a string value (or null for any value)"),
    "skip_default_text": ({"flowlogs_skip_default_vpc": "perhaps"}, SPEC_CHECK, "flowlogs_skip_default_vpc"),
}


def inventory_of(tmp_path, cases):
    hosts = dict((name, dict(case[0], ansible_connection="local")) for name, case in cases.items())
    path = tmp_path / "bad-variables.yml"
    path.write_text(json.dumps({"all": {"hosts": hosts}}))
    return str(path)


def assert_each_case_failed_in_validation(run, summary_path, cases, aws):
    assert run.returncode != 0
    summary = json.loads(summary_path.read_text())
    assert summary["fleet"]["failed"] == len(cases), run.stdout[-4000:]
    targets = dict((t["target"], t) for t in summary["targets"])
    for name, (_variables, task, message) in cases.items():
        error = targets[name]["error"]
        assert error["task"] == task or error["task"].startswith(task), (name, error)
        assert message in error["message"], (name, error["message"])
    assert aws.recorder.calls() == [], "validation must come before any AWS call"


def test_enable_rejects_bad_variables_before_any_call(aws, run_playbook, tmp_path):
    summary_path = tmp_path / "summary.json"
    run = run_playbook("playbooks/enable_flowlogs.yml", inventory=inventory_of(tmp_path, ENABLE_CASES),
                       extra_vars=dict(flowlogs_summary_path=str(summary_path)), args=["-f", "5"])
    assert_each_case_failed_in_validation(run, summary_path, ENABLE_CASES, aws)
    assert "{0} of {0} target(s) failed".format(len(ENABLE_CASES)) in run.stdout


@pytest.mark.parametrize("playbook,cases", [
    ("playbooks/disable_flowlogs.yml", {
        "empty_vpc_list": ({"flowlogs_vpc_ids": []}, PATTERN_CHECK, "flowlogs_vpc_ids: must be `all` or a non-empty"),
        "traffic_bad": ({"flowlogs_traffic_type": "SOME"}, SPEC_CHECK, "flowlogs_traffic_type"),
        "remove_iam_text": ({"flowlogs_remove_iam": "perhaps"}, SPEC_CHECK, "flowlogs_remove_iam"),
        "exclude_bad_id": ({"flowlogs_exclude_vpc_ids": ["vpc-nothex"]}, PATTERN_CHECK,
                           "flowlogs_exclude_vpc_ids: not VPC ids"),
        "exclude_tag_value": ({"flowlogs_exclude_tags": {"Team": 3}}, PATTERN_CHECK,
                              "flowlogs_exclude_tags: not a tag"),
    }),
    ("playbooks/audit_flowlogs.yml", {
        "traffic_bad": ({"flowlogs_audit_traffic_type": "SOME"}, SPEC_CHECK, "flowlogs_audit_traffic_type"),
        "format_6": ({"flowlogs_audit_min_format_version": 6}, SPEC_CHECK, "flowlogs_audit_min_format_version"),
        "role_arn": ({"assume_role_arn": "not-an-arn"}, PATTERN_CHECK, "assume_role_arn: is not an IAM role ARN"),
        "exclude_bad_id": ({"flowlogs_exclude_vpc_ids": ["eni-0123abcd"]}, PATTERN_CHECK,
                           "flowlogs_exclude_vpc_ids: not VPC ids"),
        "skip_default_text": ({"flowlogs_skip_default_vpc": "perhaps"}, SPEC_CHECK, "flowlogs_skip_default_vpc"),
    }),
])
def test_disable_and_audit_reject_bad_variables_before_any_call(aws, run_playbook, tmp_path, playbook, cases):
    summary_path = tmp_path / "summary.json"
    run = run_playbook(playbook, inventory=inventory_of(tmp_path, cases),
                       extra_vars=dict(flowlogs_summary_path=str(summary_path)), args=["-f", "3"])
    assert_each_case_failed_in_validation(run, summary_path, cases, aws)


def load(role, path):
    with open(os.path.join(ROLES, role, path)) as handle:
        return yaml.safe_load(handle)


def test_role_choices_match_the_collection_rules():
    """The choices argument_specs lists for the enable and audit roles are the modules' own values."""
    spec = load("enable", "meta/argument_specs.yml")["argument_specs"]["main"]["options"]
    assert spec["flowlogs_retention_days"]["choices"] == [0] + list(log_groups.RETENTION_DAYS)
    assert spec["flowlogs_log_group_class"]["choices"] == [""] + list(log_groups.LOG_GROUP_CLASSES)
    audit = load("audit", "meta/argument_specs.yml")["argument_specs"]["main"]["options"]
    assert audit["flowlogs_audit_min_format_version"]["choices"] == [0] + list(flowlog_fields.VPC_VERSIONS)


@pytest.mark.parametrize("role", ["enable", "disable", "audit"])
def test_every_default_is_documented_with_the_same_value(role):
    defaults = load(role, "defaults/main.yml")
    options = load(role, "meta/argument_specs.yml")["argument_specs"]["main"]["options"]
    if role == "enable":
        options.update(load(role, "meta/argument_specs.yml")["argument_specs"]["fleet_summary"]["options"])
    for name, value in defaults.items():
        assert name in options, "{0}: default {1} is not in argument_specs".format(role, name)
        assert options[name].get("default") == value, "{0}: {1} default differs".format(role, name)
