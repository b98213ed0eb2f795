# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fields Insights discovers in JSON log events (CloudWatch Logs User Guide, "Supported logs and discovered
fields"): nested keys are flattened with dots (``requestParameters.userName``), array elements by index
(``resources.0.ARN``), and at most MAX_JSON_FIELDS fields are extracted from one event.
Also the paths into maps and lists (CWL_QuerySyntax-operations-functions, "Structure types"): ``a.b``,
``a[0]`` and backquoted keys ``a.`x.y```.
"""

import json
import re

from .functions.json_functions import json_scalar_text

MAX_JSON_FIELDS = 200
_EMPTY = {}


def flatten_json_message(message):
    """``{dotted name: string value}`` of a JSON object message; ``{}`` for anything else."""
    if not message or message.lstrip()[:1] != "{":
        return _EMPTY
    try:
        document = json.loads(message)
    except ValueError:
        return _EMPTY
    if not isinstance(document, dict):
        return _EMPTY
    flat = {}
    stack = [("", document)]
    while stack and len(flat) < MAX_JSON_FIELDS:
        prefix, value = stack.pop()
        if isinstance(value, dict):
            items = [(prefix + key if not prefix else prefix + "." + key, item) for key, item in value.items()]
        elif isinstance(value, list):
            items = [("%s.%d" % (prefix, index), item) for index, item in enumerate(value)]
        else:
            if value is not None:
                flat[prefix] = json_scalar_text(value)
            continue
        stack.extend(reversed(items))
    return flat


_PATH_RE = re.compile(r"`([^`]*)`|\[(\d+)\]|([^.`\[]+)")


def split_path(name):
    """``a.b[0].`c.d``` -> ["a", "b", 0, "c.d"] (dot access, bracket access, backquoted keys)."""
    parts = []
    for quoted, index, plain in _PATH_RE.findall(name):
        if index:
            parts.append(int(index))
        else:
            parts.append(quoted if quoted or not plain else plain)
    return parts or [name]


def join_path(parts, dotted_indexes=False):
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += (".%d" % part) if dotted_indexes else ("[%d]" % part)
        else:
            out += ("." if out else "") + part
    return out


def path_getter(head, path):
    def get(row):
        value = head(row)
        for part in path:
            if isinstance(part, int):
                if not isinstance(value, list) or part >= len(value):
                    return None
            elif not isinstance(value, dict):
                return None
            elif part not in value:
                return None
            value = value[part]
        return json_value(value)
    return get


def json_value(value):
    """A JSON value as a query value: scalars become the strings they stand for, maps and lists stay."""
    if isinstance(value, (dict, list)) or value is None:
        return value
    return json_scalar_text(value)


def json_field_getter(name, event_slot, json_slot):
    """A getter of the discovered JSON field ``name``: the event is flattened once, on first use."""
    def get(row):
        flat = row[json_slot]
        if flat is None:
            flat = row[json_slot] = flatten_json_message(row[event_slot]["message"])
        return flat.get(name)
    return get
