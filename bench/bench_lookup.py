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


if __name__ == "__main__":
    print(markdown(run()))
