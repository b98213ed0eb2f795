"""The bad-input catalogue: every module and role argument, given a wrong type or value.

Each case must fail with a message that names the parameter, and make no mutating AWS call
(``aws.recorder.mutating() == []``). The cases are of two kinds:
- generated from the documentation itself (module DOCUMENTATION with the aws doc fragment,
  roles' meta/argument_specs.yml): a wrong type for every int/bool/list/dict option, a value
  outside every ``choices``, every required option left out - so an option added later is
  walked without editing this file;
- written by hand, for what a type cannot say: names, paths, ARNs, ids, ranges, formats and
  combinations AWS would refuse (or, worse, accept and mis-apply).

Modules run in-process (``run_module``); roles run through their playbooks with one inventory
host per case, so one ``ansible-playbook`` run walks all cases of a role and the fleet summary
says, per host, what failed and why. The number of cases is reported in docs/reliability.md
and docs/benchmarks.md (``make bench`` counts them).
"""

import importlib
import json
import os
import re
import subprocess
import sys

import pytest
import yaml

from local_aws.ansible_run import playbook_env
from support.fixtures import execute_module

pytestmark = pytest.mark.integration

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODULES = ("iam_policy", "iam_role", "log_group", "flow_log", "flow_log_info")
ACCOUNT = "123456789012"
VPC = "vpc-0123456789abcdef0"
ROLE_ARN = "arn:aws:iam::{0}:role/vpcflowlog".format(ACCOUNT)
POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": "*"}]}
TRUST = {"Version": "2012-10-17",
         "Statement": [{"Effect": "Allow", "Principal": {"Service": "vpc-flow-logs.amazonaws.com"},
                        "Action": "sts:AssumeRole"}]}

# Valid arguments each module runs with; a case replaces or removes one of them.
BASE_ARGS = {
    "iam_policy": dict(name="flowlog", policy=POLICY),
    "iam_role": dict(name="vpcflowlog", trust_policy=TRUST),
    "log_group": dict(name="/vpc/flow-logs", retention_days=7),
    "flow_log": dict(resource_ids=[VPC], log_group="/vpc/flow-logs", role=ROLE_ARN, traffic_type="ALL"),
    "flow_log_info": dict(),
}
WRONG_TYPE = {"int": "not-a-number", "bool": "perhaps", "dict": "not-a-dict", "list": {"not": "a list"},
              "float": "not-a-number"}


