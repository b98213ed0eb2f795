# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The connection options of the controller-side plugins (the lookup, the inventory plugin, the roles).

The options are module_utils/aws.py's CONNECTION_ARGUMENT_SPEC; this file adds the one thing only
the controller has - the variables that carry them - and reads them the same way for every plugin:
``session_for_plugin`` for the lookup and the inventory plugin (whose options come from the
``netobs.flowlogs.aws.plugins`` doc fragment, ``vars`` entries generated from CONNECTION_VARIABLES),
and ``module_options_from_variables`` for the roles' ``module_defaults`` (the ``aws_connection``
filter), so a fleet play's lookup and modules act in the same account and region.
"""

from ansible.errors import AnsibleError

from ansible_collections.netobs.flowlogs.plugins.module_utils.aws import (
    CONNECTION_ARGUMENT_SPEC,
    AwsSession,
    check_botocore_version,
)

# Option -> the variables (host or play vars) that set it, in the order Ansible reads them.
# These are the names the aws_accounts inventory sets on each host and the roles document.
CONNECTION_VARIABLES = dict(
    region=["aws_region"],
    profile=["aws_profile"],
    access_key=["aws_access_key_id"],
    secret_key=["aws_secret_access_key"],
    session_token=["aws_session_token"],
    endpoint_url=["aws_endpoint_url"],
    assume_role_arn=["assume_role_arn"],
    assume_role_external_id=["assume_role_external_id"],
)
CONNECTION_OPTIONS = tuple(CONNECTION_ARGUMENT_SPEC)


def connection_options(plugin):
    """The connection options a plugin declares, with the values Ansible resolved for them."""
    return dict((name, plugin.get_option(name)) for name in CONNECTION_OPTIONS if plugin.has_option(name))


def session_for_plugin(plugin, error_class=AnsibleError, prefix=""):
    """An AwsSession from a plugin's connection options; bad settings raise ``error_class``."""
    message = check_botocore_version()
    if message:
        raise error_class(prefix + message)
    try:
        return AwsSession.from_options(connection_options(plugin))
    except (ValueError, ImportError) as exc:
        raise error_class(prefix + str(exc))


def module_options_from_variables(variables):
    """The module options (for ``module_defaults``) that the connection variables in ``variables`` set.

    Unset and empty variables are left out, so the module falls back to its environment variables
    exactly as when the option is not given.
    """
    options = {}
    for option, names in CONNECTION_VARIABLES.items():
        for name in names:
            value = variables.get(name)
            if value not in (None, ""):
                options[option] = value
    return options
