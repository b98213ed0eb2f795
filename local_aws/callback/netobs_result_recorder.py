"""A test-only callback: every task result of a playbook run as one JSON line per task and host."""

import json
import os

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: netobs_result_recorder
type: aggregate
short_description: write task results as JSON lines for the test-suite
description: Writes each task result to the file named by NETOBS_RESULTS_FILE.
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "netobs_result_recorder"
    CALLBACK_NEEDS_ENABLED = True

    def _write(self, result, status):
        path = os.environ.get("NETOBS_RESULTS_FILE")
        if not path:
            return
        record = dict(task=result.task_name, host=result.host.get_name(), status=status,
                      result=getattr(result, "result", None) or getattr(result, "_result", {}))
        with open(path, "a") as handle:
            handle.write(json.dumps(record, default=str) + "\n")

    def v2_runner_on_ok(self, result):
        self._write(result, "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._write(result, "failed")

    def v2_runner_on_unreachable(self, result):
        self._write(result, "unreachable")

    def v2_runner_on_skipped(self, result):
        self._write(result, "skipped")
