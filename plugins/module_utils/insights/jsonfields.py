# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fields Insights discovers in JSON log events (CloudWatch Logs User Guide, "Supported logs and discovered
fields"): nested keys are flattened with dots (``requestParameters.userName``), array elements by index
(``resources.0.ARN``), and at most MAX_JSON_FIELDS fields are extracted from one event.
"""

import json

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
