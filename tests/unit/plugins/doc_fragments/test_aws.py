"""The plugin variants of the connection doc fragment agree with the modules' variant and the tables.

The env entries come from module_utils/aws.py's CONNECTION_ARGUMENT_SPEC fallbacks and the vars entries
from plugin_utils/connection.py's CONNECTION_VARIABLES: an option, its environment variables and its
host variables are each written once; the fragment's literal text is checked against them here.
"""

import yaml

from ansible_collections.netobs.flowlogs.plugins.doc_fragments.aws import ModuleDocFragment
from ansible_collections.netobs.flowlogs.plugins.module_utils.aws import CONNECTION_ARGUMENT_SPEC
from ansible_collections.netobs.flowlogs.plugins.plugin_utils.connection import CONNECTION_VARIABLES


def plugins_variant(text, with_vars=True):
    doc = yaml.safe_load(text)
    for name, option in doc["options"].items():
        spec = CONNECTION_ARGUMENT_SPEC[name]
        if spec.get("fallback"):
            option["env"] = [dict(name=variable) for variable in spec["fallback"][1]]
        if with_vars and name in CONNECTION_VARIABLES:
            option["vars"] = [dict(name=variable) for variable in CONNECTION_VARIABLES[name]]
    if with_vars:
        doc["notes"].append("Each option is also read from the host variable named in its C(vars) entry (the "
                            "variables the roles pass to the modules, for example C(aws_region) and "
                            "C(assume_role_arn) set by the aws_accounts inventory), so a fleet play acts in each "
                            "target's own account and region.")
    return doc


def _modules_without_their_note():
    doc = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)
    doc["notes"] = [note for note in doc["notes"] if "module_defaults" not in note]
    return yaml.safe_dump(doc, sort_keys=False)


def test_the_plugins_variant_is_derived_from_the_modules_variant_and_the_tables():
    expected = plugins_variant(_modules_without_their_note())
    assert yaml.safe_load(ModuleDocFragment.PLUGINS) == expected, yaml.safe_dump(expected, sort_keys=False)


def test_the_inventory_variant_has_env_but_no_vars():
    expected = plugins_variant(_modules_without_their_note(), with_vars=False)
    assert yaml.safe_load(ModuleDocFragment.INVENTORY) == expected, yaml.safe_dump(expected, sort_keys=False)
    assert all("vars" not in option for option in expected["options"].values())


def test_every_connection_option_is_documented():
    assert set(yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"]) == set(CONNECTION_ARGUMENT_SPEC)
