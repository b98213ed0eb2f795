"""The report filters: units, IANA names, CSV, row merging and the inline SVG charts."""

import csv
import io
from xml.etree import ElementTree

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.netobs.flowlogs.plugins.filter import report


@pytest.mark.parametrize("value,expected", [
    (0, "0 B"), (999, "999 B"), (1000, "1.0 kB"), (123456789, "123.5 MB"), ("2500000000", "2.5 GB"),
    (1e12, "1.0 TB"),
])
def test_human_bytes_uses_decimal_units(value, expected):
    assert report.human_bytes(value) == expected


def test_human_bytes_forced_unit_and_errors():
    assert report.human_bytes(1234567, "MB", 3) == "1.235 MB"
    with pytest.raises(AnsibleFilterError, match="unit must be one of"):
        report.human_bytes(1, "MiB")
    with pytest.raises(AnsibleFilterError, match="not a number"):
        report.human_bytes("lots")


@pytest.mark.parametrize("value,column,expected", [
    (6, "protocol", "TCP (6)"), (17, "protocol", "UDP (17)"), (50, "protocol", "ESP (50)"),
    (22, "dstPort", "22 (ssh)"), (3389, "dstPort", "3389 (ms-wbt-server)"), (40000, "srcPort", "40000"),
    (1500000, "bytesTransferred", "1.5 MB"), (12.3456, "MBTransferred", "12.35 MB"), (12.0, "flows", "12"),
    (None, "flows", ""), ("ACCEPT", "action", "ACCEPT"),
])
def test_report_cell_formats_by_column(value, column, expected):
    assert report.report_cell(value, column) == expected


def test_to_csv_quotes_and_orders_columns():
    rows = [{"a": 1, "b": "x,y"}, {"b": 'say "hi"', "c": None}]
    text = report.to_csv(rows)
    assert list(csv.reader(io.StringIO(text))) == [["a", "b", "c"], ["1", "x,y", ""], ["", 'say "hi"', ""]]
    assert report.to_csv([]) == "\n"


def test_merge_rows_adds_up_groups_across_targets_and_resorts():
    target_a = [{"srcAddr": "10.0.0.1", "dstAddr": "10.0.0.2", "bytes": 100, "note": "a"},
                {"srcAddr": "10.0.0.3", "dstAddr": "10.0.0.4", "bytes": 50}]
    target_b = [{"srcAddr": "10.0.0.3", "dstAddr": "10.0.0.4", "bytes": 80, "note": "b"}]
    merged = report.merge_rows([target_a, target_b], ["srcAddr", "dstAddr"], ["bytes"], "bytes", 10)
    assert merged == [{"srcAddr": "10.0.0.3", "dstAddr": "10.0.0.4", "bytes": 130},
                      {"srcAddr": "10.0.0.1", "dstAddr": "10.0.0.2", "bytes": 100, "note": "a"}]
    assert report.merge_rows([target_a, target_b], "srcAddr", "bytes", "bytes", 1) == [merged[0]]
    assert target_a[1]["bytes"] == 50  # inputs are not modified


def test_bar_chart_is_valid_svg_with_one_bar_per_row_scaled_to_the_largest():
    rows = [{"src": "a", "v": 200}, {"src": "b<c", "v": 100}]
    svg = report.svg_bar_chart(rows, ["src"], "v", title="T & U")
    root = ElementTree.fromstring(svg)
    rects = root.findall("{http://www.w3.org/2000/svg}g/{http://www.w3.org/2000/svg}rect")
    assert len(rects) == 2
    assert float(rects[0].get("width")) == pytest.approx(2 * float(rects[1].get("width")))
    assert "b&lt;c" in svg and "T &amp; U" in svg


def test_timeline_sorts_by_time_and_marks_the_peak():
    rows = [{"t": "2024-05-01 10:02:00.000", "v": 5}, {"t": "2024-05-01 10:00:00.000", "v": 1},
            {"t": "2024-05-01 10:01:00.000", "v": 9}]
    root = ElementTree.fromstring(report.svg_timeline(rows, "t", "v", value_format="number"))
    ns = "{http://www.w3.org/2000/svg}"
    points = [tuple(map(float, p.split(","))) for p in root.find(ns + "polyline").get("points").split()]
    assert [x for x, _y in points] == sorted(x for x, _y in points)
    peak = root.find(ns + "circle")
    assert (float(peak.get("cx")), float(peak.get("cy"))) == pytest.approx(points[1], abs=0.1)
    assert "no data" in report.svg_timeline([], "t", "v")


def test_merge_rows_keeps_targets_apart_when_grouping_by_the_source_column():
    same_private_pair = {"srcAddr": "10.0.0.1", "dstAddr": "10.0.0.2", "bytes": 10}
    merged = report.merge_rows([[same_private_pair], [dict(same_private_pair, bytes=30)]],
                               ["target", "srcAddr", "dstAddr"], ["bytes"], "bytes", sources=["acct-a", "acct-b"])
    assert [(row["target"], row["bytes"]) for row in merged] == [("acct-b", 30), ("acct-a", 10)]
    with pytest.raises(AnsibleFilterError, match="2 sources for 1 row lists"):
        report.merge_rows([[same_private_pair]], ["srcAddr"], ["bytes"], sources=["a", "b"])


def test_merge_rows_drops_the_source_column_when_groups_span_targets():
    merged = report.merge_rows([[{"minute": "m1", "mb": 1}], [{"minute": "m1", "mb": 2}]], ["minute"], ["mb"],
                               sources=["acct-a", "acct-b"])
    assert merged == [{"minute": "m1", "mb": 3}]
