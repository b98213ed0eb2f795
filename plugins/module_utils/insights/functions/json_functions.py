# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""JSON functions and structure values (CWL_QuerySyntax-operations-functions, "JSON functions" and
"Structure types"): ``jsonParse`` turns a JSON string into a map (dict) or list; maps and lists count as null
for string, number and date functions, and comparing one with anything is false.
"""

import json

from ..values import to_text
from .registry import register


def json_parse(value):
    if isinstance(value, (dict, list)):
        return value
    text = to_text(value)
    if text is None:
        return None
    try:
        parsed = json.loads(text)
    except ValueError:
        return None
    return parsed if isinstance(parsed, (dict, list)) else None


def json_stringify(value):
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return None


def _array_size(value):
    return len(value) if isinstance(value, list) else None


def _array_contains(array, value):
    if not isinstance(array, list) or value is None:
        return False
    wanted = to_text(value)
    return any(element is not None and not isinstance(element, (dict, list)) and json_scalar_text(element) == wanted
               for element in array)


def json_scalar_text(value):
    """The string a JSON scalar stands for in the query language (numbers as written, true/false)."""
    if isinstance(value, str):
        return value
    if value is True or value is False:
        return "true" if value else "false"
    if value is None:
        return None
    return json.dumps(value)


register("jsonParse", 1, 1, json_parse)
register("jsonStringify", 1, 1, json_stringify)
register("jsonArraySize", 1, 1, _array_size)
register("jsonArrayContains", 2, 2, _array_contains)
