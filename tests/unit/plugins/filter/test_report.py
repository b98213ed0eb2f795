"""The report filters: units, IANA names, CSV, row merging and the inline SVG charts."""

import csv
import io
from xml.etree import ElementTree

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.netobs.flowlogs.plugins.plugin_utils import report


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


@pytest.mark.parametrize("value, expected", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+1+2", "'+1+2"), ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"), ("-", "'-"),
    ("-5", "-5"), ("-1.5e3", "-1.5e3"), (-5, -5), (3.5, 3.5), ("10.0.0.1", "10.0.0.1"), (None, ""),
])
def test_csv_cell_makes_formulas_inert(value, expected):
    assert report.csv_cell(value) == expected


def test_to_csv_neutralises_every_cell_and_header():
    text = report.to_csv([{"=cmd": "=1+1", "n": 3}])
    assert list(csv.reader(io.StringIO(text))) == [["'=cmd", "n"], ["'=1+1", "3"]]


def test_markdown_cell_escapes_pipes_newlines_and_html():
    assert report.markdown_cell("a|b\nc\r\nd<script>x</script>") == "a\\|b<br>c<br>d&lt;script&gt;x&lt;/script&gt;"
    assert report.markdown_cell(None) == ""
    assert report.markdown_cell("back\\slash") == "back\\\\slash"


@pytest.mark.parametrize("name", ["../../../../tmp/x", "..", ".", "", "/etc/passwd", "a/b", "fleet", "é", ".hidden"])
def test_report_slug_is_one_safe_path_component(name):
    slug = report.report_slug(name)
    assert slug and "/" not in slug and not slug.startswith(".") and slug not in ("fleet", ".", "..")
    assert all(c.isalnum() or c in "._-" for c in slug)


def test_report_slug_keeps_plain_names_and_tells_changed_ones_apart():
    assert report.report_slug("prod-eu-west-1") == "prod-eu-west-1"
    assert report.report_slug("a/b") != report.report_slug("a-b")
    assert report.report_slug("../../../../tmp/x").startswith("tmp-x-")


def test_column_titles_are_human_with_units_and_fall_back_to_the_name():
    assert report.column_title("MBTransferred") == "Transferred (MB, 10^6 bytes)"
    assert report.column_title("numRejections") == "Rejected records"
    assert report.column_title("custom") == "custom"


def test_report_sections_orders_rows_by_time_and_keeps_notes():
    sections = [{"id": "t", "order": "minute"}]
    results = [{"rows": [{"minute": "2024-01-01 00:02", "MB": 1}, {"minute": "2024-01-01 00:01", "MB": 5}],
                "statistics": {"recordsScanned": 2}, "query": "q", "cost_usd": 0.1, "notes": ["n"]}]
    out = report.report_sections(sections, results)
    assert [r["minute"] for r in out[0]["rows"]] == ["2024-01-01 00:01", "2024-01-01 00:02"]
    assert out[0]["notes"] == ["n"] and out[0]["query_text"] == "q"
    with pytest.raises(AnsibleFilterError):
        report.report_sections(sections, [])


def test_fleet_sections_put_targets_in_labels_rename_sums_and_add_statistics():
    sections = [
        {"id": "pairs", "chart": {"type": "bars", "label": ["srcAddr"], "value": "b"},
         "merge": {"group_by": ["target", "srcAddr"], "sum": ["b"], "sort": "b"}},
        {"id": "ports", "merge": {"group_by": ["dstPort"], "sum": ["sources"],
                                  "rename": {"sources": "sourcesPerTargetSum"}}},
    ]
    per_target = [
        [{"rows": [{"srcAddr": "10.0.0.1", "b": 5}], "statistics": {"recordsScanned": 3, "recordsMatched": 1,
          "bytesScanned": 10}, "cost_usd": 0.5, "query_text": "q1", "notes": ["x"]},
         {"rows": [{"dstPort": 22, "sources": 2}], "statistics": {}, "cost_usd": 0, "query_text": "p"}],
        [{"rows": [{"srcAddr": "10.0.0.1", "b": 7}], "statistics": {"recordsScanned": 4, "recordsMatched": 2,
          "bytesScanned": 20}, "cost_usd": 0.25, "query_text": "q2"},
         {"rows": [{"dstPort": 22, "sources": 3}], "statistics": {}, "cost_usd": 0, "query_text": "p"}],
    ]
    pairs, ports = report.fleet_sections(sections, ["a", "b"], per_target)
    assert pairs["chart"]["label"] == ["target", "srcAddr"]
    assert [(r["target"], r["b"]) for r in pairs["rows"]] == [("b", 7), ("a", 5)]
    assert pairs["statistics"] == {"recordsScanned": 7, "recordsMatched": 3, "bytesScanned": 30}
    assert pairs["cost_usd"] == 0.75 and pairs["notes"] == ["a: x"]
    assert "# a\nq1" in pairs["query_text"] and "# b\nq2" in pairs["query_text"]
    assert ports["rows"] == [{"dstPort": 22, "sourcesPerTargetSum": 5}] and ports["query_text"] == "p"
    assert sections[0]["chart"]["label"] == ["srcAddr"]  # the role's own sections are not changed


def test_report_columns_is_the_union_of_every_rows_columns():
    rows = [{"@ptr": "x", "a": 1}, {"logFormat": "v5", "a": 2, "b": 3}]
    assert report.report_columns(rows) == ["a", "logFormat", "b"]
