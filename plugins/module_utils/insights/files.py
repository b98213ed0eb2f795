# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The local engine over exported flow-log files (plain or gzip, one record a line, an optional header).

An event's @timestamp is its record's ``start`` field (epoch seconds), its @logStream the interface id and its
@log the file path. A header line of field names (as S3 delivery writes) sets the format of that file.
``run_query_over_files`` hands default-format lines straight to the fast scan (fastpath.py) when the query
has the shape it accelerates, without building an event per line; any other query reads events.
"""

import gzip
import io

from ..flowlog_fields import DEFAULT_FIELDS, FIELD_NAMES, fields_of_format
from .errors import QuerySyntaxError
from .lint import analyze
from .parser import parse

_START = DEFAULT_FIELDS.index("start")


def open_text(path):
    if path.endswith(".gz"):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8")
    return open(path, "r", encoding="utf-8")


def _header(message):
    tokens = message.split(" ")
    return tokens if all(token in FIELD_NAMES for token in tokens) else None


def events_from_files(paths, log_format=None):
    """Events for the engine from flow-log files."""
    for path in paths:
        fields = fields_of_format(log_format) if log_format else list(DEFAULT_FIELDS)
        with open_text(path) as handle:
            for number, line in enumerate(handle, 1):
                message = line.rstrip("\r\n")
                if not message.strip():
                    continue
                tokens = message.split(" ")
                if number == 1 and _header(message):
                    fields = tokens
                    continue
                record = dict(zip(fields, tokens))
                start = record.get("start", "-")
                timestamp = int(start) * 1000 if start.isdigit() else 0
                stream = record.get("interface-id", path)
                yield {"timestamp": timestamp, "message": message, "logStream": stream, "logGroup": path}


def _text_lines(path, chunk_size=1 << 20):
    """The lines of a file as text mode would give them (universal newlines), read in large chunks:
    per-line reads cost more than the rest of the fast scan."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as handle:
        rest = b""
        while True:
            chunk = handle.read(chunk_size)
            if not chunk:
                break
            data = rest + chunk
            cut = data.rfind(b"\n")
            if cut < 0:
                rest = data
                continue
            rest = data[cut + 1:]
            text = data[:cut].decode("utf-8")
            if "\r" in text:
                text = text.replace("\r\n", "\n").replace("\r", "\n")
            yield text.split("\n")
        if rest:
            text = rest.decode("utf-8")
            if "\r" in text:
                text = text.replace("\r\n", "\n").replace("\r", "\n")
            yield text.split("\n")


def _default_format_batches(paths):
    """Lists of the files' records: blank lines and a first-line header left out."""
    for path in paths:
        first = True
        for lines in _text_lines(path):
            if first:
                first = False
                if lines and _header(lines[0]):
                    lines = lines[1:]
            # str.strip keeps exactly the lines that are not blank (C-level; an unchanged line is not copied).
            yield list(filter(str.strip, lines))


def _start_ms(message):
    tokens = message.split(" ")
    start = tokens[_START] if len(tokens) > _START else "-"
    return int(start) * 1000 if start.isdigit() else 0


def _files_have_default_format(paths):
    for path in paths:
        with open_text(path) as handle:
            header = _header(handle.readline().rstrip("\r\n"))
        if header is not None and tuple(header) != DEFAULT_FIELDS:
            return False
    return True


def run_query_over_files(query, paths, start_time=None, end_time=None, limit=None, log_format=None):
    """``run_query`` over flow-log files (see the module docstring); the same answers either way."""
    from .engine import compile_plan

    parsed = parse(query)
    for diagnostic in analyze(parsed):
        if diagnostic.fatal:
            raise QuerySyntaxError(diagnostic.message, query, diagnostic.start, diagnostic.end)
    plan = compile_plan(parsed)
    paths = list(paths)
    default = log_format is None or tuple(fields_of_format(log_format)) == DEFAULT_FIELDS
    if default and plan.fast_scan() is not None and _files_have_default_format(paths):
        return plan.execute(_default_format_batches(paths), start_time, end_time, limit, timestamp_of=_start_ms)
    return plan.execute(events_from_files(paths, log_format), start_time, end_time, limit)
