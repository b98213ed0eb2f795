# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Report helpers: human byte units, IANA protocol and service names, CSV, inline SVG charts.

The charts are plain SVG strings so the HTML report is one self-contained file: no script, no
stylesheet or font fetched from anywhere.
"""


import copy
import csv
import hashlib
import io
import math
import re
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
    writer.writerow([csv_cell(column) for column in columns])
    for row in rows:
        writer.writerow([csv_cell(row.get(column)) for column in columns])
    return buffer.getvalue()


# OWASP "CSV Injection": a cell starting with one of these is run as a formula by spreadsheets.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"\A-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?\Z")


def csv_cell(value):
    """A CSV cell a spreadsheet shows as text: a leading ' before = + - @ tab or CR (OWASP's CSV injection
    advice); numbers, and numeric strings such as -5, stay as they are."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        text = str(value)
        if text.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.match(text):
            return "'" + text
        return text
    return value


def markdown_cell(value):
    """Text safe in a Markdown table cell: HTML escaped (Markdown passes HTML through), ``|`` escaped,
    newlines as <br>."""
    text = escape("" if value is None else str(value), quote=False)
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    return re.sub(r"\r\n|\r|\n", "<br>", text)


def report_slug(name):
    """A directory name from a host name that stays inside the report directory: letters, digits,
    ``.``, ``_`` and ``-``; anything else (``/``, ``..``) replaced, never starting with a dot; a short
    hash of the name is added whenever it had to change (so two names never share a slug) and for
    ``fleet``, the fleet report's own directory."""
    text = str(name)
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-")
    slug = re.sub(r"^[.-]+", "", slug)[:80]
    if slug != text or not slug or slug == "fleet":
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
        slug = "{0}-{1}".format(slug, digest) if slug else "target-" + digest
    return slug


COLUMN_TITLES = {
    "target": "Target",
    "logFormat": "Log format",
    "srcAddr": "Source address",
    "dstAddr": "Destination address",
    "srcPort": "Source port",
    "dstPort": "Destination port",
    "protocol": "Protocol",
    "action": "Action",
    "logStatus": "Log status",
    "bytesTransferred": "Bytes transferred",
    "packetsTransferred": "Packets",
    "MBTransferred": "Transferred (MB, 10^6 bytes)",
    "numRejections": "Rejected records",
    "rejections": "Rejected records",
    "sources": "Distinct sources",
    "sourcesPerTargetSum": "Sources (per-target sum)",
    "flows": "Flow records",
    "records": "Records",
    "minute": "Minute (UTC)",
    "hour": "Hour (UTC)",
    "interfaceId": "Network interface",
}


def report_columns(rows):
    """Every column of ``rows`` in first-seen order, without Insights' ``@ptr`` (rows merged from
    targets or log formats need not all have the same columns)."""
    columns = []
    for row in rows or []:
        columns.extend(key for key in row if key not in columns and key != "@ptr")
    return columns


def column_title(column):
    """The header a person reads for a result column (units included); CSV and JSON keep the raw name."""
    return COLUMN_TITLES.get(column, column)


def report_sections(sections, results):
    """The role's sections with the lookup's answers (one per section, in order): rows (sorted by
    ``order`` when a section names a time column), statistics, query text, cost and notes."""
    sections = list(sections or [])
    results = list(results or [])
    if len(sections) != len(results):
        raise AnsibleFilterError("report_sections: {0} sections for {1} results".format(len(sections), len(results)))
    out = []
    for section, result in zip(sections, results):
        combined = dict(section)
        combined.update(rows=_ordered(result.get("rows") or [], section.get("order")),
                        statistics=result.get("statistics") or {}, query_text=result.get("query", ""),
                        cost_usd=result.get("cost_usd", 0), notes=list(result.get("notes") or []),
                        formats=list(result.get("formats") or []))
        out.append(combined)
    return out


def fleet_sections(sections, targets, per_target_sections):
    """The fleet's sections: each section's per-target rows merged (``merge_rows`` with the section's
    ``merge``), statistics and cost added up, notes kept with their target, and the target put in the
    chart labels of sections whose rows stay per target."""
    targets = list(targets or [])
    per_target_sections = list(per_target_sections or [])
    out = []
    for index, section in enumerate(sections or []):
        merge = section.get("merge") or {}
        mine = [target_sections[index] for target_sections in per_target_sections]
        rows = merge_rows([s.get("rows") or [] for s in mine], merge.get("group_by") or [], merge.get("sum") or [],
                          merge.get("sort"), merge.get("limit"), sources=targets)
        renamed = merge.get("rename") or {}
        if renamed:
            rows = [dict((renamed.get(k, k), v) for k, v in row.items()) for row in rows]
        combined = copy.deepcopy(dict(section))
        statistics = {}
        for key in ("recordsScanned", "recordsMatched", "bytesScanned"):
            statistics[key] = sum(_number((s.get("statistics") or {}).get(key, 0), key) for s in mine)
            if float(statistics[key]).is_integer():
                statistics[key] = int(statistics[key])
        texts = []
        for s in mine:
            if s.get("query_text") not in texts:
                texts.append(s.get("query_text"))
        notes = ["{0}: {1}".format(target, note) for target, s in zip(targets, mine) for note in s.get("notes") or []]
        chart = combined.get("chart") or {}
        if "target" in (merge.get("group_by") or []) and chart.get("label") is not None:
            label = [chart["label"]] if isinstance(chart["label"], str) else list(chart["label"])
            chart["label"] = ["target"] + [key for key in label if key != "target"]
            combined["chart"] = chart
        combined.update(rows=_ordered(rows, section.get("order")), statistics=statistics,
                        cost_usd=sum(_number(s.get("cost_usd", 0), "cost_usd") for s in mine), notes=notes,
                        query_text=_fleet_query_text(texts, targets, mine))
        out.append(combined)
    return out


def _fleet_query_text(texts, targets, mine):
    # Targets' texts differ when their VPC ranges or log formats do: then each is shown with its target.
    if len(texts) <= 1:
        return texts[0] if texts else ""
    return "\n\n".join("# {0}\n{1}".format(target, s.get("query_text")) for target, s in zip(targets, mine))


def _ordered(rows, column):
    if not column:
        return list(rows)
    return sorted(rows, key=lambda row: str(row.get(column)))


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
