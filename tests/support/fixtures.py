"""pytest fixtures for the local AWS, modules run in-process, and real ansible-playbook runs.

- ``local_aws_server`` (session): one moto server for the whole test session;
- ``aws`` (function): that server, reset (empty, ids re-seeded, recorder and faults cleared);
- ``run_module``: runs one of our modules in this process exactly as Ansible would (real
  AnsibleModule, real HTTP to the local AWS), returning its result dict;
- ``run_playbook``: runs ``ansible-playbook`` in a subprocess against the local AWS and
  returns every task result (through local_aws/callback/netobs_result_recorder.py).
"""

import contextlib
import importlib
import io
import json
import os
import subprocess
import sys

import pytest

from local_aws._collection import REPO_ROOT
from local_aws.ansible_run import playbook_env
from local_aws.server import DEFAULT_ACCOUNT, DEFAULT_REGION, LocalAws


@pytest.fixture(scope="session")
def local_aws_server():
    server = LocalAws().start()
    yield server
    server.stop()


@pytest.fixture
def aws(local_aws_server):
    local_aws_server.reset()
    return local_aws_server


class ModuleResult(dict):
    """A module's result dict; ``failed`` and ``changed`` are always present."""

    @property
    def failed(self):
        return bool(self.get("failed"))

    @property
    def changed(self):
        return bool(self.get("changed"))


def execute_module(name, args, check_mode=False, diff=False):
    """Run ``plugins/modules/<name>.py``'s main() in-process and return its result."""
    from ansible.module_utils.testing import patch_module_args

    from ansible.module_utils import _internal
    from ansible.module_utils.common import warnings

    # One process runs many modules: start each with no warnings left over from the one before.
    warnings._global_warnings.clear()
    warnings._global_deprecations.clear()
    module = importlib.import_module("ansible_collections.netobs.flowlogs.plugins.modules." + name)
    module_args = dict(args)
    module_args["_ansible_check_mode"] = check_mode
    module_args["_ansible_diff"] = diff
    stdout = io.StringIO()
    # Once a test in this process has imported controller code (a lookup, the inventory plugin),
    # ansible marks the process as the controller and module warnings go to the display instead of
    # the result; a module runs on a target, so it runs here as on one.
    was_controller, _internal.is_controller = _internal.is_controller, False
    try:
        with patch_module_args(module_args), contextlib.redirect_stdout(stdout):
            try:
                module.main()
            except SystemExit:
                pass
    finally:
        _internal.is_controller = was_controller
    output = stdout.getvalue()
    try:
        result = json.loads(output[output.index("{"):])
    except ValueError:
        raise AssertionError("module {0} printed no JSON result: {1!r}".format(name, output))
    result.setdefault("failed", False)
    result.setdefault("changed", False)
    if "warnings" in result:
        # ansible-core 2.19+ returns WarningSummary objects; the controller shows their message.
        result["warnings"] = [w["event"]["msg"] if isinstance(w, dict) and "event" in w else w
                              for w in result["warnings"]]
    return ModuleResult(result)


@pytest.fixture
def run_module(aws):
    """``run_module(module_name, check_mode=False, diff=False, account=..., region=..., **args)``.

    The first parameter is positional-only so that ``name=`` stays free for module options.
    """

    def run(module_name, /, check_mode=False, diff=False, account=DEFAULT_ACCOUNT, region=DEFAULT_REGION, **args):
        full_args = aws.module_args(account=account, region=region)
        full_args.update(args)
        return execute_module(module_name, full_args, check_mode=check_mode, diff=diff)

    return run


class PlaybookRun:
    def __init__(self, process, results):
        self.returncode = process.returncode
        self.stdout = process.stdout
        self.stderr = process.stderr
        self.results = results

    def tasks(self, name=None, host=None):
        return [r for r in self.results
                if (name is None or r["task"] == name) and (host is None or r["host"] == host)]

    def result(self, name, host=None):
        matches = self.tasks(name, host)
        assert matches, "no result for task {0!r}; ran: {1}".format(name, sorted({r["task"] for r in self.results}))
        return matches[-1]["result"]


@pytest.fixture
def run_playbook(aws, tmp_path):
    """``run_playbook(path_or_yaml_text, extra_vars=None, inventory=None, check=False, env=None)``."""

    def run(playbook, extra_vars=None, inventory=None, check=False, diff=False, env=None, args=(), timeout=600):
        if "\n" in playbook:
            path = tmp_path / "playbook.yml"
            path.write_text(playbook)
            playbook = str(path)
        results_file = str(tmp_path / "results-{0}.jsonl".format(len(list(tmp_path.iterdir()))))
        command = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), playbook]
        command += ["-i", inventory or "localhost,", "-c", "local"]
        if extra_vars:
            command += ["-e", json.dumps(extra_vars)]
        if check:
            command.append("--check")
        if diff:
            command.append("--diff")
        command += list(args)
        process = subprocess.run(command, cwd=REPO_ROOT, env=playbook_env(aws, env, results_file=results_file),
                                 capture_output=True, text=True, timeout=timeout, check=False)
        results = []
        if os.path.exists(results_file):
            with open(results_file) as handle:
                results = [json.loads(line) for line in handle if line.strip()]
        return PlaybookRun(process, results)

    return run
