#!/usr/bin/env python
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark the Insights engine against hand-written single-pass loops over synthetic v2 flow-log records.

Usage: python bench/bench_engine.py [--records N]   (default 1,000,000; prints a Markdown table)

Each query's answer is computed twice in the same run, by the engine and by a plain Python loop, and the two
answers must be equal. Peak memory (tracemalloc) is measured for both stats queries over streamed events at
N/10 and N records: it should stay flat, because stats keeps one state per group, not per record.

The "files" section runs the top-talkers query over the same N records written to one gzip file three ways in
one sitting: ``engine: local`` over files (run_query_over_files, with its fast scan), the pure engine over
events read from the file (the reference), and DuckDB (``read_csv`` + ``GROUP BY``); all three answers must be
equal, and the ratio engine/DuckDB is reported (goal: within 3x).
"""

import argparse
import concurrent.futures
import gc
import os
import random
import sys
import time
import tracemalloc

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(HERE)


def _import_engine():
    from local_aws._collection import install_collection_finder

    install_collection_finder()
    from ansible_collections.netobs.flowlogs.plugins.module_utils.insights import run_query
    return run_query


def _import_files_engine():
    _import_engine()
    from ansible_collections.netobs.flowlogs.plugins.module_utils.insights import engine, files
    return engine, files


V2_COLUMNS = ("version", "account_id", "interface_id", "srcaddr", "dstaddr", "srcport", "dstport", "protocol",
              "packets", "bytes", "start", "end", "action", "log_status")
DUCKDB_TOP_TALKERS = (
    "SELECT srcaddr, dstaddr, SUM(TRY_CAST(bytes AS BIGINT)) AS total "
    "FROM read_csv(?, delim=' ', header=false, quote='', escape='', auto_detect=false, columns=%s) "
    "WHERE version = '2' GROUP BY srcaddr, dstaddr ORDER BY total DESC, srcaddr, dstaddr LIMIT 10")


def write_gzip(path, records):
    import gzip

    with gzip.open(path, "wt", encoding="utf-8", compresslevel=6) as handle:
        for event in generate_events(records):
            handle.write(event["message"] + "\n")


def duckdb_top_talkers(path):
    import duckdb  # imported (and so timed) once, before the timed call: see files_comparison

    columns = "{%s}" % ", ".join("'%s': 'VARCHAR'" % name for name in V2_COLUMNS)
    connection = duckdb.connect()
    try:
        rows = connection.execute(DUCKDB_TOP_TALKERS % columns, [path]).fetchall()
    finally:
        connection.close()
    return [(src, dst, str(total)) for src, dst, total in rows]


def files_comparison(records):
    """engine: local over one gzip file vs the pure engine vs DuckDB, same file, same sitting."""
    import tempfile

    import duckdb  # noqa: F401 - the import is not part of DuckDB's time

    engine, files = _import_files_engine()
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "flows.log.gz")
        write_gzip(path, records)
        size = os.path.getsize(path)

        def local():
            rows = files.run_query_over_files(TOP_TALKERS, [path]).rows
            return [(row["srcAddr"], row["dstAddr"], row["bytesTransferred"]) for row in rows]

        def pure():
            engine.QueryPlan.use_fast_path = False
            try:
                return engine_top_talkers(_import_engine(), files.events_from_files([path]))
            finally:
                engine.QueryPlan.use_fast_path = True

        duck_answer, duck_seconds = _timed(duckdb_top_talkers, path)
        local_answer, local_seconds = _timed(local)
        pure_answer, pure_seconds = _timed(pure)
    # Ties in the top 10 would make the order depend on the engine; the generator's totals have none.
    if not local_answer == pure_answer == duck_answer:
        raise AssertionError("files: local %r, pure %r, duckdb %r differ" % (local_answer, pure_answer, duck_answer))
    return {"records": records, "gzip_bytes": size, "local_seconds": local_seconds, "pure_seconds": pure_seconds,
            "duckdb_seconds": duck_seconds, "ratio": local_seconds / duck_seconds,
            "pure_ratio": pure_seconds / duck_seconds, "rows": len(local_answer)}


TOP_TALKERS = "stats sum(bytes) as bytesTransferred by srcAddr, dstAddr | sort bytesTransferred desc | limit 10"
PER_MINUTE = 'filter isIpv4InSubnet(srcAddr, "10.0.0.0/16") | stats sum(bytes) as b by bin(1m) | sort b desc | limit 5'
BASE_MS = 1700000000000
STEP_MS = 60  # 1,000,000 records span about 17 hours: 1000 one-minute bins


def generate_events(count, seed=20240601):
    """Deterministic default-format records; every 997th is a NODATA record with '-' placeholders.

    400 sources each talk to 8 peers, so a by-srcAddr,dstAddr stats has at most 3,200 groups.
    """
    rng = random.Random(seed)
    hosts = ["10.%d.%d.%d" % (rng.choice((0, 0, 1, 2)), rng.randrange(256), rng.randrange(1, 255))
             for _host in range(400)]
    peers = hosts + ["%d.%d.%d.%d" % (rng.randrange(1, 224), rng.randrange(256), rng.randrange(256),
                                      rng.randrange(1, 255)) for _peer in range(200)]
    enis = ["eni-%017x" % rng.getrandbits(68) for _eni in range(50)]
    actions = ("ACCEPT", "ACCEPT", "ACCEPT", "REJECT")
    protocols = ("6", "6", "17", "1")
    for index in range(count):
        mix = (index * 2654435761) & 0xFFFFFFFF
        timestamp = BASE_MS + index * STEP_MS
        eni = enis[mix % 50]
        start = timestamp // 1000
        if index % 997 == 0:
            message = "2 123456789012 %s - - - - - - - %d %d - NODATA" % (eni, start, start + 60)
        else:
            message = "2 123456789012 %s %s %s %d %d %s %d %d %d %d %s OK" % (
                eni, hosts[mix % 400], peers[(mix % 400 * 37 + (mix >> 9) % 8) % 600], 1024 + (mix >> 5) % 60000,
                (443, 80, 22, 53, 5432)[(mix >> 3) % 5], protocols[(mix >> 7) % 4], 1 + (mix >> 11) % 40,
                40 + (mix >> 4) % 150000, start, start + 60, actions[(mix >> 13) % 4])
        yield {"timestamp": timestamp, "message": message, "logStream": eni, "logGroup": "/vpc/flow-logs"}


def hand_top_talkers(events):
    totals = {}
    for event in events:
        parts = event["message"].split(" ")
        if len(parts) != 14 or parts[0] != "2" or parts[9] == "-":
            continue
        key = (parts[3], parts[4])
        totals[key] = totals.get(key, 0) + int(parts[9])
    top = sorted(totals.items(), key=lambda item: item[1], reverse=True)[:10]
    return [(src, dst, str(total)) for (src, dst), total in top]


def hand_per_minute(events):
    totals = {}
    for event in events:
        parts = event["message"].split(" ")
        if len(parts) != 14 or parts[0] != "2" or parts[9] == "-":
            continue
        if not parts[3].startswith("10.0."):  # 10.0.0.0/16 for dotted-quad addresses
            continue
        timestamp = event["timestamp"]
        minute = timestamp - timestamp % 60000
        totals[minute] = totals.get(minute, 0) + int(parts[9])
    top = sorted(totals.items(), key=lambda item: item[1], reverse=True)[:5]
    return [(time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(m // 1000)) + ".000", str(t)) for m, t in top]


def engine_top_talkers(run_query, events):
    rows = run_query(TOP_TALKERS, events).rows
    return [(row["srcAddr"], row["dstAddr"], row["bytesTransferred"]) for row in rows]


def engine_per_minute(run_query, events):
    rows = run_query(PER_MINUTE, events).rows
    return [(row["bin(1m)"], row["b"]) for row in rows]


def _timed(function, *args):
    gc.collect()
    started = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - started


def streamed_events(pool, count):
    """``count`` events built lazily from a pre-generated pool, shifted in time on each pass.

    tracemalloc slows every allocation down; reusing the pool's messages keeps the traced run affordable while
    timestamps (and so one-minute bins) keep advancing as with ``generate_events``.
    """
    span = len(pool) * STEP_MS
    produced = 0
    shift = 0
    while produced < count:
        for event in pool[:count - produced]:
            yield dict(event, timestamp=event["timestamp"] + shift)
        produced += min(len(pool), count - produced)
        shift += span


def peak_memory(query, count):
    """Peak traced bytes of run_query(query) over ``count`` streamed events (runs in a worker process)."""
    run_query = _import_engine()
    # The pool is built before tracing starts, so the peak is the engine's own memory.
    events = streamed_events(list(generate_events(min(count, 50000))), count)
    gc.collect()
    tracemalloc.start()
    run_query(query, events)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def run(records=1000000):
    """Time both queries (engine vs hand loop), the files comparison with DuckDB, and stats memory."""
    run_query = _import_engine()
    files_numbers = files_comparison(records)
    events = list(generate_events(records))
    results = {"records": records, "queries": {}, "files": files_numbers}
    cases = (
        ("top talkers", TOP_TALKERS, engine_top_talkers, hand_top_talkers),
        ("filtered per-minute", PER_MINUTE, engine_per_minute, hand_per_minute),
    )
    for name, query, engine_function, hand_function in cases:
        hand_answer, hand_seconds = _timed(hand_function, events)
        engine_answer, engine_seconds = _timed(engine_function, run_query, events)
        if engine_answer != hand_answer:
            raise AssertionError("%s: engine %r != hand-written %r" % (name, engine_answer, hand_answer))
        results["queries"][name] = {
            "query": query,
            "engine_seconds": engine_seconds,
            "hand_seconds": hand_seconds,
            "engine_records_per_second": records / engine_seconds,
            "hand_records_per_second": records / hand_seconds,
            "ratio": engine_seconds / hand_seconds,
            "rows": len(engine_answer),
        }
    del events
    small = max(1, records // 10)
    # The traced runs are slow, so the four of them share the machine's cores in worker processes.
    with concurrent.futures.ProcessPoolExecutor(max_workers=2) as executor:
        futures = {(name, count): executor.submit(peak_memory, query, count)
                   for name, query, _loop, _expected in cases for count in (records, small)}
        results["memory"] = {name: {} for name, _query, _loop, _expected in cases}
        for (name, count), future in futures.items():
            results["memory"][name][count] = future.result()
    return results


def _markdown(results):
    records = results["records"]
    lines = [
        "Engine vs hand-written loop, %s records (answers asserted equal)" % format(records, ","),
        "",
        "| query | engine s | engine records/s | hand s | hand records/s | ratio engine/hand |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, numbers in results["queries"].items():
        lines.append("| %s | %.2f | %s | %.2f | %s | %.2f× |" % (
            name, numbers["engine_seconds"], format(int(numbers["engine_records_per_second"]), ","),
            numbers["hand_seconds"], format(int(numbers["hand_records_per_second"]), ","), numbers["ratio"]))
    files_numbers = results.get("files")
    if files_numbers:
        lines += ["", "Top talkers over one gzip file of %s default-format records (%s KiB), answers asserted equal" % (
            format(files_numbers["records"], ","), format(files_numbers["gzip_bytes"] // 1024, ",")), "",
            "| runner | seconds | ratio to DuckDB |", "|---|---:|---:|",
            "| engine: local over files (fast scan) | %.2f | %.2f× |" % (
                files_numbers["local_seconds"], files_numbers["ratio"]),
            "| pure engine over events from the file | %.2f | %.2f× |" % (
                files_numbers["pure_seconds"], files_numbers["pure_ratio"]),
            "| DuckDB read_csv + GROUP BY | %.2f | 1.00× |" % files_numbers["duckdb_seconds"]]
    lines += ["", "Peak traced memory of run_query over a streamed generator (tracemalloc)", "",
              "| query | records | peak KiB |", "|---|---:|---:|"]
    for name, by_count in results["memory"].items():
        for count, peak in sorted(by_count.items()):
            lines.append("| %s | %s | %d |" % (name, format(count, ","), peak // 1024))
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1000000, help="records per timed query (default 1000000)")
    options = parser.parse_args(argv)
    sys.stdout.write(_markdown(run(options.records)) + "\n")


if __name__ == "__main__":
    main()