# -- module cases --------------------------------------------------------------------------------
def _module_documentation(name):
    module = importlib.import_module("ansible_collections.netobs.flowlogs.plugins.modules." + name)
    options = dict(yaml.safe_load(module.DOCUMENTATION)["options"])
    fragments = yaml.safe_load(module.DOCUMENTATION).get("extends_documentation_fragment") or []
    if "netobs.flowlogs.aws" in fragments:
        from ansible_collections.netobs.flowlogs.plugins.doc_fragments.aws import ModuleDocFragment

        options.update(yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"])
    return options


def _wrong_values(spec):
    """(label, value) pairs that the option's type or choices refuse."""
    kind = spec.get("type", "str")
    found = []
    if kind in WRONG_TYPE:
        found.append(("wrong type", WRONG_TYPE[kind]))
    if spec.get("choices"):
        choices = spec["choices"]
        if kind == "list":
            bad = 61 if spec.get("elements") == "int" else "no-such-choice"
            found.append(("element not in choices", [bad]))
        elif kind == "int":
            found.append(("not in choices", max(choices) + 1))
        else:
            found.append(("not in choices", "no-such-choice"))
    if kind == "list" and spec.get("elements") in ("int",):
        found.append(("element of wrong type", ["not-a-number"]))
    return found


def _generated_module_cases():
    cases = []
    for module in MODULES:
        for option, spec in sorted(_module_documentation(module).items()):
            for label, value in _wrong_values(spec):
                cases.append((module, option, label, {option: value}, None, option))
            if spec.get("required"):
                cases.append((module, option, "left out", {}, option, option))
            for sub, sub_spec in sorted((spec.get("suboptions") or {}).items()):
                for label, value in _wrong_values(sub_spec):
                    cases.append((module, "{0}.{1}".format(option, sub), label, {option: {sub: value}}, None,
                                  (option, sub)))
    return cases


# (module, parameter, what is wrong, arguments merged over the base, parameter to name in the error)
HAND_WRITTEN_MODULE_CASES = [
    # iam_policy
    ("iam_policy", "name", "characters IAM refuses", {"name": "flow log!"}, "name"),
    ("iam_policy", "name", "longer than 128", {"name": "p" * 129}, "name"),
    ("iam_policy", "name", "empty", {"name": ""}, "name"),
    ("iam_policy", "path", "no leading/trailing slash", {"path": "flowlogs"}, "path"),
    ("iam_policy", "policy", "not JSON", {"policy": "{not json"}, "policy"),
    ("iam_policy", "policy", "a JSON list, not a document", {"policy": [1, 2]}, "policy"),
    ("iam_policy", "policy", "no Statement", {"policy": {"Version": "2012-10-17"}}, "policy"),
    ("iam_policy", "policy", "unknown Version", {"policy": dict(POLICY, Version="2020-01-01")}, "policy"),
    ("iam_policy", "policy", "left out with state present", {"policy": None}, "policy"),
    ("iam_policy", "description", "longer than 1000", {"description": "d" * 1001}, "description"),
    ("iam_policy", "tags", "key longer than 128", {"tags": {"k" * 129: "v"}}, "tags"),
    ("iam_policy", "tags", "aws: prefix reserved", {"tags": {"aws:owner": "me"}}, "tags"),
    # iam_role
    ("iam_role", "name", "characters IAM refuses", {"name": "vpc flow log"}, "name"),
    ("iam_role", "name", "longer than 64", {"name": "r" * 65}, "name"),
    ("iam_role", "path", "no leading/trailing slash", {"path": "service-role"}, "path"),
    ("iam_role", "trust_policy", "not JSON", {"trust_policy": "{not json"}, "trust_policy"),
    ("iam_role", "trust_policy", "no Statement", {"trust_policy": {"Version": "2012-10-17"}}, "trust_policy"),
    ("iam_role", "managed_policies", "not a policy ARN or name", {"managed_policies": ["arn:aws:s3:::bucket"]},
     "managed_policies"),
    ("iam_role", "max_session_duration", "below 3600", {"max_session_duration": 100}, "max_session_duration"),
    ("iam_role", "max_session_duration", "above 43200", {"max_session_duration": 50000}, "max_session_duration"),
    ("iam_role", "permissions_boundary", "not a policy ARN", {"permissions_boundary": "boundary"},
     "permissions_boundary"),
    ("iam_role", "wait_timeout", "zero", {"wait_timeout": 0}, "wait_timeout"),
    ("iam_role", "tags", "key longer than 128", {"tags": {"k" * 129: "v"}}, "tags"),
    # log_group
    ("log_group", "name", "characters CloudWatch Logs refuses", {"name": "/vpc/flow logs*"}, "name"),
    ("log_group", "name", "longer than 512", {"name": "g" * 513}, "name"),
    ("log_group", "name", "empty", {"name": ""}, "name"),
    ("log_group", "retention_days", "not a retention CloudWatch offers", {"retention_days": 8}, "retention_days"),
    ("log_group", "retention_days", "negative", {"retention_days": -1}, "retention_days"),
    ("log_group", "kms_key_id", "not a KMS key ARN", {"kms_key_id": "alias/flowlogs"}, "kms_key_id"),
    ("log_group", "tags", "key longer than 128", {"tags": {"k" * 129: "v"}}, "tags"),
    # flow_log
    ("flow_log", "resource_ids", "not VPC ids", {"resource_ids": ["subnet-0123456789abcdef0"]}, "resource_ids"),
    ("flow_log", "resource_ids", "malformed id", {"resource_ids": ["vpc-xyz"]}, "resource_ids"),
    ("flow_log", "resource_ids", "empty list", {"resource_ids": []}, "resource_ids"),
    ("flow_log", "log_group", "characters CloudWatch Logs refuses", {"log_group": "bad group*"}, "log_group"),
    ("flow_log", "log_group", "an ARN where a name is expected",
     {"log_group": "arn:aws:logs:us-east-1:{0}:log-group:x".format(ACCOUNT)}, "log_group"),
    ("flow_log", "log_group", "with destination_arn as well",
     {"destination_arn": "arn:aws:logs:us-east-1:{0}:log-group:x".format(ACCOUNT)}, "log_group"),
    ("flow_log", "log_group", "left out for cloud-watch-logs", {"log_group": None}, "log_group"),
    ("flow_log", "role", "a user ARN, not a role", {"role": "arn:aws:iam::{0}:user/flowlog".format(ACCOUNT)}, "role"),
    ("flow_log", "role", "a name IAM refuses", {"role": "vpc flow log!"}, "role"),
    ("flow_log", "role", "left out for cloud-watch-logs", {"role": None}, "role"),
    ("flow_log", "role", "given for s3",
     {"destination_type": "s3", "log_group": None, "destination_arn": "arn:aws:s3:::flowlogs-bucket"}, "role"),
    ("flow_log", "destination_arn", "left out for s3", {"destination_type": "s3", "log_group": None, "role": None},
     "destination_arn"),
    ("flow_log", "destination_arn", "not an S3 ARN for s3",
     {"destination_type": "s3", "log_group": None, "role": None, "destination_arn": "flowlogs-bucket"},
     "destination_arn"),
    ("flow_log", "log_format", "unknown field", {"log_format": "${version} ${no-such-field}"}, "log_format"),
    ("flow_log", "log_format", "unknown version", {"log_format": 6}, "log_format"),
    ("flow_log", "log_format", "text outside ${field}", {"log_format": "${version} junk"}, "log_format"),
    ("flow_log", "role_propagation_timeout", "negative", {"role_propagation_timeout": -5},
     "role_propagation_timeout"),
    ("flow_log", "traffic_type", "given for a transit gateway",
     {"resource_type": "TransitGateway", "resource_ids": ["tgw-0123456789abcdef0"]}, "traffic_type"),
    ("flow_log", "max_aggregation_interval", "600 for a transit gateway",
     {"resource_type": "TransitGateway", "resource_ids": ["tgw-0123456789abcdef0"], "traffic_type": None,
      "max_aggregation_interval": 600}, "max_aggregation_interval"),
    ("flow_log", "cross_account_role", "given for cloud-watch-logs", {"cross_account_role": ROLE_ARN},
     "cross_account_role"),
    ("flow_log", "tags", "key longer than 128", {"tags": {"k" * 129: "v"}}, "tags"),
    # flow_log_info
    ("flow_log_info", "resource_ids", "malformed id", {"resource_ids": ["vpc-xyz"]}, "resource_ids"),
    ("flow_log_info", "flow_log_ids", "not flow-log ids", {"flow_log_ids": ["vpc-0123456789abcdef0"]}, "flow_log_ids"),
    ("flow_log_info", "log_group", "characters CloudWatch Logs refuses", {"log_group": "bad group*"}, "log_group"),
    ("flow_log_info", "coverage.min_format_version", "not a format version",
     {"coverage": {"min_format_version": 6}}, ("coverage", "min_format_version")),
    ("flow_log_info", "coverage.max_aggregation_interval", "not 60 or 600",
     {"coverage": {"max_aggregation_interval": 61}}, ("coverage", "max_aggregation_interval")),
    ("flow_log_info", "coverage.resource_ids", "malformed id", {"coverage": {"resource_ids": ["vpc-xyz"]}},
     ("coverage", "resource_ids")),
]
# Shared connection options, walked on every module.
CONNECTION_CASES = [
    ("max_attempts", "zero", {"max_attempts": 0}, "max_attempts"),
    ("retry_mode", "legacy mode", {"retry_mode": "legacy"}, "retry_mode"),
    ("assume_role_arn", "not a role ARN", {"assume_role_arn": "arn:aws:iam::1:user/x"}, "assume_role_arn"),
    ("region", "not a region name", {"region": "Mars Central"}, "region"),
]


# Cases that fail today, each a gap found by this catalogue and reported to the module's owner.
# strict: the day a gap is closed the case passes, the xfail turns into a failure, and the entry
# here must go - so the list cannot silently outlive the gaps.
_CORE_SUBOPTIONS = ("ansible-core: a non-dict value for an option with suboptions fails with "
                    "'dictionary requested, could not parse JSON or key=value', without naming the option")
KNOWN_GAPS = {
    "flow_log-destination_options-wrong type": _CORE_SUBOPTIONS,
    "flow_log_info-coverage-wrong type": _CORE_SUBOPTIONS,
}


def _param(module, args, omit, expected, case_id):
    marks = [pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[case_id])] if case_id in KNOWN_GAPS else []
    return pytest.param(module, args, omit, expected, id=case_id, marks=marks)


