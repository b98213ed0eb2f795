# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Report helpers: human byte units, IANA protocol and service names, CSV, inline SVG charts.

The charts are plain SVG strings so the HTML report is one self-contained file: no script, no
stylesheet or font fetched from anywhere.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import csv
import io
import math
from html import escape

from ansible.errors import AnsibleFilterError

from ansible_collections.netobs.flowlogs.plugins.module_utils import iana

DECIMAL_UNITS = ("B", "kB", "MB", "GB", "TB", "PB")
PALETTE = ("#2563eb", "#16a34a", "#ea580c", "#9333ea", "#dc2626", "#0891b2", "#ca8a04", "#db2777", "#4b5563",
           "#65a30d")


def _number(value, what):
    try:
        return float(value)
    except (TypeError, ValueError):
        raise AnsibleFilterError("{0}: {1!r} is not a number".format(what, value))


def human_bytes(value, unit=None, precision=1):
    """Bytes in decimal units (1 MB = 1,000,000 bytes, as the CloudWatch console uses)."""
    number = _number(value, "human_bytes")
    if unit is not None:
        if unit not in DECIMAL_UNITS:
            raise AnsibleFilterError("human_bytes: unit must be one of {0}".format(", ".join(DECIMAL_UNITS)))
        scaled = number / (1000 ** DECIMAL_UNITS.index(unit))
        return "{0:,.{1}f} {2}".format(scaled, precision, unit)
    exponent = 0
    while abs(number) >= 1000 and exponent < len(DECIMAL_UNITS) - 1:
        number /= 1000.0
        exponent += 1
    if exponent == 0:
        return "{0:,.0f} B".format(number)
    return "{0:,.{1}f} {2}".format(number, precision, DECIMAL_UNITS[exponent])


def protocol_name(value):
    """IANA protocol keyword for a protocol number (6 -> TCP); unknown numbers stay numbers."""
    return iana.protocol_name(value)


def port_service(value, protocol="tcp"):
    """Well-known service name of a port (22 -> ssh), or the port itself."""
    return iana.service_name(value, protocol or "tcp") or str(value)


BYTE_COLUMNS = ("bytes", "bytesTransferred", "sum(bytes)", "avg(bytes)", "min(bytes)", "max(bytes)")
PORT_COLUMNS = ("srcPort", "dstPort")


def report_cell(value, column):
    """One table cell as a person reads it: bytes in units, MB rounded, protocols and ports named."""
    if value is None or value == "":
        return ""
    if column in BYTE_COLUMNS:
        return human_bytes(value)
    if column.startswith("MB"):
        return "{0:,.2f} MB".format(_number(value, column))
    if column == "protocol":
        name = protocol_name(value)
        return "{0} ({1})".format(name, value) if name != str(value) else str(value)
    if column in PORT_COLUMNS:
        service = iana.service_name(value, "tcp") or iana.service_name(value, "udp")
        return "{0} ({1})".format(value, service) if service else str(value)
    if isinstance(value, float) and value.is_integer():
        return "{0:,.0f}".format(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return "{0:,}".format(value) if isinstance(value, int) else "{0:,.2f}".format(value)
    return str(value)


def merge_rows(row_lists, group_by, sum_columns, sort_by=None, limit=None, descending=True, sources=None,
               source_column="target"):
    """Merge per-target result rows into fleet rows: group, add up the numeric columns, re-sort.

    ``row_lists`` is a list of row lists (one per target). Columns not grouped or summed keep the
    first value seen. This is how stats results combine when their groups are disjoint or additive
    (sums and counts; not averages or distinct counts). With ``sources`` (one name per row list),
    every row first gets a ``source_column`` naming its target, so ``group_by`` can keep targets
    apart: private addresses repeat across accounts and must not be added up as one pair.
    """
    group_by = [group_by] if isinstance(group_by, str) else list(group_by or [])
    sum_columns = [sum_columns] if isinstance(sum_columns, str) else list(sum_columns or [])
    row_lists = list(row_lists or [])
    if sources is not None:
        if len(sources) != len(row_lists):
            raise AnsibleFilterError("merge_rows: {0} sources for {1} row lists".format(len(sources), len(row_lists)))
        row_lists = [[dict([(source_column, source)] + list(row.items())) for row in rows or []]
                     for source, rows in zip(sources, row_lists)]
    merged = {}
    order = []
    for rows in row_lists:
        for row in rows or []:
            key = tuple(str(row.get(column)) for column in group_by)
            if key not in merged:
                merged[key] = dict(row)
                order.append(key)
                continue
            target = merged[key]
            for column in sum_columns:
                target[column] = _number(target.get(column) or 0, column) + _number(row.get(column) or 0, column)
    result = [merged[key] for key in order]
    if sources is not None and source_column not in group_by:
        # Rows merged across targets belong to no single target: naming the first would mislead.
        for row in result:
            row.pop(source_column, None)
    for row in result:
        for column in sum_columns:
            if isinstance(row.get(column), float) and row[column].is_integer():
                row[column] = int(row[column])
    if sort_by:
        result.sort(key=lambda row: _number(row.get(sort_by) or 0, sort_by), reverse=descending)
    if limit:
        result = result[:int(limit)]
    return result


def to_csv(rows, columns=None):
    """Rows (list of dicts) as CSV text with a header line; columns default to the first row's keys."""
    rows = list(rows or [])
    if columns is None:
        columns = []
        for row in rows:
            columns.extend(key for key in row if key not in columns)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(column) is None else row.get(column) for column in columns])
    return buffer.getvalue()


