"""Lookup overhead over the local AWS's own query time (goal: <= 10 % + one poll interval).

For each named query: the emulator's time is StartQuery to Complete with boto3 polling every
10 ms; the lookup's time is the whole ``query('netobs.flowlogs.insights', ...)`` call (lint,
rendering, StartQuery, polling at ``poll_interval``, conversion). Run: ``.venv/bin/python
bench/bench_lookup.py`` (prints a Markdown table); ``run()`` returns the numbers.
"""

import os
import statistics
import time

HERE = os.path.dirname(os.path.abspath(__file__))

from local_aws._collection import install_collection_finder  # noqa: E402

install_collection_finder()

from ansible.plugins.loader import lookup_loader  # noqa: E402

from ansible_collections.netobs.flowlogs.plugins.module_utils import queries  # noqa: E402
from local_aws import traffic  # noqa: E402
from local_aws.server import LocalAws  # noqa: E402

POLL_INTERVAL = 0.1
RUNNING_SECONDS = 0.5
REPEATS = 3
PARAMS = dict(range_transfers_per_minute=dict(src_cidr="172.20.0.0/16", dst_cidr="10.0.0.0/16"),
              top_egress_to_internet=dict(vpc_cidr="10.0.0.0/16"))
BENCHED = ("top_byte_transfers", "top_rejected_sources", "range_transfers_per_minute", "top_egress_to_internet",
           "protocol_mix")


def _emulator_seconds(logs, text, group, start, end):
    began = time.perf_counter()
    query_id = logs.start_query(logGroupNames=[group], startTime=start, endTime=end, queryString=text)["queryId"]
    while logs.get_query_results(queryId=query_id)["status"] != "Complete":
        time.sleep(0.01)
    return time.perf_counter() - began


def run(minutes=60, interfaces=8, quick=False):
    """The numbers: per query, emulator and lookup seconds (medians), overhead and the goal."""
    if quick:
        minutes, interfaces = 15, 4
    aws = LocalAws().start()
    try:
        aws.query_running_seconds = RUNNING_SECONDS
        net = traffic.build_network(aws, interfaces=interfaces)
        start = int(time.time()) // 60 * 60 - minutes * 60 - 60
        records = traffic.synthesize(aws, start=start, minutes=minutes)
        end = start + minutes * 60 - 1
        logs = aws.client("logs")
        lookup = lookup_loader.get("netobs.flowlogs.insights")
        options = dict(aws.module_args(), log_groups=[net["log_group"]], start=start, end=end,
                       poll_interval=POLL_INTERVAL)
        rows = []
        for name in BENCHED:
            params = PARAMS.get(name, {})
            text = queries.render(name, params).text
            emulator = statistics.median(_emulator_seconds(logs, text, net["log_group"], start, end)
                                         for _repeat in range(REPEATS))
            timings = []
            for _repeat in range(REPEATS):
                began = time.perf_counter()
                lookup.run([name], {}, params=params, **options)
                timings.append(time.perf_counter() - began)
            through_lookup = statistics.median(timings)
            overhead = through_lookup - emulator
            budget = 0.10 * emulator + POLL_INTERVAL
            rows.append(dict(query=name, emulator_s=emulator, lookup_s=through_lookup, overhead_s=overhead,
                             budget_s=budget, within_goal=overhead <= budget))
        return dict(records=len(records), poll_interval=POLL_INTERVAL, running_seconds=RUNNING_SECONDS, rows=rows)
    finally:
        aws.stop()


def markdown(result):
    lines = ["{0} records, query Running for {1} s, poll_interval {2} s (median of {3})".format(
        result["records"], result["running_seconds"], result["poll_interval"], REPEATS), "",
        "| Query | Emulator (s) | Lookup (s) | Overhead (s) | Goal: 10 % + poll (s) | Within |",
        "|---|---:|---:|---:|---:|---|"]
    for row in result["rows"]:
        lines.append("| {query} | {emulator_s:.3f} | {lookup_s:.3f} | {overhead_s:.3f} | {budget_s:.3f} | {0} |".format(
            "yes" if row["within_goal"] else "NO", **row))
    return "\n".join(lines)


def report_run(collections_path, running_seconds=2.0, targets=1):
    """Wall and CPU (the ansible-playbook process tree's user+sys) of the report role's default
    sections with every Insights query Running for ``running_seconds``; ``collections_path`` picks
    the collection (this tree, or another checkout for a before/after)."""
    import json
    import resource
    import subprocess
    import sys
    import tempfile

    from local_aws.ansible_run import playbook_env

    aws = LocalAws()
    aws.start()
    try:
        traffic.build_network(aws, vpc_cidr="10.0.0.0/16", interfaces=6, log_group="/vpc/flow-logs")
        traffic.synthesize(aws, start=int(time.time()) - 3600, minutes=60, seed=11)
        aws.query_running_seconds = running_seconds
        with tempfile.TemporaryDirectory() as report_dir:
            inventory = os.path.join(report_dir, "inventory.yml")
            with open(inventory, "w") as handle:
                handle.write("all:\n  vars: {ansible_connection: local}\n  hosts:\n" + "".join(
                    "    target{0}: {{}}\n".format(i) for i in range(targets)))
            env = playbook_env(aws)
            env["ANSIBLE_COLLECTIONS_PATH"] = collections_path
            playbook = os.path.join(collections_path, "ansible_collections", "netobs", "flowlogs", "playbooks",
                                    "flowlog_report.yml")
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            began = time.perf_counter()
            process = subprocess.run(
                [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", inventory, playbook,
                 "-e", json.dumps({"flowlogs_report_dir": report_dir, "flowlogs_report_since": "2h",
                                   "flowlogs_report_vpc_cidr": "10.0.0.0/16"})],
                env=env, capture_output=True, text=True, timeout=900, check=False)
            wall = time.perf_counter() - began
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if process.returncode != 0:
            raise RuntimeError(process.stdout[-3000:])
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return dict(targets=targets, running_seconds=running_seconds, wall_s=wall, cpu_s=cpu)
    finally:
        aws.stop()


if __name__ == "__main__":
    import sys as _sys

    if "--report" in _sys.argv:  # bench_lookup.py --report [COLLECTIONS_PATH] [TARGETS]
        extra = [a for a in _sys.argv[1:] if a != "--report"]
        path = extra[0] if extra else os.path.join(os.path.dirname(HERE), ".tmp", "collections")
        print(report_run(path, targets=int(extra[1]) if len(extra) > 1 else 1))
    else:
        print(markdown(run()))