def _module_cases():
    cases = []
    for module, option, label, args, omit, expected in _generated_module_cases():
        cases.append(_param(module, args, omit, expected, "{0}-{1}-{2}".format(module, option, label)))
    for module, option, label, args, expected in HAND_WRITTEN_MODULE_CASES:
        cases.append(_param(module, args, None, expected, "{0}-{1}-{2}".format(module, option, label)))
    for module in MODULES:
        for option, label, args, expected in CONNECTION_CASES:
            cases.append(_param(module, args, None, expected, "{0}-{1}-{2}".format(module, option, label)))
    return cases


def _names_parameter(message, expected):
    """The parameter appears as a word of its own (``region`` is not named by botocore's ``region_name``)."""
    parts = expected if isinstance(expected, tuple) else (expected,)
    return all(re.search(r"(?<![\w-]){0}(?![\w-])".format(re.escape(part)), message) for part in parts)


def _base_args(aws, module):
    """The module's valid arguments; flow_log gets a VPC that exists (created before counting)."""
    args = aws.module_args()
    args.update(BASE_ARGS[module])
    if module == "flow_log":
        args["resource_ids"] = [aws.client("ec2").create_vpc(CidrBlock="10.9.0.0/24")["Vpc"]["VpcId"]]
    aws.recorder.clear()  # count from here: the set-up above is not the module's doing
    return args


