"""Each resource's option table (module_utils/options.py) is what its module accepts and documents."""

import importlib

import pytest
import yaml

from ansible_collections.netobs.flowlogs.plugins.action import report_files
from ansible_collections.netobs.flowlogs.plugins.module_utils import iam_policies, iam_roles, log_groups, target
from ansible_collections.netobs.flowlogs.plugins.module_utils.flow_logs import options as flow_log_options
from ansible_collections.netobs.flowlogs.plugins.module_utils.options import Option, argument_spec, immutable_options

TABLES = {
    "log_group": log_groups.LOG_GROUP_OPTIONS,
    "iam_policy": iam_policies.IAM_POLICY_OPTIONS,
    "iam_role": iam_roles.IAM_ROLE_OPTIONS,
    "flow_log": flow_log_options.FLOW_LOG_OPTIONS,
    "flow_log_info": flow_log_options.FLOW_LOG_INFO_OPTIONS,
    "flow_logs_target": target.TARGET_OPTIONS,
}


def documented_options(module):
    source = importlib.import_module("ansible_collections.netobs.flowlogs.plugins.modules." + module)
    return yaml.safe_load(source.DOCUMENTATION)["options"]


@pytest.mark.parametrize("module", sorted(TABLES))
def test_the_documentation_matches_the_table(module):
    assert_documented_as_specified(module, documented_options(module), argument_spec(TABLES[module]))


def test_the_report_writer_documents_what_its_action_accepts():
    # report_files runs as an action plugin on the controller; its module file holds only the documentation.
    assert_documented_as_specified("report_files", documented_options("report_files"), report_files.ARGUMENT_SPEC)


def assert_documented_as_specified(where, documented, spec):
    assert sorted(documented) == sorted(spec), where
    for name, option in spec.items():
        doc, at = documented[name], (where, name)
        assert doc["type"] == option["type"], at
        assert bool(doc.get("required")) == bool(option.get("required")), at
        assert doc.get("default") == option.get("default"), at
        assert doc.get("choices") == option.get("choices"), at
        assert doc.get("elements") == option.get("elements"), at
        assert ("suboptions" in doc) == ("options" in option), at
        if "options" in option:
            assert_documented_as_specified("{0}.{1}".format(*at), doc["suboptions"], option["options"])


@pytest.mark.parametrize("module", sorted(TABLES))
def test_immutable_options_say_so_in_their_documentation(module):
    documented = documented_options(module)
    for name in immutable_options(TABLES[module]):
        text = " ".join(documented[name]["description"]) if isinstance(documented[name]["description"], list) \
            else documented[name]["description"]
        assert "cannot change" in text or "cannot be changed" in text, (module, name, text)


def test_an_option_becomes_an_argument_spec_entry():
    assert Option("bool", default=False).argument() == {"type": "bool", "default": False}
    assert Option("str", required=True, choices=("a", "b")).argument() == {
        "type": "str", "required": True, "choices": ["a", "b"]}
    assert Option("list", elements="str", no_log=True).argument() == {"type": "list", "elements": "str",
                                                                      "no_log": True}
    assert Option("dict", options=dict(on=Option("bool", default=True))).argument() == {
        "type": "dict", "options": {"on": {"type": "bool", "default": True}}}
