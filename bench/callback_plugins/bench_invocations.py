# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bench-only callback: counts module invocations (executed tasks, loop items counted one by one)."""

import json
import os
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: bench_invocations
type: aggregate
short_description: count module invocations, changes and per-task seconds for the benchmarks
description:
  - Writes one JSON document to the file named by C(BENCH_INVOCATIONS_FILE) when the playbook ends.
  - A task result that aggregates a loop is not counted; its items are.
  - A task that fails before its module runs (templating error) is counted apart.
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "bench_invocations"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self.tasks = {}
        self.order = []
        self.current = None
        self.play = ""

    def _task(self, task):
        key = task._uuid
        if key not in self.tasks:
            self.tasks[key] = dict(name=task.get_name(), action=task.action, play=self.play, executed=0, changed=0,
                                   ok=0, failed=0, failed_before_module=0, skipped=0, seconds=0.0, started=None)
            self.order.append(key)
        return self.tasks[key]

    def _close_current(self):
        if self.current is not None and self.current["started"] is not None:
            self.current["seconds"] += time.monotonic() - self.current["started"]
            self.current["started"] = None

    def v2_playbook_on_play_start(self, play):
        self.play = play.get_name()

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._close_current()
        self.current = self._task(task)
        self.current["started"] = time.monotonic()

    v2_playbook_on_handler_task_start = v2_playbook_on_task_start

    @staticmethod
    def _is_loop_aggregate(result):
        return isinstance(result._result.get("results"), list)

    def _count(self, result, kind):
        entry = self._task(result._task)
        if kind == "skipped":
            entry["skipped"] += 1
            return
        if kind == "failed" and "invocation" not in result._result:
            entry["failed_before_module"] += 1
            return
        entry["executed"] += 1
        if kind == "failed":
            entry["failed"] += 1
        elif result._result.get("changed"):
            entry["changed"] += 1
        else:
            entry["ok"] += 1

    def v2_runner_on_ok(self, result):
        if not self._is_loop_aggregate(result):
            self._count(result, "ok")

    def v2_runner_on_failed(self, result, ignore_errors=False):
        if not self._is_loop_aggregate(result):
            self._count(result, "failed")

    def v2_runner_on_skipped(self, result):
        if not self._is_loop_aggregate(result):
            self._count(result, "skipped")

    def v2_runner_on_unreachable(self, result):
        self._count(result, "failed")

    def v2_runner_item_on_ok(self, result):
        self._count(result, "ok")

    def v2_runner_item_on_failed(self, result):
        self._count(result, "failed")

    def v2_runner_item_on_skipped(self, result):
        self._count(result, "skipped")

    def v2_playbook_on_stats(self, stats):
        self._close_current()
        tasks = []
        for key in self.order:
            entry = dict(self.tasks[key])
            entry.pop("started", None)
            entry["seconds"] = round(entry["seconds"], 3)
            tasks.append(entry)
        summary = dict(
            module_invocations=sum(t["executed"] for t in tasks),
            changed_invocations=sum(t["changed"] for t in tasks),
            failed_invocations=sum(t["failed"] for t in tasks),
            failed_before_module=sum(t["failed_before_module"] for t in tasks),
            skipped=sum(t["skipped"] for t in tasks),
            tasks=tasks,
        )
        path = os.environ.get("BENCH_INVOCATIONS_FILE")
        if path:
            with open(path, "w") as handle:
                json.dump(summary, handle, indent=1)
