"""Policy documents: parsing, validation, semantic comparison and the flow-logs documents (no AWS)."""

import importlib.util
import json
import os
import sys
import types

import pytest

from ansible_collections.netobs.flowlogs.plugins.module_utils.policy import (
    MANAGED_POLICY_MAX_CHARS,
    document_as_dict,
    flow_logs_delivery_policy,
    flow_logs_trust_policy,
    load_policy,
    merge_statement_resources,
    missing_resources,
    normalize_policy,
    policies_equal,
    policy_size,
    validate_policy,
)
from ansible_collections.netobs.flowlogs.plugins.module_utils.rules import ValidationError

ARN = "arn:aws:logs:us-east-1:123456789012:log-group:/vpc/flow-logs:*"
BASE = {"Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": ["logs:PutLogEvents", "logs:CreateLogStream"], "Resource": ARN}]}


@pytest.mark.parametrize("other", [
    # key order and whitespace
    json.dumps({"Statement": [{"Resource": ARN, "Action": ["logs:PutLogEvents", "logs:CreateLogStream"],
                               "Effect": "Allow"}], "Version": "2012-10-17"}, indent=2),
    # list order, and a string versus a one-element list
    {"Version": "2012-10-17",
     "Statement": [{"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": [ARN]}]},
    # a single statement object instead of a list, duplicate actions
    {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Resource": [ARN, ARN],
                                            "Action": ["logs:PutLogEvents", "logs:CreateLogStream",
                                                       "logs:PutLogEvents"]}},
])
def test_equivalent_spellings_are_equal(other):
    assert policies_equal(BASE, other)


@pytest.mark.parametrize("other", [
    {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": ["logs:PutLogEvents",
                                                                          "logs:CreateLogStream"], "Resource": ARN}]},
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": ARN}]},
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["logs:PutLogEvents",
                                                                           "logs:CreateLogStream"], "Resource": "*"}]},
    # no Version is IAM's 2008-10-17 language, which is not the same policy
    {"Statement": BASE["Statement"]},
])
def test_different_grants_are_not_equal(other):
    assert not policies_equal(BASE, other)


def test_statement_order_does_not_matter_but_conditions_do():
    allow = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
    deny = {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"}
    assert policies_equal({"Statement": [allow, deny]}, {"Statement": [deny, allow]})
    conditioned = dict(allow, Condition={"Bool": {"aws:SecureTransport": True}})
    assert policies_equal({"Statement": [conditioned]},
                          {"Statement": [dict(allow, Condition={"Bool": {"aws:SecureTransport": ["true"]}})]})
    assert not policies_equal({"Statement": [conditioned]}, {"Statement": [allow]})


def test_principal_star_equals_aws_star():
    trust = {"Effect": "Allow", "Action": "sts:AssumeRole"}
    assert policies_equal({"Statement": [dict(trust, Principal="*")]},
                          {"Statement": [dict(trust, Principal={"AWS": ["*"]})]})


def test_normalized_form_is_canonical():
    assert normalize_policy(BASE) == {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": [ARN]}]}
    assert normalize_policy(json.dumps(BASE)) == normalize_policy(BASE)


def test_load_accepts_dict_or_json_and_names_the_parameter():
    assert load_policy(json.dumps(BASE), "policy") == BASE
    assert load_policy(BASE, "policy") is BASE
    with pytest.raises(ValidationError, match=r"^policy: is not valid JSON"):
        load_policy("{nope", "policy")
    with pytest.raises(ValidationError, match=r"^trust_policy: must be a JSON object"):
        load_policy("[]", "trust_policy")
    with pytest.raises(ValidationError, match="dictionary or a JSON string"):
        load_policy(42, "policy")


def test_iam_returns_url_encoded_text_outside_boto3():
    encoded = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D"
    assert document_as_dict(encoded) == {"Version": "2012-10-17", "Statement": []}
    assert document_as_dict(json.dumps(BASE)) == BASE
    assert document_as_dict(BASE) is BASE


def test_size_is_counted_without_whitespace():
    spaced = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "a:b", "Resource": "x y"}]}
    assert policy_size(spaced) == len(json.dumps(spaced, separators=(",", ":"))) - 1
    resources = ["arn:aws:s3:::b/" + "k" * 40 + str(i) for i in range(140)]
    big = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
                                                   "Resource": resources}]}
    assert policy_size(big) > MANAGED_POLICY_MAX_CHARS
    with pytest.raises(ValidationError, match="characters without whitespace; AWS allows at most 6144"):
        validate_policy(big, "policy")