@pytest.mark.parametrize("module", MODULES)
def test_base_arguments_are_valid(aws, module):
    """The control: without the bad value, each module's base arguments pass (check mode)."""
    result = execute_module(module, _base_args(aws, module), check_mode=True)
    assert not result.failed, result
    assert aws.recorder.mutating() == []


@pytest.mark.parametrize("module,args,omit,expected", _module_cases())
def test_module_rejects_bad_input(aws, module, args, omit, expected):
    full = _base_args(aws, module)
    full.update(args)
    if omit:
        full.pop(omit, None)
    full = dict((key, value) for key, value in full.items() if value is not None)
    result = execute_module(module, full)
    assert result.failed, "{0} accepted {1}: {2}".format(module, args or "no " + omit, result)
    message = result.get("msg", "")
    assert _names_parameter(message, expected), "the error does not name {0}: {1!r}".format(expected, message)
    assert "Traceback" not in message and "MODULE FAILURE" not in message, message
    assert aws.recorder.mutating() == []


# -- role cases ----------------------------------------------------------------------------------
ROLE_PLAYBOOKS = {"enable": "enable_flowlogs.yml", "disable": "disable_flowlogs.yml", "audit": "audit_flowlogs.yml"}
ROLE_HAND_WRITTEN = {
    "enable": [
        ("flowlogs_vpc_ids", "a word other than all", "some"),
        ("flowlogs_vpc_ids", "an empty list", []),
        ("flowlogs_vpc_ids", "malformed id", ["vpc-xyz"]),
        ("flowlogs_vpc_ids", "a VPC twice", [VPC, VPC]),
        ("flowlogs_vpc_ids", "a mapping", {"vpc": VPC}),
        ("flowlogs_log_format", "unknown version", 6),
        ("flowlogs_log_format", "unknown field", "${version} ${no-such-field}"),
        ("flowlogs_log_format", "text outside ${field}", "${version} junk"),
        ("flowlogs_log_format", "a field twice", ["version", "version"]),
        ("flowlogs_log_group_name", "characters CloudWatch Logs refuses", "bad group*"),
        ("flowlogs_role_name", "characters IAM refuses", "vpc flow log"),
        ("flowlogs_role_name", "longer than 64", "r" * 65),
        ("flowlogs_policy_name", "characters IAM refuses", "flow log!"),
        ("flowlogs_iam_path", "no leading/trailing slash", "flowlogs"),
        ("flowlogs_kms_key_id", "not a KMS key ARN", "alias/flowlogs"),
        ("flowlogs_s3_bucket_arn", "not an S3 ARN", "flowlogs-bucket"),
        ("aws_region", "not a region name", "Mars Central"),
        ("assume_role_arn", "not a role ARN", "arn:aws:iam::1:user/x"),
    ],
    "disable": [
        ("flowlogs_vpc_ids", "a word other than all", "some"),
        ("flowlogs_vpc_ids", "malformed id", ["vpc-xyz"]),
        ("flowlogs_log_group_name", "characters CloudWatch Logs refuses", "bad group*"),
        ("flowlogs_role_name", "characters IAM refuses", "vpc flow log"),
        ("flowlogs_policy_name", "characters IAM refuses", "flow log!"),
        ("flowlogs_s3_bucket_arn", "not an S3 ARN", "flowlogs-bucket"),
        ("aws_region", "not a region name", "Mars Central"),
        ("assume_role_arn", "not a role ARN", "arn:aws:iam::1:user/x"),
    ],
    "audit": [
        ("flowlogs_vpc_ids", "a word other than all", "some"),
        ("flowlogs_vpc_ids", "malformed id", ["vpc-xyz"]),
        ("flowlogs_audit_log_group_name", "characters CloudWatch Logs refuses", "bad group*"),
        ("aws_region", "not a region name", "Mars Central"),
        ("assume_role_arn", "not a role ARN", "arn:aws:iam::1:user/x"),
    ],
}


