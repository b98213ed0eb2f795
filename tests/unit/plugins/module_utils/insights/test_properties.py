# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Property tests: ``filter | stats`` over random flow records equals a brute-force computation."""

import ipaddress
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from ansible_collections.netobs.flowlogs.plugins.module_utils.insights import run_query
from ansible_collections.netobs.flowlogs.plugins.module_utils.insights.values import natural_sort_key

T0 = 1700000000000

addresses = st.sampled_from(["10.0.0.1", "10.0.0.2", "10.1.2.3", "172.16.0.9", "10.172.16.1", "192.0.2.7"])
records = st.builds(
    lambda offset, src, dst, port, proto, packets, size, action, nodata: {
        "offset": offset, "src": src, "dst": dst, "port": port, "proto": proto, "packets": packets,
        "bytes": size, "action": action, "nodata": nodata},
    st.integers(0, 3 * 3600 * 1000), addresses, addresses, st.sampled_from([22, 53, 443, 8080]),
    st.sampled_from([6, 17]), st.integers(1, 50), st.integers(0, 10 ** 7), st.sampled_from(["ACCEPT", "REJECT"]),
    st.integers(0, 9).map(lambda n: n == 0))  # about one NODATA record in ten


def to_event(record):
    start = (T0 + record["offset"]) // 1000
    if record["nodata"]:
        message = "2 123456789012 eni-1 - - - - - - - %d %d - NODATA" % (start, start + 60)
    else:
        message = "2 123456789012 eni-1 %s %s %d %d %d %d %d %d %d %s OK" % (
            record["src"], record["dst"], record["port"], 443, record["proto"], record["packets"],
            record["bytes"], start, start + 60, record["action"])
    return {"timestamp": T0 + record["offset"], "message": message, "logStream": "eni-1", "logGroup": "g"}


def present(records):
    return [r for r in records if not r["nodata"]]


@settings(max_examples=60, deadline=None)
@given(st.lists(records, max_size=60), st.sampled_from(["ACCEPT", "REJECT"]), st.integers(0, 10 ** 7))
def test_filter_stats_by_group_matches_brute_force(records, action, threshold):
    query = ("filter action = '%s' and bytes >= %d | stats sum(bytes) as total, count(*) as n, "
             "max(packets) as peak, avg(bytes) as mean by srcAddr, dstAddr" % (action, threshold))
    got = {(row["srcAddr"], row["dstAddr"]): row for row in run_query(query, map(to_event, records)).rows}
    expected = {}
    for r in present(records):
        if r["action"] == action and r["bytes"] >= threshold:
            expected.setdefault((r["src"], r["dst"]), []).append(r)
    assert set(got) == set(expected)
    for key, group in expected.items():
        row = got[key]
        assert row["total"] == str(sum(r["bytes"] for r in group))
        assert row["n"] == str(len(group))
        assert row["peak"] == str(max(r["packets"] for r in group))
        assert math.isclose(float(row["mean"]), sum(r["bytes"] for r in group) / len(group), rel_tol=1e-12)


@settings(max_examples=60, deadline=None)
@given(st.lists(records, max_size=60), st.sampled_from(["10.0.0.0/16", "10.0.0.0/8", "172.16.0.0/12"]))
def test_subnet_filter_per_minute_matches_brute_force(records, cidr):
    query = "filter isIpv4InSubnet(srcAddr, '%s') | stats sum(bytes) as b, count(*) as n by bin(1m)" % cidr
    network = ipaddress.ip_network(cidr)
    expected = {}
    for r in present(records):
        if ipaddress.ip_address(r["src"]) in network:
            ms = T0 + r["offset"]
            minute = ms - ms % 60000
            total, count = expected.get(minute, (0, 0))
            expected[minute] = (total + r["bytes"], count + 1)
    got = {row["bin(1m)"]: (int(row["b"]), int(row["n"])) for row in run_query(query, map(to_event, records)).rows}
    from ansible_collections.netobs.flowlogs.plugins.module_utils.insights.values import format_timestamp
    assert got == {format_timestamp(m): v for m, v in expected.items()}


@settings(max_examples=60, deadline=None)
@given(st.lists(records, max_size=40), st.integers(1, 10))
def test_sort_limit_matches_brute_force(records, limit):
    query = "filter ispresent(srcAddr) | stats sum(bytes) as total by srcAddr | sort total desc | limit %d" % limit
    totals = {}
    for r in present(records):
        totals[r["src"]] = totals.get(r["src"], 0) + r["bytes"]
    got = [int(row["total"]) for row in run_query(query, map(to_event, records)).rows]
    assert got == sorted(totals.values(), reverse=True)[:limit]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet="aZ09._@!# ", max_size=6), min_size=2, max_size=8))
def test_natural_sort_desc_is_reverse_of_asc_for_distinct_values(values):
    distinct = sorted(set(values), key=natural_sort_key)
    assert sorted(set(values), key=natural_sort_key, reverse=True) == distinct[::-1]


def test_documented_natural_sort_example():
    doc_order = "!: # *%04 0# 5A 111A 2345_ @ @_ A A9876fghj a12345hfh 0 01 1 2 3".split(" ")
    assert sorted(reversed(doc_order), key=natural_sort_key) == doc_order