@pytest.mark.parametrize("document,kind,message", [
    ({"Version": "2012-10-17"}, "identity", "must have a Statement"),
    ({"Statement": []}, "identity", "must have a Statement"),
    ({"Statement": ["x"]}, "identity", "must be an object"),
    ({"Statement": [{"Effect": "allow", "Action": "x", "Resource": "*"}]}, "identity", "Effect 'allow'"),
    ({"Statement": [{"Effect": "Allow", "Resource": "*"}]}, "identity", "needs an Action"),
    ({"Statement": [{"Effect": "Allow", "Action": 5, "Resource": "*"}]}, "identity", "string or a list"),
    ({"Statement": [{"Effect": "Allow", "Action": "x"}]}, "identity", "needs a Resource"),
    ({"Statement": [{"Effect": "Allow", "Action": "x", "Resource": "*", "Principal": "*"}]}, "identity",
     "must not have a Principal"),
    ({"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole"}]}, "trust", "needs a Principal"),
    ({"Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": "*", "Resource": "*"}]}, "trust",
     "must not have a Resource"),
    ({"Version": "2012-10-18", "Statement": [{"Effect": "Allow", "Action": "x", "Resource": "*"}]}, "identity",
     "not a policy language version"),
    ({"Statment": [], "Statement": [{"Effect": "Allow", "Action": "x", "Resource": "*"}]}, "identity",
     "unknown top-level element"),
    ({"Statement": [{"Effect": "Allow", "Action": "x", "Resource": "*", "Condition": {"Bool": True}}]},
     "identity", "Condition must map"),
])
def test_invalid_documents_are_refused_with_the_reason(document, kind, message):
    with pytest.raises(ValidationError) as error:
        validate_policy(document, "doc", kind=kind)
    assert message in str(error.value) and str(error.value).startswith("doc: ")


def test_delivery_policy_is_least_privilege_on_each_group_streams():
    group = "arn:aws:logs:us-east-1:123456789012:log-group:/a"
    document = flow_logs_delivery_policy([group, group + ":*", "arn:aws:logs:us-east-1:123456789012:log-group:/b"])
    assert document == {"Version": "2012-10-17", "Statement": [{
        "Sid": "FlowLogsDescribeLogGroups", "Effect": "Allow", "Action": ["logs:DescribeLogGroups"], "Resource": "*",
    }, {
        "Sid": "FlowLogsDelivery", "Effect": "Allow",
        "Action": ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
        "Resource": [group + ":*", "arn:aws:logs:us-east-1:123456789012:log-group:/b:*"]}]}
    assert validate_policy(document, "policy") is document
    assert flow_logs_delivery_policy(group)["Statement"][1]["Resource"] == [group + ":*"]
    with pytest.raises(ValueError):
        flow_logs_delivery_policy([])


def test_trust_policy_with_and_without_confused_deputy_protection():
    trust = flow_logs_trust_policy("aws-cn", "123456789012", region="cn-north-1")
    statement = trust["Statement"][0]
    assert statement["Principal"] == {"Service": "vpc-flow-logs.amazonaws.com"}
    assert statement["Action"] == "sts:AssumeRole"
    assert statement["Condition"] == {
        "StringEquals": {"aws:SourceAccount": "123456789012"},
        "ArnLike": {"aws:SourceArn": "arn:aws-cn:ec2:cn-north-1:123456789012:vpc-flow-log/*"}}
    any_region = flow_logs_trust_policy("aws", "123456789012")
    assert any_region["Statement"][0]["Condition"]["ArnLike"]["aws:SourceArn"] == \
        "arn:aws:ec2:*:123456789012:vpc-flow-log/*"
    assert "Condition" not in flow_logs_trust_policy("aws", "123456789012", confused_deputy=False)["Statement"][0]
    assert validate_policy(trust, "trust_policy", kind="trust") is trust


def _parliament():
    """parliament, importable even where setuptools (its pkg_resources import) is not installed."""
    try:
        import pkg_resources  # noqa: F401
    except ImportError:
        shim = types.ModuleType("pkg_resources")

        def resource_filename(package, name):
            return os.path.join(os.path.dirname(importlib.util.find_spec(package).origin), name)

        shim.resource_filename = resource_filename
        sys.modules["pkg_resources"] = shim
    import parliament  # installed in the development venv (requirements-dev)

    return parliament


def _findings(document):
    return [(f.issue, f.detail) for f in _parliament().analyze_policy_string(json.dumps(document)).findings]


def test_delivery_policy_has_no_resource_mismatch_for_parliament():
    groups = ["arn:aws:logs:*:123456789012:log-group:/vpc/flow-logs-use1",
              "arn:aws:logs:*:123456789012:log-group:/vpc/flow-logs-euw1"]
    assert _findings(flow_logs_delivery_policy(groups)) == []
    # The control: DescribeLogGroups scoped to a group is what parliament (and IAM) refuse.
    scoped = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "logs:DescribeLogGroups",
                                                      "Resource": groups[0] + ":*"}]}
    assert [issue for issue, _detail in _findings(scoped)] == ["RESOURCE_MISMATCH"]


def test_merge_keeps_other_runs_resources_by_sid():
    a, b = "arn:aws:logs:*:1:log-group:/a:*", "arn:aws:logs:*:1:log-group:/b:*"
    existing = flow_logs_delivery_policy([a])
    desired = flow_logs_delivery_policy([b])
    merged, added = merge_statement_resources(existing, desired)
    assert added == {"FlowLogsDelivery": [a]}
    assert merged["Statement"][1]["Resource"] == [a, b] and merged["Statement"][0]["Resource"] == "*"
    assert missing_resources(merged, existing) == {} and missing_resources(desired, merged) == {"FlowLogsDelivery": [a]}
    # The older one-statement document (DescribeLogGroups beside the others, same Sid) merges too.
    older = {"Version": "2012-10-17", "Statement": [{"Sid": "FlowLogsDelivery", "Effect": "Allow",
                                                     "Action": ["logs:PutLogEvents"], "Resource": a}]}
    assert merge_statement_resources(older, desired)[0]["Statement"][1]["Resource"] == [a, b]
    # The "any" scope has its own Sid: switching back to log groups narrows the policy again.
    assert merge_statement_resources(flow_logs_delivery_policy("*"), desired) == (desired, {})