def _role_options(role):
    with open(os.path.join(REPO_ROOT, "roles", role, "meta", "argument_specs.yml")) as handle:
        return yaml.safe_load(handle)["argument_specs"]["main"].get("options", {})


def _role_cases(role):
    """[(host, variable, label, value)] for one role: generated from argument_specs, then by hand."""
    cases = []
    for option, spec in sorted(_role_options(role).items()):
        for label, value in _wrong_values(spec):
            cases.append((option, label, value))
    cases += ROLE_HAND_WRITTEN[role]
    return [("case{0:03d}".format(index), option, label, value) for index, (option, label, value) in enumerate(cases)]


KNOWN_ROLE_GAPS = {}


def _role_param(role, host, option, label, value):
    case_id = "role-{0}-{1}-{2}".format(role, option, label)
    marks = [pytest.mark.xfail(strict=True, reason=KNOWN_ROLE_GAPS[case_id])] if case_id in KNOWN_ROLE_GAPS else []
    return pytest.param(role, host, option, value, id=case_id, marks=marks)


ROLE_CASES = [_role_param(role, host, option, label, value)
              for role in ROLE_PLAYBOOKS for host, option, label, value in _role_cases(role)]


@pytest.fixture(scope="module")
def role_runs(local_aws_server, tmp_path_factory):
    """Each role's playbook run once over all its cases (one host per case); results per role."""
    runs = {}

    def get(role):
        if role in runs:
            return runs[role]
        local_aws = local_aws_server
        local_aws.reset()
        workdir = tmp_path_factory.mktemp("catalogue-" + role)
        hosts = {}
        for host, option, _label, value in _role_cases(role):
            hosts[host] = {option: value, "ansible_python_interpreter": sys.executable,
                           "aws_account_id": ACCOUNT}
        inventory = workdir / "cases.json"
        inventory.write_text(json.dumps({"all": {"hosts": hosts}}))
        summary = workdir / "summary.json"
        command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"),
                   os.path.join(REPO_ROOT, "playbooks", ROLE_PLAYBOOKS[role]), "-i", str(inventory), "-f", "8",
                   "-e", json.dumps({"flowlogs_summary_path": str(summary)})]
        done = subprocess.run(command, cwd=REPO_ROOT, env=playbook_env(local_aws), capture_output=True, text=True,
                              timeout=900, check=False)
        data = json.loads(summary.read_text()) if summary.exists() else None
        runs[role] = dict(returncode=done.returncode, output=done.stdout + done.stderr, summary=data,
                          mutating=local_aws.recorder.mutating(), calls=local_aws.recorder.calls())
        return runs[role]

    return get


@pytest.mark.parametrize("role,host,option,value", ROLE_CASES)
def test_role_rejects_bad_input(role_runs, role, host, option, value):
    run = role_runs(role)
    assert run["summary"] is not None, run["output"][-3000:]
    target = next((t for t in run["summary"]["targets"] if t["target"] == host), None)
    assert target is not None, "no summary entry for {0}".format(host)
    assert target["status"] == "failed", "{0}={1!r} was accepted: {2}".format(option, value, target)
    message = target["error"]["message"]
    assert _names_parameter(message, option), "the error does not name {0}: {1!r}".format(option, message)
    assert run["mutating"] == [], run["mutating"]