def _shown(value, value_format):
    if value_format == "bytes":
        return human_bytes(value)
    if value_format == "mb":
        return "{0:,.1f} MB".format(value)
    return "{0:,.0f}".format(value)


def _label(row, label_keys):
    keys = [label_keys] if isinstance(label_keys, str) else list(label_keys)
    labels = []
    for key in keys:
        value = row.get(key, "")
        labels.append(report_cell(value, key) if key in ("protocol",) + PORT_COLUMNS else str(value))
    return " → ".join(labels)


def svg_bar_chart(rows, label_keys, value_key, title="", width=720, bar_height=22, value_format="bytes"):
    """Horizontal bars, longest first as given; labels left, human values right."""
    rows = list(rows or [])
    label_width = 300
    value_width = 110
    top = 28 if title else 6
    height = top + max(1, len(rows)) * (bar_height + 6) + 6
    values = [_number(row.get(value_key, 0), "svg_bar_chart") for row in rows]
    biggest = max(values) if values and max(values) > 0 else 1.0
    usable = width - label_width - value_width - 10
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" class="chart bar-chart" role="img" width="{0}" height="{1}" '
             'viewBox="0 0 {0} {1}">'.format(width, height)]
    if title:
        parts.append('<title>{0}</title><text x="0" y="18" class="chart-title">{0}</text>'.format(escape(title)))
    if not rows:
        parts.append('<text x="0" y="{0}" class="empty">no data</text>'.format(top + 16))
    for index, (row, value) in enumerate(zip(rows, values)):
        y = top + index * (bar_height + 6)
        length = max(1.0, usable * value / biggest)
        shown = _shown(value, value_format)
        parts.append(
            '<g class="bar"><text x="{lx}" y="{ty}" text-anchor="end">{label}</text>'
            '<rect x="{x}" y="{y}" width="{w:.1f}" height="{h}" fill="{fill}"><title>{label}: {shown}</title></rect>'
            '<text x="{vx:.1f}" y="{ty}">{shown}</text></g>'.format(
                lx=label_width - 8, ty=y + bar_height * 0.72, label=escape(_label(row, label_keys)), x=label_width,
                y=y, w=length, h=bar_height, fill=PALETTE[index % len(PALETTE)], vx=label_width + length + 6,
                shown=escape(shown)))
    parts.append("</svg>")
    return "".join(parts)


def svg_timeline(rows, time_key, value_key, title="", width=900, height=260, value_format="bytes"):
    """An area chart of value over time (rows in any order; sorted by the time label)."""
    points = sorted(((str(row.get(time_key)), _number(row.get(value_key, 0), "svg_timeline")) for row in rows or []),
                    key=lambda point: point[0])
    left, right, top, bottom = 80, 16, 30 if title else 10, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" class="chart timeline" role="img" width="{0}" height="{1}" '
             'viewBox="0 0 {0} {1}">'.format(width, height)]
    if title:
        parts.append('<title>{0}</title><text x="0" y="18" class="chart-title">{0}</text>'.format(escape(title)))
    if not points:
        parts.append('<text x="{0}" y="{1}" class="empty">no data</text></svg>'.format(left, top + 20))
        return "".join(parts)
    biggest = max(value for _label_text, value in points) or 1.0
    step = plot_w / max(1, len(points) - 1)
    coords = [(left + i * step, top + plot_h - plot_h * value / biggest) for i, (_t, value) in enumerate(points)]
    line = " ".join("{0:.1f},{1:.1f}".format(x, y) for x, y in coords)
    area = "{0:.1f},{1} {2} {3:.1f},{1}".format(coords[0][0], top + plot_h, line, coords[-1][0])
    parts.append('<polygon class="area" points="{0}" fill="#bfdbfe"/>'.format(area))
    parts.append('<polyline class="line" points="{0}" fill="none" stroke="#2563eb" stroke-width="2"/>'.format(line))
    for fraction in (0.0, 0.5, 1.0):
        y = top + plot_h - plot_h * fraction
        value = biggest * fraction
        shown = _shown(value, value_format)
        parts.append('<line x1="{0}" x2="{1}" y1="{2:.1f}" y2="{2:.1f}" stroke="#e5e7eb"/>'
                     '<text x="{3}" y="{4:.1f}" text-anchor="end" class="axis">{5}</text>'.format(
                         left, left + plot_w, y, left - 6, y + 4, escape(shown)))
    ticks = sorted(set([0, len(points) - 1] + list(range(0, len(points), max(1, int(math.ceil(len(points) / 6.0)))))))
    for i in ticks:
        label = points[i][0][11:16] if len(points[i][0]) >= 16 else points[i][0]
        parts.append('<text x="{0:.1f}" y="{1}" text-anchor="middle" class="axis">{2}</text>'.format(
            coords[i][0], top + plot_h + 18, escape(label)))
    peak = max(range(len(points)), key=lambda i: points[i][1])
    parts.append('<circle cx="{0:.1f}" cy="{1:.1f}" r="4" fill="#dc2626"><title>peak {2}</title></circle>'.format(
        coords[peak][0], coords[peak][1], escape(points[peak][0])))
    parts.append("</svg>")
    return "".join(parts)


class FilterModule:
    def filters(self):
        return {
            "human_bytes": human_bytes,
            "protocol_name": protocol_name,
            "port_service": port_service,
            "to_csv": to_csv,
            "report_cell": report_cell,
            "merge_rows": merge_rows,
            "svg_bar_chart": svg_bar_chart,
            "svg_timeline": svg_timeline,
        }
