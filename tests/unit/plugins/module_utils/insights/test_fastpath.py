# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fast scan (fastpath.py) and the engine over files give byte-for-byte the pure engine's answers."""

import gzip
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible_collections.netobs.flowlogs.plugins.module_utils.insights import (
    FLOW_LOG_V2_FIELDS, engine, events_from_files, run_query, run_query_over_files,
)

T0 = 1700000000

addresses = st.sampled_from(["10.0.0.1", "10.0.0.2", "192.0.2.9", "2001:db8::1"])
byte_values = st.one_of(st.integers(0, 10 ** 12).map(str), st.sampled_from(["1.5", "-3", "abc", "٣", "1e3"]))


@st.composite
def messages(draw):
    kind = draw(st.sampled_from(["ok", "ok", "ok", "nodata", "text", "json", "short"]))
    if kind == "ok":
        return "2 123456789012 eni-%d %s %s %d %d 6 %d %s %d %d %s OK" % (
            draw(st.integers(0, 2)), draw(addresses), draw(addresses), draw(st.integers(0, 3)),
            draw(st.sampled_from([22, 443])), draw(st.integers(1, 9)), draw(byte_values),
            T0 + draw(st.integers(0, 600)), T0 + 700, draw(st.sampled_from(["ACCEPT", "REJECT"])))
    if kind == "nodata":
        return "2 123456789012 eni-1 - - - - - - - %d %d - NODATA" % (T0, T0 + 60)
    if kind == "json":
        return json.dumps({"srcAddr": draw(addresses), "bytes": draw(byte_values)})
    if kind == "short":
        return "2 123456789012 eni-1 10.0.0.1"
    return draw(st.text(max_size=20))


@st.composite
def queries(draw):
    keys = draw(st.lists(st.sampled_from(["srcAddr", "dstAddr", "interfaceId", "action", "dstPort"]),
                         min_size=1, max_size=3, unique=True))
    aggregates = draw(st.lists(st.sampled_from(["sum(bytes)", "count(*)", "count()", "count(srcAddr)",
                                                "sum(packets)"]), min_size=1, max_size=3, unique=True))
    items = ", ".join("%s as a%d" % (aggregate, i) for i, aggregate in enumerate(aggregates))
    tail = draw(st.sampled_from(["", " | sort a0 desc | limit 3", " | sort a0 asc"]))
    return "stats %s by %s%s" % (items, ", ".join(keys), tail)


def both(query, events, **kwargs):
    answers = []
    for fast in (True, False):
        engine.QueryPlan.use_fast_path = fast
        try:
            result = run_query(query, list(events), **kwargs)
        finally:
            engine.QueryPlan.use_fast_path = True
        answers.append((result.rows, result.statistics, result.columns))
    return answers


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(messages(), max_size=40), queries(), st.sampled_from([None, (T0 + 100, T0 + 400)]))
def test_fast_scan_equals_pure_engine(texts, query, bounds):
    events = [{"timestamp": (T0 + i * 15) * 1000, "message": m, "logStream": "s", "logGroup": "g"}
              for i, m in enumerate(texts)]
    kwargs = {} if bounds is None else {"start_time": bounds[0], "end_time": bounds[1]}
    fast, pure = both(query, events, **kwargs)
    assert fast == pure


def test_fast_scan_is_used_for_top_talkers():
    from ansible_collections.netobs.flowlogs.plugins.module_utils.insights import parse
    assert engine.compile_plan(parse("stats sum(bytes) as b by srcAddr, dstAddr | sort b desc")).fast_scan()
    assert engine.compile_plan(parse("filter action = 'ACCEPT' | stats sum(bytes) by srcAddr")).fast_scan() is None
    assert engine.compile_plan(parse("stats avg(bytes) by srcAddr")).fast_scan() is None


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(messages().filter(lambda m: "\n" not in m and "\r" not in m and m.strip()), max_size=30),
       queries(), st.booleans())
def test_files_fast_path_equals_pure_engine_over_file_events(tmp_path, texts, query, header):
    path = str(tmp_path / "flows.log.gz")
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        if header:
            handle.write("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes "
                         "start end action log-status\n")
        for text in texts:
            handle.write(text + "\n")
    for bounds in (None, (T0 + 100, T0 + 400)):
        kwargs = {} if bounds is None else {"start_time": bounds[0], "end_time": bounds[1]}
        fast = run_query_over_files(query, [path], **kwargs)
        engine.QueryPlan.use_fast_path = False
        try:
            pure = run_query(query, events_from_files([path]), **kwargs)
        finally:
            engine.QueryPlan.use_fast_path = True
        assert (fast.rows, fast.statistics) == (pure.rows, pure.statistics)


def test_files_with_another_header_take_the_event_path(tmp_path):
    path = str(tmp_path / "custom.log")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("srcaddr bytes\n10.0.0.1 5\n10.0.0.1 7\n")
    result = run_query_over_files("parse @message '* *' as srcAddr, bytes | stats sum(bytes) as b by srcAddr",
                                  [path])
    assert result.rows == [{"srcAddr": "10.0.0.1", "b": "12"}]
    assert FLOW_LOG_V2_FIELDS[3] == "srcAddr"


@pytest.fixture(autouse=True)
def _restore_fast_path():
    yield
    engine.QueryPlan.use_fast_path = True
