"""The environment that points ``ansible-playbook`` (and its modules and lookups) at a local AWS.

Used by the pytest fixtures, the demo and the benchmarks alike: the collection found from this
checkout, the local AWS's endpoint and credentials, and the result-recording callback
(``callback/netobs_result_recorder.py``) writing every task result to ``NETOBS_RESULTS_FILE``.
"""

import os
import sys

from ._collection import collections_root
from .server import DEFAULT_ACCOUNT, DEFAULT_REGION

CALLBACK_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "callback")


def playbook_env(aws, extra_env=None, account=DEFAULT_ACCOUNT, region=DEFAULT_REGION, results_file=None):
    env = dict(os.environ)
    env.update(aws.env(account=account, region=region))
    env.update({
        "ANSIBLE_COLLECTIONS_PATH": collections_root(),
        "ANSIBLE_CALLBACK_PLUGINS": CALLBACK_DIR,
        "ANSIBLE_CALLBACKS_ENABLED": "netobs_result_recorder",
        "ANSIBLE_HOST_KEY_CHECKING": "False",
        "ANSIBLE_RETRY_FILES_ENABLED": "False",
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_LOCALHOST_WARNING": "False",
        "ANSIBLE_INVENTORY_UNPARSED_WARNING": "False",
        "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
    })
    if results_file:
        env["NETOBS_RESULTS_FILE"] = results_file
    env.update(extra_env or {})
    return env
